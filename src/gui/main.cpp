// The desktop app `leadbridge`: parses the command line and shows the main window. Everything else
// lives in the leadbridge-gui library, which the tests link.

#include "gui/AppSession.h"
#include "gui/AppSettings.h"
#include "gui/Application.h"
#include "gui/LaunchOptions.h"
#include "gui/MainWindow.h"

#include "secrets/CredentialStore.h"

#include <QApplication>
#include <QTimer>

#include <cstdio>

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("LeadBridge"));
    QCoreApplication::setApplicationName(QStringLiteral("LeadBridge"));
    QCoreApplication::setApplicationVersion(QStringLiteral(LEADBRIDGE_VERSION));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("LeadBridge"));
    // Matches the installed .desktop file, so Wayland and the taskbar pick the right icon.
    QGuiApplication::setDesktopFileName(QStringLiteral(LEADBRIDGE_APP_ID));

    lb::gui::installTranslations(&app);
    QApplication::setWindowIcon(lb::gui::applicationIcon());

    const lb::gui::LaunchOptions options = lb::gui::LaunchOptions::parse(QCoreApplication::arguments());
    if (!options.error.isEmpty()) {
        std::fprintf(stderr, "leadbridge: %s\n\n%s", qPrintable(options.error), qPrintable(options.helpText));
        return 2; // usage error, as for leadbridge-cli
    }
    if (options.helpRequested) {
        std::printf("%s", qPrintable(options.helpText));
        return 0;
    }
    if (options.versionRequested) {
        std::printf("LeadBridge %s\n", LEADBRIDGE_VERSION);
        return 0;
    }

    lb::CredentialStore credentials;
    lb::gui::AppSession session;
    lb::gui::MainWindow window(std::make_unique<lb::gui::AppSettings>(), options);
    window.setSession(&session, &credentials);
    window.show();

    // What to connect to: --demo; else the chosen (or last) profile; else, on a first run, the wizard.
    const lb::gui::AppSettings settings;
    const std::optional<lb::gui::ProfileSettings> profile = settings.profile(window.profile());
    if (options.demo || (profile && profile->demo)) {
        QString error;
        if (!session.startDemo(&error))
            std::fprintf(stderr, "leadbridge: %s\n", qPrintable(error));
    } else if (profile) {
        session.connectProfile(*profile, credentials);
    } else if (options.screenshotPath.isEmpty() && settings.profiles().isEmpty()) {
        QTimer::singleShot(0, &window, [&window] { window.showSetup(); });
    }

    if (!options.screenshotPath.isEmpty()) {
        QObject::connect(&window, &lb::gui::MainWindow::screenshotFinished, &app,
                         [](bool ok, const QString &message) {
                             std::fprintf(ok ? stdout : stderr, "%s\n", qPrintable(message));
                             QCoreApplication::exit(ok ? 0 : 1);
                         });
        window.saveScreenshotWhenPainted(options.screenshotPath);
    }
    return app.exec();
}
