#include "gui/AppSession.h"

#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthTokenProvider.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "net/TokenProvider.h"
#include "sandbox/Sandbox.h"
#include "secrets/CredentialStore.h"
#include "services/ContactService.h"
#include "services/SyncService.h"
#include "store/ContactStore.h"
#include "store/Database.h"

#include <QLocale>
#include <QTemporaryDir>

namespace lb::gui {

AppSession::AppSession(QObject *parent) : QObject(parent) {}

AppSession::~AppSession()
{
    close();
}

void AppSession::close()
{
    ++m_generation;
    // In dependency order: the services use the clients and the store; the store uses the database.
    if (m_sync) {
        m_sync.reset();
        Q_EMIT syncServiceChanged(nullptr);
    }
    if (m_sh)
        m_sh->abortAll();
    m_sh.reset();
    m_shKey.reset();
    if (m_service) {
        m_service->cancelPull();
        m_service.reset();
        Q_EMIT serviceChanged(nullptr);
    }
    if (m_client)
        m_client->abortAll();
    m_client.reset();
    m_tokens.reset();
    m_store.reset();
    m_db.reset();
    m_sandbox.reset();
    m_demoDir.reset();
    m_initialPullDone = false;
    setState(State::NotConfigured, {});
}

QString AppSession::demoNote() const
{
    if (!m_sandbox)
        return {};
    return tr("Demo: simulated GHL with %1 contacts; its rate limit is raised to %2 requests per 10 s "
              "(GHL allows 100) so that the first pull takes seconds.")
        .arg(QLocale().toString(m_sandbox->options().contacts), QLocale().toString(m_sandbox->options().ghlBurstMax));
}

bool AppSession::openDatabase(const QString &spec, QString *error)
{
    m_db = Database::open(spec, error);
    if (!m_db)
        return false;
    m_store = std::make_unique<ContactStore>(*m_db);
    return true;
}

bool AppSession::startDemo(QString *error, int contacts)
{
    close();
    sandbox::SandboxOptions options;
    options.contacts = contacts;
    options.ghlBurstMax = kDemoBurstMax;
    options.saleshandyRateMax = kDemoBurstMax; // the demo's runs take seconds, not minutes
    options.saleshandyImportDelayMs = 100;
    m_sandbox = std::make_unique<sandbox::Sandbox>(options);
    if (!m_sandbox->start(error)) {
        m_sandbox.reset();
        setState(State::Failed, *error);
        return false;
    }
    // A fresh database each time: the sandbox starts from its seed again, too.
    m_demoDir = std::make_unique<QTemporaryDir>();
    if (!m_demoDir->isValid() || !openDatabase(m_demoDir->filePath(QStringLiteral("demo.db")), error)) {
        if (error->isEmpty())
            *error = tr("Cannot create a temporary folder for the demo database.");
        setState(State::Failed, *error);
        return false;
    }
    m_profile = QStringLiteral("demo");
    startService(m_sandbox->ghlUrl(), m_sandbox->options().locationId,
                 std::make_unique<StaticTokenProvider>(m_sandbox->options().ghlToken));
    startSync(m_sandbox->saleshandyUrl(), m_sandbox->options().locationId,
              std::make_unique<StaticTokenProvider>(m_sandbox->options().saleshandyApiKey));
    if (m_sh) {
        ServiceScheduler::Policy fast = m_sh->scheduler().policy();
        fast.burstMax = kDemoBurstMax;
        fast.maxInFlight = 6;
        m_sh->scheduler().setPolicy(fast);
    }
    return true;
}

void AppSession::connectProfile(const ProfileSettings &profile, CredentialStore &credentials)
{
    close();
    m_profile = profile.name;
    QString error;
    if (!openDatabase(Database::defaultPath(profile.name), &error)) {
        setState(State::Failed, error);
        return;
    }
    if (profile.locationId.isEmpty()) {
        setState(State::NotConfigured, tr("The profile has no GHL location yet. Use Profile → Set up."));
        return;
    }
    setState(State::Connecting, tr("Reading the GHL credentials from the keychain…"));
    const QUrl root(profile.ghlUrl.isEmpty() ? QString::fromLatin1(ghl::GhlClient::kDefaultRoot) : profile.ghlUrl);
    const int generation = m_generation;
    const bool oauth = profile.ghlAuth == ProfileSettings::GhlAuth::OAuth;
    credentials.fetch(profile.name, oauth ? Credential::GhlOAuth : Credential::GhlToken, this,
                      [this, generation, root, profile, oauth, &credentials](const CredentialResult &r) {
                          if (generation != m_generation)
                              return;
                          if (!r.ok()) {
                              const QString message = r.error == CredentialError::NotFound
                                                          ? tr("No GHL credentials are stored for this profile. "
                                                               "Use Profile → Set up to enter them.")
                                                          : r.message;
                              setState(State::Failed, message);
                              return;
                          }
                          // Syncing needs the Saleshandy key too; browsing contacts does not wait for it.
                          credentials.fetch(
                              profile.name, Credential::SaleshandyApiKey, this,
                              [this, generation, location = profile.locationId](const CredentialResult &k) {
                                  if (generation != m_generation || !k.ok())
                                      return;
                                  startSync(QUrl(QString::fromLatin1(sh::SaleshandyClient::kDefaultRoot)),
                                            location, std::make_unique<StaticTokenProvider>(k.secret));
                              });
                          if (!oauth) {
                              startService(root, profile.locationId, std::make_unique<StaticTokenProvider>(r.secret));
                              return;
                          }
                          ghl::OAuthTokens tokens = ghl::OAuthTokens::deserialize(r.secret.toUtf8());
                          if (tokens.locationId.isEmpty())
                              tokens.locationId = profile.locationId;
                          auto provider = std::make_unique<ghl::OAuthTokenProvider>(root, tokens);
                          // A refresh token is single-use: the new pair must reach the keychain at once.
                          connect(provider.get(), &ghl::OAuthTokenProvider::tokensChanged, this,
                                  [this, name = profile.name, &credentials](const ghl::OAuthTokens &fresh) {
                                      credentials.store(name, Credential::GhlOAuth,
                                                        QString::fromUtf8(fresh.serialize()), this,
                                                        [this](const CredentialResult &s) {
                                                            if (!s.ok())
                                                                setState(m_state,
                                                                         tr("The renewed GHL token could not "
                                                                            "be saved: %1")
                                                                             .arg(s.message));
                                                        });
                                  });
                          startService(root, profile.locationId, std::move(provider));
                      });
}

void AppSession::startService(const QUrl &root, const QString &locationId, std::unique_ptr<TokenProvider> tokens)
{
    m_tokens = std::move(tokens);
    m_client = std::make_unique<ghl::GhlClient>(root, locationId);
    m_client->setTokenProvider(m_tokens.get());
    connect(&m_client->scheduler(), &ServiceScheduler::quotaChanged, this, &AppSession::quotaChanged);
    m_service = std::make_unique<ContactService>(*m_client, *m_store);
    connect(m_service.get(), &ContactService::pullFinished, this, &AppSession::onPullFinished);
    connect(m_service.get(), &ContactService::failed, this,
            [this](ContactService::Operation, const ApiError &error) {
                if (error.kind == ApiError::Kind::Auth)
                    setState(State::Failed, error.message);
                else if (error.isServiceProblem() && error.kind != ApiError::Kind::RateLimited)
                    setState(State::Offline, error.message);
            });
    Q_EMIT serviceChanged(m_service.get());
    setState(State::Connecting, tr("Reading the changes from GHL…"));
    // An incremental pull on a filled store; the demo's empty store makes it a full one anyway.
    m_service->startPull();
}

void AppSession::startSync(const QUrl &root, const QString &locationId, std::unique_ptr<TokenProvider> key)
{
    if (!m_client || !m_db)
        return;
    m_shKey = std::move(key);
    m_sh = std::make_unique<sh::SaleshandyClient>(root);
    m_sh->setTokenProvider(m_shKey.get());
    m_sync = std::make_unique<SyncService>(*m_client, *m_sh, *m_db, locationId);
    Q_EMIT syncServiceChanged(m_sync.get());
}

void AppSession::onPullFinished(const ApiError &error, const PullStats &stats)
{
    Q_UNUSED(stats)
    if (error.isOk())
        setState(State::Connected, {});
    else if (error.kind == ApiError::Kind::Auth || error.kind == ApiError::Kind::Forbidden)
        setState(State::Failed, error.message);
    else if (error.kind == ApiError::Kind::Cancelled)
        setState(m_state == State::Connecting ? State::Connected : m_state, {});
    else
        setState(State::Offline, error.message);
    if (!m_initialPullDone) {
        m_initialPullDone = true;
        Q_EMIT initialPullFinished();
    }
}

void AppSession::setState(State state, const QString &detail)
{
    if (state == m_state && detail == m_detail)
        return;
    m_state = state;
    m_detail = detail;
    Q_EMIT stateChanged(state, detail);
}

} // namespace lb::gui
