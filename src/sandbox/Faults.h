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
 *   KIND  := 429 | 5xx | slow | cut | truncated | malformed | wrongtypes | timeout
 *
 *   PARAM  5xx: the status, 500 | 502 | 503 | 504 (default 500); slow: the delay in ms (default 2000)
 *   PATH   "/..." matches paths starting with it; anything else matches paths containing it
 *   RATE   probability 0..1 per matching request (default 1: every matching request)
 *   COUNT  the next COUNT matching requests, then the rule is spent
 *
 * Example: 5xx:0.2,429@/contacts/search:x3,slow=2000:0.1,cut:x1
 *
 * Rules are checked in order for each request. Every `slow` rule that fires adds its delay; the
 * first other rule that fires decides the fault (later rules are not consulted, so their counts
 * are kept). Random decisions come from their own seeded generator: a run is reproducible.
 */

enum class FaultKind {
    TooManyRequests, ///< 429 with the rate-limit headers
    ServerError,     ///< 500/502/503/504
    Slow,            ///< the normal response, late
    Cut,             ///< connection aborted, no response
    Truncated,       ///< Content-Length promises more than is sent, then close
    Malformed,       ///< 200 with a body that is not JSON
    WrongTypes,      ///< 200 with JSON whose fields have unexpected types or are missing
    Timeout,         ///< never answered
};

struct FaultRule
{
    FaultKind kind = FaultKind::ServerError;
    int param = 0;         ///< 5xx: status; slow: delay in ms
    QString path;          ///< empty: every path
    double rate = 1.0;     ///< used when count < 0
    int count = -1;        ///< >= 0: deterministic, the next `count` matches
    QString text;          ///< the rule as written, for messages

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
    void setRules(QList<FaultRule> rules) { m_rules = std::move(rules); }
    void addRule(const FaultRule &rule) { m_rules.append(rule); }
    void clear() { m_rules.clear(); }
    [[nodiscard]] const QList<FaultRule> &rules() const { return m_rules; }
    [[nodiscard]] FaultDecision decide(const QString &path);
    [[nodiscard]] int injected() const { return m_injected; }

private:
    [[nodiscard]] bool fires(FaultRule &rule);

    QList<FaultRule> m_rules;
    QRandomGenerator m_random;
    int m_injected = 0;
};

} // namespace lb::sandbox
