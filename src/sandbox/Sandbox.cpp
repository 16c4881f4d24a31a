#include "sandbox/Sandbox.h"

#include "sandbox/Faults.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"

#include <QCoreApplication>

namespace lb::sandbox {

namespace {
struct SandboxText
{
    Q_DECLARE_TR_FUNCTIONS(lb::sandbox::Sandbox)
};
} // namespace

Sandbox::Sandbox(SandboxOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_ghl(std::make_unique<GhlService>(m_options)),
      m_saleshandy(std::make_unique<SaleshandyService>(m_options))
{
}

Sandbox::~Sandbox() = default;

bool Sandbox::start(QString *error)
{
    if (m_options.contacts < 0 || m_options.contacts > 100000) {
        if (error)
            *error = SandboxText::tr("The number of contacts must be between 0 and 100000, not %1.")
                         .arg(m_options.contacts);
        return false;
    }
    return m_ghl->start(error) && m_saleshandy->start(error);
}

QUrl Sandbox::ghlUrl() const
{
    return m_ghl->url();
}

QUrl Sandbox::saleshandyUrl() const
{
    return m_saleshandy->url();
}

QJsonObject Sandbox::connectionInfo() const
{
    return QJsonObject{{QStringLiteral("ghlUrl"), ghlUrl().toString()},
                       {QStringLiteral("saleshandyUrl"), saleshandyUrl().toString()},
                       {QStringLiteral("locationId"), m_options.locationId},
                       {QStringLiteral("ghlToken"), m_options.ghlToken},
                       {QStringLiteral("saleshandyApiKey"), m_options.saleshandyApiKey}};
}

GhlService &Sandbox::ghl()
{
    return *m_ghl;
}

SaleshandyService &Sandbox::saleshandy()
{
    return *m_saleshandy;
}

void addSandboxOptions(QCommandLineParser &parser)
{
    const SandboxOptions d;
    parser.addOptions({
        {QStringLiteral("port"), SandboxText::tr("Port on 127.0.0.1 (0: any free port)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("contacts"), SandboxText::tr("Number of generated contacts (up to 100000)."),
         QStringLiteral("N"), QString::number(d.contacts)},
        {QStringLiteral("seed"), SandboxText::tr("Seed of the generated data (same seed, same data)."),
         QStringLiteral("N"), QString::number(d.seed)},
        {QStringLiteral("faults"), SandboxText::tr("Faults to inject into the GHL service; see below."),
         QStringLiteral("SPEC")},
        {QStringLiteral("fault-seed"),
         SandboxText::tr("Seed of the random fault decisions of both services (same spec and seed, "
                         "same faults)."),
         QStringLiteral("N"), QString::number(d.faultSeed)},
        {QStringLiteral("latency"), SandboxText::tr("Delay added to every response, in milliseconds."),
         QStringLiteral("MS"), QStringLiteral("0")},
        {QStringLiteral("location-id"), SandboxText::tr("The simulated location's id."), QStringLiteral("ID"),
         d.locationId},
        {QStringLiteral("token"), SandboxText::tr("The accepted GHL token (a Private Integration Token)."),
         QStringLiteral("TOKEN"), d.ghlToken},
        {QStringLiteral("burst-max"), SandboxText::tr("Requests allowed per burst interval."),
         QStringLiteral("N"), QString::number(d.ghlBurstMax)},
        {QStringLiteral("burst-interval"), SandboxText::tr("Burst interval in milliseconds."),
         QStringLiteral("MS"), QString::number(d.ghlBurstIntervalMs)},
        {QStringLiteral("daily-limit"), SandboxText::tr("Requests allowed per day."), QStringLiteral("N"),
         QString::number(d.ghlDailyLimit)},
        {QStringLiteral("token-lifetime"), SandboxText::tr("Lifetime of OAuth access tokens, in seconds."),
         QStringLiteral("S"), QString::number(d.oauthTokenLifetimeSec)},
        {QStringLiteral("retry-after"), SandboxText::tr("Send Retry-After with 429 answers (GHL does not).")},
        {QStringLiteral("saleshandy-port"),
         SandboxText::tr("Port of the Saleshandy service on 127.0.0.1 (0: any free port)."),
         QStringLiteral("N"), QStringLiteral("0")},
        {QStringLiteral("saleshandy-key"), SandboxText::tr("The accepted Saleshandy API key."),
         QStringLiteral("KEY"), d.saleshandyApiKey},
        {QStringLiteral("saleshandy-faults"),
         SandboxText::tr("Faults to inject into the Saleshandy service; see below."), QStringLiteral("SPEC")},
        {QStringLiteral("saleshandy-rate"), SandboxText::tr("Saleshandy requests allowed per rate interval."),
         QStringLiteral("N"), QString::number(d.saleshandyRateMax)},
        {QStringLiteral("saleshandy-rate-interval"),
         SandboxText::tr("Saleshandy rate interval in milliseconds."), QStringLiteral("MS"),
         QString::number(d.saleshandyRateIntervalMs)},
        {QStringLiteral("saleshandy-rate-headers"),
         SandboxText::tr(
             "Send X-RateLimit-* headers from Saleshandy (none have been seen from the live API).")},
        {QStringLiteral("saleshandy-import-delay"),
         SandboxText::tr("Milliseconds until a Saleshandy prospect import completes."), QStringLiteral("MS"),
         QString::number(d.saleshandyImportDelayMs)},
    });
}

bool sandboxOptionsFromParser(const QCommandLineParser &parser, SandboxOptions *options, QString *error)
{
    auto number = [&](const char *name, qint64 min, qint64 max, qint64 *out) {
        const QString text = parser.value(QLatin1String(name));
        bool ok = false;
        const qint64 v = text.toLongLong(&ok);
        if (!ok || v < min || v > max) {
            if (error)
                *error = SandboxText::tr("--%1 must be a whole number from %2 to %3, not \"%4\".")
                             .arg(QLatin1String(name))
                             .arg(min)
                             .arg(max)
                             .arg(text);
            return false;
        }
        *out = v;
        return true;
    };
    SandboxOptions o = *options;
    qint64 v = 0;
    if (!number("port", 0, 65535, &v))
        return false;
    o.port = quint16(v);
    if (!number("contacts", 0, 100000, &v))
        return false;
    o.contacts = int(v);
    if (!number("seed", 0, 0xffffffffLL, &v))
        return false;
    o.seed = quint32(v);
    if (!number("fault-seed", 0, 0xffffffffLL, &v))
        return false;
    o.faultSeed = quint32(v);
    if (!number("latency", 0, 600000, &v))
        return false;
    o.latencyMs = int(v);
    if (!number("burst-max", 1, 1000000, &v))
        return false;
    o.ghlBurstMax = int(v);
    if (!number("burst-interval", 1, 86400000, &v))
        return false;
    o.ghlBurstIntervalMs = int(v);
    if (!number("daily-limit", 1, 100000000, &v))
        return false;
    o.ghlDailyLimit = int(v);
    if (!number("token-lifetime", 1, 100000000, &v))
        return false;
    o.oauthTokenLifetimeSec = int(v);
    o.locationId = parser.value(QStringLiteral("location-id"));
    o.ghlToken = parser.value(QStringLiteral("token"));
    if (o.locationId.isEmpty() || o.ghlToken.isEmpty()) {
        if (error)
            *error = SandboxText::tr("--location-id and --token must not be empty.");
        return false;
    }
    o.sendRetryAfter = parser.isSet(QStringLiteral("retry-after"));
    o.faults = parser.value(QStringLiteral("faults"));
    if (!o.faults.isEmpty() && !parseFaultSpec(o.faults, error))
        return false;
    if (!number("saleshandy-port", 0, 65535, &v))
        return false;
    o.saleshandyPort = quint16(v);
    if (!number("saleshandy-rate", 1, 1000000, &v))
        return false;
    o.saleshandyRateMax = int(v);
    if (!number("saleshandy-rate-interval", 1, 86400000, &v))
        return false;
    o.saleshandyRateIntervalMs = int(v);
    if (!number("saleshandy-import-delay", 0, 600000, &v))
        return false;
    o.saleshandyImportDelayMs = int(v);
    o.saleshandyRateHeaders = parser.isSet(QStringLiteral("saleshandy-rate-headers"));
    o.saleshandyApiKey = parser.value(QStringLiteral("saleshandy-key"));
    if (o.saleshandyApiKey.isEmpty()) {
        if (error)
            *error = SandboxText::tr("--saleshandy-key must not be empty.");
        return false;
    }
    o.saleshandyFaults = parser.value(QStringLiteral("saleshandy-faults"));
    if (!o.saleshandyFaults.isEmpty() && !parseFaultSpec(o.saleshandyFaults, error))
        return false;
    if (o.port != 0 && o.port == o.saleshandyPort) {
        if (error)
            *error = SandboxText::tr("--port and --saleshandy-port must differ.");
        return false;
    }
    *options = o;
    return true;
}

} // namespace lb::sandbox
