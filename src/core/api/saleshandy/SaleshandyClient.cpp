#include "api/saleshandy/SaleshandyClient.h"

#include "net/TokenProvider.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>
#include <QUrl>

namespace lb::sh {

using L = QLatin1StringView;

SaleshandyClient::SaleshandyClient(QUrl root, QObject *parent)
    : ServiceClient(QStringLiteral("Saleshandy"), std::move(root), defaultPolicy(), parent)
{
}

ServiceScheduler::Policy SaleshandyClient::defaultPolicy()
{
    ServiceScheduler::Policy p;
    p.burstMax = 5;
    p.intervalMs = 1000;
    p.dailyMax = 0;
    p.maxInFlight = 3;
    p.marginMs = 100;
    return p;
}

void SaleshandyClient::decorate(QNetworkRequest &request, const ApiRequest &call) const
{
    // Deliberately not ServiceClient::decorate: Saleshandy takes no bearer token.
    if (call.needsAuthorization() && tokenProvider())
        request.setRawHeader("x-api-key", tokenProvider()->token().toUtf8());
}

SaleshandyRequest::SaleshandyRequest(SaleshandyClient &client, QByteArray method, QString path,
                                     QObject *parent)
    : ApiRequest(client, parent), m_method(std::move(method)), m_path(std::move(path))
{
}

QString SaleshandyRequest::describe() const
{
    return QString::fromLatin1(m_method) + QLatin1Char(' ') + (m_pattern.isEmpty() ? m_path : m_pattern);
}

QString SaleshandyRequest::seg(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

bool SaleshandyRequest::parse(const QJsonDocument &body, QString *why)
{
    QJsonValue payload;
    if (body.isObject()) {
        const QJsonObject o = body.object();
        m_message = o.value(L("message")).toString();
        payload = o.contains(L("payload")) ? o.value(L("payload")) : QJsonValue(o);
    } else if (body.isArray()) {
        payload = body.array();
    }
    return parsePayload(payload, why);
}

void SaleshandyRequest::readError(const QByteArray &body, int *code, QString *text, bool *isValidation)
{
    *code = 0;
    *isValidation = false;
    text->clear();
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QJsonValue message = o.value(L("message"));
    if (message.isArray()) {
        // NestJS's class-validator: one sentence per rejected property.
        QStringList parts;
        for (const QJsonValue &v : message.toArray())
            if (v.isString())
                parts << v.toString();
        *text = parts.join(QStringLiteral("; "));
        *isValidation = true;
    } else {
        *text = message.toString();
    }
    const QJsonValue c = o.value(L("code"));
    if (c.isDouble())
        *code = c.toInt();
    else if (c.isString())
        *code = c.toString().toInt();
    static const QRegularExpression numbered(QStringLiteral("^\\s*(\\d{3,6})\\s*[:\\-]\\s*(.*)$"),
                                             QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch m = numbered.match(*text);
    if (m.hasMatch()) {
        if (*code == 0)
            *code = m.captured(1).toInt();
        *text = m.captured(2).trimmed();
    }
    static const QRegularExpression phrases(QStringLiteral(
        "should not exist|must be a|must be one of|must be an|should not be empty|must not be"));
    if (!*isValidation && *code == 0 && phrases.match(*text).hasMatch())
        *isValidation = true;
}

void SaleshandyRequest::refineError(ApiError &error, const QByteArray &body) const
{
    int code = 0;
    QString text;
    bool validation = false;
    readError(body, &code, &text, &validation);
    error.serviceCode = code;
    if (!text.isEmpty())
        error.detail = code ? tr("%1 (Saleshandy code %2)").arg(text).arg(code) : text;
    const QString lower = text.toLower();
    // 1001 is overloaded (bad key, bad prospect id, bad sequence id, missing note): the text decides.
    if (error.httpStatus == 401 || (code == 1001 && (lower.contains(QLatin1String("token")) ||
                                                     lower.contains(QLatin1String("api key"))))) {
        error.kind = ApiError::Kind::Auth;
        error.message =
            tr("Saleshandy refused the API key. Check the key in the settings (Saleshandy → Settings → "
               "API) or set it again.");
    } else if (code == 4003 || error.httpStatus == 403) {
        error.kind = ApiError::Kind::Forbidden;
        error.message =
            tr("Saleshandy refused access (HTTP %1): the API key's user lacks a permission this needs.")
                .arg(error.httpStatus);
    } else if (code == 40000 || code == 40100 || code == 40200 ||
               (code == 1001 && (lower.contains(QLatin1String("not found")) ||
                                 lower.contains(QLatin1String("invalid prospect")) ||
                                 lower.contains(QLatin1String("invalid sequence"))))) {
        error.kind = ApiError::Kind::NotFound;
        error.message = tr("Saleshandy has no such record (%1): %2").arg(describe(), text);
    } else if (error.httpStatus == 400 && lower.contains(QLatin1String("already exists"))) {
        // A create whose label or key is taken (often our own earlier create whose answer was lost).
        error.kind = ApiError::Kind::Conflict;
        error.message = tr("Saleshandy already has this record (%1): %2").arg(describe(), text);
    } else if (error.httpStatus == 400 && validation) {
        error.kind = ApiError::Kind::Validation;
        error.message = tr("Saleshandy rejected a value: %1").arg(text);
    } else if (error.httpStatus == 406) {
        error.message = tr("Saleshandy refused the request %1 as not acceptable (HTTP 406).").arg(describe());
    }
}

bool SaleshandyRequest::saysAlready(const ApiError &error, std::initializer_list<const char *> phrases)
{
    if (error.httpStatus != 400 && error.httpStatus != 409 && error.httpStatus != 422)
        return false;
    const QString text = error.detail.toLower();
    for (const char *phrase : phrases)
        if (text.contains(QLatin1StringView(phrase)))
            return true;
    return false;
}

QJsonArray listIn(const QJsonValue &payload, std::initializer_list<const char *> keys, bool *found)
{
    *found = true;
    if (payload.isArray())
        return payload.toArray();
    const QJsonObject o = payload.toObject();
    for (const char *key : keys) {
        const QJsonValue v = o.value(QLatin1StringView(key));
        if (v.isArray())
            return v.toArray();
    }
    *found = false;
    return {};
}

} // namespace lb::sh
