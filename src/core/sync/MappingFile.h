#pragma once

#include "domain/FieldMapping.h"

#include <QByteArray>
#include <QJsonObject>

#include <optional>

namespace lb {

/// Why a mapping file could not be read, and where.
struct MappingFileError
{
    QString
        path; ///< JSON path of the offending value: "$.rules.contact[2].transforms[0].max"; "$" for the file
    QString message; ///< a translated sentence
    int line = 0;    ///< syntax errors only: 1-based line and column of the error
    int column = 0;

    /// "$.rules.contact[2].target: missing" or "line 3, column 7: ..." for syntax errors.
    [[nodiscard]] QString toString() const;
};

/// The mapping file of DESIGN.md ("Contracts: Mapping file"), used by export, import and the editor:
///
///     { "formatVersion": 2, "name": "...", "revision": 3, "timeZone": "UTC",
///       "rules": { "contact": [ { "source": "phone", "target": "Phone Number",
///                                 "transforms": [ { "name": "phoneE164" } ], "default": "",
///                                 "onFailure": "leave" } ],
///                  "task": [...], "note": [...], "appointment": [...] },
///       "requiredFields": [ { "label": "GHL Contact ID", "fieldType": "text" } ],
///       "policy": { "sharedEmailFields": "most-recently-updated", "sharedEmailTags": "union",
///                   "deletedNotes": "leave", "deletedContacts": "tag",
///                   "deletedContactTag": "ghl-deleted", "defaultCountry": "DE" },
///       "fieldLimits": { "Company": 500 } }
///
/// A rule may also carry "extraSources" (concatenated after "source") and, in hand-written files,
/// "transform" (one transform, or a transform name) instead of "transforms". "onFailure" is "keep"
/// (the default, not written), "leave", "empty" or "invalid". The policy's values: sharedEmailFields
/// "most-recently-updated" | "oldest", sharedEmailTags "union" | "chosen-contact", deletedNotes
/// "leave" | "mark-deleted", deletedContacts "tag" | "nothing", defaultCountry an ISO 3166-1 alpha-2
/// code or "". "fieldLimits" sets a Saleshandy field's limit (characters, at least 1) in place of the
/// unconfirmed default of its type. Version 1 files (no onFailure, policy or fieldLimits) read with
/// the defaults; newer versions than this build's are refused. "version" is read as the format
/// version when "formatVersion" is absent. Reading checks the format only; whether the rules fit an
/// account is Mapper::validate().
class MappingFile final
{
public:
    static constexpr int FormatVersion = FieldMapping::CurrentFormatVersion;

    [[nodiscard]] static QJsonObject toJsonObject(const FieldMapping &mapping);
    /// Indented UTF-8 JSON; export → import gives back an equal mapping.
    [[nodiscard]] static QByteArray toJson(const FieldMapping &mapping);

    [[nodiscard]] static std::optional<FieldMapping> fromJson(const QByteArray &data,
                                                              MappingFileError *error);
    [[nodiscard]] static std::optional<FieldMapping> fromJsonObject(const QJsonObject &root,
                                                                    MappingFileError *error);

    /// Writes atomically (QSaveFile); false with a sentence in `error`.
    [[nodiscard]] static bool save(const FieldMapping &mapping, const QString &fileName, QString *error);
    [[nodiscard]] static std::optional<FieldMapping> load(const QString &fileName, MappingFileError *error);
};

} // namespace lb
