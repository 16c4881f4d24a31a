#include "net/ServiceScheduler.h"

#include "net/Logging.h"

#include <QNetworkReply>

#include <algorithm>

namespace lb {

ServiceScheduler::ServiceScheduler(QString service, Policy policy, QObject *parent)
    : QObject(parent), m_service(std::move(service)), m_policy(policy)
{
    m_clock.start();
    m_wake.setSingleShot(true);
    connect(&m_wake, &QTimer::timeout, this, &ServiceScheduler::pump);
}

void ServiceScheduler::enqueue(QObject *owner, Ticket go)
{
    m_queue.push_back({owner, std::move(go)});
    pump();
}

void ServiceScheduler::release(qint64 sentAtMs, const QNetworkReply *reply)
{
    m_inFlight = std::max(0, m_inFlight - 1);
    if (reply)
        adaptTo(sentAtMs, reply);
    // Defer: release() runs inside a reply's handler, and the next send should not nest in it.
    QTimer::singleShot(0, this, &ServiceScheduler::pump);
}

void ServiceScheduler::pauseFor(int ms)
{
    m_pausedUntil = std::max(m_pausedUntil, nowMs() + ms);
    qCInfo(lcNet).noquote() << m_service << "pausing all requests for" << ms << "ms";
    pump();
}

void ServiceScheduler::setHeld(bool held)
{
    m_held = std::max(0, m_held + (held ? 1 : -1));
    if (m_held == 0)
        pump();
}

void ServiceScheduler::clearQueue()
{
    m_queue.clear();
}

int ServiceScheduler::burstRemaining()
{
    expire(nowMs());
    return std::max(0, m_policy.burstMax - int(m_sends.size()));
}

void ServiceScheduler::expire(qint64 now)
{
    while (!m_sends.empty() && m_sends.front() <= now - windowMs())
        m_sends.pop_front();
}

void ServiceScheduler::pump()
{
    if (m_held > 0)
        return;
    while (!m_queue.empty()) {
        const qint64 now = nowMs();
        if (now < m_pausedUntil) {
            m_wake.start(int(m_pausedUntil - now));
            return;
        }
        if (m_inFlight >= m_policy.maxInFlight)
            return; // release() pumps again
        if (m_dailyRemaining == 0) {
            // Spent: let each request run so that it reports QuotaExhausted without sending.
        } else {
            expire(now);
            if (int(m_sends.size()) >= m_policy.burstMax) {
                const qint64 freeAt = m_sends.front() + windowMs();
                m_wake.start(int(std::max<qint64>(1, freeAt - now)));
                return;
            }
        }
        Waiting next = std::move(m_queue.front());
        m_queue.pop_front();
        if (!next.owner)
            continue;
        const bool budgetLeft = m_dailyRemaining != 0;
        if (budgetLeft) {
            m_sends.push_back(now);
            ++m_inFlight;
            ++m_sent;
            if (m_dailyRemaining > 0)
                --m_dailyRemaining;
        } else {
            ++m_inFlight; // balanced by the request's release()
        }
        next.go(budgetLeft);
    }
}

void ServiceScheduler::adaptTo(qint64 sentAtMs, const QNetworkReply *reply)
{
    auto header = [reply](const char *name, bool *ok) {
        return reply->rawHeader(name).trimmed().toLongLong(ok);
    };
    bool okMax = false, okInterval = false, okRemaining = false, okDaily = false, okDailyMax = false;
    const qint64 max = header("X-RateLimit-Max", &okMax);
    const qint64 interval = header("X-RateLimit-Interval-Milliseconds", &okInterval);
    const qint64 remaining = header("X-RateLimit-Remaining", &okRemaining);
    const qint64 daily = header("X-RateLimit-Daily-Remaining", &okDaily);
    const qint64 dailyMax = header("X-RateLimit-Limit-Daily", &okDailyMax);

    if (okMax && max > 0 && max != m_policy.burstMax) {
        qCInfo(lcNet).noquote() << m_service << "burst limit is" << max << "(was" << m_policy.burstMax << ")";
        m_policy.burstMax = int(max);
    }
    if (okInterval && interval > 0 && interval != m_policy.intervalMs) {
        qCInfo(lcNet).noquote() << m_service << "burst interval is" << interval << "ms";
        m_policy.intervalMs = int(interval);
    }
    if (okDailyMax && dailyMax > 0)
        m_policy.dailyMax = dailyMax;
    if (okDaily && daily >= 0) {
        // Requests sent after this one are not counted in the header yet.
        const auto sentSince = std::count_if(m_sends.begin(), m_sends.end(),
                                             [sentAtMs](qint64 t) { return t > sentAtMs; });
        m_dailyRemaining = std::max<qint64>(0, daily - sentSince);
    }
    if (okRemaining && remaining >= 0) {
        // The server counted `max - remaining` requests in its window up to this one. If that is
        // more than we sent in the same span, someone else shares the quota: record their usage
        // as phantom sends so that we leave room for them.
        const qint64 now = nowMs();
        expire(now);
        const qint64 serverUsed = qint64(m_policy.burstMax) - remaining;
        const qint64 ownUsed = std::count_if(m_sends.begin(), m_sends.end(), [sentAtMs](qint64 t) {
            return t <= sentAtMs;
        });
        const qint64 extra = serverUsed - ownUsed;
        if (extra > 0) {
            qCDebug(lcNet).noquote() << m_service << extra << "requests by others in this window";
            auto at = std::upper_bound(m_sends.begin(), m_sends.end(), sentAtMs);
            m_sends.insert(at, size_t(extra), sentAtMs);
        }
    }
    Q_EMIT quotaChanged(burstRemaining(), m_policy.burstMax, m_dailyRemaining, m_policy.dailyMax);
}

} // namespace lb
