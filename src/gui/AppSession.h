#pragma once

#include "gui/AppSettings.h"

#include <QObject>
#include <QPointer>

#include <memory>

class QTemporaryDir;

namespace lb {
class ContactService;
class SyncService;
class ContactStore;
class CredentialStore;
class Database;
class TokenProvider;
struct ApiError;
struct PullStats;
namespace ghl {
class GhlClient;
}
namespace sandbox {
class Sandbox;
}
namespace sh {
class SaleshandyClient;
}
} // namespace lb

namespace lb::gui {

/// Everything one profile's window works with: the local database, the GHL client with its
/// credentials and scheduler, and the ContactService over both. In demo mode also the in-process
/// sandbox and a throwaway database. Not a widget: the main window listens to its signals.
class AppSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppSession)

public:
    enum class State { NotConfigured, Connecting, Connected, Offline, Failed };
    Q_ENUM(State)

    /// The sandbox in demo mode: enough contacts to show paging and search, pulled in seconds.
    static constexpr int kDemoContacts = 1500;
    /// GHL allows 100 requests per 10 s; at that pace the demo's first pull would take minutes.
    static constexpr int kDemoBurstMax = 10000;

    explicit AppSession(QObject *parent = nullptr);
    ~AppSession() override;

    /// Starts the sandbox and a database in a temporary folder, then pulls. False with a
    /// sentence in `error` when the sandbox or the database cannot start.
    [[nodiscard]] bool startDemo(QString *error, int contacts = kDemoContacts);
    /// Opens the profile's database (the contacts show at once, even offline), reads its GHL
    /// credentials from the keychain and pulls what changed. Failures arrive through stateChanged.
    void connectProfile(const ProfileSettings &profile, CredentialStore &credentials);
    /// Drops the connection and the service (before switching profiles).
    void close();

    [[nodiscard]] ContactService *service() const { return m_service.get(); }
    /// Sync runs, the schedule and Saleshandy's fields; null until the Saleshandy key is known.
    [[nodiscard]] SyncService *syncService() const { return m_sync.get(); }
    [[nodiscard]] ContactStore *contactStore() const { return m_store.get(); }
    [[nodiscard]] State state() const { return m_state; }
    [[nodiscard]] QString detail() const { return m_detail; }
    [[nodiscard]] bool isDemo() const { return m_sandbox != nullptr; }
    /// For the status bar in demo mode: why the quota looks so generous.
    [[nodiscard]] QString demoNote() const;
    /// The first pull after connecting has finished (well or not).
    [[nodiscard]] bool initialPullDone() const { return m_initialPullDone; }
    [[nodiscard]] lb::sandbox::Sandbox *sandbox() const { return m_sandbox.get(); }

Q_SIGNALS:
    void stateChanged(lb::gui::AppSession::State state, const QString &detail);
    /// A new service (or null after close()).
    void serviceChanged(lb::ContactService *service);
    void quotaChanged(int burstRemaining, int burstMax, qint64 dailyRemaining, qint64 dailyMax);
    void initialPullFinished();
    /// A new sync service (or null after close()).
    void syncServiceChanged(lb::SyncService *service);

private:
    [[nodiscard]] bool openDatabase(const QString &spec, QString *error);
    void startService(const QUrl &root, const QString &locationId, std::unique_ptr<TokenProvider> tokens);
    void setState(State state, const QString &detail);
    void startSync(const QUrl &root, const QString &locationId, std::unique_ptr<TokenProvider> key);
    void onPullFinished(const lb::ApiError &error, const lb::PullStats &stats);

    std::unique_ptr<QTemporaryDir> m_demoDir;
    std::unique_ptr<lb::sandbox::Sandbox> m_sandbox;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ContactStore> m_store;
    std::unique_ptr<TokenProvider> m_tokens;
    std::unique_ptr<ghl::GhlClient> m_client;
    std::unique_ptr<ContactService> m_service;
    std::unique_ptr<TokenProvider> m_shKey;
    std::unique_ptr<sh::SaleshandyClient> m_sh;
    std::unique_ptr<SyncService> m_sync;
    QString m_profile;
    State m_state = State::NotConfigured;
    QString m_detail;
    bool m_initialPullDone = false;
    int m_generation = 0; ///< ignores keychain answers for a profile that was closed meanwhile
};

} // namespace lb::gui
