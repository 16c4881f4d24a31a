#pragma once

#include "net/ApiError.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>
#include <QUrlQuery>

#include <optional>

namespace lb {

class ServiceClient;

/// One API call: the base of every request type. A subclass says what to send (method, path,
/// query, body) and how to read the answer (parse); this class does the rest: waiting for the
/// scheduler, timeouts, retries with jittered backoff, 429 waits, one token refresh, typed
/// errors and a request id on every log line. Emits `finished` exactly once; the request is
/// owned by its parent (or deletes itself when started with deleteWhenFinished).
class ApiRequest : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiRequest)

public:
    explicit ApiRequest(ServiceClient &client, QObject *parent = nullptr);
    ~ApiRequest() override;

    /// Queues the call. Call once.
    void start();
    /// Cancels: finishes with ApiError::Kind::Cancelled unless it has finished already.
    void abort();
    void setDeleteWhenFinished(bool on) { m_autoDelete = on; }

    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] bool ok() const { return m_finished && m_error.isOk(); }
    [[nodiscard]] const ApiError &error() const { return m_error; }
    [[nodiscard]] QString requestId() const { return m_requestId; }
    [[nodiscard]] int attempts() const { return m_attempts; }
    [[nodiscard]] int httpStatus() const { return m_status; }

    // What to send; used by ServiceClient::decorate too.
    [[nodiscard]] virtual QByteArray method() const = 0;
    [[nodiscard]] virtual QString path() const = 0;
    [[nodiscard]] virtual QUrlQuery query() const { return {}; }
    /// A JSON body, or none. Requests without a body send no Content-Type.
    [[nodiscard]] virtual std::optional<QJsonDocument> jsonBody() const { return std::nullopt; }
    /// A form body (OAuth token calls); takes precedence over jsonBody when non-empty.
    [[nodiscard]] virtual QByteArray formBody() const { return {}; }
    /// Whether sending twice is harmless, so that ambiguous failures (timeouts, dropped
    /// connections, 5xx) may be retried. Creates are not: a lost answer may hide a success.
    [[nodiscard]] virtual bool isIdempotent() const;
    /// Whether the service's credentials go on this call (not on the OAuth token call).
    [[nodiscard]] virtual bool needsAuthorization() const { return true; }
    /// A short description for log lines and messages: "GET /contacts/{id}" without ids.
    [[nodiscard]] virtual QString describe() const;
    /// Where to send: by default the client's root + path() + query(). Overridden for URLs the
    /// service hands out (a report download that may live on another host).
    [[nodiscard]] virtual QUrl requestUrl() const;
    /// The Accept header; JSON unless the call downloads something else.
    [[nodiscard]] virtual QByteArray acceptHeader() const { return QByteArrayLiteral("application/json"); }
    /// False for calls whose 2xx body is not JSON (a CSV report): parseRaw() reads it instead of parse().
    [[nodiscard]] virtual bool expectsJson() const { return true; }

Q_SIGNALS:
    void finished();

protected:
    /// Reads a 2xx body. Returns false, with a sentence in `why`, when it has the wrong shape.
    [[nodiscard]] virtual bool parse(const QJsonDocument &body, QString *why) = 0;
    /// Reads a 2xx body that is not JSON (see expectsJson()).
    [[nodiscard]] virtual bool parseRaw(const QByteArray &body, QString *why);
    /// Lets a service read its own error shape (codes, overloaded statuses) into the typed error
    /// built from a non-2xx answer. The default keeps it as it is.
    virtual void refineError(ApiError &error, const QByteArray &body) const
    {
        Q_UNUSED(error)
        Q_UNUSED(body)
    }
    /// Lets a call take a 4xx answer that means "already done" (e.g. Saleshandy's 400 "Task is
    /// already completed" to a repeated complete) as its success. Called with the typed error
    /// (after refineError); true finishes the request ok. The default accepts nothing.
    [[nodiscard]] virtual bool acceptAsAlreadyDone(const ApiError &error)
    {
        Q_UNUSED(error)
        return false;
    }
    [[nodiscard]] ServiceClient &client() const { return m_client; }

private:
    void send(bool budgetLeft);
    void onReplyFinished();
    void retryLater(int delayMs, const QString &reason);
    void finish(ApiError error);
    void releaseRefreshHold();
    [[nodiscard]] ApiError makeError(ApiError::Kind kind, const QString &message,
                                     const QString &detail = {}) const;
    [[nodiscard]] ApiError errorFromHttp(int status, const QByteArray &body) const;
    [[nodiscard]] QString unreadableMessage(const QString &why) const;
    [[nodiscard]] QString attemptsText() const; ///< "one attempt", "5 attempts"
    [[nodiscard]] int backoffMs() const;
    [[nodiscard]] int wait429Ms(const QNetworkReply *reply) const;

    ServiceClient &m_client;
    QPointer<QNetworkReply> m_reply;
    ApiError m_error;
    QString m_requestId;
    QString m_sentToken;
    qint64 m_sentAtMs = 0;
    int m_attempts = 0;
    int m_waits429 = 0;
    int m_status = 0;
    bool m_refreshedOnce = false;
    bool m_started = false;
    bool m_finished = false;
    bool m_autoDelete = false;
    bool m_slotHeld = false;
    bool m_holdsForRefresh = false; ///< this request holds the scheduler until the refresh answers
};

} // namespace lb
