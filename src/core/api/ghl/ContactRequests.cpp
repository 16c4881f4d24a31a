#include "api/ghl/ContactRequests.h"

#include "domain/Json.h"

namespace lb::ghl {

using L = QLatin1StringView;

namespace {

/// Reads `{<key>: {...contact...}}`; a contact without an id is a wrong shape.
bool readContact(const QJsonDocument &body, Contact *out, QString *why)
{
    const QJsonValue v = body.object().value(L("contact"));
    if (!v.isObject()) {
        *why = QCoreApplication::translate("lb::ghl", "the answer has no contact object");
        return false;
    }
    *out = Contact::fromJson(v.toObject());
    if (out->id.isEmpty()) {
        *why = QCoreApplication::translate("lb::ghl", "the contact in the answer has no id");
        return false;
    }
    return true;
}

bool readTags(const QJsonDocument &body, QStringList *out, QString *why)
{
    const QJsonObject o = body.object();
    if (!o.value(L("tags")).isArray()) {
        *why = QCoreApplication::translate("lb::ghl", "the answer has no list of tags");
        return false;
    }
    *out = json::strings(o, L("tags"));
    return true;
}

} // namespace

SearchContactsRequest::SearchContactsRequest(GhlClient &client, const SearchContactsParams &params,
                                             QObject *parent)
    : GhlRequest(client, "POST", QStringLiteral("/contacts/search"), parent), m_pageLimit(params.pageLimit)
{
    QJsonObject body{{L("locationId"), client.locationId()}, {L("pageLimit"), params.pageLimit}};
    if (params.updatedFromMs > 0) {
        body.insert(L("filters"), QJsonArray{QJsonObject{
                                      {L("field"), L("dateUpdated")},
                                      {L("operator"), L("range")},
                                      {L("value"), QJsonObject{{L("gte"), double(params.updatedFromMs)}}}}});
    }
    body.insert(L("sort"),
                QJsonArray{QJsonObject{{L("field"), L("dateUpdated")}, {L("direction"), L("asc")}}});
    if (!params.searchAfter.isEmpty())
        body.insert(L("searchAfter"), params.searchAfter);
    if (!params.query.isEmpty())
        body.insert(L("query"), params.query.left(75));
    m_body = QJsonDocument(body);
}

bool SearchContactsRequest::parse(const QJsonDocument &body, QString *why)
{
    const QJsonObject o = body.object();
    const QJsonValue list = o.value(L("contacts"));
    if (!list.isArray()) {
        *why = tr("the search answer has no list of contacts");
        return false;
    }
    const QJsonArray items = list.toArray();
    m_itemsOnPage = int(items.size());
    m_contacts.clear();
    m_contacts.reserve(items.size());
    for (qsizetype i = 0; i < items.size(); ++i) {
        const QJsonValue item = items.at(i);
        if (!item.isObject()) {
            m_skipped << tr("item %1 of the page is not a contact object").arg(i + 1);
            continue;
        }
        Contact c = Contact::fromJson(item.toObject());
        if (!c.searchAfter.isEmpty())
            m_lastSearchAfter = c.searchAfter;
        if (c.id.isEmpty()) {
            m_skipped << tr("item %1 of the page has no contact id").arg(i + 1);
            continue;
        }
        if (c.locationId.isEmpty())
            c.locationId = ghl().locationId();
        // The cursor must move even if GHL leaves out searchAfter: rebuild it from the sort keys.
        if (c.searchAfter.isEmpty() && c.dateUpdated.isValid())
            m_lastSearchAfter = QJsonArray{double(json::toMs(c.dateUpdated)), c.id};
        m_contacts.append(std::move(c));
    }
    m_total = o.value(L("total")).toInt(-1);
    return true;
}

QJsonArray SearchContactsRequest::nextSearchAfter() const
{
    if (m_itemsOnPage < m_pageLimit)
        return {};
    return m_lastSearchAfter;
}

GetContactRequest::GetContactRequest(GhlClient &client, const QString &contactId, QObject *parent)
    : GhlRequest(client, "GET", QStringLiteral("/contacts/") + seg(contactId), parent), m_contactId(contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}");
}

bool GetContactRequest::parse(const QJsonDocument &body, QString *why)
{
    if (!readContact(body, &m_contact, why))
        return false;
    if (m_contact.id != m_contactId) {
        *why = tr("the answer is about another contact (id %1)").arg(m_contact.id);
        return false;
    }
    return true;
}

QJsonObject contactWriteBody(const Contact &c, ContactWrite mode)
{
    QJsonObject o;
    auto put = [&o](const char *key, const QString &value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    if (mode != ContactWrite::Update)
        put("locationId", c.locationId);
    put("firstName", c.firstName);
    put("lastName", c.lastName);
    put("name", c.name);
    put("email", c.email);
    put("phone", c.phone);
    put("address1", c.address1);
    put("city", c.city);
    put("state", c.state);
    put("postalCode", c.postalCode);
    put("website", c.website);
    put("timezone", c.timezone);
    put("source", c.source);
    put("dateOfBirth", c.dateOfBirth);
    put("country", c.country);
    put("assignedTo", c.assignedTo);
    o.insert(L("dnd"), c.dnd);
    if (mode != ContactWrite::Update) {
        put("companyName", c.companyName);
        if (!c.tags.isEmpty())
            o.insert(L("tags"), QJsonArray::fromStringList(c.tags));
    }
    if (!c.customFields.isEmpty()) {
        QJsonArray fields;
        for (const CustomFieldValue &v : c.customFields)
            fields.append(QJsonObject{{L("id"), v.fieldId}, {L("field_value"), v.value}});
        o.insert(L("customFields"), fields);
    }
    return o;
}

CreateContactRequest::CreateContactRequest(GhlClient &client, const Contact &contact, QObject *parent)
    : GhlRequest(client, "POST", QStringLiteral("/contacts/"), parent)
{
    Contact c = contact;
    if (c.locationId.isEmpty())
        c.locationId = client.locationId();
    m_body = QJsonDocument(contactWriteBody(c, ContactWrite::Create));
}

bool CreateContactRequest::parse(const QJsonDocument &body, QString *why)
{
    return readContact(body, &m_contact, why);
}

UpdateContactRequest::UpdateContactRequest(GhlClient &client, const Contact &contact, QObject *parent)
    : GhlRequest(client, "PUT", QStringLiteral("/contacts/") + seg(contact.id), parent)
{
    m_pattern = QStringLiteral("/contacts/{id}");
    m_body = QJsonDocument(contactWriteBody(contact, ContactWrite::Update));
}

bool UpdateContactRequest::parse(const QJsonDocument &body, QString *why)
{
    return readSucceeded(body, why) && readContact(body, &m_contact, why);
}

DeleteContactRequest::DeleteContactRequest(GhlClient &client, const QString &contactId, QObject *parent)
    : GhlRequest(client, "DELETE", QStringLiteral("/contacts/") + seg(contactId), parent)
{
    m_pattern = QStringLiteral("/contacts/{id}");
}

bool DeleteContactRequest::parse(const QJsonDocument &body, QString *why)
{
    return readSucceeded(body, why);
}

UpsertContactRequest::UpsertContactRequest(GhlClient &client, const Contact &contact, QObject *parent)
    : GhlRequest(client, "POST", QStringLiteral("/contacts/upsert"), parent)
{
    Contact c = contact;
    if (c.locationId.isEmpty())
        c.locationId = client.locationId();
    m_body = QJsonDocument(contactWriteBody(c, ContactWrite::Upsert));
}

bool UpsertContactRequest::parse(const QJsonDocument &body, QString *why)
{
    m_created = json::boolean(body.object(), L("new"));
    return readContact(body, &m_contact, why);
}

ContactsByBusinessRequest::ContactsByBusinessRequest(GhlClient &client, const QString &businessId, int limit,
                                                     int skip, const QString &query, QObject *parent)
    : GhlRequest(client, "GET", QStringLiteral("/contacts/business/") + seg(businessId), parent)
{
    m_pattern = QStringLiteral("/contacts/business/{id}");
    m_query.addQueryItem(QStringLiteral("locationId"), client.locationId());
    m_query.addQueryItem(QStringLiteral("limit"), QString::number(limit));
    m_query.addQueryItem(QStringLiteral("skip"), QString::number(skip));
    if (!query.isEmpty())
        m_query.addQueryItem(QStringLiteral("query"), query);
}

bool ContactsByBusinessRequest::parse(const QJsonDocument &body, QString *why)
{
    const QJsonObject o = body.object();
    if (!o.value(L("contacts")).isArray()) {
        *why = tr("the answer has no list of contacts");
        return false;
    }
    for (const QJsonValue &v : o.value(L("contacts")).toArray()) {
        Contact c = Contact::fromJson(v.toObject());
        if (!c.id.isEmpty())
            m_contacts.append(std::move(c));
    }
    m_count = o.value(L("count")).toInt(int(m_contacts.size()));
    return true;
}

AddTagsRequest::AddTagsRequest(GhlClient &client, const QString &contactId, const QStringList &tags,
                               QObject *parent)
    : GhlRequest(client, "POST", QStringLiteral("/contacts/") + seg(contactId) + QStringLiteral("/tags"),
                 parent)
{
    m_pattern = QStringLiteral("/contacts/{id}/tags");
    m_body = QJsonDocument(QJsonObject{{L("tags"), QJsonArray::fromStringList(tags)}});
}

bool AddTagsRequest::parse(const QJsonDocument &body, QString *why)
{
    return readTags(body, &m_tags, why);
}

RemoveTagsRequest::RemoveTagsRequest(GhlClient &client, const QString &contactId, const QStringList &tags,
                                     QObject *parent)
    : GhlRequest(client, "DELETE", QStringLiteral("/contacts/") + seg(contactId) + QStringLiteral("/tags"),
                 parent)
{
    m_pattern = QStringLiteral("/contacts/{id}/tags");
    m_body = QJsonDocument(QJsonObject{{L("tags"), QJsonArray::fromStringList(tags)}});
}

bool RemoveTagsRequest::parse(const QJsonDocument &body, QString *why)
{
    return readTags(body, &m_tags, why);
}

} // namespace lb::ghl
