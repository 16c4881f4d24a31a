#pragma once

#include "domain/Contact.h"
#include "domain/FieldMapping.h"

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QStringList>

#include <memory>

namespace lb {

struct MapperPlan; // the compiled mapping, private to Mapper.cpp

/// A GHL task as Saleshandy will receive it (SALESHANDY.md §7).
struct MappedTask
{
    QString ghlTaskId;
    QString taskType; ///< a Saleshandy code; "9" (Custom) when no rule sets one
    QString dueDate;  ///< yyyy-MM-dd; empty when GHL has none (Saleshandy then uses today)
    QString taskNote;
    QString priority; ///< "1".."4"; empty for Saleshandy's default
    bool completed = false;
    QList<FieldWarning> warnings; ///< fields not sent exactly as GHL has them (not hashed)
    QByteArray hash; ///< hex SHA-1 of the fields above: changes exactly when the task must be written

    friend bool operator==(const MappedTask &a, const MappedTask &b)
    {
        return a.ghlTaskId == b.ghlTaskId && a.taskType == b.taskType && a.dueDate == b.dueDate &&
               a.taskNote == b.taskNote && a.priority == b.priority && a.completed == b.completed &&
               a.hash == b.hash;
    }
};

/// A GHL note as Saleshandy will receive it (SALESHANDY.md §8).
struct MappedNote
{
    QString ghlNoteId;
    QString content;
    QList<FieldWarning> warnings; ///< e.g. cut at the limit (not hashed)
    QByteArray hash;              ///< hex SHA-1 of id and content

    friend bool operator==(const MappedNote &a, const MappedNote &b)
    {
        return a.ghlNoteId == b.ghlNoteId && a.content == b.content && a.hash == b.hash;
    }
};

/// A contact with its children after the mapping: what the planner compares and the engine sends.
struct MappedProspect
{
    QString ghlContactId;
    QString email; ///< trimmed and lower-cased: Saleshandy's natural key
    /// Saleshandy label → value: the values to send. Empty GHL values are absent (an absent field
    /// leaves Saleshandy's value as it is); a value is "" only where a rule chose SendEmpty.
    QMap<QString, QString> fields;
    /// The contact's own fields not sent exactly as GHL has them, and the children that are not sent
    /// at all (an empty note: target "content", the note's id in the message).
    QList<FieldWarning> warnings;
    QStringList tags;        ///< sorted, unique, non-empty
    QList<MappedTask> tasks; ///< in GHL order; only when the mapping has task rules
    QList<MappedNote> notes; ///< in GHL order; only when the mapping has note rules
    QStringList problems;    ///< readable texts of every warning, the contact's and its children's
    bool valid = false;      ///< false: the record must not be sent (see invalidReason)
    QString invalidReason;   ///< "no email", "invalid email 'x'"
    QByteArray hash;         ///< hex SHA-1 of email, fields and tags (tasks and notes have their own)
};

/// A mapping-level finding, before any run.
struct MappingProblem
{
    enum class Severity { Error, Warning };
    Severity severity = Severity::Error;
    RecordKind kind = RecordKind::Contact;
    int rule = -1; ///< index into the kind's rules; -1 for the mapping as a whole
    QString message;

    /// "contact rule 3: unknown GHL field 'frstName'".
    [[nodiscard]] QString toString() const;
};

/// What a Mapper needs besides the mapping.
struct MapperContext
{
    /// The location's custom field definitions: resolve "custom.<fieldKey>" and give values their type.
    QList<CustomField> customFields;
    /// The account's Saleshandy fields (GET /v1/fields). Empty: the system fields plus the mapping's
    /// required fields are assumed, and unknown labels are treated as text.
    QList<TargetField> saleshandyFields;
    /// "Now" for appointments.next/last; invalid means the time the Mapper is constructed, so that one
    /// run maps every contact against the same instant.
    QDateTime now;
};

/// Applies a FieldMapping to contacts. The mapping is compiled once into a plan (sources resolved to
/// accessors, targets to their types and limits), so map() does no lookups by name and no parsing of
/// the mapping. map() is const and keeps no state: one Mapper may serve several threads.
class Mapper final
{
public:
    explicit Mapper(const FieldMapping &mapping, const MapperContext &context = {});
    ~Mapper();
    Mapper(const Mapper &) = delete;
    Mapper &operator=(const Mapper &) = delete;
    Mapper(Mapper &&) noexcept;
    Mapper &operator=(Mapper &&) noexcept;

    [[nodiscard]] const FieldMapping &mapping() const;
    /// validate() of the mapping against the context, done at construction.
    [[nodiscard]] const QList<MappingProblem> &problems() const;
    /// No error-level problems. A mapping with errors still maps (rules that cannot work are skipped),
    /// which the dry run uses to show what a fix would change; a real run must refuse it.
    [[nodiscard]] bool isUsable() const;

    /// Never blanks and never silently changes a value: a value that a transform cannot convert or
    /// that its Saleshandy field cannot take (not a date, not a number, not an option, longer than
    /// FieldMapping::fieldLimit) goes by its rule's onFailure: sent as GHL wrote it (trimmed, cut at the
    /// limit), left out, sent empty, or the record invalid; every case but the last with a warning.
    /// Over-long values are cut with "…" by default (WarningKind::Cut). An email that cannot be
    /// converted or is invalid makes the record invalid whatever its rule says. Tasks are never
    /// dropped: an unconvertible due date is left out, an unknown type or priority replaced, with
    /// warnings on the task. Phone numbers get the contact's country's calling code, then the rule's
    /// defaultCountryCode, then SyncPolicy::defaultCountry's.
    [[nodiscard]] MappedProspect map(const Contact &contact, const ContactChildren &children) const;

    /// Mapping-level problems before any run: no Email rule, unknown sources, target labels Saleshandy
    /// does not have and the mapping will not create, type mismatches (a LARGE_TEXT into a number
    /// field), duplicate targets, bad transform parameters, task/note targets that do not exist.
    [[nodiscard]] static QList<MappingProblem> validate(const FieldMapping &mapping,
                                                        const QList<TargetField> &saleshandyFields,
                                                        const QList<CustomField> &customFields = {});

    /// The canonical serialisations hashed by map(), for code that needs to hash a stored record.
    [[nodiscard]] static QByteArray prospectHash(const QString &email, const QMap<QString, QString> &fields,
                                                 const QStringList &tags);
    [[nodiscard]] static QByteArray taskHash(const MappedTask &task);
    [[nodiscard]] static QByteArray noteHash(const MappedNote &note);

private:
    std::unique_ptr<MapperPlan> m_plan;
};

} // namespace lb
