#include "Cli.h"

#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthTokenProvider.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "secrets/CredentialStore.h"
#include "store/Database.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTextStream>

#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

namespace lb::cli {

Context::Context(QString command, QStringList arguments)
    : m_command(std::move(command)), m_arguments(std::move(arguments)),
      m_profile(QString::fromLatin1(kDefaultProfile)),
      m_ghlUrl(QString::fromLatin1(ghl::GhlClient::kDefaultRoot)),
      m_saleshandyUrl(QString::fromLatin1(sh::SaleshandyClient::kDefaultRoot))
{
}

Context::~Context() = default;

bool Context::parse(QCommandLineParser &parser, const QString &description, int *exitCode,
                    const QString &usageSuffix)
{
    parser.setApplicationDescription(description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help."));
    const QCommandLineOption db(
        QStringLiteral("db"),
        tr("The local store: a SQLite file, or postgresql://user:password@host/db for team mode."),
        tr("path-or-url"));
    const QCommandLineOption profile(QStringLiteral("profile"),
                                     tr("The profile (one per GHL location). Default: default."), tr("name"));
    const QCommandLineOption ghlUrl(
        QStringLiteral("ghl-url"),
        tr("The GHL API root. Default: %1.").arg(QString::fromLatin1(ghl::GhlClient::kDefaultRoot)),
        tr("url"));
    const QCommandLineOption saleshandyUrl(
        QStringLiteral("saleshandy-url"),
        tr("The Saleshandy API root. Default: https://open-api.saleshandy.com."), tr("url"));
    const QCommandLineOption json(QStringLiteral("json"), tr("Print machine-readable JSON."));
    parser.addOptions({help, db, profile, ghlUrl, saleshandyUrl, json});

    QStringList args = m_arguments;
    args.prepend(QStringLiteral("leadbridge-cli ") + m_command);
    if (!parser.parse(args)) {
        err(tr("%1\nRun 'leadbridge-cli %2 --help' for the options.").arg(parser.errorText(), m_command));
        *exitCode = ExitUsage;
        return false;
    }
    if (parser.isSet(help)) {
        QString text = parser.helpText();
        text.replace(QStringLiteral("leadbridge-cli ") + m_command + QStringLiteral(" [options]"),
                     QStringLiteral("leadbridge-cli ") + m_command + QStringLiteral(" [options]") +
                         usageSuffix);
        out(text.trimmed());
        *exitCode = ExitOk;
        return false;
    }
    m_json = parser.isSet(json);
    if (parser.isSet(profile))
        m_profile = parser.value(profile);
    if (!isValidProfileName(m_profile)) {
        err(tr("'%1' is not a valid profile name: use up to 100 characters, without '/'.").arg(m_profile));
        *exitCode = ExitUsage;
        return false;
    }
    m_dbSpec = parser.isSet(db) ? parser.value(db) : Database::defaultPath(m_profile);
    if (parser.isSet(ghlUrl)) {
        const QUrl url(parser.value(ghlUrl));
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            err(tr("'%1' is not a valid http or https address for --ghl-url.").arg(parser.value(ghlUrl)));
            *exitCode = ExitUsage;
            return false;
        }
        m_ghlUrl = parser.value(ghlUrl);
    }
    if (parser.isSet(saleshandyUrl)) {
        const QUrl url(parser.value(saleshandyUrl));
        if (!url.isValid() ||
            (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))) {
            err(tr("'%1' is not a valid http or https address for --saleshandy-url.")
                    .arg(parser.value(saleshandyUrl)));
            *exitCode = ExitUsage;
            return false;
        }
        m_saleshandyUrl = parser.value(saleshandyUrl);
    }
    return true;
}

Database *Context::database()
{
    if (m_db)
        return m_db.get();
    QString error;
    m_db = Database::open(m_dbSpec, &error);
    if (!m_db)
        err(error);
    return m_db.get();
}

void Context::connectGhl(const QString &locationId, std::function<void(ghl::GhlClient &)> ready,
                         std::function<void(int)> failed)
{
    m_ghl = std::make_unique<ghl::GhlClient>(QUrl(m_ghlUrl), locationId);
    m_credentials = std::make_unique<CredentialStore>();
    m_credentials->setTimeout(std::chrono::milliseconds(15000));
    auto useToken = [this, ready](const QString &token) {
        m_tokens = std::make_unique<StaticTokenProvider>(token);
        m_ghl->setTokenProvider(m_tokens.get());
        ready(*m_ghl);
    };
    m_credentials->fetch(
        m_profile, Credential::GhlToken, nullptr, [this, useToken, ready, failed](const CredentialResult &r) {
            if (r.ok()) {
                useToken(r.secret);
                return;
            }
            if (r.error != CredentialError::NotFound) {
                err(r.message);
                failed(ExitUsage);
                return;
            }
            // No token: an OAuth install, whose renewed tokens go straight back into the keychain.
            m_credentials->fetch(
                m_profile, Credential::GhlOAuth, nullptr, [this, ready, failed](const CredentialResult &o) {
                    if (!o.ok()) {
                        if (o.error == CredentialError::NotFound)
                            err(tr("There are no GHL credentials for profile '%1'. Run 'leadbridge-cli "
                                   "credentials set ghl' "
                                   "(the token is read from standard input) or set LEADBRIDGE_GHL_TOKEN.")
                                    .arg(m_profile));
                        else
                            err(o.message);
                        failed(ExitUsage);
                        return;
                    }
                    ghl::OAuthTokens tokens = ghl::OAuthTokens::deserialize(o.secret.toUtf8());
                    if (tokens.locationId.isEmpty())
                        tokens.locationId = m_ghl->locationId();
                    auto provider = std::make_unique<ghl::OAuthTokenProvider>(QUrl(m_ghlUrl), tokens);
                    QObject::connect(provider.get(), &ghl::OAuthTokenProvider::tokensChanged, m_ghl.get(),
                                     [this](const ghl::OAuthTokens &fresh) {
                                         m_credentials->store(
                                             m_profile, Credential::GhlOAuth,
                                             QString::fromUtf8(fresh.serialize()), nullptr,
                                             [](const CredentialResult &s) {
                                                 if (!s.ok())
                                                     err(tr("The renewed GHL token could not be saved: %1")
                                                             .arg(s.message));
                                             });
                                     });
                    m_tokens = std::move(provider);
                    m_ghl->setTokenProvider(m_tokens.get());
                    ready(*m_ghl);
                });
        });
}

void Context::connectSaleshandy(std::function<void(sh::SaleshandyClient &)> ready,
                                std::function<void(int)> failed)
{
    m_sh = std::make_unique<sh::SaleshandyClient>(QUrl(m_saleshandyUrl));
    if (!m_credentials) {
        m_credentials = std::make_unique<CredentialStore>();
        m_credentials->setTimeout(std::chrono::milliseconds(15000));
    }
    m_credentials->fetch(
        m_profile, Credential::SaleshandyApiKey, nullptr, [this, ready, failed](const CredentialResult &r) {
            if (!r.ok()) {
                if (r.error == CredentialError::NotFound)
                    err(tr("There is no Saleshandy API key for profile '%1'. Run 'leadbridge-cli credentials "
                           "set saleshandy' "
                           "(the key is read from standard input) or set LEADBRIDGE_SALESHANDY_API_KEY.")
                            .arg(m_profile));
                else
                    err(r.message);
                failed(ExitUsage);
                return;
            }
            m_shKey = std::make_unique<StaticTokenProvider>(r.secret);
            m_sh->setTokenProvider(m_shKey.get());
            ready(*m_sh);
        });
}

void Context::out(const QString &text)
{
    QTextStream stream(stdout);
    stream << text << '\n';
}

void Context::err(const QString &text)
{
    QTextStream stream(stderr);
    stream << text << '\n';
}

void Context::outJson(const QJsonObject &object)
{
    out(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
}

bool Context::interactive()
{
    return isatty(fileno(stderr)) == 1;
}

namespace {
int g_signalFds[2] = {-1, -1};

void onSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const auto n = ::write(g_signalFds[0], &byte, 1);
}
} // namespace

int runEventLoop(std::function<void()> interrupted)
{
    // The self-pipe turns a signal into an event-loop event, where it is safe to act on it.
    if (g_signalFds[0] < 0 && ::socketpair(AF_UNIX, SOCK_STREAM, 0, g_signalFds) == 0) {
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    QSocketNotifier notifier(g_signalFds[1], QSocketNotifier::Read);
    int count = 0;
    QObject::connect(&notifier, &QSocketNotifier::activated, &notifier, [&count, interrupted] {
        char byte = 0;
        [[maybe_unused]] const auto n = ::read(g_signalFds[1], &byte, 1);
        if (++count > 1) // a second Ctrl+C: stop now
            QCoreApplication::exit(130);
        else
            interrupted();
    });
    return QCoreApplication::exec();
}

void printWarnings(const QList<FieldWarning> &warnings)
{
    for (const FieldWarning &w : warnings) {
        // Messages often lead with their field already ("Company: 320 characters, cut ...").
        const QString prefix = w.target + QLatin1Char(':');
        const QString message =
            w.message.startsWith(prefix) ? w.message.mid(prefix.size()).trimmed() : w.message;
        Context::out(
            QStringLiteral("            ! %1 (%2): %3").arg(w.target, warningKindName(w.kind), message));
    }
}

QJsonArray warningsJson(const QList<FieldWarning> &warnings)
{
    QJsonArray a;
    for (const FieldWarning &w : warnings)
        a.append(fieldWarningToJson(w));
    return a;
}

} // namespace lb::cli

namespace {

void printUsage()
{
    lb::cli::Context::out(QCoreApplication::translate(
        "lb::cli",
        "LeadBridge keeps Saleshandy in step with GoHighLevel.\n\n"
        "Usage: leadbridge-cli <command> [options]\n\n"
        "Commands:\n"
        "  pull --location ID [--full]     Take GHL contacts, tasks, notes and appointments into the local "
        "store\n"
        "  sync --location ID [--full] [--dry-run] [--mapping FILE] [--sequence-step ID]\n"
        "                                   Pull from GHL and bring Saleshandy in step\n"
        "  retry --run ID                   Sync again the records that failed in a run\n"
        "  mapping export|import FILE       Write or load the field mapping (JSON)\n"
        "  contacts list [--search TEXT]    List contacts from the local store\n"
        "  contacts show ID                 Show one contact with its tasks, notes and appointments\n"
        "  credentials set ghl|saleshandy   Store a secret (read from standard input) in the keychain\n"
        "  credentials test --location ID   Check the GHL credentials against the API\n"
        "  credentials forget ghl|saleshandy\n"
        "  log [--run ID] [--failed]        Show the sync runs, or the records of one run\n"
        "  sandbox [--port N] [--contacts N] [--faults SPEC]\n"
        "                                   Serve the simulated GHL and Saleshandy APIs on 127.0.0.1\n\n"
        "Run 'leadbridge-cli <command> --help' for a command's options; --verbose shows what happens.\n"
        "Exit codes: 0 ok, 1 some records failed, 2 usage or configuration, 3 authentication, 4 unreachable "
        "or over quota."));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("LeadBridge"));
    QCoreApplication::setApplicationName(QStringLiteral("LeadBridge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(PROJECT_VERSION_STRING));

    QStringList args = QCoreApplication::arguments().mid(1);
    // Progress and diagnostics of the core are for --verbose; warnings always show.
    const bool verbose =
        args.removeAll(QStringLiteral("--verbose")) + args.removeAll(QStringLiteral("-v")) > 0;
    if (!verbose && qEnvironmentVariableIsEmpty("QT_LOGGING_RULES"))
        QLoggingCategory::setFilterRules(QStringLiteral("*.info=false\n*.debug=false"));
    if (args.isEmpty() || args.first() == QLatin1String("--help") || args.first() == QLatin1String("-h") ||
        args.first() == QLatin1String("help")) {
        printUsage();
        return args.isEmpty() ? lb::cli::ExitUsage : lb::cli::ExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        lb::cli::Context::out(QStringLiteral("leadbridge-cli ") + QCoreApplication::applicationVersion());
        return lb::cli::ExitOk;
    }
    const QString command = args.takeFirst();
    lb::cli::Context ctx(command, args);
    if (command == QLatin1String("pull"))
        return lb::cli::runPull(ctx);
    if (command == QLatin1String("contacts"))
        return lb::cli::runContacts(ctx);
    if (command == QLatin1String("credentials"))
        return lb::cli::runCredentials(ctx);
    if (command == QLatin1String("sandbox"))
        return lb::cli::runSandbox(ctx);
    if (command == QLatin1String("log"))
        return lb::cli::runLog(ctx);
    if (command == QLatin1String("sync"))
        return lb::cli::runSync(ctx);
    if (command == QLatin1String("retry"))
        return lb::cli::runRetry(ctx);
    if (command == QLatin1String("mapping"))
        return lb::cli::runMapping(ctx);
    lb::cli::Context::err(QCoreApplication::translate("lb::cli", "Unknown command '%1'.").arg(command));
    printUsage();
    return lb::cli::ExitUsage;
}
