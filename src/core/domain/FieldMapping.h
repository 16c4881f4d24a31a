#pragma once

// The rules that turn GHL records into Saleshandy prospects, tasks and notes (DESIGN.md, "Default
// mapping into Saleshandy"). Values only: applying them is sync/Mapper, files are sync/MappingFile.
// The transform chain is part of a rule's value, hence the one include from sync/ (a header of value
// types with no further dependencies).

#include "sync/Transforms.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <array>
#include <optional>

namespace lb {

/// The kinds of GHL record a mapping has rules for. Appointment rules write prospect fields from
/// values derived over all of a contact's appointments (Saleshandy has no calendar object).
enum class RecordKind { Contact, Task, Note, Appointment };
inline constexpr int RecordKindCount = 4;

/// "contact", "task", "note", "appointment": the keys of a mapping file.
[[nodiscard]] QString recordKindName(RecordKind kind);
[[nodiscard]] std::optional<RecordKind> recordKindFromName(QStringView name);
[[nodiscard]] constexpr std::array<RecordKind, RecordKindCount> allRecordKinds()
{
    return {RecordKind::Contact, RecordKind::Task, RecordKind::Note, RecordKind::Appointment};
}

/// Saleshandy custom field types (SALESHANDY.md §5). System fields (First Name, Email, ...) are Text.
enum class TargetFieldType { Text, Number, Date, LongText, Dropdown, Currency };

/// "text", "number", "date", "long-text", "dropdown", "currency" as the API spells them.
[[nodiscard]] QString targetFieldTypeName(TargetFieldType type);
[[nodiscard]] std::optional<TargetFieldType> targetFieldTypeFromName(QStringView name);
/// The Saleshandy type a GHL custom field's data type fits best (SALESHANDY.md §11).
[[nodiscard]] TargetFieldType targetFieldTypeForGhlDataType(QStringView ghlDataType);

/// Saleshandy does not publish its value limits (SALESHANDY.md §13). These are conservative guesses,
/// unconfirmed, and editable per target field (FieldMapping::setFieldLimit): a longer value is cut
/// at the limit with an ellipsis and a warning, by default.
inline constexpr int TextFieldMaxLength = 255;
inline constexpr int LongTextFieldMaxLength = 10000;

/// What a rule does with a value that its transforms or its Saleshandy field cannot take (a phone
/// number that does not parse, a text in a date field, a value longer than the field). Data is
/// sacred: the default never blanks and never erases what Saleshandy has.
enum class OnFailure {
    KeepAsWritten,  ///< send the GHL value as written (trimmed; cut at the field's limit), warn
    LeaveUnchanged, ///< send nothing for this field: Saleshandy keeps what it has; warn
    SendEmpty,      ///< send the field empty, erasing what Saleshandy has; warn
    MarkInvalid,    ///< the record is invalid and not sent, with the reason in the log
};
/// "keep", "leave", "empty", "invalid" as mapping files spell them.
[[nodiscard]] QString onFailureName(OnFailure onFailure);
[[nodiscard]] std::optional<OnFailure> onFailureFromName(QStringView name);

/// The kinds of warning a mapped record can carry; counted per kind in a run's summary
/// (`warningsByKind`) and listed per field in the dry run and the log.
enum class WarningKind {
    KeptAsWritten, ///< "kept-as-written": not convertible, sent as GHL has it
    Cut,           ///< "cut": longer than the field's limit, cut with an ellipsis
    LeftUnchanged, ///< "left-unchanged": not convertible, not sent (Saleshandy keeps its value)
    SentEmpty,     ///< "sent-empty": not convertible, sent empty by the rule's choice
    NotSent,       ///< "not-sent": a child with nothing to send (an empty note), or an unknown code
};
[[nodiscard]] QString warningKindName(WarningKind kind);
[[nodiscard]] std::optional<WarningKind> warningKindFromName(QStringView name);

/// One field of one record that was not sent exactly as GHL has it.
struct FieldWarning
{
    WarningKind kind = WarningKind::KeptAsWritten;
    QString target;  ///< the Saleshandy field label or special target ("Phone Number", "taskNote")
    QString value;   ///< the GHL value as written (shortened for the log when long)
    QString message; ///< a translated sentence: why, and what was sent

    friend bool operator==(const FieldWarning &a, const FieldWarning &b)
    {
        return a.kind == b.kind && a.target == b.target && a.value == b.value && a.message == b.message;
    }
};

/// {"kind", "target", "value", "message"}: how the log and the CLI's JSON write a warning.
[[nodiscard]] QJsonObject fieldWarningToJson(const FieldWarning &warning);
[[nodiscard]] FieldWarning fieldWarningFromJson(const QJsonObject &json);

/// Whose fields a prospect gets when several GHL contacts share its email (case-insensitively,
/// after trimming). Fields the chosen contact lacks are filled from the others, in the same order.
enum class SharedEmailFields { MostRecentlyUpdated, Oldest };
/// Which tags a shared prospect gets.
enum class SharedEmailTags { Union, ChosenContact };
/// A GHL note deleted after it was sent: Saleshandy cannot delete notes.
enum class DeletedNotePolicy { Leave, MarkDeleted };
/// A GHL contact deleted after it was sent: Saleshandy has no prospect delete in its Open API.
enum class DeletedContactPolicy { Tag, Nothing };

/// The choices of a mapping that are not rules: shared emails, deletions, phone defaults. Saved
/// in the mapping file (format version 2); older files read with these defaults.
struct SyncPolicy
{
    SharedEmailFields sharedEmailFields = SharedEmailFields::MostRecentlyUpdated;
    SharedEmailTags sharedEmailTags = SharedEmailTags::Union;
    DeletedNotePolicy deletedNotes = DeletedNotePolicy::Leave;
    DeletedContactPolicy deletedContacts = DeletedContactPolicy::Tag;
    QString deletedContactTag = QStringLiteral("ghl-deleted");
    /// ISO 3166-1 alpha-2 ("DE"): the country of phone numbers written without a calling code,
    /// when the contact has no country of its own. Empty: none.
    QString defaultCountry;

    friend bool operator==(const SyncPolicy &a, const SyncPolicy &b)
    {
        return a.sharedEmailFields == b.sharedEmailFields && a.sharedEmailTags == b.sharedEmailTags &&
               a.deletedNotes == b.deletedNotes && a.deletedContacts == b.deletedContacts &&
               a.deletedContactTag == b.deletedContactTag && a.defaultCountry == b.defaultCountry;
    }
    friend bool operator!=(const SyncPolicy &a, const SyncPolicy &b) { return !(a == b); }
};

/// A Saleshandy prospect field as the mapping sees it: one the account has (GET /v1/fields) or one the
/// mapping needs created (POST /v1/fields).
struct TargetField
{
    QString label;
    TargetFieldType type = TargetFieldType::Text;
    QStringList options;  ///< dropdown options, when known
    QString currencyCode; ///< currency fields: ISO 4217
    bool system = false;  ///< a Saleshandy system field (always text)

    friend bool operator==(const TargetField &a, const TargetField &b)
    {
        return a.label == b.label && a.type == b.type && a.options == b.options &&
               a.currencyCode == b.currencyCode && a.system == b.system;
    }
    friend bool operator!=(const TargetField &a, const TargetField &b) { return !(a == b); }
};

/// The labels of Saleshandy's system fields confirmed by its documentation (SALESHANDY.md §5).
[[nodiscard]] const QList<TargetField> &saleshandySystemFields();

/// Targets that are not prospect field labels.
namespace target {
inline constexpr QStringView Tags = u"tags";         ///< contact/appointment rules: prospect tags
inline constexpr QStringView Email = u"Email";       ///< the prospect's natural key; required
inline constexpr QStringView TaskNote = u"taskNote"; ///< task rules
inline constexpr QStringView DueDate = u"dueDate";
inline constexpr QStringView TaskType = u"taskType";
inline constexpr QStringView Priority = u"priority";
inline constexpr QStringView Completed = u"completed";
inline constexpr QStringView Content = u"content"; ///< note rules
} // namespace target

/// One rule: where a value comes from, how it is transformed and where it goes.
struct MappingRule
{
    /// A GHL field of the record kind ("firstName", "tags", "id"; tasks "title", "dueDate"), a custom
    /// field ("custom:<fieldId>" or "custom.<fieldKey>"), or a derived appointment value
    /// ("appointments.next", "appointments.last", "appointments.count", "appointments.summary").
    /// May be empty when the chain starts with a constant or the rule has a default.
    QString source;
    /// Read after `source`; with them the chain receives a list ([source, extra...]) to `concat`.
    QStringList extraSources;
    /// A Saleshandy field label ("First Name", "GHL Contact ID"), or a special target (lb::target).
    QString target;
    QList<Transform> transforms;
    /// Used when the transformed value is empty.
    QString defaultValue;
    /// What happens when a transform or the target field cannot take the value.
    OnFailure onFailure = OnFailure::KeepAsWritten;

    [[nodiscard]] QStringList sources() const;
    friend bool operator==(const MappingRule &a, const MappingRule &b)
    {
        return a.source == b.source && a.extraSources == b.extraSources && a.target == b.target &&
               a.transforms == b.transforms && a.defaultValue == b.defaultValue && a.onFailure == b.onFailure;
    }
    friend bool operator!=(const MappingRule &a, const MappingRule &b) { return !(a == b); }
};

/// Source names a record kind knows, without the custom-field forms.
[[nodiscard]] QStringList standardSources(RecordKind kind);
/// Targets that task and note rules may write (contact and appointment rules write field labels).
[[nodiscard]] QStringList specialTargets(RecordKind kind);
/// Saleshandy task type codes (SALESHANDY.md §7); "9" is Custom.
[[nodiscard]] bool isSaleshandyTaskType(QStringView code);

/// A complete mapping profile: the rules per record kind, the custom fields they need in Saleshandy,
/// and the version information a mapping file carries.
class FieldMapping final
{
public:
    /// The version of the mapping file format this build reads and writes.
    /// 2: rules carry `onFailure`; the file has `policy` (shared emails, deletions, default country)
    /// and `fieldLimits`. Version 1 files read with the defaults.
    static constexpr int CurrentFormatVersion = 2;

    /// The mapping a new profile starts with (DESIGN.md's table).
    [[nodiscard]] static FieldMapping defaultMapping();

    /// The format version the mapping was read with (CurrentFormatVersion for mappings built in code).
    [[nodiscard]] int formatVersion() const { return m_formatVersion; }
    void setFormatVersion(int version) { m_formatVersion = version; }
    /// A user-facing revision, raised by the editor on each save.
    [[nodiscard]] int revision() const { return m_revision; }
    void setRevision(int revision) { m_revision = revision; }
    [[nodiscard]] const QString &name() const { return m_name; }
    void setName(const QString &name) { m_name = name; }
    /// IANA zone for dates and times written into Saleshandy (due dates, the appointment summary).
    [[nodiscard]] const QString &timeZone() const { return m_timeZone; }
    void setTimeZone(const QString &zone) { m_timeZone = zone; }

    [[nodiscard]] const QList<MappingRule> &rules(RecordKind kind) const { return m_rules[index(kind)]; }
    void setRules(RecordKind kind, const QList<MappingRule> &rules) { m_rules[index(kind)] = rules; }
    void addRule(RecordKind kind, const MappingRule &rule) { m_rules[index(kind)].append(rule); }
    /// False when there is no rule at `index`.
    bool removeRule(RecordKind kind, int index);
    [[nodiscard]] int ruleCount() const;

    /// Custom fields the rules write that Saleshandy may not have yet, with their types, so the engine
    /// can create the missing ones before the first import.
    [[nodiscard]] const QList<TargetField> &requiredFields() const { return m_requiredFields; }
    void setRequiredFields(const QList<TargetField> &fields) { m_requiredFields = fields; }
    [[nodiscard]] std::optional<TargetField> requiredField(const QString &label) const;
    /// The required fields that `existing` (the account's fields) lacks, by exact label.
    [[nodiscard]] QList<TargetField> missingFields(const QList<TargetField> &existing) const;

    [[nodiscard]] const SyncPolicy &policy() const { return m_policy; }
    void setPolicy(const SyncPolicy &policy) { m_policy = policy; }

    /// The most characters a Saleshandy field takes: the limit set for `label`, else the
    /// unconfirmed default of its type (TextFieldMaxLength, LongTextFieldMaxLength; 0 = none).
    [[nodiscard]] int fieldLimit(const QString &label, TargetFieldType type) const;
    /// Whether `label` has a limit of its own (set by the user, so confirmed) rather than the default.
    [[nodiscard]] bool hasFieldLimit(const QString &label) const { return m_fieldLimits.contains(label); }
    /// `max` <= 0 removes the label's own limit (the default applies again).
    void setFieldLimit(const QString &label, int max);
    [[nodiscard]] const QMap<QString, int> &fieldLimits() const { return m_fieldLimits; }
    [[nodiscard]] static int defaultFieldLimit(TargetFieldType type);

    /// Whether a contact rule writes Email (a mapping without one cannot identify prospects).
    [[nodiscard]] bool hasEmailRule() const;
    /// Prospect field labels written by contact and appointment rules, in rule order, no duplicates.
    [[nodiscard]] QStringList targetLabels() const;

    friend bool operator==(const FieldMapping &a, const FieldMapping &b);
    friend bool operator!=(const FieldMapping &a, const FieldMapping &b) { return !(a == b); }

private:
    static constexpr size_t index(RecordKind kind) { return static_cast<size_t>(kind); }

    int m_formatVersion = CurrentFormatVersion;
    int m_revision = 1;
    QString m_name;
    QString m_timeZone = QStringLiteral("UTC");
    std::array<QList<MappingRule>, RecordKindCount> m_rules;
    QList<TargetField> m_requiredFields;
    SyncPolicy m_policy;
    QMap<QString, int> m_fieldLimits;
};

} // namespace lb
