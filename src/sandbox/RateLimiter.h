#pragma once

#include <QHash>
#include <QString>

#include <deque>

namespace lb::sandbox {

/// GHL-style limits per resource (location): a burst budget in a sliding window and a daily budget.
/// The window keeps a log of arrival times, which is stricter than a fixed window: a client cannot
/// send a double burst across a window boundary.
class RateLimiter final
{
public:
    struct Limits
    {
        int burstMax = 100;
        int burstIntervalMs = 10000;
        int dailyLimit = 200000;
    };
    struct State
    {
        bool allowed = true;
        int remaining = 0;      ///< X-RateLimit-Remaining
        int dailyRemaining = 0; ///< X-RateLimit-Daily-Remaining
        qint64 retryAfterMs = 0; ///< when not allowed: until a slot frees (or the day ends)
    };

    void setLimits(const Limits &limits) { m_limits = limits; }
    [[nodiscard]] const Limits &limits() const { return m_limits; }
    /// Counts one request for `key` at `nowMs` if it is within both budgets.
    [[nodiscard]] State acquire(const QString &key, qint64 nowMs);
    /// The current state without counting a request (for responses that are not charged, e.g. 401).
    [[nodiscard]] State peek(const QString &key, qint64 nowMs);
    void reset() { m_buckets.clear(); }

private:
    struct Bucket
    {
        std::deque<qint64> arrivals;
        qint64 day = -1;
        int dailyUsed = 0;
    };
    void expire(Bucket &b, qint64 nowMs) const;

    Limits m_limits;
    QHash<QString, Bucket> m_buckets;
};

} // namespace lb::sandbox
