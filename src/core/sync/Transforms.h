#pragma once

#include <QDateTime>
#include <QHash>
#include <QJsonObject>
#include <QLocale>
#include <QMap>
#include <QStringList>
#include <QTimeZone>

#include <optional>

namespace lb {

/// A value on its way through a transform chain: a text, a list of texts (tags, multi-option custom
/// fields, the result of `split`) or a date and time (GHL date fields are kept as dates so that a date
/// transform never has to parse what it could have been given).
struct FieldValue
{
    enum class Type { Text, List, DateTime };

    Type type = Type::Text;
    QString text;
    QStringList list;
    QDateTime dateTime;

    FieldValue() = default;
    explicit FieldValue(QString t) : text(std::move(t)) {}
    [[nodiscard]] static FieldValue fromList(QStringList l);
    [[nodiscard]] static FieldValue fromDateTime(QDateTime dt);

    [[nodiscard]] bool isEmpty() const;
    /// Lists joined by `listSeparator` (empty items skipped), dates as ISO 8601 UTC with milliseconds.
    [[nodiscard]] QString toText(QStringView listSeparator = u", ") const;
    /// A text as a one-item list (none when empty), a date as its ISO text.
    [[nodiscard]] QStringList toList() const;
    void setText(QString t);
    void setList(QStringList l);
};

/// Where a transform failed, for messages that point into a mapping file.
struct TransformError
{
    QString path;    ///< relative to the transform object, e.g. "max"; empty for the whole object
    QString message; ///< a translated sentence fragment
};

/// What a transform may need to know about the record it is applied to. Only the phone transform
/// uses it: a national number gets the calling code of the contact's own country, else the
/// transform's `defaultCountryCode`, else the profile's default country (SyncPolicy::defaultCountry).
struct TransformContext
{
    QString countryCallingCode; ///< digits ("49") from the contact's `country`; empty: unknown
    QString defaultCallingCode; ///< digits from the profile's default country; empty: none
};

/// One step of a mapping rule's transform chain: a name and its parameters (SALESHANDY.md §11 has
/// the type conversions these exist for). A value type: cheap to copy, comparable, JSON both ways.
/// Text transforms applied to a list act on each item; applied to a date they see its ISO text.
class Transform final
{
public:
    enum class Kind {
        Trim,      ///< whitespace and invisible format marks (ZWSP, LRM/RLM, BOM) at both ends
        Lower,     ///< optional `locale` ("tr" lowers I to ı)
        Upper,     ///< optional `locale`
        TitleCase, ///< first letter of each word upper (title) case, the rest lower; optional `locale`
        Split,     ///< text → list at `separator`; items trimmed, empty ones dropped
        Join,      ///< list → text with `separator` (default ", ")
        PhoneE164, ///< to +<country><number>; national numbers get the contact's country's code, else the
                   ///< optional `defaultCountryCode`, else the profile's (TransformContext)
        Date,      ///< to `format`; optional `inputFormat` (Qt) for texts GHL would not write, `timeZone`
        Constant,  ///< replaces the value by `value`
        DefaultIfEmpty, ///< `value` when the value is empty
        Concat,         ///< list → text with `separator` (default " "), skipping empty items
        Truncate,  ///< at most `max` characters (code points, never cutting a grapheme); optional `suffix`
        MapValues, ///< looks the value up in `table`; `unmapped`: keep | empty | reject; `caseSensitive`
    };
    enum class Unmapped { Keep, Empty, Reject };

    /// A trim: the harmless transform, so that containers and test tables can hold Transforms.
    Transform() = default;

    [[nodiscard]] static Transform trim() { return Transform(Kind::Trim); }
    [[nodiscard]] static Transform lower(const QString &locale = {});
    [[nodiscard]] static Transform upper(const QString &locale = {});
    [[nodiscard]] static Transform titleCase(const QString &locale = {});
    [[nodiscard]] static Transform split(const QString &separator);
    [[nodiscard]] static Transform join(const QString &separator = QStringLiteral(", "));
    [[nodiscard]] static Transform phoneE164(const QString &defaultCountryCode = {});
    /// `format`: "yyyy-MM-dd", "iso" (ISO 8601 with milliseconds), "epoch-ms" or any Qt date format.
    [[nodiscard]] static Transform date(const QString &format, const QString &timeZone = {},
                                        const QString &inputFormat = {});
    [[nodiscard]] static Transform constant(const QString &value);
    [[nodiscard]] static Transform defaultIfEmpty(const QString &value);
    [[nodiscard]] static Transform concat(const QString &separator = QStringLiteral(" "));
    [[nodiscard]] static Transform truncate(int max, const QString &suffix = {});
    [[nodiscard]] static Transform mapValues(const QMap<QString, QString> &table,
                                             Unmapped unmapped = Unmapped::Keep, bool caseSensitive = false);

    [[nodiscard]] Kind kind() const { return m_kind; }
    /// The name in mapping files: "trim", "phoneE164", "mapValues", ...
    [[nodiscard]] QString name() const { return name(m_kind); }
    [[nodiscard]] static QString name(Kind kind);
    [[nodiscard]] static std::optional<Kind> kindFromName(QStringView name);
    [[nodiscard]] static QStringList names();

    [[nodiscard]] const QString &separator() const { return m_text; }
    [[nodiscard]] const QString &value() const { return m_text; }
    [[nodiscard]] const QString &format() const { return m_text; }
    [[nodiscard]] const QString &defaultCountryCode() const { return m_text; }
    [[nodiscard]] const QString &locale() const { return m_text; }
    [[nodiscard]] const QString &inputFormat() const { return m_text2; }
    [[nodiscard]] const QString &suffix() const { return m_text2; }
    [[nodiscard]] const QString &timeZone() const { return m_text3; }
    [[nodiscard]] int max() const { return m_max; }
    [[nodiscard]] const QMap<QString, QString> &table() const { return m_table; }
    [[nodiscard]] Unmapped unmapped() const { return m_unmapped; }
    [[nodiscard]] bool caseSensitive() const { return m_caseSensitive; }

    /// Whether the parameters make sense (a factory does not refuse anything); empty when they do.
    [[nodiscard]] std::optional<TransformError> check() const;
    [[nodiscard]] QJsonObject toJson() const;
    /// Reads `{"name": "...", <parameters>}`; unknown names, unknown or ill-typed parameters are errors.
    [[nodiscard]] static std::optional<Transform> fromJson(const QJsonValue &json, TransformError *error);

    /// Transforms `value` in place. False, with a reason for the record's log, when the value cannot be
    /// transformed (an impossible phone number, a text that is not a date, a value the table rejects).
    [[nodiscard]] bool apply(FieldValue &value, QString *reason) const;
    /// The same, with what the record tells about its values (its country, for phone numbers).
    [[nodiscard]] bool apply(FieldValue &value, QString *reason, const TransformContext &context) const;

    friend bool operator==(const Transform &a, const Transform &b);
    friend bool operator!=(const Transform &a, const Transform &b) { return !(a == b); }

private:
    explicit Transform(Kind kind) : m_kind(kind) {}
    void prepare(); // derives the cached members from the parameters
    [[nodiscard]] bool applyText(QString &text, QString *reason, const TransformContext &context) const;
    [[nodiscard]] bool applyDate(FieldValue &value, QString *reason) const;

    Kind m_kind = Kind::Trim;
    QString m_text;  // separator, value, format, defaultCountryCode or locale, by kind
    QString m_text2; // inputFormat or suffix
    QString m_text3; // timeZone
    int m_max = 0;
    QMap<QString, QString> m_table;
    Unmapped m_unmapped = Unmapped::Keep;
    bool m_caseSensitive = false;

    // Derived once, so applying costs no parsing.
    std::optional<QLocale> m_qlocale;
    QTimeZone m_zone;
    bool m_utc = true;
    enum class DateOut { IsoDate, Iso, EpochMs, Custom } m_dateOut = DateOut::IsoDate;
    QHash<QString, QString> m_foldedTable;
};

/// Free functions behind the transforms, for the type checks and for tests.
namespace transforms {

/// Trims whitespace and the invisible marks copy-paste leaves at the ends (ZWSP, LRM, RLM, BOM, ...).
[[nodiscard]] QString trimmed(const QString &s);
/// Lower case with Greek final sigma; with a locale, that locale's rules (Turkish dotless ı).
[[nodiscard]] QString lower(const QString &s, const QLocale *locale = nullptr);
[[nodiscard]] QString upper(const QString &s, const QLocale *locale = nullptr);
[[nodiscard]] QString titleCase(const QString &s, const QLocale *locale = nullptr);
/// "+<digits>" (E.164), with " ext. <digits>" when the input has an extension ("ext", "x", "#",
/// "extension", "Durchwahl"); or empty with `reason` set. Accepts "+", "00" (and "011" for North
/// America, "0011" for Australia, "010" for Japan) and, with a default calling code (digits, an
/// optional "+"), national numbers with their trunk prefix ("030 …" in Germany, "1-555-…" in North
/// America; Italy keeps its 0); drops "(0)" in international numbers; any script's digits; spaces of
/// any width, dots, dashes, slashes and brackets between them. 7 to 15 digits in all.
[[nodiscard]] QString phoneToE164(QStringView input, QStringView defaultCountryCode, QString *reason);
/// Whether `code` (digits, no "+") is an assigned ITU-T country calling code.
[[nodiscard]] bool isCountryCallingCode(QStringView code);
/// The ITU-T calling code ("49", "1", "1268" is "1") of a country given as ISO 3166-1 alpha-2 in any
/// case ("DE", "de") or by its English name ("Germany", "United Kingdom", and "USA", "UK"); empty
/// when unknown. Covers every assigned alpha-2 code and Kosovo's XK.
[[nodiscard]] QString callingCodeForCountry(QStringView country);
/// Whether `code` is an ISO 3166-1 alpha-2 code (upper case, or XK) that callingCodeForCountry knows.
[[nodiscard]] bool isCountryCode(QStringView code);
/// GHL's date forms: ISO 8601 (with or without zone; none means UTC), "yyyy-MM-dd HH:mm:ss", epoch
/// milliseconds (12 digits or more) or seconds (9–10 digits).
[[nodiscard]] QDateTime parseGhlDateTime(QStringView text);
/// At most `max` code points, cut at a grapheme boundary; `suffix` (e.g. "…") counts within `max`.
[[nodiscard]] QString truncated(const QString &s, int max, const QString &suffix = {});
/// "UTC" or an IANA zone id this system knows. (QTimeZone alone also takes POSIX strings such as
/// "Nowhere", which would silently mean UTC+0.)
[[nodiscard]] bool isKnownTimeZone(const QString &id);
/// Number of Unicode code points (what the length limits count).
[[nodiscard]] qsizetype codePointCount(QStringView s);
/// A pragmatic syntax check (RFC 5321 lengths, one @, a dotted domain, no spaces); no regex.
[[nodiscard]] bool isValidEmail(QStringView email);
/// Trimmed and lower-cased: the natural key of a prospect.
[[nodiscard]] QString normalisedEmail(const QString &email);
/// A number as Saleshandy number and currency fields take it: "1,234.50" → "1234.50", "$ 12" → "12",
/// "-3.5", "1e3". False for "abc", "", "NaN", "1.2.3".
[[nodiscard]] QString normalisedNumber(QStringView s, bool *ok);
/// yyyy-MM-dd without going through a format string (this runs for every due date).
[[nodiscard]] QString isoDate(QDate date);
/// The UTC calendar date of an instant, as yyyy-MM-dd.
[[nodiscard]] QString isoDateUtc(qint64 msecsSinceEpoch);
/// Whether `s` looks like "yyyy-MM-dd" and is a real date.
[[nodiscard]] bool isIsoDate(QStringView s);

} // namespace transforms
} // namespace lb
