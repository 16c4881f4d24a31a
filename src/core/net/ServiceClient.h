#pragma once

#include "net/ServiceScheduler.h"
#include "net/TokenProvider.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QPointer>
#include <QUrl>

namespace lb {

class ApiRequest;

/// What all requests to one service share: the root URL, the connection pool, the scheduler,
/// the credentials, and the retry policy. Subclasses add the service's own headers.
class ServiceClient : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceClient)

public:
    struct RetryPolicy
    {
        int transferTimeoutMs = 30000;
        int maxAttempts = 5;        ///< for 5xx, timeouts, dropped connections, unreadable bodies
        int max429Waits = 8;        ///< waits after 429 before giving up with RateLimited
        int backoffBaseMs = 500;    ///< first retry after 0.5–1× this, doubling each time
        int backoffCapMs = 30000;
        int max429WaitMs = 30000;   ///< cap on a single wait after a 429
    };

    ServiceClient(QString serviceName, QUrl root, ServiceScheduler::Policy policy, QObject *parent = nullptr);
    ~ServiceClient() override;

    [[nodiscard]] QString serviceName() const { return m_serviceName; }
    [[nodiscard]] QUrl root() const { return m_root; }
    [[nodiscard]] QNetworkAccessManager *network() { return &m_network; }
    [[nodiscard]] ServiceScheduler &scheduler() { return m_scheduler; }
    [[nodiscard]] RetryPolicy &retryPolicy() { return m_retry; }
    [[nodiscard]] const RetryPolicy &retryPolicy() const { return m_retry; }

    /// Not owned. May be null for services without credentials.
    void setTokenProvider(TokenProvider *provider);
    [[nodiscard]] TokenProvider *tokenProvider() const { return m_tokens; }

    /// Adds the service's headers (authorization, version) to a request about to be sent.
    virtual void decorate(QNetworkRequest &request, const ApiRequest &call) const;

    /// Aborts every running request of this client and drops the queued ones (they finish Cancelled).
    void abortAll();

    // Figures for logs, benchmarks and the sync log.
    [[nodiscard]] qint64 requestsSent() const { return m_scheduler.requestsSent(); }
    [[nodiscard]] int responses429() const { return m_429; }
    [[nodiscard]] int retries() const { return m_retries; }
    void count429() { ++m_429; }
    void countRetry() { ++m_retries; }

Q_SIGNALS:
    /// Every request of this client listens and cancels itself.
    void abortAllRequested();

private:
    QString m_serviceName;
    QUrl m_root;
    QNetworkAccessManager m_network;
    ServiceScheduler m_scheduler;
    RetryPolicy m_retry;
    QPointer<TokenProvider> m_tokens;
    int m_429 = 0;
    int m_retries = 0;
};

} // namespace lb
