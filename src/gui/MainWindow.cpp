#include "gui/MainWindow.h"

#include "gui/AppSession.h"
#include "gui/AppSettings.h"
#include "gui/Application.h"
#include "gui/ContactsView.h"
#include "gui/Delegates.h"
#include "gui/LogsView.h"
#include "gui/MappingView.h"
#include "gui/SetupWizard.h"
#include "gui/SyncDashboard.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"
#include "secrets/CredentialStore.h"
#include "services/ContactService.h"
#include "services/SyncService.h"
#include "store/ContactStore.h"
#include "ui_mainwindow.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPixmap>
#include <QProgressBar>
#include <QPushButton>
#include <QToolBar>
#include <QTimer>
#include <QWindow>

namespace lb::gui {

namespace {
// Enough for the first expose and paint under xcb (Xvfb) and offscreen; a slow X server gets up to
// the deadline before we grab whatever is there.
constexpr int kExposePollMs = 20;
constexpr int kExposeDeadlineMs = 5000;
constexpr int kSettleMs = 150;
// A screenshot of the Contacts page waits for its data (the demo's first pull) up to this long.
constexpr int kContentDeadlineMs = 120000;
constexpr int kLastPullRefreshMs = 30000;
} // namespace

MainWindow::MainWindow(std::unique_ptr<AppSettings> settings, const LaunchOptions &options, QWidget *parent)
    : QMainWindow(parent), m_ui(std::make_unique<Ui::MainWindow>()), m_settings(std::move(settings)),
      m_demo(options.demo), m_screenshotMode(!options.screenshotPath.isEmpty())
{
    m_ui->setupUi(this);
    setWindowIcon(applicationIcon());
    setUnifiedTitleAndToolBarOnMac(true);

    m_profile = options.profile;
    if (m_profile.isEmpty())
        m_profile = m_settings->lastProfile();
    if (m_profile.isEmpty())
        m_profile = QStringLiteral("default");

    m_ui->actionQuit->setIcon(QIcon::fromTheme(QStringLiteral("application-exit")));

    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionAboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    // The Contacts page's actions in the window's menu and toolbar (they live in its form).
    ContactsView *contacts = m_ui->contactsView;
    m_ui->menuContacts->addActions({contacts->actionSearch(), contacts->actionNewContact(),
                                    contacts->actionEditContact(), contacts->actionDeleteContact()});
    m_ui->menuContacts->addSeparator();
    m_ui->menuContacts->addActions({contacts->actionRefreshContact(), contacts->actionRefreshAll()});
    m_ui->mainToolBar->insertActions(m_ui->actionSyncNow, {contacts->actionNewContact(), contacts->actionRefreshAll()});
    m_ui->mainToolBar->insertSeparator(m_ui->actionSyncNow);
    connect(m_ui->actionSetup, &QAction::triggered, this, [this] { showSetup(m_profile); });
    connect(m_ui->setupButton, &QPushButton::clicked, this, [this] { showSetup(); });
    connect(m_ui->demoButton, &QPushButton::clicked, this, &MainWindow::startDemo);
    connect(m_ui->actionForgetCredentials, &QAction::triggered, this, &MainWindow::forgetCredentials);

    m_demoRunsLeft = options.demoRuns;
    m_demoDryRun = options.demoDryRun;
    m_demoScenarioDone = options.demoRuns == 0 && !options.demoDryRun;
    setUpSyncPages();
    setUpNavigation();
    setUpStatusBar();
    styleHeadings();
    updateIcons();
    updateWindowTitle();

    if (!m_screenshotMode) {
        restoreGeometry(m_settings->mainWindowGeometry());
        restoreState(m_settings->mainWindowState());
        m_ui->contactsView->restoreLayout(*m_settings);
    }
    rebuildProfileMenu();
    updateContactsPage();
    Page first = Page::Contacts;
    if (options.view)
        first = *options.view;
    else if (const auto last = pageFromName(m_settings->lastView()); last && !m_screenshotMode)
        first = *last;
    showPage(first);
}

MainWindow::~MainWindow() = default;

void MainWindow::setUpSyncPages()
{
    // The three pages replace the placeholders' text; their title labels stay.
    const auto install = [](QVBoxLayout *layout, QLabel *headline, QLabel *body, QSpacerItem *spacer,
                            QWidget *page) {
        headline->hide();
        body->hide();
        layout->removeItem(spacer);
        delete spacer;
        layout->addWidget(page, 1);
    };
    m_mappingView = new MappingView(this);
    m_syncDashboard = new SyncDashboard(this);
    m_logsView = new LogsView(this);
    install(m_ui->mappingLayout, m_ui->mappingHeadline, m_ui->mappingBody, m_ui->mappingSpacer,
            m_mappingView);
    install(m_ui->syncLayout, m_ui->syncHeadline, m_ui->syncBody, m_ui->syncSpacer, m_syncDashboard);
    install(m_ui->logsLayout, m_ui->logsHeadline, m_ui->logsBody, m_ui->logsSpacer, m_logsView);
    m_ui->actionSyncNow->setEnabled(false);
    m_ui->actionDryRun->setEnabled(false);
    connect(m_ui->actionDryRun, &QAction::triggered, this, [this] {
        showPage(Page::Sync);
        m_syncDashboard->dryRun();
    });
    connect(m_ui->actionSyncNow, &QAction::triggered, this, [this] {
        showPage(Page::Sync);
        m_syncDashboard->runNow();
    });
}

void MainWindow::onSyncService(lb::SyncService *service)
{
    m_mappingView->setServices(service, m_session ? m_session->contactStore() : nullptr);
    m_syncDashboard->setService(service, m_settings.get());
    m_logsView->setService(service);
    m_ui->actionSyncNow->setEnabled(service != nullptr);
    m_ui->actionDryRun->setEnabled(service != nullptr);
    if (service) {
        // A saved mapping is what runs use; the dashboard re-checks it when it changes.
        connect(service, &lb::SyncService::runFinished, this, &MainWindow::onSyncRunFinished,
                Qt::UniqueConnection);
        if (!m_demoScenarioDone && m_session && m_session->initialPullDone())
            QTimer::singleShot(0, this, &MainWindow::runDemoScenario);
    }
}

void MainWindow::onSyncRunFinished()
{
    if (!m_demoScenarioDone)
        QTimer::singleShot(0, this, &MainWindow::runDemoScenario);
}

void MainWindow::runDemoScenario()
{
    lb::SyncService *sync = m_session ? m_session->syncService() : nullptr;
    lb::sandbox::Sandbox *box = m_session ? m_session->sandbox() : nullptr;
    if (!sync || !box || sync->isRunning()) {
        if (!sync || !box)
            m_demoScenarioDone = true;
        return;
    }
    // Demo tooling only: it changes the simulated services between runs so that each run has
    // something to do, and one run meets failing task creates.
    box->saleshandy().clearFaults();
    const int step = m_demoStep++;
    if (m_demoRunsLeft > 0) {
        --m_demoRunsLeft;
        if (step > 0)
            box->ghl().touchContacts(40 * step);
        if (step == 0) {
            QString error;
            if (!box->saleshandy().setFaults(QStringLiteral("5xx=500@/v1/tasks/create:x4"), &error))
                qWarning() << error;
        }
        if (!sync->start(step == 0 ? lb::SyncService::RunKind::Full : lb::SyncService::RunKind::Incremental))
            m_demoScenarioDone = true;
        return;
    }
    if (m_demoDryRun) {
        m_demoDryRun = false;
        box->ghl().touchContacts(60);
        if (!sync->start(lb::SyncService::RunKind::DryRun))
            m_demoScenarioDone = true;
        return;
    }
    // Ends on something worth looking at: the run with failed records and its first failure.
    for (const lb::SyncRunRecord &run : sync->store().runs(sync->locationId(), 20)) {
        if (run.status == QLatin1String("failed-records")) {
            m_logsView->reloadRuns();
            m_logsView->openRun(run.id);
            m_logsView->setFilter(QString(), QStringLiteral("failed"), QString());
            m_logsView->selectEvent(0);
            break;
        }
    }
    m_demoScenarioDone = true;
}

void MainWindow::setUpNavigation()
{
    m_viewActions = new QActionGroup(this);
    m_viewActions->setExclusive(true);
    const QList<QAction *> actions{m_ui->actionShowContacts, m_ui->actionShowMapping, m_ui->actionShowSync,
                                   m_ui->actionShowLogs};
    for (int i = 0; i < actions.size(); ++i) {
        m_viewActions->addAction(actions[i]);
        connect(actions[i], &QAction::triggered, this, [this, i] { showPage(Page(i)); });
    }

    // Taller rows than a plain list: this is the app's main navigation, not a data list.
    const int rowHeight = fontMetrics().height() * 2 + 4;
    for (int row = 0; row < m_ui->navigationList->count(); ++row)
        m_ui->navigationList->item(row)->setSizeHint(QSize(0, rowHeight));
    m_ui->navigationList->setSpacing(3);

    connect(m_ui->navigationList, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row >= 0 && row < int(Page::Count))
            showPage(Page(row));
    });
}

void MainWindow::setUpStatusBar()
{
    m_demoLabel = new QLabel(this);
    m_demoLabel->setObjectName(QStringLiteral("demoLabel"));
    m_demoLabel->setVisible(m_demo);
    QFont demoFont = m_demoLabel->font();
    demoFont.setBold(true); // the one thing in the status bar that changes what the data means
    m_demoLabel->setFont(demoFont);
    m_profileLabel = new QLabel(this);
    m_profileLabel->setObjectName(QStringLiteral("profileLabel"));
    m_connectionLabel = new QLabel(this);
    m_connectionLabel->setObjectName(QStringLiteral("connectionLabel"));
    m_lastPullLabel = new QLabel(this);
    m_lastPullLabel->setObjectName(QStringLiteral("lastPullLabel"));
    m_quotaLabel = new QLabel(this);
    m_quotaLabel->setObjectName(QStringLiteral("quotaLabel"));
    m_quotaBar = new QProgressBar(this);
    m_quotaBar->setObjectName(QStringLiteral("quotaBar"));
    m_quotaBar->setTextVisible(false);
    m_quotaBar->setMaximumWidth(fontMetrics().averageCharWidth() * 10);
    m_quotaBar->setMaximumHeight(fontMetrics().height() * 2 / 3);
    m_quotaBar->hide();
    for (QLabel *label : {m_demoLabel, m_profileLabel, m_connectionLabel, m_lastPullLabel, m_quotaLabel})
        label->setContentsMargins(8, 0, 8, 0);
    statusBar()->addPermanentWidget(m_demoLabel);
    statusBar()->addPermanentWidget(m_profileLabel);
    statusBar()->addPermanentWidget(m_connectionLabel);
    statusBar()->addPermanentWidget(m_lastPullLabel);
    statusBar()->addPermanentWidget(m_quotaLabel);
    statusBar()->addPermanentWidget(m_quotaBar);
    m_lastPullTimer = new QTimer(this);
    m_lastPullTimer->setInterval(kLastPullRefreshMs);
    connect(m_lastPullTimer, &QTimer::timeout, this, &MainWindow::updateLastPull);
    m_lastPullTimer->start();
    retranslate();
}

void MainWindow::styleHeadings()
{
    // Sizes relative to the application font, so they follow the desktop's font settings.
    QFont title = font();
    title.setPointSizeF(title.pointSizeF() * 1.8);
    title.setBold(true);
    QFont headline = font();
    headline.setPointSizeF(headline.pointSizeF() * 1.2);
    headline.setBold(true);
    for (QLabel *label : {m_ui->contactsTitle, m_ui->mappingTitle, m_ui->syncTitle, m_ui->logsTitle})
        label->setFont(title);
    for (QLabel *label :
         {m_ui->contactsHeadline, m_ui->mappingHeadline, m_ui->syncHeadline, m_ui->logsHeadline})
        label->setFont(headline);
    for (QLabel *label : {m_ui->contactsBody, m_ui->mappingBody, m_ui->syncBody, m_ui->logsBody}) {
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        // Keep lines readable on wide windows.
        label->setMaximumWidth(fontMetrics().averageCharWidth() * 90);
    }
}

void MainWindow::updateIcons()
{
    // Our own line icons in the palette's colours rather than the desktop's icon theme: they are
    // the same everywhere (Xvfb has no theme) and stay legible on dark palettes.
    const qreal dpr = devicePixelRatioF();
    const QPalette navigation = m_ui->navigationList->palette();
    const int navSize = m_ui->navigationList->iconSize().width();
    const QStringList views{QStringLiteral("contacts"), QStringLiteral("mapping"), QStringLiteral("sync"),
                            QStringLiteral("logs")};
    for (int row = 0; row < views.size() && row < m_ui->navigationList->count(); ++row) {
        m_ui->navigationList->item(row)->setIcon(
            paletteIcon(QStringLiteral(":/icons/view-%1.svg").arg(views[row]), navigation, navSize, dpr));
    }
    const int toolSize = m_ui->mainToolBar->iconSize().width();
    const QPalette bar = m_ui->mainToolBar->palette();
    m_ui->actionSyncNow->setIcon(
        paletteIcon(QStringLiteral(":/icons/view-sync.svg"), bar, toolSize, dpr, QPalette::ButtonText));
    m_ui->actionDryRun->setIcon(
        paletteIcon(QStringLiteral(":/icons/action-dry-run.svg"), bar, toolSize, dpr, QPalette::ButtonText));
    m_ui->actionAbout->setIcon(
        paletteIcon(QStringLiteral(":/icons/action-about.svg"), bar, toolSize, dpr, QPalette::ButtonText));
}

void MainWindow::retranslate()
{
    if (!m_demoLabel)
        return; // a language change before the status bar exists
    m_demoLabel->setText(tr("Demo mode"));
    m_demoLabel->setToolTip(
        tr("Simulated GHL and Saleshandy services with sample data; nothing leaves this computer."));
    m_profileLabel->setText(tr("Profile: %1").arg(m_profile));
    updateConnectionLabel();
    updateWindowTitle();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        retranslate();
    } else if (event->type() == QEvent::FontChange && m_ui->contactsTitle) {
        styleHeadings();
    } else if (event->type() == QEvent::PaletteChange && m_viewActions) {
        updateIcons(); // a switch between light and dark
    }
    QMainWindow::changeEvent(event);
}

void MainWindow::updateWindowTitle()
{
    //: Window title: the profile name, then the application name
    setWindowTitle(tr("%1 – LeadBridge").arg(m_profile));
}

void MainWindow::showPage(Page page)
{
    if (page == Page::Count)
        return;
    const int index = int(page);
    const bool changed = m_ui->pages->currentIndex() != index;
    m_ui->pages->setCurrentIndex(index);
    {
        const QSignalBlocker blocker(m_ui->navigationList);
        m_ui->navigationList->setCurrentRow(index);
    }
    if (QAction *action = m_viewActions->actions().value(index))
        action->setChecked(true);
    if (changed)
        Q_EMIT pageChanged(page);
}

Page MainWindow::currentPage() const
{
    return Page(m_ui->pages->currentIndex());
}

void MainWindow::setConnectionState(ConnectionState state, const QString &detail)
{
    m_connectionState = state;
    m_connectionDetail = detail;
    updateConnectionLabel();
}

void MainWindow::updateConnectionLabel()
{
    QString text;
    switch (m_connectionState) {
    case ConnectionState::NotConnected:
        text = m_demo ? tr("Demo services not started") : tr("Not connected");
        break;
    case ConnectionState::Connecting:
        text = tr("Connecting…");
        break;
    case ConnectionState::Connected:
        text = tr("Connected");
        break;
    case ConnectionState::Offline:
        text = tr("Offline: showing the local copy");
        break;
    case ConnectionState::Failed:
        text = tr("Connection failed");
        break;
    }
    m_connectionLabel->setText(text);
    m_connectionLabel->setToolTip(m_connectionDetail);
}

void MainWindow::showAbout()
{
    QMessageBox::about(
        this, tr("About LeadBridge"),
        tr("<h3>LeadBridge %1</h3>"
           "<p>Keeps Saleshandy in step with GoHighLevel: contacts, tasks, notes and appointments.</p>"
           "<p>Tokens and API keys are kept in the system keychain, never in a settings file.</p>"
           "<p>Built with Qt %2.</p>")
            .arg(QCoreApplication::applicationVersion(), QString::fromLatin1(qVersion())));
}

void MainWindow::saveSettings()
{
    if (m_screenshotMode)
        return;
    m_settings->setMainWindowGeometry(saveGeometry());
    m_settings->setMainWindowState(saveState());
    m_settings->setLastView(pageName(currentPage()));
    m_settings->setLastProfile(m_profile);
    m_ui->contactsView->saveLayout(*m_settings);
    if (!m_settings->sync())
        qWarning("Could not save the window settings to %s", qPrintable(m_settings->fileName()));
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::saveScreenshotWhenPainted(const QString &path)
{
    // Poll for the first expose (the window manager may map the window late), then let the event
    // loop deliver the pending layout and paint events before grabbing.
    auto *poll = new QTimer(this);
    poll->setInterval(kExposePollMs);
    auto waited = std::make_shared<int>(0);
    connect(poll, &QTimer::timeout, this, [this, poll, waited, path] {
        *waited += kExposePollMs;
        const bool exposed = windowHandle() && windowHandle()->isExposed();
        if (!exposed && *waited < kExposeDeadlineMs)
            return;
        if (!contentReady() && *waited < kContentDeadlineMs)
            return;
        poll->stop();
        poll->deleteLater();
        QTimer::singleShot(kSettleMs, this, [this, path] { takeScreenshot(path); });
    });
    poll->start();
}

bool MainWindow::contentReady() const
{
    if (!m_session)
        return true;
    if (m_session->state() == AppSession::State::NotConfigured ||
        m_session->state() == AppSession::State::Failed)
        return true; // nothing more will come
    switch (currentPage()) {
    case Page::Mapping:
        return m_session->initialPullDone() && m_mappingView->isShowingData();
    case Page::Sync:
    case Page::Logs:
        return m_session->initialPullDone() && m_session->syncService() && m_demoScenarioDone &&
               !m_session->syncService()->isRunning();
    default:
        break;
    }
    if (m_session->state() == AppSession::State::NotConfigured || m_session->state() == AppSession::State::Failed)
        return true; // nothing more will come
    return m_session->initialPullDone() && m_ui->contactsView->isShowingData();
}

ContactsView *MainWindow::contactsView() const
{
    return m_ui->contactsView;
}

void MainWindow::setSession(AppSession *session, lb::CredentialStore *credentials)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    m_credentials = credentials;
    if (session) {
        m_demo = session->isDemo() || m_demo;
        const auto onService = [this](lb::ContactService *service) {
            if (service)
                m_demo = m_session->isDemo();
            m_ui->contactsView->setService(service);
            retranslate();
            if (service) {
                connect(service, &lb::ContactService::pullFinished, this, &MainWindow::updateLastPull);
            }
            updateContactsPage();
            updateLastPull();
        };
        connect(session, &AppSession::serviceChanged, this, onService);
        connect(session, &AppSession::stateChanged, this, [this](AppSession::State state, const QString &detail) {
            static const QHash<AppSession::State, ConnectionState> map{
                {AppSession::State::NotConfigured, ConnectionState::NotConnected},
                {AppSession::State::Connecting, ConnectionState::Connecting},
                {AppSession::State::Connected, ConnectionState::Connected},
                {AppSession::State::Offline, ConnectionState::Offline},
                {AppSession::State::Failed, ConnectionState::Failed}};
            setConnectionState(map.value(state), detail);
            updateContactsPage();
            if (state == AppSession::State::Failed && !detail.isEmpty())
                statusBar()->showMessage(detail, 15000);
        });
        connect(session, &AppSession::quotaChanged, this, &MainWindow::updateQuota);
        connect(session, &AppSession::syncServiceChanged, this, &MainWindow::onSyncService);
        connect(session, &AppSession::initialPullFinished, this, [this] {
            // Samples and custom fields come with the first pull.
            onSyncService(m_session->syncService());
        });
        onService(session->service());
        onSyncService(session->syncService());
        AppSession::State state = session->state();
        Q_EMIT session->stateChanged(state, session->detail());
    } else {
        m_ui->contactsView->setService(nullptr);
        onSyncService(nullptr);
    }
    retranslate();
    updateContactsPage();
}

void MainWindow::updateContactsPage()
{
    const bool data = m_session && m_session->service();
    m_ui->contactsStack->setCurrentWidget(data ? static_cast<QWidget *>(m_ui->contactsView)
                                               : m_ui->contactsEmptyPage);
    m_ui->setupButton->setEnabled(m_credentials != nullptr);
    m_ui->demoButton->setEnabled(m_session != nullptr);
    m_ui->actionSetup->setEnabled(m_credentials != nullptr);
    m_ui->actionForgetCredentials->setEnabled(m_credentials != nullptr && !(m_session && m_session->isDemo()));
    m_demoLabel->setVisible(m_demo);
}

void MainWindow::updateLastPull()
{
    lb::ContactService *service = m_session ? m_session->service() : nullptr;
    if (!service) {
        m_lastPullLabel->clear();
        return;
    }
    const std::optional<lb::PullCursor> cursor = service->store().pullCursor(service->locationId());
    const qint64 at = cursor ? cursor->lastPullFinishedMs : 0;
    //: Status bar: when the contacts were last read from GHL ("5 minutes ago", "never")
    m_lastPullLabel->setText(tr("Last pull: %1").arg(relativeAge(at, QDateTime::currentMSecsSinceEpoch())));
}

void MainWindow::updateQuota(int burstRemaining, int burstMax, qint64 dailyRemaining, qint64 dailyMax)
{
    const QLocale locale;
    QString text = tr("GHL quota: %1/%2 per 10 s").arg(locale.toString(burstRemaining), locale.toString(burstMax));
    if (dailyRemaining >= 0)
        text += tr(", %1 today").arg(locale.toString(dailyRemaining));
    m_quotaLabel->setText(text);
    QString tip = tr("Requests left in GHL's burst window and today's budget for this location.");
    if (m_session && m_session->isDemo()) {
        //: Appended to the quota in the status bar in demo mode
        m_quotaLabel->setText(text + tr(" (demo limit; GHL allows 100)"));
        tip += QLatin1Char('\n') + m_session->demoNote();
    }
    else if (dailyMax > 0)
        tip += QLatin1Char('\n') + tr("Daily budget: %1").arg(locale.toString(dailyMax));
    m_quotaLabel->setToolTip(tip);
    m_quotaBar->setToolTip(tip);
    m_quotaBar->setRange(0, std::max(1, burstMax));
    m_quotaBar->setValue(std::clamp(burstRemaining, 0, std::max(1, burstMax)));
    m_quotaBar->show();
}

void MainWindow::rebuildProfileMenu()
{
    for (QAction *a : std::as_const(m_profileActions)) {
        m_ui->menuProfile->removeAction(a);
        a->deleteLater();
    }
    m_profileActions.clear();
    auto *group = new QActionGroup(this);
    for (const QString &name : m_settings->profiles()) {
        QAction *a = m_ui->menuProfile->addAction(name);
        a->setCheckable(true);
        a->setChecked(name == m_profile && !m_demo);
        a->setActionGroup(group);
        connect(a, &QAction::triggered, this, [this, name] { switchProfile(name); });
        m_profileActions << a;
    }
}

void MainWindow::switchProfile(const QString &name)
{
    const std::optional<ProfileSettings> profile = m_settings->profile(name);
    if (!profile || !m_session || !m_credentials)
        return;
    m_profile = name;
    m_settings->setLastProfile(name);
    if (profile->demo) {
        startDemo();
    } else {
        m_demo = false;
        m_session->connectProfile(*profile, *m_credentials);
    }
    retranslate();
    rebuildProfileMenu();
    updateContactsPage();
}

void MainWindow::startDemo()
{
    if (!m_session)
        return;
    QString error;
    m_demo = true;
    if (!m_session->startDemo(&error))
        statusBar()->showMessage(error, 15000);
    retranslate();
    updateContactsPage();
}

void MainWindow::showSetup(const QString &profile)
{
    if (!m_credentials)
        return;
    auto *wizard = new SetupWizard(*m_settings, *m_credentials, this);
    wizard->setAttribute(Qt::WA_DeleteOnClose);
    if (const auto existing = m_settings->profile(profile))
        wizard->setProfile(*existing);
    connect(wizard, &SetupWizard::profileSaved, this, [this](const ProfileSettings &saved) {
        rebuildProfileMenu();
        switchProfile(saved.name);
    });
    wizard->open();
}

void MainWindow::forgetCredentials()
{
    if (!m_credentials)
        return;
    const QString profile = m_profile;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Forget credentials"),
                                tr("Remove the GHL token and the Saleshandy API key of profile “%1” from the "
                                   "keychain?")
                                    .arg(profile),
                                QMessageBox::NoButton, this);
    box->setInformativeText(tr("The local copy of the contacts stays. Enter the credentials again with "
                               "Profile → Set up profile."));
    QPushButton *yes = box->addButton(tr("Forget"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, profile] {
        if (box->clickedButton() != yes)
            return;
        auto failures = std::make_shared<QStringList>();
        auto pending = std::make_shared<int>(3);
        for (lb::Credential c : {lb::Credential::GhlToken, lb::Credential::GhlOAuth, lb::Credential::SaleshandyApiKey}) {
            m_credentials->forget(profile, c, this, [this, failures, pending](const lb::CredentialResult &r) {
                if (!r.ok())
                    failures->append(r.message);
                if (--*pending > 0)
                    return;
                statusBar()->showMessage(failures->isEmpty()
                                             ? tr("The credentials were removed from the keychain.")
                                             : tr("Not everything could be removed: %1").arg(failures->constFirst()),
                                         15000);
            });
        }
        if (m_session && !m_session->isDemo())
            m_session->close();
    });
    box->open();
}

void MainWindow::takeScreenshot(const QString &path)
{
    const QPixmap shot = grab();
    const QFileInfo info(path);
    if (!info.absoluteDir().exists() && !QDir().mkpath(info.absolutePath())) {
        Q_EMIT screenshotFinished(false, tr("Cannot create the folder %1.").arg(info.absolutePath()));
        return;
    }
    if (shot.isNull() || !shot.save(path, "PNG")) {
        Q_EMIT screenshotFinished(false, tr("Cannot write the screenshot to %1.").arg(path));
        return;
    }
    Q_EMIT screenshotFinished(true, tr("Saved a %1×%2 screenshot to %3.")
                                        .arg(shot.width())
                                        .arg(shot.height())
                                        .arg(QDir::toNativeSeparators(info.absoluteFilePath())));
}

} // namespace lb::gui
