#include "net/ApiRequest.h"

#include "net/Logging.h"
#include "net/ServiceClient.h"
#include "net/TokenProvider.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>
#include <QRandomGenerator>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>

namespace lb {

namespace {

QString newRequestId()
{
    static std::atomic<quint32> counter{0};
    // A random prefix per process keeps ids apart across runs in one shared log.
    static const QString prefix = QString::number(QRandomGenerator::global()->generate() & 0xffff, 16)
                                      .rightJustified(4, QLatin1Char('0'));
    return prefix + QLatin1Char('-') + QString::number(++counter).rightJustified(6, QLatin1Char('0'));
}

/// GHL's `message` is a string or an array of strings; other services use `error` or `errors`.
QString serverMessage(const QJsonObject &o)
{
    for (const char *key : {"message", "error_description", "error", "errors"}) {
        const QJsonValue v = o.value(QLatin1String(key));
        if (v.isString() && !v.toString().isEmpty())
            return v.toString();
        if (v.isArray()) {
            QStringList parts;
            for (const QJsonValue &item : v.toArray())
                if (item.isString())
                    parts << item.toString();
                else if (item.isObject())
                    parts << serverMessage(item.toObject());
            parts.removeAll(QString());
            if (!parts.isEmpty())
                return parts.join(QStringLiteral("; "));
        }
    }
    return {};
}

bool certainlyNotProcessed(QNetworkReply::NetworkError e)
{
    return e == QNetworkReply::ConnectionRefusedError || e == QNetworkReply::HostNotFoundError;
}

/// A body that can be read once. Qt's HTTP layer silently re-sends a request whose connection
/// closed before the answer came, whatever the method; for a create that may repeat a success. It
/// cannot rewind this device, so it reports ContentReSendError instead and the caller decides.
class OneShotBody final : public QIODevice
{
public:
    explicit OneShotBody(QByteArray data) : m_data(std::move(data)) { open(QIODevice::ReadOnly); }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return qint64(m_data.size()) - m_pos + QIODevice::bytesAvailable();
    }

protected:
    qint64 readData(char *out, qint64 max) override
    {
        const qint64 n = std::min(max, qint64(m_data.size()) - m_pos);
        if (n <= 0)
            return -1;
        memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

} // namespace

ApiRequest::ApiRequest(ServiceClient &client, QObject *parent)
    : QObject(parent), m_client(client), m_requestId(newRequestId())
{
}

ApiRequest::~ApiRequest()
{
    releaseRefreshHold(); // aborted or deleted while waiting: the others must not wait forever
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
    }
    if (m_slotHeld)
        m_client.scheduler().release(m_sentAtMs, nullptr);
}

bool ApiRequest::isIdempotent() const
{
    const QByteArray m = method();
    return m == "GET" || m == "PUT" || m == "DELETE" || m == "HEAD";
}

QString ApiRequest::describe() const
{
    return QString::fromLatin1(method()) + QLatin1Char(' ') + path();
}

QUrl ApiRequest::requestUrl() const
{
    QUrl url = m_client.root();
    QString base = url.path();
    if (base.endsWith(QLatin1Char('/')))
        base.chop(1);
    url.setPath(base + path());
    const QUrlQuery q = query();
    if (!q.isEmpty())
        url.setQuery(q);
    return url;
}

bool ApiRequest::parseRaw(const QByteArray &body, QString *why)
{
    Q_UNUSED(body)
    *why = tr("the call expects a JSON answer");
    return false;
}

void ApiRequest::start()
{
    Q_ASSERT(!m_started);
    m_started = true;
    connect(&m_client, &ServiceClient::abortAllRequested, this, &ApiRequest::abort);
    m_client.scheduler().enqueue(this, [this](bool budgetLeft) { send(budgetLeft); });
}

void ApiRequest::abort()
{
    releaseRefreshHold();
    if (m_finished)
        return;
    if (m_reply) {
        m_reply->disconnect(this);
        m_reply->abort();
        m_reply->deleteLater();
        m_reply = nullptr;
    }
    if (m_slotHeld) {
        m_slotHeld = false;
        m_client.scheduler().release(m_sentAtMs, nullptr);
    }
    finish(makeError(ApiError::Kind::Cancelled,
                     tr("The request to %1 was cancelled.").arg(m_client.serviceName())));
}

void ApiRequest::send(bool budgetLeft)
{
    ServiceScheduler &scheduler = m_client.scheduler();
    m_sentAtMs = scheduler.nowMs();
    m_slotHeld = true;
    if (m_finished) { // aborted while queued
        m_slotHeld = false;
        scheduler.release(m_sentAtMs, nullptr);
        return;
    }
    if (!budgetLeft) {
        m_slotHeld = false;
        scheduler.release(m_sentAtMs, nullptr);
        finish(makeError(ApiError::Kind::QuotaExhausted,
                         tr("The daily %1 request budget is spent; nothing more can be sent until it resets.")
                             .arg(m_client.serviceName())));
        return;
    }

    QNetworkRequest request(requestUrl());
    request.setTransferTimeout(m_client.retryPolicy().transferTimeoutMs);
    request.setRawHeader("Accept", acceptHeader());
    request.setRawHeader("X-Request-Id", m_requestId.toLatin1());
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);

    QByteArray body = formBody();
    if (!body.isEmpty()) {
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/x-www-form-urlencoded"));
    } else if (const auto doc = jsonBody()) {
        body = doc->toJson(QJsonDocument::Compact);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    }
    m_client.decorate(request, *this);
    if (needsAuthorization() && m_client.tokenProvider())
        m_sentToken = m_client.tokenProvider()->token();

    ++m_attempts;
    const QByteArray verb = method();
    QNetworkAccessManager *net = m_client.network();
    if (verb == "GET" && body.isEmpty())
        m_reply = net->get(request);
    else if (verb == "DELETE" && body.isEmpty())
        m_reply = net->deleteResource(request);
    else if (!isIdempotent() && !body.isEmpty()) {
        request.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        request.setHeader(QNetworkRequest::ContentLengthHeader, body.size());
        auto *device = new OneShotBody(body);
        m_reply = net->sendCustomRequest(request, verb, device);
        device->setParent(m_reply);
    } else
        m_reply = net->sendCustomRequest(request, verb, body);
    connect(m_reply, &QNetworkReply::finished, this, &ApiRequest::onReplyFinished);
    qCDebug(lcNet).noquote() << QStringLiteral("[%1]").arg(m_requestId) << describe() << "attempt"
                             << m_attempts;
}

void ApiRequest::onReplyFinished()
{
    QNetworkReply *reply = m_reply;
    if (!reply)
        return;
    m_reply = nullptr;
    reply->deleteLater();

    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError netError = reply->error();
    const QByteArray body = reply->readAll();
    m_status = status;
    m_slotHeld = false;
    m_client.scheduler().release(m_sentAtMs, status > 0 ? reply : nullptr);
    const qint64 elapsed = m_client.scheduler().nowMs() - m_sentAtMs;
    const QString tag = QStringLiteral("[%1]").arg(m_requestId);
    const ServiceClient::RetryPolicy &policy = m_client.retryPolicy();

    const bool canRetry = m_attempts < policy.maxAttempts;
    const bool incomplete =
        status == 0 || (netError != QNetworkReply::NoError && status >= 200 && status < 300);

    if (incomplete) {
        const bool timedOut =
            netError == QNetworkReply::OperationCanceledError || netError == QNetworkReply::TimeoutError;
        qCInfo(lcNet).noquote() << tag << describe() << "failed after" << elapsed
                                << "ms:" << reply->errorString();
        if (canRetry && (isIdempotent() || certainlyNotProcessed(netError))) {
            retryLater(backoffMs(),
                       timedOut ? QStringLiteral("timeout") : QStringLiteral("connection problem"));
            return;
        }
        // A call that may have been carried out is not repeated here: say so, the caller reads back.
        const QString notRepeated =
            isIdempotent() || certainlyNotProcessed(netError)
                ? QString()
                : QLatin1Char(' ') + tr("It was not repeated, because %1 may have carried it out.")
                                         .arg(m_client.serviceName());
        if (timedOut) {
            finish(makeError(ApiError::Kind::Timeout, tr("%1 did not answer %2 within %3 seconds (%4).")
                                                              .arg(m_client.serviceName(), describe())
                                                              .arg(policy.transferTimeoutMs / 1000)
                                                              .arg(attemptsText()) +
                                                          notRepeated));
        } else if (certainlyNotProcessed(netError)) {
            finish(makeError(
                ApiError::Kind::Unreachable,
                tr("%1 could not be reached at %2. Check the network connection and the service address.")
                    .arg(m_client.serviceName(), m_client.root().toDisplayString()),
                reply->errorString()));
        } else {
            // Reached, but the connection dropped before the answer was complete (or at all).
            finish(makeError(ApiError::Kind::Unreachable,
                             (status > 0 ? tr("The answer of %1 to %2 was cut off (%3).")
                                         : tr("%1 closed the connection without answering %2 (%3)."))
                                     .arg(m_client.serviceName(), describe(), attemptsText()) +
                                 notRepeated + QLatin1Char(' ') +
                                 tr("The service or the network may be overloaded; try again later."),
                             reply->errorString()));
        }
        return;
    }

    qCDebug(lcNet).noquote() << tag << describe() << "->" << status << "in" << elapsed << "ms";

    if (status >= 200 && status < 300) {
        QJsonParseError parseError{};
        QJsonDocument doc;
        if (expectsJson() && !body.trimmed().isEmpty()) {
            doc = QJsonDocument::fromJson(body, &parseError);
            if (parseError.error != QJsonParseError::NoError) {
                const QString why = tr("the JSON is invalid at byte %1 (%2)")
                                        .arg(parseError.offset)
                                        .arg(parseError.errorString());
                qCWarning(lcNet).noquote() << tag << describe() << "unreadable response:" << why;
                if (canRetry && isIdempotent()) {
                    retryLater(backoffMs(), QStringLiteral("unreadable response"));
                    return;
                }
                finish(makeError(ApiError::Kind::Malformed, unreadableMessage(why)));
                return;
            }
        }
        QString why;
        if (!(expectsJson() ? parse(doc, &why) : parseRaw(body, &why))) {
            qCWarning(lcNet).noquote() << tag << describe() << "unexpected response:" << why;
            if (canRetry && isIdempotent()) {
                retryLater(backoffMs(), QStringLiteral("unexpected response"));
                return;
            }
            finish(makeError(ApiError::Kind::Malformed, unreadableMessage(why)));
            return;
        }
        finish({});
        return;
    }

    if (status == 401 && needsAuthorization()) {
        TokenProvider *tokens = m_client.tokenProvider();
        if (tokens && tokens->canRefresh() && !m_refreshedOnce) {
            m_refreshedOnce = true;
            qCInfo(lcNet).noquote() << tag << describe() << "token rejected; waiting for a token refresh";
            m_client.scheduler().setHeld(true);
            m_holdsForRefresh = true;
            connect(
                tokens, &TokenProvider::refreshed, this,
                [this, body](bool ok, const QString &why) {
                    releaseRefreshHold();
                    if (ok) {
                        m_client.scheduler().enqueue(this, [this](bool budgetLeft) { send(budgetLeft); });
                        return;
                    }
                    ApiError e = errorFromHttp(401, body);
                    e.detail = why;
                    finish(e);
                },
                Qt::SingleShotConnection);
            tokens->refresh(m_sentToken);
            return;
        }
        finish(errorFromHttp(status, body));
        return;
    }

    if (status == 429) {
        m_client.count429();
        m_client.scheduler().countRateLimited();
        bool okDaily = false;
        const qint64 daily = reply->rawHeader("X-RateLimit-Daily-Remaining").trimmed().toLongLong(&okDaily);
        if (okDaily && daily == 0) {
            finish(makeError(
                ApiError::Kind::QuotaExhausted,
                tr("The daily %1 request budget is spent; nothing more can be sent until it resets.")
                    .arg(m_client.serviceName())));
            return;
        }
        if (m_waits429 < policy.max429Waits) {
            const int wait = wait429Ms(reply);
            ++m_waits429;
            qCInfo(lcNet).noquote() << tag << describe() << "rate limited (429); waiting" << wait << "ms";
            m_client.scheduler().pauseFor(wait);
            m_client.scheduler().enqueue(this, [this](bool budgetLeft) { send(budgetLeft); });
            return;
        }
        finish(makeError(ApiError::Kind::RateLimited,
                         tr("%1 kept refusing requests as over its rate limit; gave up after %2 waits.")
                             .arg(m_client.serviceName())
                             .arg(m_waits429)));
        return;
    }

    if (status >= 500 || status == 408) {
        // 503 and 502 come from proxies before the service acted; other 5xx may hide a success.
        const bool safe = isIdempotent() || status == 502 || status == 503;
        if (canRetry && safe) {
            retryLater(backoffMs(), QStringLiteral("HTTP %1").arg(status));
            return;
        }
    }
    ApiError error = errorFromHttp(status, body);
    if (status >= 400 && status < 500 && acceptAsAlreadyDone(error)) {
        // E.g. the repeat of a complete whose first answer was lost: the work is done.
        qCInfo(lcNet).noquote() << tag << describe() << "already done:" << error.detail;
        finish({});
        return;
    }
    finish(std::move(error));
}

QString ApiRequest::attemptsText() const
{
    return m_attempts == 1 ? tr("one attempt") : tr("%1 attempts").arg(m_attempts);
}

QString ApiRequest::unreadableMessage(const QString &why) const
{
    QString text = tr("%1 sent an answer to %2 that LeadBridge could not read (%3): %4.")
                       .arg(m_client.serviceName(), describe(), attemptsText(), why);
    if (!isIdempotent())
        text += QLatin1Char(' ') +
                tr("It was not repeated, because %1 may have carried it out.").arg(m_client.serviceName());
    return text;
}

void ApiRequest::releaseRefreshHold()
{
    if (!m_holdsForRefresh)
        return;
    m_holdsForRefresh = false;
    m_client.scheduler().setHeld(false);
}

void ApiRequest::retryLater(int delayMs, const QString &reason)
{
    m_client.countRetry();
    qCInfo(lcNet).noquote() << QStringLiteral("[%1]").arg(m_requestId) << describe() << "retry" << m_attempts
                            << "in" << delayMs << "ms after" << reason;
    QTimer::singleShot(delayMs, this, [this] {
        if (!m_finished)
            m_client.scheduler().enqueue(this, [this](bool budgetLeft) { send(budgetLeft); });
    });
}

void ApiRequest::finish(ApiError error)
{
    if (m_finished)
        return;
    m_finished = true;
    error.requestId = m_requestId;
    m_error = std::move(error);
    if (!m_error.isOk() && m_error.kind != ApiError::Kind::Cancelled)
        qCWarning(lcNet).noquote() << QStringLiteral("[%1]").arg(m_requestId) << describe()
                                   << "failed:" << m_error.fullText();
    Q_EMIT finished();
    if (m_autoDelete)
        deleteLater();
}

ApiError ApiRequest::makeError(ApiError::Kind kind, const QString &message, const QString &detail) const
{
    ApiError e;
    e.kind = kind;
    e.httpStatus = m_status;
    e.message = message;
    e.detail = detail;
    e.requestId = m_requestId;
    return e;
}

ApiError ApiRequest::errorFromHttp(int status, const QByteArray &body) const
{
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    const QString detail = serverMessage(o);
    const QString service = m_client.serviceName();
    ApiError e;
    switch (status) {
    case 401:
        e = makeError(
            ApiError::Kind::Auth,
            tr("%1 refused the credentials (HTTP 401). Check the token or API key, or connect again.")
                .arg(service),
            detail);
        break;
    case 403:
        e = makeError(
            ApiError::Kind::Forbidden,
            tr("%1 refused access (HTTP 403). The token may lack a permission this needs.").arg(service),
            detail);
        break;
    case 404:
        e = makeError(ApiError::Kind::NotFound, tr("%1 has no such record (%2).").arg(service, describe()),
                      detail);
        break;
    case 422:
        e = makeError(ApiError::Kind::Validation, detail.isEmpty()
                                                      ? tr("%1 rejected a value in the request.").arg(service)
                                                      : tr("%1 rejected a value: %2").arg(service, detail));
        break;
    default:
        if ((status >= 500 || status == 408) && (isIdempotent() || m_attempts > 1))
            e = makeError(ApiError::Kind::Server,
                          tr("%1 had a problem of its own (HTTP %2) and did not recover after %3.")
                              .arg(service)
                              .arg(status)
                              .arg(attemptsText()),
                          detail);
        else if (status >= 500 || status == 408)
            e = makeError(ApiError::Kind::Server,
                          tr("%1 had a problem of its own (HTTP %2) with %3. It was not repeated, because %1 "
                             "may have carried it out.")
                              .arg(service)
                              .arg(status)
                              .arg(describe()),
                          detail);
        else
            e = makeError(ApiError::Kind::BadRequest,
                          tr("%1 rejected the request %2 (HTTP %3).").arg(service, describe()).arg(status),
                          detail);
    }
    e.httpStatus = status;
    e.traceId = o.value(QLatin1String("traceId")).toString();
    refineError(e, body);
    return e;
}

int ApiRequest::backoffMs() const
{
    const auto &p = m_client.retryPolicy();
    const int exponent = std::min(m_attempts - 1, 16);
    const double full = std::min<double>(p.backoffCapMs, double(p.backoffBaseMs) * std::pow(2.0, exponent));
    // "Equal jitter": between half and all of the full delay, so that clients spread out.
    const double jitter = 0.5 + 0.5 * QRandomGenerator::global()->generateDouble();
    return std::max(1, int(full * jitter));
}

int ApiRequest::wait429Ms(const QNetworkReply *reply) const
{
    const auto &p = m_client.retryPolicy();
    const QByteArray retryAfter = reply->rawHeader("Retry-After").trimmed();
    if (!retryAfter.isEmpty()) {
        bool ok = false;
        const double seconds = retryAfter.toDouble(&ok);
        if (ok)
            return std::clamp(int(seconds * 1000), 1, p.max429WaitMs);
        const QDateTime when = QDateTime::fromString(QString::fromLatin1(retryAfter), Qt::RFC2822Date);
        if (when.isValid())
            return std::clamp(int(QDateTime::currentDateTimeUtc().msecsTo(when)), 1, p.max429WaitMs);
    }
    // No Retry-After (GHL sends none): exponential from 1 s, capped at the burst interval.
    bool ok = false;
    const int interval = reply->rawHeader("X-RateLimit-Interval-Milliseconds").trimmed().toInt(&ok);
    const int cap = std::min(p.max429WaitMs, ok && interval > 0 ? interval : p.max429WaitMs);
    const double full = std::min<double>(cap, 1000.0 * std::pow(2.0, m_waits429));
    const double jitter = 0.75 + 0.25 * QRandomGenerator::global()->generateDouble();
    return std::max(1, int(full * jitter));
}

} // namespace lb
