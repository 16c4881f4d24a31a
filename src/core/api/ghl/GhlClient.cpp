#include "api/ghl/GhlClient.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QUrl>

namespace lb::ghl {

GhlClient::GhlClient(QUrl root, QString locationId, QObject *parent)
    : ServiceClient(QStringLiteral("GHL"), std::move(root), defaultPolicy(), parent),
      m_locationId(std::move(locationId))
{
}

ServiceScheduler::Policy GhlClient::defaultPolicy()
{
    ServiceScheduler::Policy p;
    p.burstMax = 100;
    p.intervalMs = 10000;
    p.dailyMax = 200000;
    return p;
}

void GhlClient::decorate(QNetworkRequest &request, const ApiRequest &call) const
{
    ServiceClient::decorate(request, call);
    if (const auto *ghlCall = dynamic_cast<const GhlRequest *>(&call)) {
        const QByteArray version = ghlCall->apiVersion();
        if (!version.isEmpty())
            request.setRawHeader("Version", version);
    }
}

GhlRequest::GhlRequest(GhlClient &client, QByteArray method, QString path, QObject *parent)
    : ApiRequest(client, parent), m_method(std::move(method)), m_path(std::move(path))
{
}

QString GhlRequest::describe() const
{
    return QString::fromLatin1(m_method) + QLatin1Char(' ') + (m_pattern.isEmpty() ? m_path : m_pattern);
}

QString GhlRequest::seg(const QString &id)
{
    return QString::fromLatin1(QUrl::toPercentEncoding(id));
}

bool readSucceeded(const QJsonDocument &body, QString *why)
{
    const QJsonObject o = body.object();
    for (const char *key : {"succeded", "succeeded"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isBool() && !v.toBool()) {
            *why = QCoreApplication::translate("lb::ghl", "the service answered that it did not succeed");
            return false;
        }
    }
    return true;
}

} // namespace lb::ghl
