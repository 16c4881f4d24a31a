#include "secrets/CredentialStore.h"

#include <qt6keychain/keychain.h>

#include <QLoggingCategory>
#include <QTimer>

namespace lb {

Q_LOGGING_CATEGORY(lcSecrets, "leadbridge.secrets")

namespace {

// What went wrong, in the terms a person can act on. The keychain backends only give us an error
// code that is often OtherError plus an English text, so the text decides between these.
enum class Cause { NotFound, NoService, NoSessionBus, Locked, Denied, TimedOut, Other };

Cause causeFromKeychain(QKeychain::Error code, const QString &text)
{
    const QString t = text.toLower();
    const auto has = [&t](const char *needle) { return t.contains(QLatin1String(needle)); };

    if (code == QKeychain::EntryNotFound)
        return Cause::NotFound;
    // libsecret maps SECRET_ERROR_IS_LOCKED to AccessDenied ("Cannot create an item in a locked
    // collection"): that is an unusable keychain, not a refusal.
    if (has("locked"))
        return Cause::Locked;
    if (code == QKeychain::AccessDeniedByUser || code == QKeychain::AccessDenied)
        return Cause::Denied;
    if (has("autolaunch") || has("dbus_session_bus_address") || has("d-bus is not running") ||
        has("could not connect") || has("failed to connect") || has("connection refused") ||
        has("no such file or directory"))
        return Cause::NoSessionBus;
    if (code == QKeychain::NoBackendAvailable || code == QKeychain::NotImplemented ||
        has("org.freedesktop.secrets") || has(".service files") || has("serviceunknown") ||
        has("no keychain service") || has("no keyring daemon") || has("not activatable") || has("kwalletd") ||
        has("could not open wallet"))
        return Cause::NoService;
    return Cause::Other;
}

CredentialError errorFor(Cause cause)
{
    switch (cause) {
    case Cause::NotFound:
        return CredentialError::NotFound;
    case Cause::NoService:
    case Cause::NoSessionBus:
    case Cause::Locked:
    case Cause::TimedOut:
        return CredentialError::Unavailable;
    case Cause::Denied:
        return CredentialError::AccessDenied;
    case Cause::Other:
        return CredentialError::Other;
    }
    return CredentialError::Other;
}

// The variable a server or CI job can use instead of the keychain. GHL OAuth has none of its own,
// but a GHL token replaces it.
QString environmentHint(Credential credential)
{
    const QString own = credentialEnvironmentVariable(credential);
    return own.isEmpty() ? credentialEnvironmentVariable(Credential::GhlToken) : own;
}

// The `leadbridge-cli credentials set` argument for a credential.
QString cliName(Credential credential)
{
    return credential == Credential::SaleshandyApiKey ? QStringLiteral("saleshandy") : QStringLiteral("ghl");
}

enum class Operation { Fetch, Store, Forget };

const char *operationName(Operation operation)
{
    switch (operation) {
    case Operation::Fetch:
        return "fetch";
    case Operation::Store:
        return "store";
    case Operation::Forget:
        return "forget";
    }
    return "?";
}

QString describeFailure(Operation operation, const QString &profile, Credential credential, Cause cause,
                        const QString &detail)
{
    const QString name = credentialDisplayName(credential);
    const QString variable = environmentHint(credential);
    switch (cause) {
    case Cause::NotFound:
        return CredentialStore::tr("No %1 is saved for profile “%2”. Save one in LeadBridge or with "
                                   "“leadbridge-cli credentials set %3 --profile %2”, or set %4.")
            .arg(name, profile, cliName(credential), variable);
    case Cause::NoService:
        return CredentialStore::tr("No keychain service is running. Install and start gnome-keyring "
                                   "(or KWallet), or set %1 for servers and CI.")
            .arg(variable);
    case Cause::NoSessionBus:
        return CredentialStore::tr("The keychain cannot be reached because there is no D-Bus session. "
                                   "Run LeadBridge in a desktop session (or under dbus-run-session with "
                                   "gnome-keyring started), or set %1 for servers and CI.")
            .arg(variable);
    case Cause::Locked:
        return CredentialStore::tr("The keychain is locked. Unlock it (log in to the desktop, or run "
                                   "“gnome-keyring-daemon --unlock”) and try again, or set %1 for servers "
                                   "and CI.")
            .arg(variable);
    case Cause::TimedOut:
        return CredentialStore::tr("The keychain did not answer in time. It may be waiting for you to "
                                   "unlock it; otherwise check that gnome-keyring (or KWallet) is running, "
                                   "or set %1 for servers and CI.")
            .arg(variable);
    case Cause::Denied:
        return CredentialStore::tr("Access to the keychain was denied. Allow LeadBridge when the keychain "
                                   "asks, or set %1 for servers and CI.")
            .arg(variable);
    case Cause::Other:
        break;
    }
    switch (operation) {
    case Operation::Fetch:
        return CredentialStore::tr("Could not read the %1 from the keychain: %2").arg(name, detail);
    case Operation::Store:
        return CredentialStore::tr("Could not save the %1 in the keychain: %2").arg(name, detail);
    case Operation::Forget:
        return CredentialStore::tr("Could not remove the %1 from the keychain: %2").arg(name, detail);
    }
    return detail;
}

} // namespace

struct CredentialStore::Request
{
    Request(Operation op, const QString &profileName, Credential which, const QObject *contextObject,
            Callback callback)
        : operation(op), profile(profileName), credential(which), context(contextObject),
          hasContext(contextObject != nullptr), done(std::move(callback))
    {
    }

    Operation operation = Operation::Fetch;
    QString profile;
    Credential credential = Credential::GhlToken;
    QPointer<const QObject> context;
    bool hasContext = false;
    Callback done;
    bool finished = false; // the job and the timeout race; the first one wins

    [[nodiscard]] CredentialResult result() const
    {
        CredentialResult r;
        r.profile = profile;
        r.credential = credential;
        return r;
    }
};

CredentialStore::CredentialStore(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<lb::Credential>();
}

CredentialStore::~CredentialStore() = default;

void CredentialStore::setTimeout(std::chrono::milliseconds timeout)
{
    m_timeout = timeout;
}

std::chrono::milliseconds CredentialStore::timeout() const
{
    return m_timeout;
}

bool CredentialStore::isOverriddenByEnvironment(Credential credential)
{
    const QString variable = credentialEnvironmentVariable(credential);
    return !variable.isEmpty() && !qEnvironmentVariableIsEmpty(variable.toLatin1().constData());
}

void CredentialStore::fetch(const QString &profile, Credential credential, const QObject *context,
                            Callback done)
{
    start(std::make_shared<Request>(Operation::Fetch, profile, credential, context, std::move(done)), {});
}

void CredentialStore::store(const QString &profile, Credential credential, const QString &secret,
                            const QObject *context, Callback done)
{
    start(std::make_shared<Request>(Operation::Store, profile, credential, context, std::move(done)), secret);
}

void CredentialStore::forget(const QString &profile, Credential credential, const QObject *context,
                             Callback done)
{
    start(std::make_shared<Request>(Operation::Forget, profile, credential, context, std::move(done)), {});
}

void CredentialStore::start(const std::shared_ptr<Request> &request, const QString &secret)
{
    const Operation operation = request->operation;
    const QString &profile = request->profile;
    const Credential credential = request->credential;
    CredentialResult result = request->result();
    const QString name = credentialDisplayName(credential);

    if (!isValidProfileName(profile)) {
        result.error = CredentialError::Other;
        result.message =
            tr("“%1” is not a valid profile name: use a name that is not empty and has no “/”.").arg(profile);
        finish(request, result);
        return;
    }
    if (operation == Operation::Store && secret.isEmpty()) {
        result.error = CredentialError::Other;
        result.message = tr("The %1 to save is empty. To remove a saved one, forget it instead.").arg(name);
        finish(request, result);
        return;
    }
    if (operation == Operation::Fetch && isOverriddenByEnvironment(credential)) {
        const QString variable = credentialEnvironmentVariable(credential);
        result.source = CredentialSource::Environment;
        result.secret = qEnvironmentVariable(variable.toLatin1().constData());
        result.detail = tr("Read from the environment variable %1.").arg(variable);
        finish(request, result);
        return;
    }

    const QString service = QString::fromLatin1(kCredentialService);
    QKeychain::Job *job = nullptr;
    switch (operation) {
    case Operation::Fetch:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case Operation::Store: {
        auto *write = new QKeychain::WritePasswordJob(service);
        write->setTextData(secret);
        job = write;
        break;
    }
    case Operation::Forget:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    // Without a parent: qtkeychain's backends call back into the job by raw pointer, so it must
    // outlive this store if the store goes first. It deletes itself after `finished`.
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never: it would write the secret in plain text to a settings file
    job->setKey(credentialAccount(profile, credential));

    connect(job, &QKeychain::Job::finished, this, [this, request](QKeychain::Job *finishedJob) {
        if (request->finished)
            return;
        CredentialResult result = request->result();
        // Read everything now: the job deletes itself once this handler returns.
        const QKeychain::Error code = finishedJob->error();
        const QString text = finishedJob->errorString();
        if (code == QKeychain::NoError) {
            if (request->operation == Operation::Fetch) {
                result.source = CredentialSource::Keychain;
                result.secret = static_cast<QKeychain::ReadPasswordJob *>(finishedJob)->textData();
            }
        } else if (request->operation == Operation::Forget && code == QKeychain::EntryNotFound) {
            // Already gone: what the caller wanted.
        } else {
            const Cause cause = causeFromKeychain(code, text);
            result.error = errorFor(cause);
            result.detail = text;
            result.message =
                describeFailure(request->operation, request->profile, request->credential, cause, text);
        }
        finish(request, result);
    });

    const auto timeout = m_timeout;
    QTimer::singleShot(m_timeout, this, [this, request, timeout] {
        if (request->finished)
            return;
        CredentialResult result = request->result();
        result.error = CredentialError::Unavailable;
        result.detail = QStringLiteral("no answer from the keychain within %1 ms").arg(timeout.count());
        result.message = describeFailure(request->operation, request->profile, request->credential,
                                         Cause::TimedOut, result.detail);
        finish(request, result);
    });

    qCDebug(lcSecrets) << operationName(operation) << job->key() << "started";
    job->start();
}

void CredentialStore::finish(const std::shared_ptr<Request> &request, CredentialResult result)
{
    request->finished = true;
    qCDebug(lcSecrets) << operationName(request->operation)
                       << credentialAccount(request->profile, request->credential) << "error"
                       << int(result.error) << result.detail; // never the secret
    // Always from the event loop, so that callers never see `done` run inside fetch/store/forget.
    QMetaObject::invokeMethod(
        this,
        [this, request, result = std::move(result)] {
            if (result.ok() && request->operation != Operation::Fetch)
                Q_EMIT credentialChanged(request->profile, request->credential);
            // Moved out so that whatever the callback captured is released now, not when the
            // timeout timer (which shares the request) fires.
            const Callback done = std::move(request->done);
            if (request->hasContext && !request->context)
                return;
            if (done)
                done(result);
        },
        Qt::QueuedConnection);
}

} // namespace lb
