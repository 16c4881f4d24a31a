#include "net/ServiceClient.h"

#include "net/ApiRequest.h"
#include "net/TokenProvider.h"

namespace lb {

ServiceClient::ServiceClient(QString serviceName, QUrl root, ServiceScheduler::Policy policy, QObject *parent)
    : QObject(parent), m_serviceName(std::move(serviceName)), m_root(std::move(root)),
      m_scheduler(m_serviceName, policy)
{
    // Keep connections alive between requests; Qt enables HTTP/2 by default over TLS only.
    m_network.setAutoDeleteReplies(false);
}

ServiceClient::~ServiceClient()
{
    m_scheduler.clearQueue();
}

void ServiceClient::setTokenProvider(TokenProvider *provider)
{
    m_tokens = provider;
}

void ServiceClient::decorate(QNetworkRequest &request, const ApiRequest &call) const
{
    if (call.needsAuthorization() && m_tokens)
        request.setRawHeader("Authorization", "Bearer " + m_tokens->token().toUtf8());
}

void ServiceClient::abortAll()
{
    m_scheduler.clearQueue();
    Q_EMIT abortAllRequested();
}

} // namespace lb
