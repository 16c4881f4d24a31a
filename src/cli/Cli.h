#pragma once

#include "domain/FieldMapping.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace lb {
class Database;
class TokenProvider;
class CredentialStore;
namespace ghl {
class GhlClient;
}
namespace sh {
class SaleshandyClient;
}
} // namespace lb

namespace lb::cli {

/// The exit codes of DESIGN.md.
enum Exit : int {
    ExitOk = 0,
    ExitRecordsFailed = 1,
    ExitUsage = 2,
    ExitAuth = 3,
    ExitUnreachable = 4,
};

/// What every command shares: the common options, output, the store and the GHL connection.
class Context
{
    Q_DECLARE_TR_FUNCTIONS(lb::cli::Context)

public:
    Context(QString command, QStringList arguments);
    ~Context();

    /// Adds the common options (--db, --profile, --ghl-url, --json) and --help, then parses.
    /// Returns false after printing the help (exit 0) or an error (exit 2) into `exitCode`.
    [[nodiscard]] bool parse(QCommandLineParser &parser, const QString &description, int *exitCode,
                             const QString &usageSuffix = {});

    [[nodiscard]] const QString &command() const { return m_command; }
    [[nodiscard]] bool json() const { return m_json; }
    [[nodiscard]] QString profile() const { return m_profile; }
    [[nodiscard]] QString ghlUrl() const { return m_ghlUrl; }

    /// Opens the store (--db, or the profile's default file). Null after printing why.
    [[nodiscard]] Database *database();

    /// Resolves the GHL credentials (environment, then keychain: token, then OAuth) and calls
    /// `ready` with a client for `locationId`, or prints why not and calls `failed` with an exit code.
    void connectGhl(const QString &locationId, std::function<void(ghl::GhlClient &)> ready,
                    std::function<void(int)> failed);

    /// Resolves the Saleshandy API key (environment, then keychain) and calls `ready` with a client,
    /// or prints why not and calls `failed` with an exit code.
    void connectSaleshandy(std::function<void(sh::SaleshandyClient &)> ready,
                           std::function<void(int)> failed);
    [[nodiscard]] QString saleshandyUrl() const { return m_saleshandyUrl; }
    /// The clients made by connectGhl() and connectSaleshandy(), once ready.
    [[nodiscard]] ghl::GhlClient *ghlClient() const { return m_ghl.get(); }
    [[nodiscard]] sh::SaleshandyClient *saleshandyClient() const { return m_sh.get(); }

    // Output: results to stdout, messages for people to stderr.
    static void out(const QString &text);
    static void err(const QString &text);
    static void outJson(const QJsonObject &object);
    /// Whether stderr is a terminal (progress lines are only drawn there).
    [[nodiscard]] static bool interactive();

private:
    QString m_command;
    QStringList m_arguments;
    QString m_profile;
    QString m_dbSpec;
    QString m_ghlUrl;
    QString m_saleshandyUrl;
    bool m_json = false;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<CredentialStore> m_credentials;
    std::unique_ptr<TokenProvider> m_tokens;
    std::unique_ptr<ghl::GhlClient> m_ghl;
    std::unique_ptr<TokenProvider> m_shKey;
    std::unique_ptr<sh::SaleshandyClient> m_sh;
};

int runPull(Context &ctx);
int runContacts(Context &ctx);
int runCredentials(Context &ctx);
int runSandbox(Context &ctx);
int runLog(Context &ctx);
int runSync(Context &ctx);
int runRetry(Context &ctx);
int runMapping(Context &ctx);

/// One line per field not sent exactly as GHL has it, indented under its record.
void printWarnings(const QList<FieldWarning> &warnings);
/// The same, as JSON: [{kind, target, value, message}].
[[nodiscard]] QJsonArray warningsJson(const QList<FieldWarning> &warnings);

/// Runs the event loop until `quit` is called, and returns its code. SIGINT and SIGTERM call `interrupted`.
int runEventLoop(std::function<void()> interrupted);

} // namespace lb::cli
