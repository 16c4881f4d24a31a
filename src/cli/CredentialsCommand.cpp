#include "Cli.h"

#include "api/ghl/ChildRequests.h"
#include "api/ghl/GhlClient.h"
#include "secrets/CredentialStore.h"

#include <QTextStream>

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace lb::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::cli::Credentials", text);
}

/// One line from standard input, not echoed when it is a terminal.
QString readSecret(const QString &prompt)
{
    const bool tty = isatty(fileno(stdin)) == 1;
    termios saved{};
    if (tty) {
        Context::err(prompt);
        tcgetattr(fileno(stdin), &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        tcsetattr(fileno(stdin), TCSANOW, &quiet);
    }
    QTextStream in(stdin);
    const QString line = in.readLine();
    if (tty) {
        tcsetattr(fileno(stdin), TCSANOW, &saved);
        Context::err(QString());
    }
    return line.trimmed();
}

std::optional<Credential> which(const QString &name)
{
    if (name == QLatin1String("ghl"))
        return Credential::GhlToken;
    if (name == QLatin1String("ghl-oauth"))
        return Credential::GhlOAuth;
    if (name == QLatin1String("saleshandy"))
        return Credential::SaleshandyApiKey;
    return std::nullopt;
}

int exitFor(const CredentialResult &r)
{
    return r.ok() ? ExitOk : ExitUsage;
}

} // namespace

int runCredentials(Context &ctx)
{
    QCommandLineParser parser;
    const QCommandLineOption location(QStringLiteral("location"), tr("For 'test': the GHL location id to try."), tr("id"));
    parser.addOption(location);
    parser.addPositionalArgument(QStringLiteral("action"), tr("set ghl|saleshandy, forget ghl|saleshandy, or test"));
    int code = ExitOk;
    if (!ctx.parse(parser,
                   tr("Keeps the GHL token and the Saleshandy API key in the system keychain, never in a file. "
                      "'set' reads the secret from standard input."),
                   &code, QStringLiteral(" set|forget ghl|saleshandy | test")))
        return code;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.value(0);

    if (action == QLatin1String("test")) {
        if (!parser.isSet(location)) {
            Context::err(tr("Say which GHL location to test with --location ID."));
            return ExitUsage;
        }
        int result = ExitOk;
        std::unique_ptr<ghl::ListCustomFieldsRequest> request;
        ctx.connectGhl(
            parser.value(location),
            [&](ghl::GhlClient &client) {
                request = std::make_unique<ghl::ListCustomFieldsRequest>(client);
                QObject::connect(request.get(), &ApiRequest::finished, request.get(), [&] {
                    if (request->ok()) {
                        Context::out(tr("GHL accepted the credentials for location %1.").arg(parser.value(location)));
                        result = ExitOk;
                    } else {
                        Context::err(request->error().fullText());
                        result = request->error().exitCode();
                    }
                    QCoreApplication::exit(result);
                });
                request->start();
            },
            [&](int c) {
                result = c;
                QCoreApplication::exit(c);
            });
        runEventLoop([] { QCoreApplication::exit(130); });
        return result;
    }

    const std::optional<Credential> credential = which(pos.value(1));
    if ((action != QLatin1String("set") && action != QLatin1String("forget")) || pos.size() != 2 || !credential) {
        Context::err(tr("Use 'credentials set ghl', 'credentials set saleshandy', 'credentials forget ghl|saleshandy' "
                        "or 'credentials test --location ID'."));
        return ExitUsage;
    }
    CredentialStore store;
    int result = ExitOk;
    if (action == QLatin1String("set")) {
        const QString secret = readSecret(tr("Paste the %1 and press Enter:").arg(credentialDisplayName(*credential)));
        if (secret.isEmpty()) {
            Context::err(tr("No secret was given on standard input; nothing was stored."));
            return ExitUsage;
        }
        store.store(ctx.profile(), *credential, secret, nullptr, [&](const CredentialResult &r) {
            if (r.ok()) {
                Context::out(tr("The %1 of profile '%2' is in the keychain.")
                                 .arg(credentialDisplayName(*credential), ctx.profile()));
                if (CredentialStore::isOverriddenByEnvironment(*credential))
                    Context::err(tr("Note: %1 is set and takes precedence over the keychain.")
                                     .arg(credentialEnvironmentVariable(*credential)));
            } else {
                Context::err(r.message);
            }
            result = exitFor(r);
            QCoreApplication::exit(result);
        });
    } else {
        store.forget(ctx.profile(), *credential, nullptr, [&](const CredentialResult &r) {
            if (r.ok())
                Context::out(tr("The %1 of profile '%2' is no longer in the keychain.")
                                 .arg(credentialDisplayName(*credential), ctx.profile()));
            else
                Context::err(r.message);
            result = exitFor(r);
            QCoreApplication::exit(result);
        });
    }
    runEventLoop([] { QCoreApplication::exit(130); });
    return result;
}

} // namespace lb::cli
