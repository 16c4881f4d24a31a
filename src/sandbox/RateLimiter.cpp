#include "sandbox/RateLimiter.h"

#include <algorithm>

namespace lb::sandbox {

static constexpr qint64 msPerDay = 24LL * 60 * 60 * 1000;

void RateLimiter::expire(Bucket &b, qint64 nowMs) const
{
    while (!b.arrivals.empty() && b.arrivals.front() <= nowMs - m_limits.burstIntervalMs)
        b.arrivals.pop_front();
    const qint64 day = nowMs / msPerDay; // the daily budget resets at midnight UTC
    if (day != b.day) {
        b.day = day;
        b.dailyUsed = 0;
    }
}

RateLimiter::State RateLimiter::peek(const QString &key, qint64 nowMs)
{
    Bucket &b = m_buckets[key];
    expire(b, nowMs);
    State s;
    s.remaining = std::max(0, m_limits.burstMax - int(b.arrivals.size()));
    s.dailyRemaining = std::max(0, m_limits.dailyLimit - b.dailyUsed);
    s.allowed = s.remaining > 0 && s.dailyRemaining > 0;
    if (!s.allowed) {
        if (s.dailyRemaining == 0)
            s.retryAfterMs = (b.day + 1) * msPerDay - nowMs;
        else
            s.retryAfterMs = std::max<qint64>(1, b.arrivals.front() + m_limits.burstIntervalMs - nowMs);
    }
    return s;
}

RateLimiter::State RateLimiter::acquire(const QString &key, qint64 nowMs)
{
    State s = peek(key, nowMs);
    if (!s.allowed)
        return s; // rejected requests are not logged, so a client that backs off recovers
    Bucket &b = m_buckets[key];
    b.arrivals.push_back(nowMs);
    ++b.dailyUsed;
    --s.remaining;
    --s.dailyRemaining;
    return s;
}

} // namespace lb::sandbox
