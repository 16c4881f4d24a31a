#include "gui/LaunchOptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>

namespace lb::gui {

QString pageName(Page page)
{
    switch (page) {
    case Page::Contacts:
        return QStringLiteral("contacts");
    case Page::Mapping:
        return QStringLiteral("mapping");
    case Page::Sync:
        return QStringLiteral("sync");
    case Page::Logs:
        return QStringLiteral("logs");
    case Page::Count:
        break;
    }
    return {};
}

std::optional<Page> pageFromName(const QString &name)
{
    for (int i = 0; i < int(Page::Count); ++i) {
        if (pageName(Page(i)).compare(name, Qt::CaseInsensitive) == 0)
            return Page(i);
    }
    return std::nullopt;
}

LaunchOptions LaunchOptions::parse(const QStringList &arguments)
{
    LaunchOptions options;

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("LaunchOptions", "Keeps Saleshandy in step with GoHighLevel."));
    const QCommandLineOption helpOption = parser.addHelpOption();
    const QCommandLineOption versionOption = parser.addVersionOption();
    const QCommandLineOption demoOption(
        QStringLiteral("demo"),
        QCoreApplication::translate("LaunchOptions",
                                    "Start with simulated GHL and Saleshandy services and sample data."));
    const QCommandLineOption profileOption(
        QStringLiteral("profile"),
        QCoreApplication::translate("LaunchOptions",
                                    "Use the profile <name> (its credentials, database and mapping)."),
        QCoreApplication::translate("LaunchOptions", "name"));
    const QCommandLineOption viewOption(
        QStringLiteral("view"),
        QCoreApplication::translate("LaunchOptions",
                                    "Open on the view <view>: contacts, mapping, sync or logs."),
        QCoreApplication::translate("LaunchOptions", "view"));
    const QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("LaunchOptions",
                                    "Save a PNG of the window to <file> once it is shown, then quit."),
        QCoreApplication::translate("LaunchOptions", "file"));
    const QCommandLineOption demoRunsOption(
        QStringLiteral("demo-runs"),
        QCoreApplication::translate("LaunchOptions",
                                    "In demo mode, run <n> syncs before showing the view (one with failed "
                                    "records), so the dashboard and the logs have something to show."),
        QCoreApplication::translate("LaunchOptions", "n"));
    const QCommandLineOption demoDryRunOption(
        QStringLiteral("demo-dry-run"),
        QCoreApplication::translate(
            "LaunchOptions", "In demo mode, then change some contacts in the simulated GHL and show a dry "
                             "run's diff."));
    parser.addOptions(
        {demoOption, profileOption, viewOption, screenshotOption, demoRunsOption, demoDryRunOption});

    options.helpText = parser.helpText();
    if (!parser.parse(arguments)) {
        options.error = parser.errorText();
        return options;
    }
    options.helpRequested = parser.isSet(helpOption);
    options.versionRequested = parser.isSet(versionOption);
    options.demo = parser.isSet(demoOption);
    options.profile = parser.value(profileOption);
    options.screenshotPath = parser.value(screenshotOption);
    options.demoDryRun = parser.isSet(demoDryRunOption);
    if (parser.isSet(demoRunsOption)) {
        bool ok = false;
        options.demoRuns = parser.value(demoRunsOption).toInt(&ok);
        if (!ok || options.demoRuns < 0 || options.demoRuns > 20)
            options.error =
                QCoreApplication::translate("LaunchOptions", "--demo-runs needs a number from 0 to 20.");
    }
    if ((options.demoRuns > 0 || options.demoDryRun) && !options.demo)
        options.error =
            QCoreApplication::translate("LaunchOptions", "--demo-runs and --demo-dry-run need --demo.");

    if (parser.isSet(profileOption) && options.profile.trimmed().isEmpty())
        options.error = QCoreApplication::translate("LaunchOptions", "The profile name must not be empty.");
    if (parser.isSet(viewOption)) {
        options.view = pageFromName(parser.value(viewOption));
        if (!options.view) {
            options.error = QCoreApplication::translate(
                                "LaunchOptions", "Unknown view “%1”: use contacts, mapping, sync or logs.")
                                .arg(parser.value(viewOption));
        }
    }
    if (parser.isSet(screenshotOption) && options.screenshotPath.isEmpty())
        options.error = QCoreApplication::translate("LaunchOptions", "--screenshot needs a file name.");
    if (!parser.positionalArguments().isEmpty()) {
        options.error = QCoreApplication::translate("LaunchOptions", "Unexpected argument “%1”.")
                            .arg(parser.positionalArguments().constFirst());
    }
    return options;
}

} // namespace lb::gui
