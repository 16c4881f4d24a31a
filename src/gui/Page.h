#pragma once

#include <QString>

#include <optional>

namespace lb::gui {

/// The main window's views, in navigation order. The names are the --view values and the
/// values saved in settings, so they never change or get translated.
enum class Page { Contacts, Mapping, Sync, Logs, Count };

[[nodiscard]] QString pageName(Page page);
[[nodiscard]] std::optional<Page> pageFromName(const QString &name);

} // namespace lb::gui
