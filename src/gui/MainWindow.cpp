#include "gui/MainWindow.h"

#include "gui/AppSettings.h"
#include "gui/Application.h"
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
#include <QTimer>
#include <QWindow>

namespace lb::gui {

namespace {
// Enough for the first expose and paint under xcb (Xvfb) and offscreen; a slow X server gets up to
// the deadline before we grab whatever is there.
constexpr int kExposePollMs = 20;
constexpr int kExposeDeadlineMs = 5000;
constexpr int kSettleMs = 150;
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

    setUpNavigation();
    setUpStatusBar();
    styleHeadings();
    updateIcons();
    updateWindowTitle();

    if (!m_screenshotMode) {
        restoreGeometry(m_settings->mainWindowGeometry());
        restoreState(m_settings->mainWindowState());
    }
    Page first = Page::Contacts;
    if (options.view)
        first = *options.view;
    else if (const auto last = pageFromName(m_settings->lastView()); last && !m_screenshotMode)
        first = *last;
    showPage(first);
}

MainWindow::~MainWindow() = default;

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
    for (QLabel *label : {m_demoLabel, m_profileLabel, m_connectionLabel})
        label->setContentsMargins(8, 0, 8, 0);
    statusBar()->addPermanentWidget(m_demoLabel);
    statusBar()->addPermanentWidget(m_profileLabel);
    statusBar()->addPermanentWidget(m_connectionLabel);
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
        poll->stop();
        poll->deleteLater();
        QTimer::singleShot(kSettleMs, this, [this, path] { takeScreenshot(path); });
    });
    poll->start();
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
