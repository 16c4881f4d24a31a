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

struct SandboxOptions
{
    quint16 port = 0;             ///< 0: any free port on 127.0.0.1
    int contacts = 500;           ///< generated contacts, up to 100,000
    quint32 seed = 20261129;      ///< same seed, same data
    QString locationId = QStringLiteral("sbxLocation000000001");
    QString ghlToken = QStringLiteral("sandbox-ghl-token");
    int ghlBurstMax = 100;        ///< X-RateLimit-Max
    int ghlBurstIntervalMs = 10000;
    int ghlDailyLimit = 200000;
    int latencyMs = 0;            ///< added to every response
    QString faults;               ///< FaultSpec text, see Faults.h
    quint32 faultSeed = 7;        ///< the fault generator's seed (separate from the data's)
    bool sendRetryAfter = false;  ///< GHL does not seem to send Retry-After with 429; opt in here
    int oauthTokenLifetimeSec = 86399;
    QString oauthClientId = QStringLiteral("sandbox-client-id");
    QString oauthClientSecret = QStringLiteral("sandbox-client-secret");
    QString oauthRefreshToken = QStringLiteral("sandbox-refresh-token"); ///< valid once at start
    QString oauthAuthCode = QStringLiteral("sandbox-auth-code");         ///< valid once at start
    /// Generated dates lie in the two years before this; invalid: midnight UTC of the start day.
    QDateTime referenceTime;
};

/// Adds the `leadbridge-cli sandbox` options: --port, --contacts, --seed, --faults, --latency,
/// --location-id, --token, --burst-max, --burst-interval, --daily-limit, --token-lifetime,
/// --retry-after. (The fault grammar for the help text: faultSpecHelp() in Faults.h.)
void addSandboxOptions(QCommandLineParser &parser);
/// Reads the options added by addSandboxOptions(); false with a sentence in `error` for a bad
/// value (including a bad fault spec).
[[nodiscard]] bool sandboxOptionsFromParser(const QCommandLineParser &parser, SandboxOptions *options,
                                            QString *error);

/// The simulated services, serving on 127.0.0.1 until destroyed. GHL for now; Saleshandy joins later.
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
    [[nodiscard]] const SandboxOptions &options() const { return m_options; }
    /// {ghlUrl, saleshandyUrl, locationId, ghlToken, saleshandyApiKey}: the first line of `leadbridge-cli sandbox`.
    [[nodiscard]] QJsonObject connectionInfo() const;
    [[nodiscard]] GhlService &ghl();

private:
    SandboxOptions m_options;
    std::unique_ptr<GhlService> m_ghl;
};

} // namespace lb::sandbox
