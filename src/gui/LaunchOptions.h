#pragma once

#include "gui/Page.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace lb::gui {

/// What `leadbridge [--demo] [--profile NAME] [--view contacts|mapping|sync|logs] [--screenshot FILE]`
/// asked for.
struct LaunchOptions
{
    bool demo = false;
    QString profile;          ///< empty: the last one used, else "default"
    std::optional<Page> view; ///< empty: the last one shown, else Contacts
    QString screenshotPath;   ///< non-empty: save a PNG of the window once painted, then quit
    int demoRuns = 0;         ///< demo mode: sync this many times before showing the view (screenshots)
    bool demoDryRun = false;  ///< demo mode: then change some contacts and show a dry run's diff

    bool helpRequested = false;
    bool versionRequested = false;
    QString helpText; ///< the --help text, translated
    QString error;    ///< a usage error in one sentence; empty when the arguments were fine

    /// Parses the application's arguments (argv[0] first, as QCoreApplication::arguments()).
    /// Unknown Qt arguments such as -style have been removed by QApplication before this.
    [[nodiscard]] static LaunchOptions parse(const QStringList &arguments);
};

} // namespace lb::gui
