#include "domain/Json.h"

#include <QTimeZone>

namespace lb::json {

QString str(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    switch (v.type()) {
    case QJsonValue::String:
        return v.toString();
    case QJsonValue::Double: {
        const double d = v.toDouble();
        if (d == static_cast<double>(static_cast<qint64>(d)))
            return QString::number(static_cast<qint64>(d));
        return QString::number(d, 'g', 15);
    }
    case QJsonValue::Bool:
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    default:
        return {};
    }
}

bool boolean(const QJsonObject &o, QLatin1StringView key, bool fallback)
{
    const QJsonValue v = o.value(key);
    if (v.isBool())
        return v.toBool();
    if (v.isDouble())
        return v.toDouble() != 0;
    if (v.isString()) {
        const QString s = v.toString().trimmed().toLower();
        if (s == QLatin1String("true") || s == QLatin1String("1"))
            return true;
        if (s == QLatin1String("false") || s == QLatin1String("0"))
            return false;
    }
    return fallback;
}

QStringList strings(const QJsonObject &o, QLatin1StringView key)
{
    const QJsonValue v = o.value(key);
    QStringList out;
    if (v.isString()) {
        if (!v.toString().isEmpty())
            out << v.toString();
        return out;
    }
    const QJsonArray a = v.toArray();
    out.reserve(a.size());
    for (const QJsonValue &item : a) {
        if (item.isString())
            out << item.toString();
        else if (item.isDouble())
            out << QString::number(item.toDouble(), 'g', 15);
    }
    return out;
}

QDateTime dateTime(const QJsonValue &v)
{
    if (v.isDouble()) {
        const double ms = v.toDouble();
        if (ms <= 0)
            return {};
        return QDateTime::fromMSecsSinceEpoch(static_cast<qint64>(ms), Qt::UTC);
    }
    if (!v.isString())
        return {};
    const QString s = v.toString().trimmed();
    if (s.isEmpty())
        return {};
    QDateTime dt = QDateTime::fromString(s, Qt::ISODateWithMs);
    if (!dt.isValid())
        dt = QDateTime::fromString(s, Qt::ISODate);
    if (!dt.isValid()) {
        dt = QDateTime::fromString(s, QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        if (dt.isValid())
            dt.setTimeSpec(Qt::UTC);
    }
    if (!dt.isValid()) {
        bool ok = false;
        const qint64 ms = s.toLongLong(&ok);
        if (ok && ms > 0)
            return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
        return {};
    }
    if (dt.timeSpec() == Qt::LocalTime)
        dt.setTimeSpec(Qt::UTC); // no zone given: GHL means UTC
    return dt.toUTC();
}

QString isoString(const QDateTime &dt)
{
    return dt.isValid() ? dt.toUTC().toString(Qt::ISODateWithMs) : QString();
}

qint64 toMs(const QDateTime &dt)
{
    return dt.isValid() ? dt.toMSecsSinceEpoch() : 0;
}

QDateTime fromMs(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

} // namespace lb::json
