#pragma once

#include <QCommandLineParser>
#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <QUrl>

#include <memory>

namespace lb::sandbox {

class GhlService;
class SaleshandyService;

struct SandboxOptions
{
    quint16 port = 0;        ///< 0: any free port on 127.0.0.1
    int contacts = 500;      ///< generated contacts, up to 100,000
    quint32 seed = 20261129; ///< same seed, same data
    QString locationId = QStringLiteral("sbxLocation000000001");
    QString ghlToken = QStringLiteral("sandbox-ghl-token");
    int ghlBurstMax = 100; ///< X-RateLimit-Max
    int ghlBurstIntervalMs = 10000;
    int ghlDailyLimit = 200000;
    int latencyMs = 0; ///< added to every response
    QString faults;    ///< FaultSpec text for the GHL service, see Faults.h
    /// The seed of the random fault decisions (separate from the data's): GHL's generator starts
    /// from it, Saleshandy's from faultSeed + 101. Same spec, seed and requests: same faults.
    quint32 faultSeed = 7;
    bool sendRetryAfter = false; ///< GHL does not seem to send Retry-After with 429; opt in here
    int oauthTokenLifetimeSec = 86399;
    QString oauthClientId = QStringLiteral("sandbox-client-id");
    QString oauthClientSecret = QStringLiteral("sandbox-client-secret");
    QString oauthRefreshToken = QStringLiteral("sandbox-refresh-token"); ///< valid once at start
    QString oauthAuthCode = QStringLiteral("sandbox-auth-code");         ///< valid once at start
    /// Generated dates lie in the two years before this; invalid: midnight UTC of the start day.
    QDateTime referenceTime;

    // Saleshandy (its own port; `faults` and the burst options above are GHL's).
    quint16 saleshandyPort = 0; ///< 0: any free port on 127.0.0.1
    QString saleshandyApiKey = QStringLiteral("sandbox-saleshandy-key");
    /// Saleshandy publishes no limit; the sandbox enforces this one so that clients meet 429s.
    int saleshandyRateMax = 10;
    int saleshandyRateIntervalMs = 1000;
    bool saleshandyRateHeaders = false; ///< send X-RateLimit-Limit/-Remaining/-Reset (none seen live)
    QString saleshandyFaults;           ///< FaultSpec text for the Saleshandy service
    int saleshandyImportDelayMs = 300;  ///< an import completes this long after it starts
};

/// Adds the `leadbridge-cli sandbox` options: --port, --contacts, --seed, --faults, --fault-seed, --latency,
/// --location-id, --token, --burst-max, --burst-interval, --daily-limit, --token-lifetime,
/// --retry-after; for Saleshandy --saleshandy-port, --saleshandy-key, --saleshandy-faults,
/// --saleshandy-rate, --saleshandy-rate-interval, --saleshandy-rate-headers,
/// --saleshandy-import-delay. (The fault grammar for the help text: faultSpecHelp() in Faults.h.)
void addSandboxOptions(QCommandLineParser &parser);
/// Reads the options added by addSandboxOptions(); false with a sentence in `error` for a bad
/// value (including a bad fault spec).
[[nodiscard]] bool sandboxOptionsFromParser(const QCommandLineParser &parser, SandboxOptions *options,
                                            QString *error);

/// The simulated services, GHL and Saleshandy each on its own port, serving on 127.0.0.1 until destroyed.
class Sandbox final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Sandbox)

public:
    explicit Sandbox(SandboxOptions options, QObject *parent = nullptr);
    ~Sandbox() override;

    /// Generates the data and starts listening. False with a sentence in `error` on failure.
    [[nodiscard]] bool start(QString *error);
    [[nodiscard]] QUrl ghlUrl() const;
    [[nodiscard]] QUrl saleshandyUrl() const;
    [[nodiscard]] const SandboxOptions &options() const { return m_options; }
    /// {ghlUrl, saleshandyUrl, locationId, ghlToken, saleshandyApiKey}: the first line of `leadbridge-cli
    /// sandbox`.
    [[nodiscard]] QJsonObject connectionInfo() const;
    [[nodiscard]] GhlService &ghl();
    [[nodiscard]] SaleshandyService &saleshandy();

private:
    SandboxOptions m_options;
    std::unique_ptr<GhlService> m_ghl;
    std::unique_ptr<SaleshandyService> m_saleshandy;
};

} // namespace lb::sandbox
