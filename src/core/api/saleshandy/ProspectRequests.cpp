#include "api/saleshandy/ProspectRequests.h"

#include "domain/Json.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lb::sh {

using L = QLatin1StringView;

namespace {

QJsonObject tagsBody(const QStringList &tags, const QStringList &ids, const QStringList &emails)
{
    QJsonObject body{{L("tags"), QJsonArray::fromStringList(tags)}};
    if (!ids.isEmpty())
        body.insert(L("prospects"), QJsonArray::fromStringList(ids));
    if (!emails.isEmpty())
        body.insert(L("prospectsEmails"), QJsonArray::fromStringList(emails));
    return body;
}

bool readProspects(const QJsonValue &payload, QList<Prospect> *out, int *items, QString *why)
{
    bool found = false;
    const QJsonArray list = listIn(payload, {"prospects", "data", "items"}, &found);
    if (!found) {
        *why = QCoreApplication::translate("lb::sh", "the answer has no list of prospects");
        return false;
    }
    *items = int(list.size());
    for (const QJsonValue &v : list) {
        Prospect p = Prospect::fromJson(v.toObject());
        if (!p.id.isEmpty())
            out->append(std::move(p));
    }
    return true;
}

} // namespace

ListFieldsRequest::ListFieldsRequest(SaleshandyClient &client, bool includeSystemFields, QObject *parent)
    : SaleshandyRequest(client, "GET", QStringLiteral("/v1/fields"), parent)
{
    if (includeSystemFields)
        m_query.addQueryItem(QStringLiteral("systemFields"), QStringLiteral("true"));
}

bool ListFieldsRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    bool found = false;
    const QJsonArray list = listIn(payload, {"fields", "data"}, &found);
    if (!found) {
        *why = tr("the answer has no list of fields");
        return false;
    }
    for (const QJsonValue &v : list) {
        SaleshandyField f = SaleshandyField::fromJson(v.toObject());
        if (!f.id.isEmpty() && !f.label.isEmpty())
            m_fields.append(std::move(f));
    }
    return true;
}

CreateFieldRequest::CreateFieldRequest(SaleshandyClient &client, const FieldSpec &spec, QObject *parent)
    : SaleshandyRequest(client, "POST", QStringLiteral("/v1/fields"), parent), m_label(spec.label)
{
    QJsonObject body{{L("label"), spec.label}, {L("fieldType"), spec.fieldType}};
    if (!spec.fallbackText.isEmpty())
        body.insert(L("fallbackText"), spec.fallbackText);
    if (spec.fieldType == L("dropdown"))
        body.insert(L("metadata"), QJsonObject{{L("options"), QJsonArray::fromStringList(spec.options)}});
    else if (spec.fieldType == L("currency"))
        body.insert(L("metadata"), QJsonObject{{L("currencyCode"), spec.currencyCode}});
    m_body = QJsonDocument(body);
}

bool CreateFieldRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    m_field = SaleshandyField::fromJson(payload.toObject());
    if (m_field.id.isEmpty()) {
        *why = tr("the created field has no id");
        return false;
    }
    return true;
}

ListProspectsRequest::ListProspectsRequest(SaleshandyClient &client, const ProspectQuery &q, QObject *parent)
    : SaleshandyRequest(client, "GET", QStringLiteral("/v1/prospects"), parent), m_pageSize(q.pageSize)
{
    if (!q.search.isEmpty())
        m_query.addQueryItem(QStringLiteral("search"), q.search);
    m_query.addQueryItem(QStringLiteral("pageSize"), QString::number(q.pageSize));
    m_query.addQueryItem(QStringLiteral("page"), QString::number(std::max(1, q.page)));
    m_query.addQueryItem(QStringLiteral("sort"),
                         q.ascending ? QStringLiteral("ASC") : QStringLiteral("DESC"));
    m_query.addQueryItem(QStringLiteral("sortBy"), q.sortBy);
    m_query.addQueryItem(QStringLiteral("includeCustomFields"),
                         q.includeCustomFields ? QStringLiteral("true") : QStringLiteral("false"));
}

bool ListProspectsRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    return readProspects(payload, &m_prospects, &m_itemsOnPage, why);
}

SearchProspectsByEmailRequest::SearchProspectsByEmailRequest(SaleshandyClient &client, const QString &email,
                                                             QObject *parent)
    : SaleshandyRequest(client, "GET", QStringLiteral("/v1/prospects"), parent), m_email(email.trimmed())
{
    m_pattern = QStringLiteral("/v1/prospects?search={email}");
    m_query.addQueryItem(QStringLiteral("search"), m_email);
    m_query.addQueryItem(QStringLiteral("pageSize"), QStringLiteral("100"));
    m_query.addQueryItem(QStringLiteral("page"), QStringLiteral("1"));
    m_query.addQueryItem(QStringLiteral("sort"), QStringLiteral("ASC"));
    m_query.addQueryItem(QStringLiteral("sortBy"), QStringLiteral("createdAt"));
    m_query.addQueryItem(QStringLiteral("includeCustomFields"), QStringLiteral("true"));
}

bool SearchProspectsByEmailRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    QList<Prospect> all;
    int items = 0;
    if (!readProspects(payload, &all, &items, why))
        return false;
    for (Prospect &p : all)
        if (p.email.compare(m_email, Qt::CaseInsensitive) == 0)
            m_matches.append(std::move(p));
    return true;
}

AssignTagsRequest::AssignTagsRequest(SaleshandyClient &client, const QStringList &tags,
                                     const QStringList &prospectIds, const QStringList &prospectEmails,
                                     QObject *parent)
    : SaleshandyRequest(client, "POST", QStringLiteral("/v1/prospects/tags/assign"), parent)
{
    m_body = QJsonDocument(tagsBody(tags, prospectIds, prospectEmails));
}

bool AssignTagsRequest::parsePayload(const QJsonValue &, QString *)
{
    return true;
}

bool AssignTagsRequest::acceptAsAlreadyDone(const ApiError &error)
{
    m_alreadyDone = saysAlready(error, {"already assigned"});
    return m_alreadyDone;
}

UnassignTagsRequest::UnassignTagsRequest(SaleshandyClient &client, const QStringList &tags,
                                         const QStringList &prospectIds, const QStringList &prospectEmails,
                                         QObject *parent)
    : SaleshandyRequest(client, "POST", QStringLiteral("/v1/prospects/tags/un-assign"), parent)
{
    m_body = QJsonDocument(tagsBody(tags, prospectIds, prospectEmails));
}

bool UnassignTagsRequest::parsePayload(const QJsonValue &, QString *)
{
    return true;
}

bool UnassignTagsRequest::acceptAsAlreadyDone(const ApiError &error)
{
    m_alreadyDone = saysAlready(error, {"not assigned"});
    return m_alreadyDone;
}

UpdateProspectAttributesRequest::UpdateProspectAttributesRequest(SaleshandyClient &client,
                                                                 const QString &prospectId,
                                                                 const QList<AttributeValue> &values,
                                                                 QObject *parent)
    : SaleshandyRequest(client, "POST",
                        QStringLiteral("/v1/prospects/") + seg(prospectId) + QStringLiteral("/attribute"),
                        parent)
{
    m_pattern = QStringLiteral("/v1/prospects/{id}/attribute");
    QJsonArray list;
    for (const AttributeValue &v : values) {
        list.append(QJsonObject{{L("fieldId"), v.fieldId}, {L("attributeValue"), v.value}});
        m_requested << v.fieldId;
    }
    m_body = QJsonDocument(QJsonObject{{L("attributes"), list}});
}

bool UpdateProspectAttributesRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    bool found = false;
    const QJsonArray results = listIn(payload, {"results"}, &found);
    if (!found) {
        *why = tr("the answer has no per-field results");
        return false;
    }
    QStringList answered;
    for (const QJsonValue &v : results) {
        const QJsonObject r = v.toObject();
        const QString fieldId = json::str(r, L("fieldId"));
        answered << fieldId;
        if (!json::boolean(r, L("success")))
            m_failed << fieldId;
    }
    // A field the answer does not mention was not confirmed either.
    for (const QString &id : std::as_const(m_requested))
        if (!answered.contains(id) && !m_failed.contains(id))
            m_failed << id;
    return true;
}

} // namespace lb::sh
