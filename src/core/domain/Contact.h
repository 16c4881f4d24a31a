#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QStringList>

namespace lb {

/// One custom field value on a contact; `value` keeps GHL's type (string, number, array, object).
struct CustomFieldValue
{
    QString fieldId;
    QJsonValue value;

    /// The value as text for display and search: arrays joined by ", ", objects as compact JSON.
    [[nodiscard]] QString displayText() const;
    friend bool operator==(const CustomFieldValue &a, const CustomFieldValue &b)
    {
        return a.fieldId == b.fieldId && a.value == b.value;
    }
};

/// A GHL contact (GHL.md §4.4). Unknown keys of the API object are not kept.
struct Contact
{
    QString id;
    QString locationId;
    QString firstName;
    QString lastName;
    QString name; ///< GHL's full name; may be empty
    QString email;
    QString phone;
    QString companyName;
    QString address1;
    QString city;
    QString state;
    QString postalCode;
    QString country;
    QString website;
    QString timezone;
    QString source;
    QString type;
    QString assignedTo;
    QString businessId;
    QString dateOfBirth;
    bool dnd = false;
    QStringList tags;
    QDateTime dateAdded;
    QDateTime dateUpdated;
    QList<CustomFieldValue> customFields;
    /// Only on search results: the sort values to pass as `searchAfter` for the next page.
    QJsonArray searchAfter;

    /// Lenient: wrong types read as empty; a contact without `id` comes back with an empty id.
    [[nodiscard]] static Contact fromJson(const QJsonObject &o);
    /// The API shape (as GHL returns it), used by the sandbox and for export.
    [[nodiscard]] QJsonObject toJson() const;
    /// "First Last", falling back to `name`, then the email.
    [[nodiscard]] QString displayName() const;
    [[nodiscard]] QJsonValue customValue(const QString &fieldId) const;
    friend bool operator==(const Contact &a, const Contact &b);
};

struct Task
{
    QString id;
    QString contactId;
    QString title;
    QString body;
    QString assignedTo;
    QDateTime dueDate;
    bool completed = false;

    [[nodiscard]] static Task fromJson(const QJsonObject &o);
    [[nodiscard]] QJsonObject toJson() const;
    friend bool operator==(const Task &a, const Task &b);
};

struct Note
{
    QString id;
    QString contactId;
    QString title;
    QString body;
    QString userId;
    QDateTime dateAdded;

    [[nodiscard]] static Note fromJson(const QJsonObject &o);
    [[nodiscard]] QJsonObject toJson() const;
    friend bool operator==(const Note &a, const Note &b);
};

struct Appointment
{
    QString id;
    QString contactId;
    QString calendarId;
    QString title;
    QString status;
    QString appointmentStatus;
    QString address;
    QString notes;
    QString assignedUserId;
    QDateTime startTime;
    QDateTime endTime;
    QDateTime dateAdded;
    QDateTime dateUpdated;

    [[nodiscard]] static Appointment fromJson(const QJsonObject &o);
    [[nodiscard]] QJsonObject toJson() const;
    friend bool operator==(const Appointment &a, const Appointment &b);
};

/// A location's custom field definition (GHL.md §8.2).
struct CustomField
{
    QString id;
    QString locationId;
    QString name;
    QString fieldKey; ///< e.g. "contact.pincode"
    QString dataType; ///< TEXT, LARGE_TEXT, NUMERICAL, DATE, CHECKBOX, ...
    QString model;    ///< "contact" or "opportunity"
    int position = 0;
    QStringList picklistOptions;

    [[nodiscard]] static CustomField fromJson(const QJsonObject &o);
    [[nodiscard]] QJsonObject toJson() const;
    friend bool operator==(const CustomField &a, const CustomField &b);
};

/// A contact's child records, fetched together and replaced together in the store.
struct ContactChildren
{
    QString contactId;
    QList<Task> tasks;
    QList<Note> notes;
    QList<Appointment> appointments;
};

} // namespace lb
