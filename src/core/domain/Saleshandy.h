#pragma once

#include <QDate>
#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

// Saleshandy's records as LeadBridge reads them (api/SALESHANDY.md). The readers are lenient:
// a field of an unexpected type reads as empty, because several response shapes are unconfirmed [?].
namespace lb::sh {

/// Task type codes of POST /v1/tasks/create (SALESHANDY.md §7).
namespace taskType {
inline constexpr char kCustom[] = "9";
inline constexpr char kCallIntroduction[] = "11";
inline constexpr char kCallFollowUp[] = "13";
} // namespace taskType

/// Task priorities: "1" urgent … "4" low.
namespace priority {
inline constexpr char kUrgent[] = "1";
inline constexpr char kHigh[] = "2";
inline constexpr char kMedium[] = "3";
inline constexpr char kLow[] = "4";
} // namespace priority

/// Note visibility: "1" the whole team, "2" only the key's owner.
enum class NoteVisibility { Team, Private };
[[nodiscard]] QString visibilityCode(NoteVisibility v);

/// What an import does with a prospect whose email exists already.
enum class ConflictAction { Overwrite, NoUpdate, AddMissingFields, Upsert };
[[nodiscard]] QString conflictActionName(ConflictAction action);
[[nodiscard]] std::optional<ConflictAction> conflictActionFromName(const QString &name);

/// The labels of Saleshandy's system fields that LeadBridge maps to (confirmed ones, §5).
namespace label {
inline constexpr char kFirstName[] = "First Name";
inline constexpr char kLastName[] = "Last Name";
inline constexpr char kEmail[] = "Email";
inline constexpr char kCompany[] = "Company";
inline constexpr char kPhone[] = "Phone Number";
inline constexpr char kJobTitle[] = "Job Title";
inline constexpr char kCity[] = "City";
inline constexpr char kCountry[] = "Country";
inline constexpr char kLinkedIn[] = "LinkedIn";
} // namespace label

/// A prospect field (system or custom), from GET /v1/fields.
struct SaleshandyField
{
    QString id;
    QString label;
    QString fieldType;      ///< text | number | date | long-text | dropdown | currency
    bool isDefault = false; ///< a system field

    [[nodiscard]] static SaleshandyField fromJson(const QJsonObject &o);
};

/// The field with `label` (labels are compared case-insensitively, as Saleshandy treats them unique).
[[nodiscard]] std::optional<SaleshandyField> fieldByLabel(const QList<SaleshandyField> &fields,
                                                          const QString &label);

/// A prospect from GET /v1/prospects; attributes by field label.
struct Prospect
{
    QString id;
    QString email;
    QDateTime createdAt;
    QString verificationStatus;
    QMap<QString, QString> attributes;   ///< label → value
    QMap<QString, QString> attributeIds; ///< label → the attribute's id, where given

    [[nodiscard]] QString value(const QString &label) const { return attributes.value(label); }
    [[nodiscard]] static Prospect fromJson(const QJsonObject &o);
};

struct SequenceStep
{
    QString id;
    QString name;
    int number = 0; ///< 1-based position in the sequence; 0 when not given
    int type = 0;   ///< 1 = email; 0 when not given

    [[nodiscard]] static SequenceStep fromJson(const QJsonObject &o);
};

struct Sequence
{
    QString id;
    QString title;
    bool active = false;
    QList<SequenceStep> steps;

    [[nodiscard]] static Sequence fromJson(const QJsonObject &o);
};

struct ShTask
{
    QString id;
    QString prospectId;
    QString taskType; ///< the code, e.g. "9"
    QString priority; ///< "1".."4"
    QString status;   ///< upcoming | dueToday | overdue | completed | skipped
    QDate dueDate;
    QString note; ///< taskNote

    [[nodiscard]] bool isDone() const
    {
        return status == QLatin1String("completed") || status == QLatin1String("skipped");
    }
    [[nodiscard]] static ShTask fromJson(const QJsonObject &o);
};

struct ShNote
{
    QString id;
    QString prospectId;
    QString content;
    QString visibility; ///< "1" team, "2" private
    QDateTime createdAt;
    QDateTime updatedAt;

    [[nodiscard]] static ShNote fromJson(const QJsonObject &o);
};

/// GET /v1/prospects/import-status/{requestId}.
struct ImportStatus
{
    bool completed = false;
    QString reportUrl; ///< the failed-rows CSV; may be empty
};

/// One row of an import's failed-rows report.
struct ImportFailure
{
    QString email;
    QString reason;
};

/// One created record of a per-prospect create (tasks, notes): Saleshandy answers per prospect.
struct PerProspectResult
{
    QString prospectId;
    QString id; ///< the created task's or note's id, when given
    bool success = false;
    QString message;
};

} // namespace lb::sh
