#include "api/saleshandy/SequenceRequests.h"

#include "domain/Json.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lb::sh {

using L = QLatin1StringView;

ListSequencesRequest::ListSequencesRequest(SaleshandyClient &client, int page, int pageSize,
                                           const QString &sequenceName, QObject *parent)
    : SaleshandyRequest(client, "GET", QStringLiteral("/v1/sequences"), parent)
{
    if (!sequenceName.isEmpty())
        m_query.addQueryItem(QStringLiteral("sequenceName"), sequenceName);
    m_query.addQueryItem(QStringLiteral("pageSize"), QString::number(pageSize));
    m_query.addQueryItem(QStringLiteral("page"), QString::number(std::max(1, page)));
}

bool ListSequencesRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    bool found = false;
    const QJsonArray list = listIn(payload, {"sequences", "data"}, &found);
    if (!found) {
        *why = tr("the answer has no list of sequences");
        return false;
    }
    for (const QJsonValue &v : list) {
        Sequence s = Sequence::fromJson(v.toObject());
        if (!s.id.isEmpty())
            m_sequences.append(std::move(s));
    }
    return true;
}

ListSequenceStepsRequest::ListSequenceStepsRequest(SaleshandyClient &client, const QString &sequenceId,
                                                   QObject *parent)
    : SaleshandyRequest(client, "GET",
                        QStringLiteral("/v1/sequences/") + seg(sequenceId) + QStringLiteral("/steps"), parent)
{
    m_pattern = QStringLiteral("/v1/sequences/{id}/steps");
}

bool ListSequenceStepsRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    bool found = false;
    const QJsonArray list = listIn(payload, {"steps", "data"}, &found);
    if (!found) {
        *why = tr("the answer has no list of steps");
        return false;
    }
    for (const QJsonValue &v : list) {
        SequenceStep s = SequenceStep::fromJson(v.toObject());
        if (!s.id.isEmpty())
            m_steps.append(std::move(s));
    }
    std::sort(m_steps.begin(), m_steps.end(),
              [](const SequenceStep &a, const SequenceStep &b) { return a.number < b.number; });
    return true;
}

AddToSequenceRequest::AddToSequenceRequest(SaleshandyClient &client, const QString &sequenceId,
                                           const QString &stepId, const QStringList &prospectIds,
                                           QObject *parent)
    : SaleshandyRequest(client, "POST",
                        QStringLiteral("/v1/sequences/") + seg(sequenceId) + QStringLiteral("/contacts"),
                        parent)
{
    m_pattern = QStringLiteral("/v1/sequences/{id}/contacts");
    m_body = QJsonDocument(
        QJsonObject{{L("stepId"), stepId}, {L("contactIds"), QJsonArray::fromStringList(prospectIds)}});
}

bool AddToSequenceRequest::parsePayload(const QJsonValue &payload, QString *)
{
    bool found = false;
    const QJsonArray results = listIn(payload, {"results"}, &found);
    for (const QJsonValue &v : results) {
        const QJsonObject r = v.toObject();
        if (json::boolean(r, L("success"), true))
            continue;
        PerProspectResult f;
        f.prospectId = json::str(r, L("contactId"));
        if (f.prospectId.isEmpty())
            f.prospectId = json::str(r, L("prospectId"));
        f.message = json::str(r, L("message"));
        m_failures.append(f);
    }
    return true;
}

} // namespace lb::sh
