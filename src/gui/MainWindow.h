#pragma once

#include "gui/LaunchOptions.h"
#include "gui/Page.h"

#include <QMainWindow>

#include <memory>

class QActionGroup;
class QLabel;
class QProgressBar;
class QTimer;

namespace lb {
class CredentialStore;
class SyncService;
}

namespace Ui {
class MainWindow;
}

namespace lb::gui {

class AppSession;
class AppSettings;
class ContactsView;
class LogsView;
class MappingView;
class SyncDashboard;

/// The application's main window: navigation on the left, one page per view, a toolbar and a status
/// bar with the connection state. Laid out in ui/mainwindow.ui; this class wires it.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    enum class ConnectionState { NotConnected, Connecting, Connected, Offline, Failed };

    /// Restores geometry, state and the last view from `settings`, unless `options` asks for a
    /// screenshot (which always uses the default size, so screenshots are reproducible).
    MainWindow(std::unique_ptr<AppSettings> settings, const LaunchOptions &options,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    void showPage(Page page);
    [[nodiscard]] Page currentPage() const;

    void setConnectionState(ConnectionState state, const QString &detail = {});
    [[nodiscard]] ConnectionState connectionState() const { return m_connectionState; }

    /// Connects the window to a session (neither owned): the Contacts page shows its service, the
    /// status bar its state and quota, and the Profile menu drives it. Null: placeholders only.
    void setSession(AppSession *session, lb::CredentialStore *credentials);
    [[nodiscard]] ContactsView *contactsView() const;
    [[nodiscard]] MappingView *mappingView() const { return m_mappingView; }
    [[nodiscard]] SyncDashboard *syncDashboard() const { return m_syncDashboard; }
    [[nodiscard]] LogsView *logsView() const { return m_logsView; }
    /// Opens the setup wizard (for `profile`, or a new one when empty).
    void showSetup(const QString &profile = {});

    [[nodiscard]] QString profile() const { return m_profile; }
    [[nodiscard]] bool isDemo() const { return m_demo; }

    /// Saves geometry, toolbar state and the current view (done on close; public for tests).
    void saveSettings();

    /// Once the window is shown and has painted, grabs it, writes a PNG to `path` and emits
    /// screenshotFinished(). Call after show().
    void saveScreenshotWhenPainted(const QString &path);

Q_SIGNALS:
    void pageChanged(lb::gui::Page page);
    void screenshotFinished(bool ok, const QString &message);

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void setUpNavigation();
    void setUpStatusBar();
    void styleHeadings();
    void updateIcons();
    void retranslate();
    void updateWindowTitle();
    void updateConnectionLabel();
    void showAbout();
    void takeScreenshot(const QString &path);
    [[nodiscard]] bool contentReady() const;
    void updateContactsPage();
    void updateLastPull();
    void updateQuota(int burstRemaining, int burstMax, qint64 dailyRemaining, qint64 dailyMax);
    void rebuildProfileMenu();
    void switchProfile(const QString &name);
    void forgetCredentials();
    void startDemo();
    void setUpSyncPages();
    void onSyncService(lb::SyncService *service);
    /// --demo-runs/--demo-dry-run: the next step of the scripted demo runs, until done.
    void runDemoScenario();
    void onSyncRunFinished();

    std::unique_ptr<Ui::MainWindow> m_ui;
    std::unique_ptr<AppSettings> m_settings;
    QActionGroup *m_viewActions = nullptr;
    QLabel *m_connectionLabel = nullptr;
    QLabel *m_profileLabel = nullptr;
    QLabel *m_demoLabel = nullptr;
    QLabel *m_lastPullLabel = nullptr;
    QLabel *m_quotaLabel = nullptr;
    QProgressBar *m_quotaBar = nullptr;
    QTimer *m_lastPullTimer = nullptr;
    AppSession *m_session = nullptr;
    lb::CredentialStore *m_credentials = nullptr;
    QList<QAction *> m_profileActions;
    QString m_profile;
    QString m_connectionDetail;
    ConnectionState m_connectionState = ConnectionState::NotConnected;
    bool m_demo = false;
    bool m_screenshotMode = false; // leaves the saved settings alone
    MappingView *m_mappingView = nullptr;
    SyncDashboard *m_syncDashboard = nullptr;
    LogsView *m_logsView = nullptr;
    int m_demoRunsLeft = 0;
    bool m_demoDryRun = false;
    int m_demoStep = 0;
    bool m_demoScenarioDone = true;
};

} // namespace lb::gui
