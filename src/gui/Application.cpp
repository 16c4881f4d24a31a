#include "gui/Application.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QImageReader>
#include <QLibraryInfo>
#include <QPixmap>
#include <QTranslator>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initLeadBridgeResources()
{
    Q_INIT_RESOURCE(leadbridge);
}

namespace lb::gui {

void initResources()
{
    static const bool done = (initLeadBridgeResources(), true);
    Q_UNUSED(done);
}

QIcon applicationIcon()
{
    initResources();
    // The SVG needs Qt's svg plugins (libqt6svg6); without them, a QIcon of it would be empty.
    if (QImageReader::supportedImageFormats().contains("svg"))
        return QIcon(QStringLiteral(":/icons/leadbridge.svg"));
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/leadbridge-%1.png").arg(size), QSize(size, size));
    return icon;
}

QIcon paletteIcon(const QString &resource, const QPalette &palette, int logicalSize, qreal devicePixelRatio,
                  QPalette::ColorRole normalRole)
{
    initResources();
    QFile file(resource);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray svg = file.readAll();
    const int pixels = qRound(logicalSize * devicePixelRatio);

    QIcon icon;
    const auto add = [&](const QColor &color, QIcon::Mode mode) {
        QByteArray tinted = svg;
        tinted.replace("currentColor", color.name().toLatin1());
        QBuffer buffer(&tinted);
        buffer.open(QIODevice::ReadOnly);
        QImageReader reader(&buffer, "svg");
        reader.setScaledSize(QSize(pixels, pixels));
        QPixmap pixmap = QPixmap::fromImage(reader.read());
        if (pixmap.isNull())
            return;
        pixmap.setDevicePixelRatio(devicePixelRatio);
        icon.addPixmap(pixmap, mode, QIcon::Off);
    };
    add(palette.color(QPalette::Active, normalRole), QIcon::Normal);
    add(palette.color(QPalette::Active, normalRole), QIcon::Active);
    add(palette.color(QPalette::Active, QPalette::HighlightedText), QIcon::Selected);
    add(palette.color(QPalette::Disabled, normalRole), QIcon::Disabled);
    return icon;
}

bool installTranslations(QCoreApplication *app, const QLocale &locale)
{
    initResources();
    // Parented to the application, so they live as long as it does.
    auto *qt = new QTranslator(app);
    if (qt->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;

    auto *own = new QTranslator(app);
    if (own->load(locale, QStringLiteral("leadbridge"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(own);
        return true;
    }
    delete own;
    return false;
}

} // namespace lb::gui
