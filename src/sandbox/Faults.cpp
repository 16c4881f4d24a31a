#include "sandbox/Faults.h"

#include <QCoreApplication>

namespace lb::sandbox {

namespace {
// A translation context that lupdate understands, for messages the CLI user reads.
struct FaultText
{
    Q_DECLARE_TR_FUNCTIONS(lb::sandbox::Faults)
};
} // namespace

bool faultActsFirst(FaultKind kind)
{
    switch (kind) {
    case FaultKind::TooManyRequests:
    case FaultKind::ServerError:
    case FaultKind::Reject:
    case FaultKind::Cut:
        return false;
    default:
        return true;
    }
}

bool FaultRule::matchesPath(const QString &requestPath) const
{
    if (path.isEmpty())
        return true;
    if (path.startsWith(QLatin1Char('/')))
        return requestPath.startsWith(path);
    return requestPath.contains(path);
}

FaultRule FaultRule::make(FaultKind kind, int param)
{
    FaultRule r;
    r.kind = kind;
    r.param = param;
    if ((kind == FaultKind::ServerError || kind == FaultKind::ServerErrorAfter) && param == 0)
        r.param = 500;
    if (kind == FaultKind::Reject && param == 0)
        r.param = 400;
    if (kind == FaultKind::Slow && param == 0)
        r.param = 2000;
    r.text = faultKindName(kind);
    return r;
}

FaultRule FaultRule::onPath(const QString &p) const
{
    FaultRule r = *this;
    r.path = p;
    return r;
}

FaultRule FaultRule::withRate(double rate) const
{
    FaultRule r = *this;
    r.rate = rate;
    r.count = -1;
    return r;
}

FaultRule FaultRule::times(int n) const
{
    FaultRule r = *this;
    r.count = n;
    return r;
}

QString faultKindName(FaultKind kind)
{
    switch (kind) {
    case FaultKind::TooManyRequests:
        return QStringLiteral("429");
    case FaultKind::ServerError:
        return QStringLiteral("5xx");
    case FaultKind::ServerErrorAfter:
        return QStringLiteral("5xx-after");
    case FaultKind::Reject:
        return QStringLiteral("reject");
    case FaultKind::Slow:
        return QStringLiteral("slow");
    case FaultKind::Cut:
        return QStringLiteral("cut");
    case FaultKind::CutAfter:
        return QStringLiteral("cut-after");
    case FaultKind::Truncated:
        return QStringLiteral("truncated");
    case FaultKind::Malformed:
        return QStringLiteral("malformed");
    case FaultKind::WrongTypes:
        return QStringLiteral("wrongtypes");
    case FaultKind::Timeout:
        return QStringLiteral("timeout");
    }
    return {};
}

static std::optional<FaultKind> kindFromName(const QString &name)
{
    static const FaultKind all[] = {
        FaultKind::TooManyRequests, FaultKind::ServerError, FaultKind::ServerErrorAfter,
        FaultKind::Reject,          FaultKind::Slow,        FaultKind::Cut,
        FaultKind::CutAfter,        FaultKind::Truncated,   FaultKind::Malformed,
        FaultKind::WrongTypes,      FaultKind::Timeout};
    for (FaultKind k : all)
        if (faultKindName(k).compare(name, Qt::CaseInsensitive) == 0)
            return k;
    return std::nullopt;
}

// One rule: KIND[=PARAM][@PATH][:RATE|:xCOUNT]. The rate/count is split off at the last ':'
// because paths never contain one.
static std::optional<FaultRule> parseRule(const QString &text, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = FaultText::tr("Bad fault rule \"%1\": %2").arg(text, why);
        return std::nullopt;
    };
    QString rest = text;
    FaultRule rule;
    rule.text = text;

    const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
    if (colon >= 0) {
        const QString amount = rest.mid(colon + 1).trimmed();
        rest = rest.left(colon);
        if (amount.startsWith(QLatin1Char('x'), Qt::CaseInsensitive)) {
            bool ok = false;
            const int n = amount.mid(1).toInt(&ok);
            if (!ok || n < 1)
                return fail(
                    FaultText::tr("the count after \":x\" must be a whole number of at least 1, e.g. :x3"));
            rule.count = n;
        } else {
            bool ok = false;
            const double r = amount.toDouble(&ok);
            if (!ok || r < 0.0 || r > 1.0)
                return fail(FaultText::tr("the rate after \":\" must be a probability from 0 to 1, e.g. :0.2 "
                                          "(or a count such as :x3)"));
            rule.rate = r;
        }
    }

    const qsizetype at = rest.indexOf(QLatin1Char('@'));
    if (at >= 0) {
        rule.path = rest.mid(at + 1).trimmed();
        rest = rest.left(at);
        if (rule.path.isEmpty())
            return fail(FaultText::tr("the path after \"@\" is empty"));
    }

    QString param;
    const qsizetype eq = rest.indexOf(QLatin1Char('='));
    if (eq >= 0) {
        param = rest.mid(eq + 1).trimmed();
        rest = rest.left(eq);
        if (param.isEmpty())
            return fail(FaultText::tr("the value after \"=\" is empty"));
    }

    const QString kindName = rest.trimmed();
    const std::optional<FaultKind> kind = kindFromName(kindName);
    if (!kind)
        return fail(
            FaultText::tr("unknown kind \"%1\" (expected 429, 5xx, 5xx-after, reject, slow, cut, cut-after, "
                          "truncated, malformed, wrongtypes or timeout)")
                .arg(kindName));
    rule.kind = *kind;

    bool ok = true;
    switch (rule.kind) {
    case FaultKind::ServerError:
    case FaultKind::ServerErrorAfter:
        rule.param = param.isEmpty() ? 500 : param.toInt(&ok);
        if (!ok || (rule.param != 500 && rule.param != 502 && rule.param != 503 && rule.param != 504))
            return fail(
                FaultText::tr("%1 takes 500, 502, 503 or 504, e.g. %1=503").arg(faultKindName(rule.kind)));
        break;
    case FaultKind::Reject:
        rule.param = param.isEmpty() ? 400 : param.toInt(&ok);
        if (!ok || (rule.param != 400 && rule.param != 404 && rule.param != 409 && rule.param != 422))
            return fail(FaultText::tr("reject takes 400, 404, 409 or 422, e.g. reject=422"));
        break;
    case FaultKind::Slow:
        rule.param = param.isEmpty() ? 2000 : param.toInt(&ok);
        if (!ok || rule.param < 0 || rule.param > 600000)
            return fail(FaultText::tr("slow takes a delay in milliseconds from 0 to 600000, e.g. slow=2000"));
        break;
    default:
        if (!param.isEmpty())
            return fail(FaultText::tr("%1 takes no \"=\" value").arg(faultKindName(rule.kind)));
    }
    return rule;
}

std::optional<QList<FaultRule>> parseFaultSpec(const QString &spec, QString *error)
{
    QList<FaultRule> rules;
    const QStringList parts = spec.split(QLatin1Char(','));
    for (const QString &raw : parts) {
        const QString part = raw.trimmed();
        if (part.isEmpty()) {
            if (parts.size() == 1)
                break; // an empty spec: no faults
            if (error)
                *error = FaultText::tr("Bad fault spec \"%1\": an empty rule between commas").arg(spec);
            return std::nullopt;
        }
        std::optional<FaultRule> rule = parseRule(part, error);
        if (!rule)
            return std::nullopt;
        rules.append(*rule);
    }
    return rules;
}

QString faultSpecHelp()
{
    return FaultText::tr(
        "Faults: a comma-separated list of KIND[=PARAM][@PATH][:RATE|:xCOUNT]\n"
        "  KIND   Before the server acts (nothing changes):\n"
        "         429               answer 429 Too Many Requests (with the rate-limit headers)\n"
        "         5xx[=CODE]        answer 500 (or 502, 503, 504)\n"
        "         reject[=CODE]     answer 400 (or 404, 409, 422): a definite refusal of the record\n"
        "         cut               close the connection without an answer\n"
        "         After the server acted (a write has happened):\n"
        "         5xx-after[=CODE]  answer 500 (or 502, 503, 504) instead of the real answer\n"
        "         cut-after         close the connection without an answer\n"
        "         timeout           never answer\n"
        "         truncated         send the headers and half of the body, then close\n"
        "         malformed         answer 200 with a body that is not valid JSON\n"
        "         wrongtypes        answer 200 with fields of unexpected types and missing fields\n"
        "         slow[=MS]         answer, late, after MS milliseconds (default 2000)\n"
        "  @PATH  only requests whose path starts with PATH (if it starts with /) or contains it\n"
        "  :RATE  a probability from 0 to 1 per matching request (default: every request);\n"
        "         the decisions come from --fault-seed, so a run can be repeated exactly\n"
        "  :xN    only the next N matching requests\n"
        "Example: 5xx:0.03,cut:0.02,cut-after:0.02,malformed:0.02,truncated:0.01,429:x5");
}

FaultInjector::FaultInjector(quint32 seed) : m_seed(seed), m_random(seed) {}

void FaultInjector::setRules(QList<FaultRule> rules)
{
    m_rules = std::move(rules);
    m_random.seed(m_seed);
}

void FaultInjector::setSeed(quint32 seed)
{
    m_seed = seed;
    m_random.seed(seed);
}

bool FaultInjector::fires(FaultRule &rule)
{
    if (rule.count >= 0) {
        if (rule.count == 0)
            return false;
        --rule.count;
        return true;
    }
    if (rule.rate >= 1.0)
        return true;
    return m_random.generateDouble() < rule.rate;
}

FaultDecision FaultInjector::decide(const QString &path)
{
    FaultDecision d;
    for (FaultRule &rule : m_rules) {
        if (!rule.matchesPath(path))
            continue;
        if (rule.kind == FaultKind::Slow) {
            if (fires(rule)) {
                d.extraDelayMs += rule.param;
                ++m_injected;
            }
            continue;
        }
        if (d.fault)
            continue;
        if (fires(rule)) {
            d.fault = rule;
            ++m_injected;
        }
    }
    return d;
}

} // namespace lb::sandbox
