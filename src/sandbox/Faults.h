#pragma once

#include <QList>
#include <QRandomGenerator>
#include <QString>

#include <optional>

namespace lb::sandbox {

/*
 * Fault spec grammar (for `leadbridge-cli sandbox --faults SPEC` and tests):
 *
 *   SPEC  := RULE ("," RULE)*
 *   RULE  := KIND ["=" PARAM] ["@" PATH] [":" RATE | ":x" COUNT]
 *   KIND  := 429 | 5xx | 5xx-after | reject | slow | cut | cut-after | truncated | malformed
 *          | wrongtypes | timeout
 *
 *   PARAM  5xx, 5xx-after: the status, 500 | 502 | 503 | 504 (default 500); reject: 400 | 404 |
 *          409 | 422 (default 400); slow: the delay in ms (default 2000)
 *   PATH   "/..." matches paths starting with it; anything else matches paths containing it
 *   RATE   probability 0..1 per matching request (default 1: every matching request)
 *   COUNT  the next COUNT matching requests, then the rule is spent
 *
 * Example: 5xx:0.03,cut:0.02,cut-after:0.02,malformed:0.02,truncated:0.01,429:x5
 *
 * Rules are checked in order for each request. Every `slow` rule that fires adds its delay; the
 * first other rule that fires decides the fault (later rules are not consulted, so their counts
 * are kept). Random decisions come from their own seeded generator: setRules() restarts it from
 * the seed, so the same spec and seed give the same decisions for the same sequence of requests.
 *
 * Before or after acting (faultActsFirst()): 429, 5xx, reject and cut reject the request before the
 * server acts (nothing changes); 5xx-after, cut-after, timeout, truncated, malformed and
 * wrongtypes let the server act (a write happens) and then fail the answer, as a lost or garbled
 * response to a success does on the real network. slow acts and answers, late.
 */

enum class FaultKind {
    TooManyRequests,  ///< 429 with the rate-limit headers
    ServerError,      ///< 500/502/503/504, before acting
    ServerErrorAfter, ///< acts, then answers 500/502/503/504 instead of the real answer
    Reject,           ///< 400/404/409/422 with the service's error shape, before acting: a definite "no"
    Slow,             ///< the normal response, late
    Cut,              ///< connection aborted before acting, no response
    CutAfter,         ///< acts, then the connection is aborted, no response
    Truncated,        ///< acts; Content-Length promises more than is sent, then close
    Malformed,        ///< acts; 200 with a body that is not JSON
    WrongTypes,       ///< acts; 200 with JSON whose fields have unexpected types or are missing
    Timeout,          ///< acts; never answered
};

/// Whether the server runs the request (a write happens) before this fault fails it: false for
/// 429, 5xx, reject and cut, true for every other kind.
[[nodiscard]] bool faultActsFirst(FaultKind kind);

struct FaultRule
{
    FaultKind kind = FaultKind::ServerError;
    int param = 0;     ///< 5xx, 5xx-after, reject: status; slow: delay in ms
    QString path;      ///< empty: every path
    double rate = 1.0; ///< used when count < 0
    int count = -1;    ///< >= 0: deterministic, the next `count` matches
    QString text;      ///< the rule as written, for messages

    [[nodiscard]] bool matchesPath(const QString &requestPath) const;
    /// One rule, built in code: `FaultRule::make(FaultKind::Cut).onPath("/contacts/search").times(1)`.
    [[nodiscard]] static FaultRule make(FaultKind kind, int param = 0);
    [[nodiscard]] FaultRule onPath(const QString &p) const;
    [[nodiscard]] FaultRule withRate(double r) const;
    [[nodiscard]] FaultRule times(int n) const;
};

/// The kind's name as written in a spec ("5xx", "slow", ...).
[[nodiscard]] QString faultKindName(FaultKind kind);

/// Parses a spec; nullopt with a sentence naming the bad rule in `error`. An empty spec is no rules.
[[nodiscard]] std::optional<QList<FaultRule>> parseFaultSpec(const QString &spec, QString *error);

/// The grammar as help text for `leadbridge-cli sandbox --help`.
[[nodiscard]] QString faultSpecHelp();

/// What to do to one request.
struct FaultDecision
{
    int extraDelayMs = 0;
    std::optional<FaultRule> fault; ///< a non-slow fault that fired
};

/// Holds the active rules and draws the random decisions from its own seeded generator.
class FaultInjector final
{
public:
    explicit FaultInjector(quint32 seed = 1);
    /// Replaces the rules and restarts the generator from the seed: the same rules give the same
    /// decisions again (e.g. in both runs of a convergence test).
    void setRules(QList<FaultRule> rules);
    /// A new seed; the generator restarts from it.
    void setSeed(quint32 seed);
    [[nodiscard]] quint32 seed() const { return m_seed; }
    void addRule(const FaultRule &rule) { m_rules.append(rule); }
    void clear() { m_rules.clear(); }
    [[nodiscard]] const QList<FaultRule> &rules() const { return m_rules; }
    [[nodiscard]] FaultDecision decide(const QString &path);
    [[nodiscard]] int injected() const { return m_injected; }

private:
    [[nodiscard]] bool fires(FaultRule &rule);

    QList<FaultRule> m_rules;
    quint32 m_seed = 1;
    QRandomGenerator m_random;
    int m_injected = 0;
};

} // namespace lb::sandbox
