#pragma once

#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>

// Lenient readers for API JSON: a field of an unexpected type or a missing field reads as empty
// instead of failing the whole record, because GHL's responses are only loosely specified.
namespace lb::json {

/// A string, or a number or bool rendered as text; empty for null, missing, arrays and objects.
[[nodiscard]] QString str(const QJsonObject &o, QLatin1StringView key);
[[nodiscard]] bool boolean(const QJsonObject &o, QLatin1StringView key, bool fallback = false);
/// Strings of an array; a single string becomes a one-element list; other items are skipped.
[[nodiscard]] QStringList strings(const QJsonObject &o, QLatin1StringView key);
/// ISO 8601 (with or without zone), "yyyy-MM-dd HH:mm:ss" (read as UTC) or epoch milliseconds.
[[nodiscard]] QDateTime dateTime(const QJsonValue &v);
[[nodiscard]] inline QDateTime dateTime(const QJsonObject &o, QLatin1StringView key)
{
    return dateTime(o.value(key));
}
/// ISO 8601 in UTC with milliseconds, as GHL writes it; empty for an invalid date.
[[nodiscard]] QString isoString(const QDateTime &dt);
/// Epoch milliseconds, 0 for an invalid date (the store's representation of dates).
[[nodiscard]] qint64 toMs(const QDateTime &dt);
[[nodiscard]] QDateTime fromMs(qint64 ms);

} // namespace lb::json
