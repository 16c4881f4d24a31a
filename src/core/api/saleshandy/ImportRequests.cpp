#include "api/saleshandy/ImportRequests.h"

#include "domain/Json.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringConverter>

namespace lb::sh {

using L = QLatin1StringView;

ImportProspectsRequest::ImportProspectsRequest(SaleshandyClient &client, const ImportParams &params,
                                               QObject *parent)
    : SaleshandyRequest(client, "POST",
                        params.stepId.isEmpty()
                            ? QStringLiteral("/v1/prospects/import-with-field-name")
                            : QStringLiteral("/v1/sequences/prospects/import-with-field-name"),
                        parent),
      m_intoSequence(!params.stepId.isEmpty())
{
    QJsonArray list;
    for (const ProspectRow &row : params.rows) {
        QJsonObject o;
        for (auto it = row.begin(); it != row.end(); ++it)
            o.insert(it.key(), it.value());
        list.append(o);
    }
    QJsonObject body{{L("prospectList"), list},
                     {L("conflictAction"), conflictActionName(params.conflictAction)},
                     {L("verifyProspects"), params.verifyProspects}};
    if (!params.tags.isEmpty())
        body.insert(L("tags"), QJsonArray::fromStringList(params.tags));
    if (!params.stepId.isEmpty())
        body.insert(L("stepId"), params.stepId);
    m_body = QJsonDocument(body);
}

bool ImportProspectsRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    m_importId = json::str(payload.toObject(), L("requestId"));
    if (m_importId.isEmpty()) {
        *why = tr("the import answer has no requestId");
        return false;
    }
    return true;
}

ImportStatusRequest::ImportStatusRequest(SaleshandyClient &client, const QString &requestId, QObject *parent)
    : SaleshandyRequest(client, "GET", QStringLiteral("/v1/prospects/import-status/") + seg(requestId),
                        parent)
{
    m_pattern = QStringLiteral("/v1/prospects/import-status/{requestId}");
}

bool ImportStatusRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    const QJsonObject o = payload.toObject();
    if (!o.contains(L("isCompleted"))) {
        *why = tr("the import status has no isCompleted");
        return false;
    }
    m_status.completed = json::boolean(o, L("isCompleted"));
    m_status.reportUrl = json::str(o, L("reportURL"));
    if (m_status.reportUrl.isEmpty())
        m_status.reportUrl = json::str(o, L("failedProspectsURL"));
    return true;
}

FetchImportReportRequest::FetchImportReportRequest(SaleshandyClient &client, const QString &reportUrl,
                                                   QObject *parent)
    : SaleshandyRequest(client, "GET", QString(), parent)
{
    // A relative link is read against the API root.
    m_url = client.root().resolved(QUrl(reportUrl));
    m_path = m_url.path();
}

bool FetchImportReportRequest::needsAuthorization() const
{
    const QUrl root = client().root();
    return m_url.scheme() == root.scheme() && m_url.host() == root.host() && m_url.port() == root.port();
}

bool FetchImportReportRequest::parsePayload(const QJsonValue &, QString *why)
{
    *why = tr("the report is CSV, not JSON");
    return false;
}

bool FetchImportReportRequest::parseRaw(const QByteArray &body, QString *why)
{
    // A CSV has no checksum: catch what a cut or garbled download looks like.
    QStringDecoder utf8(QStringDecoder::Utf8);
    const QString decoded = utf8.decode(body);
    if (utf8.hasError()) {
        *why = tr("the import report is not valid UTF-8 text");
        return false;
    }
    for (const QChar c : decoded) {
        if (c.unicode() < 0x20 && c != QLatin1Char('\n') && c != QLatin1Char('\r') &&
            c != QLatin1Char('\t')) {
            *why = tr("the import report contains control characters");
            return false;
        }
    }
    bool complete = true;
    const QList<QStringList> table = parseCsv(body, &complete);
    if (!complete) {
        *why = tr("the import report ends inside a quoted value (cut off)");
        return false;
    }
    if (table.isEmpty())
        return true; // an empty file: nothing failed
    const QStringList header = table.constFirst();
    int emailCol = -1, reasonCol = -1;
    for (int i = 0; i < header.size(); ++i) {
        const QString h = header.at(i).trimmed().toLower();
        if (emailCol < 0 && (h == L("email") || h == L("email address")))
            emailCol = i;
    }
    // The reason's column name is unconfirmed [?]: the most telling name wins.
    for (const char *want : {"reason", "error", "remark", "message", "status"}) {
        for (int i = 0; i < header.size() && reasonCol < 0; ++i)
            if (header.at(i).contains(QLatin1StringView(want), Qt::CaseInsensitive))
                reasonCol = i;
    }
    if (emailCol < 0)
        for (int i = 0; i < header.size() && emailCol < 0; ++i)
            if (header.at(i).contains(L("email"), Qt::CaseInsensitive))
                emailCol = i;
    if (emailCol < 0) {
        *why =
            tr("the import report has no Email column (columns: %1)").arg(header.join(QStringLiteral(", ")));
        return false;
    }
    for (qsizetype r = 1; r < table.size(); ++r) {
        const QStringList &row = table.at(r);
        if (row.size() == 1 && row.constFirst().trimmed().isEmpty())
            continue; // a blank line
        if (row.size() != header.size()) {
            *why = tr("row %1 of the import report has %2 cells, the header %3 (cut off or garbled)")
                       .arg(r)
                       .arg(row.size())
                       .arg(header.size());
            m_rows.clear();
            m_failures.clear();
            return false;
        }
        QMap<QString, QString> named;
        for (int i = 0; i < header.size(); ++i)
            named.insert(header.at(i), row.value(i));
        m_rows.append(named);
        m_failures.append(
            {row.value(emailCol).trimmed(), reasonCol >= 0 ? row.value(reasonCol).trimmed() : QString()});
    }
    return true;
}

QList<QStringList> parseCsv(const QByteArray &data, bool *complete)
{
    QString text = QString::fromUtf8(data);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    bool any = false; // the current row has content (a field or a separator)
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                field += c;
            }
            continue;
        }
        if (c == QLatin1Char('"')) {
            quoted = true;
            any = true;
        } else if (c == QLatin1Char(',')) {
            row << field;
            field.clear();
            any = true;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            if (any || !field.isEmpty()) {
                row << field;
                rows << row;
            }
            row.clear();
            field.clear();
            any = false;
        } else {
            field += c;
        }
    }
    if (any || !field.isEmpty()) {
        row << field;
        rows << row;
    }
    if (complete)
        *complete = !quoted;
    return rows;
}

} // namespace lb::sh
