#include "gui/Delegates.h"

#include <QCoreApplication>
#include <QDateTime>

namespace lb::gui {

QString DateTimeDelegate::displayText(const QVariant &value, const QLocale &locale) const
{
    if (value.metaType().id() == QMetaType::QDateTime) {
        const QDateTime t = value.toDateTime();
        return t.isValid() ? locale.toString(t.toLocalTime(), QLocale::ShortFormat) : QStringLiteral("—");
    }
    return QStyledItemDelegate::displayText(value, locale);
}

QString relativeAge(qint64 epochMs, qint64 nowMs)
{
    if (epochMs <= 0)
        return QCoreApplication::translate("relativeAge", "never");
    const qint64 seconds = std::max<qint64>(0, (nowMs - epochMs) / 1000);
    if (seconds < 60)
        return QCoreApplication::translate("relativeAge", "just now");
    // Spelled out per number: "%n minute(s)" would need an English translation file for its plural.
    const auto say = [](const char *one, const char *many, qint64 n) {
        return n == 1 ? QCoreApplication::translate("relativeAge", one)
                      : QCoreApplication::translate("relativeAge", many).arg(n);
    };
    if (seconds < 3600)
        return say(QT_TRANSLATE_NOOP("relativeAge", "1 minute ago"), QT_TRANSLATE_NOOP("relativeAge", "%1 minutes ago"), seconds / 60);
    if (seconds < 86400)
        return say(QT_TRANSLATE_NOOP("relativeAge", "1 hour ago"), QT_TRANSLATE_NOOP("relativeAge", "%1 hours ago"), seconds / 3600);
    return say(QT_TRANSLATE_NOOP("relativeAge", "1 day ago"), QT_TRANSLATE_NOOP("relativeAge", "%1 days ago"), seconds / 86400);
}

} // namespace lb::gui
