#pragma once

// The rules that turn GHL records into Saleshandy prospects, tasks and notes (DESIGN.md, "Default
// mapping into Saleshandy"). Values only: applying them is sync/Mapper, files are sync/MappingFile.
// The transform chain is part of a rule's value, hence the one include from sync/ (a header of value
// types with no further dependencies).

#include "sync/Transforms.h"

#include <QList>
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

/// Saleshandy does not publish its value limits (SALESHANDY.md §13). These are conservative guesses: a
/// value over them is reported per record rather than sent and silently cut by the server.
inline constexpr int TextFieldMaxLength = 255;
inline constexpr int LongTextFieldMaxLength = 10000;

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

    [[nodiscard]] QStringList sources() const;
    friend bool operator==(const MappingRule &a, const MappingRule &b)
    {
        return a.source == b.source && a.extraSources == b.extraSources && a.target == b.target &&
               a.transforms == b.transforms && a.defaultValue == b.defaultValue;
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
    static constexpr int CurrentFormatVersion = 1;

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
};

} // namespace lb
