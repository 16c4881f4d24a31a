#pragma once

#include <QIcon>
#include <QLocale>
#include <QPalette>

class QCoreApplication;

namespace lb::gui {

/// Registers the GUI's embedded resources (icons, translations). The GUI is a static library, whose
/// resource initialisers the linker would otherwise drop. Safe to call more than once.
void initResources();

/// The application icon: the embedded SVG where Qt can render SVG, else its PNG rendering.
[[nodiscard]] QIcon applicationIcon();

/// One of the embedded line icons (":/icons/view-contacts.svg" ...), drawn in the palette's text
/// colours: Text for normal, HighlightedText for selected, the disabled Text for disabled. Their
/// SVGs use `currentColor`, so they follow light and dark palettes; rebuild them on PaletteChange.
/// Null when Qt cannot render SVG.
[[nodiscard]] QIcon paletteIcon(const QString &resource, const QPalette &palette, int logicalSize,
                                qreal devicePixelRatio, QPalette::ColorRole normalRole = QPalette::Text);

/// Installs LeadBridge's translation for `locale` (from :/i18n) and Qt's own, when there is one.
/// Returns whether LeadBridge's was found; English needs none.
bool installTranslations(QCoreApplication *app, const QLocale &locale = QLocale());

} // namespace lb::gui
