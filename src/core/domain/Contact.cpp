#include "domain/Contact.h"

#include "domain/Json.h"

#include <QJsonDocument>

namespace lb {

using json::str;
using L = QLatin1StringView;

QString CustomFieldValue::displayText() const
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 15);
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Array: {
        QStringList parts;
        for (const QJsonValue &v : value.toArray())
            parts << (v.isString() ? v.toString() : QString::fromUtf8(QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact)).mid(1).chopped(1));
        return parts.join(QStringLiteral(", "));
    }
    case QJsonValue::Object:
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    default:
        return {};
    }
}

Contact Contact::fromJson(const QJsonObject &o)
{
    Contact c;
    c.id = str(o, L("id"));
    c.locationId = str(o, L("locationId"));
    c.firstName = str(o, L("firstName"));
    c.lastName = str(o, L("lastName"));
    c.name = str(o, L("name"));
    if (c.name.isEmpty())
        c.name = str(o, L("contactName"));
    c.email = str(o, L("email"));
    c.phone = str(o, L("phone"));
    c.companyName = str(o, L("companyName"));
    c.address1 = str(o, L("address1"));
    c.city = str(o, L("city"));
    c.state = str(o, L("state"));
    c.postalCode = str(o, L("postalCode"));
    c.country = str(o, L("country"));
    c.website = str(o, L("website"));
    c.timezone = str(o, L("timezone"));
    c.source = str(o, L("source"));
    c.type = str(o, L("type"));
    c.assignedTo = str(o, L("assignedTo"));
    c.businessId = str(o, L("businessId"));
    c.dateOfBirth = str(o, L("dateOfBirth"));
    c.dnd = json::boolean(o, L("dnd"));
    c.tags = json::strings(o, L("tags"));
    c.dateAdded = json::dateTime(o, L("dateAdded"));
    c.dateUpdated = json::dateTime(o, L("dateUpdated"));
    if (!c.dateUpdated.isValid())
        c.dateUpdated = c.dateAdded;
    for (const QJsonValue &v : o.value(L("customFields")).toArray()) {
        const QJsonObject f = v.toObject();
        QString fid = str(f, L("id"));
        if (fid.isEmpty())
            continue;
        QJsonValue value = f.contains(L("value")) ? f.value(L("value")) : f.value(L("field_value"));
        c.customFields.append({std::move(fid), value});
    }
    c.searchAfter = o.value(L("searchAfter")).toArray();
    return c;
}

QJsonObject Contact::toJson() const
{
    QJsonObject o;
    auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    o.insert(L("id"), id);
    put("locationId", locationId);
    put("firstName", firstName);
    put("lastName", lastName);
    put("name", name);
    put("email", email);
    put("phone", phone);
    put("companyName", companyName);
    put("address1", address1);
    put("city", city);
    put("state", state);
    put("postalCode", postalCode);
    put("country", country);
    put("website", website);
    put("timezone", timezone);
    put("source", source);
    put("type", type);
    put("assignedTo", assignedTo);
    put("businessId", businessId);
    put("dateOfBirth", dateOfBirth);
    o.insert(L("dnd"), dnd);
    o.insert(L("tags"), QJsonArray::fromStringList(tags));
    put("dateAdded", json::isoString(dateAdded));
    put("dateUpdated", json::isoString(dateUpdated));
    QJsonArray cf;
    for (const CustomFieldValue &v : customFields)
        cf.append(QJsonObject{{L("id"), v.fieldId}, {L("value"), v.value}});
    o.insert(L("customFields"), cf);
    if (!searchAfter.isEmpty())
        o.insert(L("searchAfter"), searchAfter);
    return o;
}

QString Contact::displayName() const
{
    const QString full = QStringList{firstName, lastName}.join(QLatin1Char(' ')).trimmed();
    if (!full.isEmpty())
        return full;
    if (!name.isEmpty())
        return name;
    return email;
}

QJsonValue Contact::customValue(const QString &fieldId) const
{
    for (const CustomFieldValue &v : customFields)
        if (v.fieldId == fieldId)
            return v.value;
    return {};
}

bool operator==(const Contact &a, const Contact &b)
{
    return a.id == b.id && a.locationId == b.locationId && a.firstName == b.firstName &&
           a.lastName == b.lastName && a.name == b.name && a.email == b.email && a.phone == b.phone &&
           a.companyName == b.companyName && a.address1 == b.address1 && a.city == b.city &&
           a.state == b.state && a.postalCode == b.postalCode && a.country == b.country &&
           a.website == b.website && a.timezone == b.timezone && a.source == b.source &&
           a.type == b.type && a.assignedTo == b.assignedTo && a.businessId == b.businessId &&
           a.dateOfBirth == b.dateOfBirth && a.dnd == b.dnd && a.tags == b.tags &&
           json::toMs(a.dateAdded) == json::toMs(b.dateAdded) &&
           json::toMs(a.dateUpdated) == json::toMs(b.dateUpdated) && a.customFields == b.customFields;
}

Task Task::fromJson(const QJsonObject &o)
{
    Task t;
    t.id = str(o, L("id"));
    t.contactId = str(o, L("contactId"));
    t.title = str(o, L("title"));
    t.body = str(o, L("body"));
    t.assignedTo = str(o, L("assignedTo"));
    t.dueDate = json::dateTime(o, L("dueDate"));
    t.completed = json::boolean(o, L("completed"));
    return t;
}

QJsonObject Task::toJson() const
{
    QJsonObject o{{L("id"), id},           {L("contactId"), contactId}, {L("title"), title},
                  {L("body"), body},       {L("completed"), completed}};
    if (!assignedTo.isEmpty())
        o.insert(L("assignedTo"), assignedTo);
    if (dueDate.isValid())
        o.insert(L("dueDate"), json::isoString(dueDate));
    return o;
}

bool operator==(const Task &a, const Task &b)
{
    return a.id == b.id && a.contactId == b.contactId && a.title == b.title && a.body == b.body &&
           a.assignedTo == b.assignedTo && json::toMs(a.dueDate) == json::toMs(b.dueDate) &&
           a.completed == b.completed;
}

Note Note::fromJson(const QJsonObject &o)
{
    Note n;
    n.id = str(o, L("id"));
    n.contactId = str(o, L("contactId"));
    n.title = str(o, L("title"));
    n.body = str(o, L("body"));
    n.userId = str(o, L("userId"));
    n.dateAdded = json::dateTime(o, L("dateAdded"));
    return n;
}

QJsonObject Note::toJson() const
{
    QJsonObject o{{L("id"), id}, {L("contactId"), contactId}, {L("body"), body}};
    if (!title.isEmpty())
        o.insert(L("title"), title);
    if (!userId.isEmpty())
        o.insert(L("userId"), userId);
    if (dateAdded.isValid())
        o.insert(L("dateAdded"), json::isoString(dateAdded));
    return o;
}

bool operator==(const Note &a, const Note &b)
{
    return a.id == b.id && a.contactId == b.contactId && a.title == b.title && a.body == b.body &&
           a.userId == b.userId && json::toMs(a.dateAdded) == json::toMs(b.dateAdded);
}

Appointment Appointment::fromJson(const QJsonObject &o)
{
    Appointment a;
    a.id = str(o, L("id"));
    a.contactId = str(o, L("contactId"));
    a.calendarId = str(o, L("calendarId"));
    a.title = str(o, L("title"));
    a.status = str(o, L("status"));
    a.appointmentStatus = str(o, L("appointmentStatus"));
    a.address = str(o, L("address"));
    a.notes = str(o, L("notes"));
    a.assignedUserId = str(o, L("assignedUserId"));
    a.startTime = json::dateTime(o, L("startTime"));
    a.endTime = json::dateTime(o, L("endTime"));
    a.dateAdded = json::dateTime(o, L("dateAdded"));
    a.dateUpdated = json::dateTime(o, L("dateUpdated"));
    return a;
}

QJsonObject Appointment::toJson() const
{
    QJsonObject o{{L("id"), id}, {L("contactId"), contactId}, {L("calendarId"), calendarId},
                  {L("title"), title}, {L("status"), status}, {L("appointmentStatus"), appointmentStatus},
                  {L("address"), address}, {L("notes"), notes}, {L("assignedUserId"), assignedUserId}};
    // GHL's contact-appointments endpoint writes times without a zone: "2021-07-16 11:00:00".
    auto plain = [](const QDateTime &dt) {
        return dt.isValid() ? dt.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) : QString();
    };
    o.insert(L("startTime"), plain(startTime));
    o.insert(L("endTime"), plain(endTime));
    if (dateAdded.isValid())
        o.insert(L("dateAdded"), json::isoString(dateAdded));
    if (dateUpdated.isValid())
        o.insert(L("dateUpdated"), json::isoString(dateUpdated));
    return o;
}

bool operator==(const Appointment &a, const Appointment &b)
{
    return a.id == b.id && a.contactId == b.contactId && a.calendarId == b.calendarId &&
           a.title == b.title && a.status == b.status && a.appointmentStatus == b.appointmentStatus &&
           a.address == b.address && a.notes == b.notes && a.assignedUserId == b.assignedUserId &&
           json::toMs(a.startTime) == json::toMs(b.startTime) &&
           json::toMs(a.endTime) == json::toMs(b.endTime) &&
           json::toMs(a.dateAdded) == json::toMs(b.dateAdded) &&
           json::toMs(a.dateUpdated) == json::toMs(b.dateUpdated);
}

CustomField CustomField::fromJson(const QJsonObject &o)
{
    CustomField f;
    f.id = str(o, L("id"));
    f.locationId = str(o, L("locationId"));
    f.name = str(o, L("name"));
    f.fieldKey = str(o, L("fieldKey"));
    f.dataType = str(o, L("dataType"));
    f.model = str(o, L("model"));
    f.position = o.value(L("position")).toInt();
    f.picklistOptions = json::strings(o, L("picklistOptions"));
    return f;
}

QJsonObject CustomField::toJson() const
{
    return QJsonObject{{L("id"), id},
                       {L("locationId"), locationId},
                       {L("name"), name},
                       {L("fieldKey"), fieldKey},
                       {L("dataType"), dataType},
                       {L("model"), model},
                       {L("position"), position},
                       {L("picklistOptions"), QJsonArray::fromStringList(picklistOptions)}};
}

bool operator==(const CustomField &a, const CustomField &b)
{
    return a.id == b.id && a.locationId == b.locationId && a.name == b.name && a.fieldKey == b.fieldKey &&
           a.dataType == b.dataType && a.model == b.model && a.position == b.position &&
           a.picklistOptions == b.picklistOptions;
}

} // namespace lb
