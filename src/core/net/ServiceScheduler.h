#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <deque>
#include <functional>

class QNetworkReply;

namespace lb {

/// The one gate in front of a service (per GHL location, per Saleshandy key): every request of the
/// app, browsing or syncing, waits here for a slot. It keeps within the burst budget with a sliding
/// log of send times, adapts to the X-RateLimit-* headers (including usage by other programs on the
/// same quota), stops on a spent daily budget, pauses everyone after a 429, and keeps several
/// requests in flight when the budget allows.
class ServiceScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServiceScheduler)

public:
    struct Policy
    {
        int burstMax = 100;        ///< requests per interval (GHL: 100 per 10 s)
        int intervalMs = 10000;
        qint64 dailyMax = 200000;  ///< 0: no daily budget
        int maxInFlight = 6;       ///< QNetworkAccessManager opens 6 connections per host
        /// Added to the interval: requests arrive later than they leave, by a varying amount, and a
        /// server with a sliding window would otherwise see more than burstMax in one interval.
        int marginMs = 150;
    };

    /// Grants a slot: the callback must send the request and later call release(). `budgetLeft`
    /// is false when the daily budget is spent: the request must then fail without sending.
    using Ticket = std::function<void(bool budgetLeft)>;

    explicit ServiceScheduler(QString service, Policy policy, QObject *parent = nullptr);

    /// Queues `go`; runs it when a slot is free. A null `owner` (destroyed meanwhile) skips it.
    void enqueue(QObject *owner, Ticket go);
    /// The granted request finished (whatever the outcome). `sentAtMs` is the value of
    /// `nowMs()` when it was sent; with `reply`, its rate-limit headers are read.
    void release(qint64 sentAtMs, const QNetworkReply *reply);
    /// Nobody is sent anything for `ms` (after a 429). Extends, never shortens, a pause.
    void pauseFor(int ms);
    /// Holds every send (while a token is refreshed), or lets them go again. Counted: each
    /// request that holds must release once, so several waiting requests balance.
    void setHeld(bool held);
    /// Drops every queued ticket (shutdown); their owners are not called.
    void clearQueue();

    [[nodiscard]] qint64 nowMs() const { return m_clock.elapsed(); }
    [[nodiscard]] const Policy &policy() const { return m_policy; }
    /// Replaces the limits (for a service that publishes none, from settings or a test).
    void setPolicy(const Policy &policy)
    {
        m_policy = policy;
        pump();
    }
    [[nodiscard]] QString service() const { return m_service; }
    /// -1 while unknown. From the last response, less what was sent since.
    [[nodiscard]] qint64 dailyRemaining() const { return m_dailyRemaining; }
    [[nodiscard]] int burstRemaining();
    [[nodiscard]] bool dailyBudgetSpent() const { return m_dailyRemaining == 0; }
    [[nodiscard]] int queued() const { return int(m_queue.size()); }
    [[nodiscard]] int inFlight() const { return m_inFlight; }
    [[nodiscard]] qint64 requestsSent() const { return m_sent; }
    [[nodiscard]] int pausesFor429() const { return m_pauses; }
    void countRateLimited() { ++m_pauses; }

Q_SIGNALS:
    /// For quota meters: remaining burst and daily budget (daily -1 while unknown).
    void quotaChanged(int burstRemaining, int burstMax, qint64 dailyRemaining, qint64 dailyMax);

private:
    void pump();
    void expire(qint64 now);
    [[nodiscard]] qint64 windowMs() const { return qint64(m_policy.intervalMs) + m_policy.marginMs; }
    void adaptTo(qint64 sentAtMs, const QNetworkReply *reply);

    struct Waiting
    {
        QPointer<QObject> owner;
        Ticket go;
    };

    QString m_service;
    Policy m_policy;
    QElapsedTimer m_clock;
    std::deque<Waiting> m_queue;
    std::deque<qint64> m_sends; ///< send times (and phantom sends by others) within the window
    QTimer m_wake;
    qint64 m_pausedUntil = 0;
    int m_held = 0;
    int m_inFlight = 0;
    qint64 m_sent = 0;
    int m_pauses = 0;
    qint64 m_dailyRemaining = -1;
};

} // namespace lb
