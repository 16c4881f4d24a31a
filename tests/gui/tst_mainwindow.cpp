// The main window shell: navigation, --view, remembered geometry, screenshots, translations and a
// dark palette. Runs offscreen (QT_QPA_PLATFORM=offscreen, from lb_add_test).

#include "gui/AppSettings.h"
#include "gui/Application.h"
#include "gui/LaunchOptions.h"
#include "gui/MainWindow.h"

#include <QApplication>
#include <QFile>
#include <QLabel>
#include <QListWidget>
#include <QProcess>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStyleFactory>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using lb::gui::AppSettings;
using lb::gui::LaunchOptions;
using lb::gui::MainWindow;
using lb::gui::Page;

namespace {

LaunchOptions options(const QStringList &args)
{
    return LaunchOptions::parse(QStringList{QStringLiteral("leadbridge")} + args);
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b), base(0x1e, 0x1e, 0x1e), text(0xe8, 0xe8, 0xe8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xc4));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    // The 3D roles too, as a real dark theme (Breeze Dark, Adwaita-dark) sets them.
    p.setColor(QPalette::Light, QColor(0x4a, 0x4a, 0x4a));
    p.setColor(QPalette::Midlight, QColor(0x3a, 0x3a, 0x3a));
    p.setColor(QPalette::Mid, QColor(0x24, 0x24, 0x24));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x18));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7a, 0x7a));
    return p;
}

// Perceived brightness, 0..255.
int luminance(const QColor &c)
{
    return (c.red() * 299 + c.green() * 587 + c.blue() * 114) / 1000;
}

} // namespace

class TestMainWindow final : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<AppSettings> settings(const QString &name = QStringLiteral("settings.ini"))
    {
        return std::make_unique<AppSettings>(m_dir.filePath(name));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0-test"));
    }

    void navigationSwitchesPages()
    {
        MainWindow window(settings(QStringLiteral("nav.ini")), options({}));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigationList"));
        auto *pages = window.findChild<QStackedWidget *>(QStringLiteral("pages"));
        QVERIFY(nav && pages);
        QCOMPARE(nav->count(), int(Page::Count));
        QCOMPARE(window.currentPage(), Page::Contacts);

        QSignalSpy changed(&window, &MainWindow::pageChanged);
        const QStringList expected{QStringLiteral("contactsPage"), QStringLiteral("mappingPage"),
                                   QStringLiteral("syncPage"), QStringLiteral("logsPage")};
        for (int row : {2, 1, 3, 0}) {
            const QRect rect = nav->visualItemRect(nav->item(row));
            QTest::mouseClick(nav->viewport(), Qt::LeftButton, {}, rect.center());
            QCOMPARE(pages->currentIndex(), row);
            QCOMPARE(pages->currentWidget()->objectName(), expected[row]);
            QCOMPARE(window.currentPage(), Page(row));
        }
        QCOMPARE(changed.count(), 4);

        // The View menu's shortcuts drive the same pages and keep the list in step.
        QTest::keyClick(&window, Qt::Key_4, Qt::ControlModifier);
        QCOMPARE(window.currentPage(), Page::Logs);
        QCOMPARE(nav->currentRow(), 3);
    }

    void placeholderPagesSayWhatIsComing()
    {
        MainWindow window(settings(QStringLiteral("text.ini")), options({}));
        const auto *headline = window.findChild<QLabel *>(QStringLiteral("mappingHeadline"));
        QVERIFY(headline);
        QVERIFY(headline->text().contains(QLatin1String("sync engine")));
    }

    void viewOptionSelectsPage_data()
    {
        QTest::addColumn<QString>("view");
        QTest::addColumn<Page>("page");
        QTest::newRow("contacts") << QStringLiteral("contacts") << Page::Contacts;
        QTest::newRow("mapping") << QStringLiteral("mapping") << Page::Mapping;
        QTest::newRow("sync") << QStringLiteral("sync") << Page::Sync;
        QTest::newRow("logs") << QStringLiteral("logs") << Page::Logs;
        QTest::newRow("any case") << QStringLiteral("Logs") << Page::Logs;
    }

    void viewOptionSelectsPage()
    {
        QFETCH(QString, view);
        QFETCH(Page, page);
        const LaunchOptions o = options({QStringLiteral("--view"), view});
        QVERIFY2(o.error.isEmpty(), qPrintable(o.error));
        MainWindow window(settings(QStringLiteral("view.ini")), o);
        QCOMPARE(window.currentPage(), page);
        auto *pages = window.findChild<QStackedWidget *>(QStringLiteral("pages"));
        QCOMPARE(pages->currentIndex(), int(page));
    }

    void parsesTheCommandLine()
    {
        const LaunchOptions all =
            options({QStringLiteral("--demo"), QStringLiteral("--profile"), QStringLiteral("acme"),
                     QStringLiteral("--screenshot"), QStringLiteral("/tmp/x.png")});
        QVERIFY(all.error.isEmpty());
        QVERIFY(all.demo);
        QCOMPARE(all.profile, QStringLiteral("acme"));
        QCOMPARE(all.screenshotPath, QStringLiteral("/tmp/x.png"));
        QVERIFY(!all.view);

        QVERIFY(options({QStringLiteral("--view"), QStringLiteral("charts")})
                    .error.contains(QLatin1String("charts")));
        QVERIFY(!options({QStringLiteral("--frobnicate")}).error.isEmpty());
        QVERIFY(!options({QStringLiteral("stray")}).error.isEmpty());
        QVERIFY(options({QStringLiteral("--help")}).helpRequested);
        QVERIFY(options({}).helpText.contains(QLatin1String("--screenshot")));
    }

    void demoAndProfileShowInStatusBar()
    {
        MainWindow window(
            settings(QStringLiteral("demo.ini")),
            options({QStringLiteral("--demo"), QStringLiteral("--profile"), QStringLiteral("acme")}));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const auto *demo = window.findChild<QLabel *>(QStringLiteral("demoLabel"));
        QVERIFY(demo && demo->isVisible());
        QCOMPARE(demo->text(), QStringLiteral("Demo mode"));
        QVERIFY(window.findChild<QLabel *>(QStringLiteral("profileLabel"))
                    ->text()
                    .contains(QLatin1String("acme")));
        QVERIFY(window.windowTitle().contains(QLatin1String("acme")));

        MainWindow plain(settings(QStringLiteral("plain.ini")), options({}));
        plain.show();
        QVERIFY(!plain.findChild<QLabel *>(QStringLiteral("demoLabel"))->isVisible());
    }

    void connectionLabelFollowsState()
    {
        MainWindow window(settings(QStringLiteral("conn.ini")), options({}));
        const auto *label = window.findChild<QLabel *>(QStringLiteral("connectionLabel"));
        QCOMPARE(label->text(), QStringLiteral("Not connected"));
        window.setConnectionState(MainWindow::ConnectionState::Connected);
        QCOMPARE(label->text(), QStringLiteral("Connected"));
        window.setConnectionState(MainWindow::ConnectionState::Failed, QStringLiteral("HTTP 401"));
        QCOMPARE(label->text(), QStringLiteral("Connection failed"));
        QCOMPARE(label->toolTip(), QStringLiteral("HTTP 401"));
    }

    void geometryAndViewRestoredFromSettings()
    {
        const QString ini = QStringLiteral("geometry.ini");
        // Inside the offscreen platform's 800x600 screen, so nothing gets clamped.
        const QSize size(720, 480);
        {
            MainWindow window(settings(ini), options({}));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.resize(size);
            window.move(30, 40);
            window.showPage(Page::Sync);
            QTRY_COMPARE(window.size(), size);
            QVERIFY(window.close()); // saves
        }
        QVERIFY(QFile::exists(m_dir.filePath(ini)));
        QVERIFY(!AppSettings(m_dir.filePath(ini)).mainWindowGeometry().isEmpty());
        {
            MainWindow window(settings(ini), options({}));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            QCOMPARE(window.size(), size);
            QCOMPARE(window.currentPage(), Page::Sync);
        }
        {
            // --view wins over the remembered view.
            MainWindow window(settings(ini), options({QStringLiteral("--view"), QStringLiteral("mapping")}));
            QCOMPARE(window.currentPage(), Page::Mapping);
        }
    }

    void screenshotWritesPngOfTheWindow()
    {
        const QString ini = QStringLiteral("shot.ini");
        const QString path = m_dir.filePath(QStringLiteral("shots/window.png")); // folder made on demand
        MainWindow window(settings(ini), options({QStringLiteral("--view"), QStringLiteral("logs"),
                                                  QStringLiteral("--screenshot"), path}));
        window.show();
        QSignalSpy finished(&window, &MainWindow::screenshotFinished);
        window.saveScreenshotWhenPainted(path);
        QVERIFY(finished.wait(10000));
        QVERIFY2(finished.at(0).at(0).toBool(), qPrintable(finished.at(0).at(1).toString()));

        QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), window.size() * window.devicePixelRatio());
        QCOMPARE(window.size(), QSize(1100, 700)); // the default size, whatever was saved before
        // Not a blank grab: more than a handful of colours.
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 7)
            for (int x = 0; x < image.width(); x += 7)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 5, qPrintable(QString::number(colours.size())));

        // A screenshot run leaves the person's settings alone.
        window.close();
        QVERIFY(AppSettings(m_dir.filePath(ini)).mainWindowGeometry().isEmpty());
    }

    void executableSavesScreenshotAndRejectsBadViews()
    {
        const QString app = qEnvironmentVariable("LEADBRIDGE_GUI");
        if (app.isEmpty())
            QSKIP("LEADBRIDGE_GUI is not set (run through ctest)");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("HOME"), m_dir.path()); // keeps any settings out of the real home
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_dir.filePath(QStringLiteral("config")));

        const QString path = m_dir.filePath(QStringLiteral("cli-shot.png"));
        QProcess process;
        process.setProcessEnvironment(env);
        process.start(app, {QStringLiteral("--demo"), QStringLiteral("--view"), QStringLiteral("sync"),
                            QStringLiteral("--screenshot"), path});
        QVERIFY(process.waitForFinished(30000));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const QImage image(path);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1100, 700));

        process.start(app, {QStringLiteral("--view"), QStringLiteral("charts")});
        QVERIFY(process.waitForFinished(30000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("charts"));
    }

    void germanTranslationIsEmbedded()
    {
        lb::gui::initResources();
        QTranslator translator;
        QVERIFY(translator.load(QLocale(QLocale::German, QLocale::Germany), QStringLiteral("leadbridge"),
                                QStringLiteral("_"), QStringLiteral(":/i18n")));
        QCOMPARE(translator.translate("MainWindow", "Contacts"), QStringLiteral("Kontakte"));
        QVERIFY(!translator.translate("MainWindow", "Field mapping arrives with the sync engine.").isEmpty());

        QCoreApplication::installTranslator(&translator);
        MainWindow window(settings(QStringLiteral("de.ini")), options({}));
        QCOMPARE(window.findChild<QListWidget *>(QStringLiteral("navigationList"))->item(0)->text(),
                 QStringLiteral("Kontakte"));
        QCoreApplication::removeTranslator(&translator);
    }

    void readableWithDarkPalette()
    {
        const QPalette original = QApplication::palette();
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
        {
            MainWindow window(settings(QStringLiteral("dark.ini")), options({QStringLiteral("--demo")}));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            const QImage image = window.grab().toImage();

            // No hard-coded light colours: labels draw with the palette's light text on dark ground.
            for (const char *name :
                 {"contactsTitle", "contactsHeadline", "contactsBody", "connectionLabel"}) {
                const auto *label = window.findChild<QLabel *>(QLatin1String(name));
                QVERIFY(label);
                QVERIFY2(luminance(label->palette().color(label->foregroundRole())) > 180, name);
            }
            // The page background really is dark.
            const QPoint inPage =
                window.findChild<QStackedWidget *>(QStringLiteral("pages"))->mapTo(&window, QPoint(8, 300));
            const QColor ground = image.pixelColor(inPage * window.devicePixelRatio());
            QVERIFY2(luminance(ground) < 80, qPrintable(ground.name()));

            // Icons were redrawn in the light text colour.
            const auto *nav = window.findChild<QListWidget *>(QStringLiteral("navigationList"));
            const QImage icon = nav->item(1)->icon().pixmap(20, 20).toImage();
            QVERIFY(!icon.isNull());
            int brightest = 0;
            for (int y = 0; y < icon.height(); ++y)
                for (int x = 0; x < icon.width(); ++x)
                    if (qAlpha(icon.pixel(x, y)) > 200)
                        brightest = qMax(brightest, luminance(icon.pixelColor(x, y)));
            QVERIFY2(brightest > 180, qPrintable(QString::number(brightest)));

            const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS");
            if (!shots.isEmpty())
                image.save(QDir(shots).filePath(QStringLiteral("mainwindow-dark.png")));
        }
        QApplication::setPalette(original);
    }
};

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    TestMainWindow test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mainwindow.moc"
