#include "sync/Transforms.h"

#include "domain/Json.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTextBoundaryFinder>

#include <algorithm>
#include <array>

namespace lb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::Mapping", text);
}

// Format characters that are invisible in a text field yet break comparisons (e-mail keys, tags) when
// they ride along from a copy-paste, especially around right-to-left text.
bool isInvisibleMark(char16_t c)
{
    return (c >= 0x200B && c <= 0x200F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2060 && c <= 0x2064) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF || c == 0x00AD;
}

bool isTrimmable(QChar c)
{
    return c.isSpace() || isInvisibleMark(c.unicode());
}

bool isAsciiOnly(const QString &s)
{
    for (QChar c : s)
        if (c.unicode() >= 0x80)
            return false;
    return true;
}

char32_t codePointAt(const QString &s, qsizetype i, qsizetype *width)
{
    const QChar c = s.at(i);
    if (c.isHighSurrogate() && i + 1 < s.size() && s.at(i + 1).isLowSurrogate()) {
        *width = 2;
        return QChar::surrogateToUcs4(c, s.at(i + 1));
    }
    *width = 1;
    return c.unicode();
}

void appendCodePoint(QString &out, char32_t cp)
{
    if (QChar::requiresSurrogates(cp)) {
        out.append(QChar(QChar::highSurrogate(cp)));
        out.append(QChar(QChar::lowSurrogate(cp)));
    } else {
        out.append(QChar(char16_t(cp)));
    }
}

bool isWordChar(char32_t cp)
{
    // Apostrophes stay inside a word ("o'neil" → "O'neil", "don't" → "Don't").
    return QChar::isLetterOrNumber(cp) || QChar::isMark(cp) || cp == U'\'' || cp == 0x2019 || cp == 0x02BC;
}

// Unicode's Final_Sigma condition, simplified: a σ after a letter and not before one is word-final.
// QString::toLower() maps Σ to σ everywhere, which spells "ΟΔΥΣΣΕΥΣ" as "οδυσσευσ".
void fixFinalSigma(QString &s)
{
    if (!s.contains(QChar(0x03C3)))
        return;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i).unicode() != 0x03C3)
            continue;
        qsizetype b = i - 1;
        while (b >= 0 && s.at(b).isMark())
            --b;
        const bool afterLetter = b >= 0 && s.at(b).isLetter();
        qsizetype a = i + 1;
        while (a < s.size() && s.at(a).isMark())
            ++a;
        const bool beforeLetter = a < s.size() && s.at(a).isLetter();
        if (afterLetter && !beforeLetter)
            s[i] = QChar(0x03C2);
    }
}

QString lowerNoSigma(const QString &s, const QLocale *locale)
{
    if (locale)
        return locale->toLower(s);
    return s.toLower();
}

// ITU-T E.164 assigned country calling codes (E.164 annex, 2023). Codes form a prefix code, so at most
// one of the 1-, 2- and 3-digit prefixes of a number can match.
constexpr std::array<int, 2> CallingCodes1{1, 7};
constexpr std::array<int, 44> CallingCodes2{20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46,
                                            47, 48, 49, 51, 52, 53, 54, 55, 56, 57, 58, 60, 61, 62, 63,
                                            64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98};

bool isCallingCode3(int c)
{
    auto in = [c](int lo, int hi) { return c >= lo && c <= hi; };
    switch (c / 10) {
    case 21:
        return c == 211 || c == 212 || c == 213 || c == 216 || c == 218;
    case 22:
    case 23:
    case 24:
    case 26:
        return true;
    case 25:
        return c <= 258;
    case 29:
        return c == 290 || c == 291 || in(297, 299);
    case 35:
        return true;
    case 37:
        return c <= 378;
    case 38:
        return c == 380 || c == 381 || c == 382 || c == 383 || c == 385 || c == 386 || c == 387 || c == 389;
    case 42:
        return c == 420 || c == 421 || c == 423;
    case 50:
    case 59:
        return true;
    case 67:
        return c == 670 || c >= 672;
    case 68:
        return c != 684;
    case 69:
        return c <= 692;
    case 80:
        return c == 800 || c == 808;
    case 85:
        return c == 850 || c == 852 || c == 853 || c == 855 || c == 856;
    case 87:
        return c == 870 || c == 878;
    case 88:
        return in(880, 883) || c == 886 || c == 888;
    case 96:
        return c <= 968;
    case 97:
        return c <= 977 || c == 979;
    case 99:
        return in(992, 996) || c == 998;
    default:
        return false;
    }
}

// The calling code at the start of `digits`, or empty.
QStringView callingCodePrefix(QStringView digits)
{
    for (int len = 1; len <= 3 && len <= digits.size(); ++len) {
        const int c = digits.left(len).toInt();
        const bool known =
            len == 1   ? std::find(CallingCodes1.begin(), CallingCodes1.end(), c) != CallingCodes1.end()
            : len == 2 ? std::find(CallingCodes2.begin(), CallingCodes2.end(), c) != CallingCodes2.end()
                       : isCallingCode3(c);
        if (known)
            return digits.left(len);
    }
    return {};
}

void appendPadded(QString &out, int value, int width)
{
    char buf[8];
    for (int i = width - 1; i >= 0; --i) {
        buf[i] = char('0' + value % 10);
        value /= 10;
    }
    out.append(QLatin1StringView(buf, width));
}

// Days since 1970-01-01 → civil date, in integer arithmetic (H. Hinnant's civil_from_days): QDate's
// year(), month() and day() each redo the calendar conversion, and this runs for every due date.
void civilFromDays(qint64 z, int *year, int *month, int *day)
{
    z += 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    *day = int(doy - (153 * mp + 2) / 5 + 1);
    *month = int(mp < 10 ? mp + 3 : mp - 9);
    *year = int(yoe + era * 400 + (*month <= 2 ? 1 : 0));
}

QString isoDateFromDays(qint64 days)
{
    int y = 0, m = 0, d = 0;
    civilFromDays(days, &y, &m, &d);
    if (y < 0 || y > 9999)
        return QDate(y, m, d).toString(Qt::ISODate);
    QString s(10, Qt::Uninitialized);
    QChar *o = s.data();
    const int digits[] = {y / 1000, y / 100 % 10, y / 10 % 10, y % 10, -1,
                          m / 10,   m % 10,       -1,          d / 10, d % 10};
    for (int i = 0; i < 10; ++i)
        o[i] = digits[i] < 0 ? QChar(u'-') : QChar(char16_t(u'0' + digits[i]));
    return s;
}

constexpr qint64 JulianDayOfEpoch = 2440588; // 1970-01-01
constexpr qint64 MsPerDay = 86'400'000;

QString isoDateImpl(QDate d)
{
    return d.isValid() ? isoDateFromDays(d.toJulianDay() - JulianDayOfEpoch) : QString();
}

qint64 floorDiv(qint64 a, qint64 b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

bool isDateOnly(QStringView s)
{
    return s.size() == 10 && s.at(4) == u'-' && s.at(7) == u'-';
}

QString quoted(QStringView s)
{
    constexpr qsizetype Max = 60; // a reason is a log line, not a copy of the value
    if (s.size() <= Max)
        return u'\'' + s.toString() + u'\'';
    return u'\'' + s.left(Max).toString() + QStringLiteral("…'");
}

} // namespace

// ---- FieldValue ----------------------------------------------------------------------------------

FieldValue FieldValue::fromList(QStringList l)
{
    FieldValue v;
    v.type = Type::List;
    v.list = std::move(l);
    return v;
}

FieldValue FieldValue::fromDateTime(QDateTime dt)
{
    FieldValue v;
    v.type = Type::DateTime;
    v.dateTime = std::move(dt);
    return v;
}

bool FieldValue::isEmpty() const
{
    switch (type) {
    case Type::Text:
        return text.isEmpty();
    case Type::List:
        return std::all_of(list.cbegin(), list.cend(), [](const QString &s) { return s.isEmpty(); });
    case Type::DateTime:
        return !dateTime.isValid();
    }
    return true;
}

QString FieldValue::toText(QStringView listSeparator) const
{
    switch (type) {
    case Type::Text:
        return text;
    case Type::List: {
        qsizetype size = 0, nonEmpty = 0;
        const QString *only = nullptr;
        for (const QString &item : list) {
            size += item.size() + listSeparator.size();
            if (!item.isEmpty()) {
                ++nonEmpty;
                only = &item;
            }
        }
        if (nonEmpty <= 1) // a note without a title, a task without a body: no new string
            return only ? *only : QString();
        QString out;
        out.reserve(size);
        for (const QString &item : list) {
            if (item.isEmpty())
                continue;
            if (!out.isEmpty())
                out.append(listSeparator);
            out.append(item);
        }
        return out;
    }
    case Type::DateTime:
        return json::isoString(dateTime);
    }
    return {};
}

QStringList FieldValue::toList() const
{
    if (type == Type::List)
        return list;
    QString t = toText();
    return t.isEmpty() ? QStringList() : QStringList{std::move(t)};
}

void FieldValue::setText(QString t)
{
    type = Type::Text;
    text = std::move(t);
    list.clear();
    dateTime = {};
}

void FieldValue::setList(QStringList l)
{
    type = Type::List;
    list = std::move(l);
    text.clear();
    dateTime = {};
}

// ---- free functions ------------------------------------------------------------------------------

namespace transforms {

QString trimmed(const QString &s)
{
    qsizetype b = 0, e = s.size();
    while (b < e && isTrimmable(s.at(b)))
        ++b;
    while (e > b && isTrimmable(s.at(e - 1)))
        --e;
    if (b == 0 && e == s.size())
        return s; // shares the data: the common case costs no allocation
    return s.mid(b, e - b);
}

QString lower(const QString &s, const QLocale *locale)
{
    if (!locale && isAsciiOnly(s)) {
        if (std::none_of(s.cbegin(), s.cend(),
                         [](QChar c) { return c.unicode() >= 'A' && c.unicode() <= 'Z'; }))
            return s;
        return s.toLower();
    }
    QString out = lowerNoSigma(s, locale);
    fixFinalSigma(out);
    return out;
}

QString upper(const QString &s, const QLocale *locale)
{
    if (locale)
        return locale->toUpper(s);
    return s.toUpper();
}

QString titleCase(const QString &s, const QLocale *locale)
{
    QString out;
    out.reserve(s.size() + 2);
    qsizetype i = 0;
    bool prevWord = false;
    qsizetype runStart = -1; // the part of a word after its first letter is lowered in one call
    auto flushRun = [&](qsizetype end) {
        if (runStart >= 0 && end > runStart)
            out.append(lowerNoSigma(s.mid(runStart, end - runStart), locale));
        runStart = -1;
    };
    while (i < s.size()) {
        qsizetype w = 1;
        const char32_t cp = codePointAt(s, i, &w);
        const bool word = isWordChar(cp);
        if (word && !prevWord && QChar::isLetterOrNumber(cp)) {
            flushRun(i);
            const char32_t title = QChar::toTitleCase(cp);
            if (locale && title == QChar::toUpper(cp)) {
                // No distinct title case form (ǅ has one): the locale's upper case is right ("i" → "İ" in
                // Turkish).
                out.append(locale->toUpper(s.mid(i, w)));
            } else {
                appendCodePoint(out, title);
            }
            runStart = i + w;
        } else if (runStart < 0) {
            runStart = i;
        }
        prevWord = word;
        i += w;
    }
    flushRun(s.size());
    fixFinalSigma(out);
    return out;
}

bool isCountryCallingCode(QStringView code)
{
    if (code.isEmpty() || code.size() > 3)
        return false;
    for (QChar c : code)
        if (c < u'0' || c > u'9')
            return false;
    return callingCodePrefix(code).size() == code.size();
}

QString phoneToE164(QStringView input, QStringView defaultCountryCode, QString *reason)
{
    auto fail = [&](const char *why) {
        if (reason)
            *reason = tr(why).arg(quoted(input));
        return QString();
    };
    QStringView s = input.trimmed();
    // An extension has no place in E.164: the main number is kept. (Most numbers have no x, e or #.)
    const bool maybeExtension = std::any_of(s.begin(), s.end(), [](QChar c) {
        return c == u'#' || c == u'x' || c == u'X' || c == u'e' || c == u'E';
    });
    for (QStringView marker : {QStringView(u"ext"), QStringView(u"x"), QStringView(u"#")}) {
        if (!maybeExtension)
            break;
        const qsizetype at = s.lastIndexOf(marker, -1, Qt::CaseInsensitive);
        if (at > 0) {
            QStringView tail = s.mid(at + marker.size());
            if (tail.startsWith(u'.'))
                tail = tail.mid(1);
            tail = tail.trimmed();
            if (!tail.isEmpty() &&
                std::all_of(tail.begin(), tail.end(), [](QChar c) { return c.isDigit(); })) {
                s = s.left(at).trimmed();
                break;
            }
        }
    }
    // "+49 (0)30 …": the national trunk 0 in brackets is not dialled from abroad.
    QString withoutTrunk;
    if ((s.startsWith(u'+') || s.startsWith(u"00")) && s.contains(u"(0)")) {
        withoutTrunk = s.toString();
        withoutTrunk.remove(QStringLiteral("(0)"));
        s = withoutTrunk;
    }
    QString digits;
    digits.reserve(s.size() + 4); // room for a default country code and the plus
    bool plus = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c.isDigit()) {
            digits.append(QChar(u'0' + c.digitValue())); // also Arabic-Indic and other script digits
        } else if (c == u'+' || c == QChar(0xFF0B)) {
            if (!digits.isEmpty() || plus)
                return fail("%1 has a plus sign in the middle");
            plus = true;
        } else if (c.isSpace() || c == u'-' || c == u'.' || c == u'(' || c == u')' || c == u'/' ||
                   c == QChar(0x2010) || c == QChar(0x2011) || c == QChar(0x2012) || c == QChar(0x2013) ||
                   isInvisibleMark(c.unicode())) {
            continue;
        } else {
            return fail("%1 has characters that a phone number cannot have");
        }
    }
    if (digits.isEmpty())
        return fail("%1 has no digits");
    if (!plus && digits.startsWith(QLatin1StringView("00"))) {
        digits.remove(0, 2);
        plus = true;
    }
    if (!plus) {
        QStringView cc = defaultCountryCode;
        if (cc.startsWith(u'+'))
            cc = cc.mid(1);
        if (cc.isEmpty())
            return fail("%1 has no country calling code (write it as +<country code> <number>, or set a "
                        "default country code in the mapping)");
        if (cc == u"1" && digits.size() == 11 && digits.startsWith(u'1'))
            digits.remove(0, 1); // NANP numbers are often written with the long-distance 1
        else if (cc != u"39" && digits.startsWith(u'0'))
            digits.remove(0, 1); // the national trunk prefix; Italy keeps its 0 in E.164
        digits.prepend(cc);
    }
    const QStringView code = callingCodePrefix(digits);
    if (code.isEmpty())
        return fail("%1 does not start with a country calling code that exists");
    const qsizetype national = digits.size() - code.size();
    if (digits.size() > 15)
        return fail("%1 is too long for a phone number (E.164 allows 15 digits)");
    if (national < 4)
        return fail("%1 is too short to be a phone number");
    if (code == u"1") {
        // North American numbering plan: 10 digits, area code and exchange do not start with 0 or 1.
        if (national != 10 || digits.at(1) < u'2' || digits.at(4) < u'2')
            return fail("%1 is not a possible North American number");
    }
    digits.prepend(u'+');
    return digits;
}

QDateTime parseGhlDateTime(QStringView text)
{
    const QStringView s = text.trimmed();
    if (s.isEmpty())
        return {};
    if (std::all_of(s.begin(), s.end(), [](QChar c) { return c >= u'0' && c <= u'9'; })) {
        bool ok = false;
        const qint64 n = s.toLongLong(&ok);
        if (!ok)
            return {};
        if (s.size() >= 12)
            return QDateTime::fromMSecsSinceEpoch(n, Qt::UTC);
        if (s.size() >= 9)
            return QDateTime::fromSecsSinceEpoch(n, Qt::UTC);
        return {};
    }
    return json::dateTime(QJsonValue(s.toString()));
}

bool isKnownTimeZone(const QString &id)
{
    return id == u"UTC" || QTimeZone::isTimeZoneIdAvailable(id.toUtf8());
}

qsizetype codePointCount(QStringView s)
{
    qsizetype n = 0;
    for (qsizetype i = 0; i < s.size(); ++i) {
        if (s.at(i).isLowSurrogate() && i > 0 && s.at(i - 1).isHighSurrogate())
            continue;
        ++n;
    }
    return n;
}

QString truncated(const QString &s, int max, const QString &suffix)
{
    if (max <= 0)
        return {};
    if (s.size() <= max || codePointCount(s) <= max)
        return s;
    const qsizetype room = std::max<qsizetype>(0, max - codePointCount(suffix));
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, s);
    qsizetype cut = 0, points = 0, last = 0;
    for (qsizetype pos = finder.toNextBoundary(); pos > 0; pos = finder.toNextBoundary()) {
        points += codePointCount(QStringView(s).mid(last, pos - last));
        last = pos;
        if (points > room)
            break;
        cut = pos;
    }
    QString out = s.left(cut);
    out.append(suffix);
    return out;
}

bool isValidEmail(QStringView email)
{
    if (email.isEmpty() || email.size() > 254)
        return false;
    const qsizetype at = email.indexOf(u'@');
    if (at <= 0 || at > 64 || email.indexOf(u'@', at + 1) >= 0)
        return false;
    const QStringView local = email.left(at);
    const QStringView domain = email.mid(at + 1);
    if (local.startsWith(u'.') || local.endsWith(u'.') || local.contains(u".."))
        return false;
    static constexpr char16_t LocalSpecials[] = u"!#$%&'*+/=?^_`{|}~.-";
    for (QChar c : local) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                        std::char_traits<char16_t>::find(LocalSpecials, 20, u) != nullptr ||
                        (u >= 0x80 && (c.isLetterOrNumber() || c.isMark() || c.isSurrogate()));
        if (!ok)
            return false;
    }
    if (domain.size() < 3 || domain.size() > 253)
        return false;
    qsizetype labels = 0, labelStart = 0;
    bool tldAllDigits = true;
    for (qsizetype i = 0; i <= domain.size(); ++i) {
        if (i == domain.size() || domain.at(i) == u'.') {
            const QStringView label = domain.mid(labelStart, i - labelStart);
            if (label.isEmpty() || label.size() > 63 || label.startsWith(u'-') || label.endsWith(u'-'))
                return false;
            tldAllDigits = std::all_of(label.begin(), label.end(), [](QChar c) { return c.isDigit(); });
            ++labels;
            labelStart = i + 1;
            continue;
        }
        const QChar c = domain.at(i);
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
                        u == '-' || (u >= 0x80 && (c.isLetterOrNumber() || c.isMark() || c.isSurrogate()));
        if (!ok)
            return false;
    }
    return labels >= 2 && !tldAllDigits;
}

QString normalisedEmail(const QString &email)
{
    return lower(trimmed(email));
}

QString isoDate(QDate date)
{
    return isoDateImpl(date);
}

QString isoDateUtc(qint64 msecsSinceEpoch)
{
    return isoDateFromDays(floorDiv(msecsSinceEpoch, MsPerDay));
}

bool isIsoDate(QStringView s)
{
    if (!isDateOnly(s))
        return false;
    int n[10] = {};
    for (qsizetype i = 0; i < 10; ++i) {
        if (i == 4 || i == 7)
            continue;
        if (s.at(i) < u'0' || s.at(i) > u'9')
            return false;
        n[i] = s.at(i).unicode() - u'0';
    }
    return QDate::isValid(n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3], n[5] * 10 + n[6], n[8] * 10 + n[9]);
}

QString normalisedNumber(QStringView s, bool *ok)
{
    *ok = false;
    s = s.trimmed();
    // A currency symbol before or after the amount ("$1,200", "12 €") is decoration.
    if (!s.isEmpty() && s.front().category() == QChar::Symbol_Currency)
        s = s.mid(1).trimmed();
    if (!s.isEmpty() && s.back().category() == QChar::Symbol_Currency)
        s = s.chopped(1).trimmed();
    QString out;
    out.reserve(s.size());
    bool digits = false, dot = false, exp = false, expDigits = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c >= u'0' && c <= u'9') {
            (exp ? expDigits : digits) = true;
            out.append(c);
        } else if ((c == u'-' || c == u'+') && (out.isEmpty() || (exp && (out.back() == u'e')))) {
            if (c == u'-')
                out.append(c);
        } else if (c == u'.' && !dot && !exp) {
            dot = true;
            out.append(c);
        } else if ((c == u'e' || c == u'E') && digits && !exp) {
            exp = true;
            out.append(u'e');
        } else if ((c == u',' || c == u' ' || c == QChar(0x00A0) || c == QChar(0x202F) || c == u'\'') &&
                   digits && !dot && !exp && i + 1 < s.size() && s.at(i + 1).isDigit()) {
            continue; // grouping: 1,234 / 1 234 / 1'234
        } else {
            return {};
        }
    }
    if (!digits || (exp && !expDigits))
        return {};
    *ok = true;
    return out;
}

} // namespace transforms

// ---- Transform -----------------------------------------------------------------------------------

namespace {

struct KindInfo
{
    Transform::Kind kind;
    const char16_t *name;
    std::array<const char16_t *, 3> params;   // unused slots are null
    std::array<const char16_t *, 1> required; // at most one parameter is required
};

const std::array<KindInfo, 13> &kindInfos()
{
    using K = Transform::Kind;
    static const std::array<KindInfo, 13> infos{{
        {K::Trim, u"trim", {}, {}},
        {K::Lower, u"lower", {u"locale"}, {}},
        {K::Upper, u"upper", {u"locale"}, {}},
        {K::TitleCase, u"titleCase", {u"locale"}, {}},
        {K::Split, u"split", {u"separator"}, {u"separator"}},
        {K::Join, u"join", {u"separator"}, {}},
        {K::PhoneE164, u"phoneE164", {u"defaultCountryCode"}, {}},
        {K::Date, u"date", {u"format", u"timeZone", u"inputFormat"}, {u"format"}},
        {K::Constant, u"constant", {u"value"}, {u"value"}},
        {K::DefaultIfEmpty, u"default", {u"value"}, {u"value"}},
        {K::Concat, u"concat", {u"separator"}, {}},
        {K::Truncate, u"truncate", {u"max", u"suffix"}, {u"max"}},
        {K::MapValues, u"mapValues", {u"table", u"unmapped", u"caseSensitive"}, {u"table"}},
    }};
    return infos;
}

const KindInfo &info(Transform::Kind kind)
{
    return kindInfos()[static_cast<size_t>(kind)];
}

QString unmappedName(Transform::Unmapped u)
{
    switch (u) {
    case Transform::Unmapped::Keep:
        return QStringLiteral("keep");
    case Transform::Unmapped::Empty:
        return QStringLiteral("empty");
    case Transform::Unmapped::Reject:
        return QStringLiteral("reject");
    }
    return {};
}

QString jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("an array");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    default:
        return QStringLiteral("nothing");
    }
}

} // namespace

Transform Transform::lower(const QString &locale)
{
    Transform t(Kind::Lower);
    t.m_text = locale;
    t.prepare();
    return t;
}

Transform Transform::upper(const QString &locale)
{
    Transform t(Kind::Upper);
    t.m_text = locale;
    t.prepare();
    return t;
}

Transform Transform::titleCase(const QString &locale)
{
    Transform t(Kind::TitleCase);
    t.m_text = locale;
    t.prepare();
    return t;
}

Transform Transform::split(const QString &separator)
{
    Transform t(Kind::Split);
    t.m_text = separator;
    return t;
}

Transform Transform::join(const QString &separator)
{
    Transform t(Kind::Join);
    t.m_text = separator;
    return t;
}

Transform Transform::phoneE164(const QString &defaultCountryCode)
{
    Transform t(Kind::PhoneE164);
    t.m_text = defaultCountryCode;
    t.prepare();
    return t;
}

Transform Transform::date(const QString &format, const QString &timeZone, const QString &inputFormat)
{
    Transform t(Kind::Date);
    t.m_text = format;
    t.m_text2 = inputFormat;
    t.m_text3 = timeZone;
    t.prepare();
    return t;
}

Transform Transform::constant(const QString &value)
{
    Transform t(Kind::Constant);
    t.m_text = value;
    return t;
}

Transform Transform::defaultIfEmpty(const QString &value)
{
    Transform t(Kind::DefaultIfEmpty);
    t.m_text = value;
    return t;
}

Transform Transform::concat(const QString &separator)
{
    Transform t(Kind::Concat);
    t.m_text = separator;
    return t;
}

Transform Transform::truncate(int max, const QString &suffix)
{
    Transform t(Kind::Truncate);
    t.m_max = max;
    t.m_text2 = suffix;
    return t;
}

Transform Transform::mapValues(const QMap<QString, QString> &table, Unmapped unmapped, bool caseSensitive)
{
    Transform t(Kind::MapValues);
    t.m_table = table;
    t.m_unmapped = unmapped;
    t.m_caseSensitive = caseSensitive;
    t.prepare();
    return t;
}

QString Transform::name(Kind kind)
{
    return QString::fromUtf16(info(kind).name);
}

std::optional<Transform::Kind> Transform::kindFromName(QStringView name)
{
    for (const KindInfo &i : kindInfos())
        if (name == QStringView(i.name))
            return i.kind;
    return std::nullopt;
}

QStringList Transform::names()
{
    QStringList out;
    for (const KindInfo &i : kindInfos())
        out << QString::fromUtf16(i.name);
    return out;
}

void Transform::prepare()
{
    switch (m_kind) {
    case Kind::Lower:
    case Kind::Upper:
    case Kind::TitleCase:
        m_qlocale.reset();
        if (!m_text.isEmpty())
            m_qlocale = QLocale(m_text);
        break;
    case Kind::PhoneE164:
        if (m_text.startsWith(u'+'))
            m_text.remove(0, 1); // stored without the plus, so files and comparisons see one spelling
        break;
    case Kind::Date:
        m_utc = m_text3.isEmpty() || m_text3 == u"UTC";
        m_zone = m_utc ? QTimeZone() : QTimeZone(m_text3.toUtf8());
        if (m_text == u"yyyy-MM-dd" || m_text == u"iso-date")
            m_dateOut = DateOut::IsoDate;
        else if (m_text == u"iso")
            m_dateOut = DateOut::Iso;
        else if (m_text == u"epoch-ms")
            m_dateOut = DateOut::EpochMs;
        else
            m_dateOut = DateOut::Custom;
        break;
    case Kind::MapValues:
        m_foldedTable.clear();
        if (!m_caseSensitive)
            for (auto it = m_table.cbegin(); it != m_table.cend(); ++it)
                m_foldedTable.insert(it.key().trimmed().toCaseFolded(), it.value());
        break;
    default:
        break;
    }
}

std::optional<TransformError> Transform::check() const
{
    switch (m_kind) {
    case Kind::Lower:
    case Kind::Upper:
    case Kind::TitleCase:
        if (!m_text.isEmpty() && m_text != u"C" && QLocale(m_text).language() == QLocale::C)
            return TransformError{
                QStringLiteral("locale"),
                tr("unknown locale '%1' (use a code such as \"tr\" or \"de_DE\")").arg(m_text)};
        break;
    case Kind::Split:
        if (m_text.isEmpty())
            return TransformError{QStringLiteral("separator"), tr("the separator must not be empty")};
        break;
    case Kind::PhoneE164:
        if (!m_text.isEmpty() && !transforms::isCountryCallingCode(m_text))
            return TransformError{
                QStringLiteral("defaultCountryCode"),
                tr("'%1' is not a country calling code (e.g. \"1\", \"44\", \"+49\")").arg(m_text)};
        break;
    case Kind::Date: {
        if (m_text.isEmpty())
            return TransformError{QStringLiteral("format"), tr("the date format must not be empty")};
        if (m_dateOut == DateOut::Custom) {
            static const QString letters = QStringLiteral("yMdHhmsz");
            bool inQuote = false, hasField = false;
            for (QChar c : m_text) {
                if (c == u'\'')
                    inQuote = !inQuote;
                else if (!inQuote && letters.contains(c))
                    hasField = true;
            }
            if (!hasField)
                return TransformError{QStringLiteral("format"),
                                      tr("'%1' has no date or time field (use yyyy, MM, dd, HH, mm, ss, or "
                                         "\"iso\", \"yyyy-MM-dd\", \"epoch-ms\")")
                                          .arg(m_text)};
        }
        if (!m_utc && (!m_zone.isValid() || !transforms::isKnownTimeZone(m_text3)))
            return TransformError{
                QStringLiteral("timeZone"),
                tr("unknown time zone '%1' (use an IANA name such as \"Europe/Berlin\")").arg(m_text3)};
        break;
    }
    case Kind::Truncate:
        if (m_max < 1)
            return TransformError{QStringLiteral("max"), tr("must be at least 1")};
        if (transforms::codePointCount(m_text2) >= m_max)
            return TransformError{QStringLiteral("suffix"),
                                  tr("the suffix must be shorter than max (%1)").arg(m_max)};
        break;
    case Kind::MapValues: {
        if (m_table.isEmpty())
            return TransformError{QStringLiteral("table"), tr("the table is empty")};
        if (!m_caseSensitive) {
            QHash<QString, QString> seen;
            for (auto it = m_table.cbegin(); it != m_table.cend(); ++it) {
                const QString folded = it.key().trimmed().toCaseFolded();
                const auto prev = seen.constFind(folded);
                if (prev != seen.cend())
                    return TransformError{QStringLiteral("table"),
                                          tr("the keys '%1' and '%2' differ only in case or spaces (set "
                                             "\"caseSensitive\": true to keep both)")
                                              .arg(*prev, it.key())};
                seen.insert(folded, it.key());
            }
        }
        break;
    }
    default:
        break;
    }
    return std::nullopt;
}

QJsonObject Transform::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name()}};
    switch (m_kind) {
    case Kind::Lower:
    case Kind::Upper:
    case Kind::TitleCase:
        if (!m_text.isEmpty())
            o.insert(QStringLiteral("locale"), m_text);
        break;
    case Kind::Split:
    case Kind::Join:
    case Kind::Concat:
        o.insert(QStringLiteral("separator"), m_text);
        break;
    case Kind::PhoneE164:
        if (!m_text.isEmpty())
            o.insert(QStringLiteral("defaultCountryCode"), m_text);
        break;
    case Kind::Date:
        o.insert(QStringLiteral("format"), m_text);
        if (!m_text3.isEmpty())
            o.insert(QStringLiteral("timeZone"), m_text3);
        if (!m_text2.isEmpty())
            o.insert(QStringLiteral("inputFormat"), m_text2);
        break;
    case Kind::Constant:
    case Kind::DefaultIfEmpty:
        o.insert(QStringLiteral("value"), m_text);
        break;
    case Kind::Truncate:
        o.insert(QStringLiteral("max"), m_max);
        if (!m_text2.isEmpty())
            o.insert(QStringLiteral("suffix"), m_text2);
        break;
    case Kind::MapValues: {
        QJsonObject table;
        for (auto it = m_table.cbegin(); it != m_table.cend(); ++it)
            table.insert(it.key(), it.value());
        o.insert(QStringLiteral("table"), table);
        if (m_unmapped != Unmapped::Keep)
            o.insert(QStringLiteral("unmapped"), unmappedName(m_unmapped));
        if (m_caseSensitive)
            o.insert(QStringLiteral("caseSensitive"), true);
        break;
    }
    case Kind::Trim:
        break;
    }
    return o;
}

std::optional<Transform> Transform::fromJson(const QJsonValue &json, TransformError *error)
{
    auto fail = [error](QString path, QString message) -> std::optional<Transform> {
        if (error)
            *error = TransformError{std::move(path), std::move(message)};
        return std::nullopt;
    };
    QJsonObject o;
    if (json.isString()) // "trim" is short for {"name": "trim"}
        o.insert(QStringLiteral("name"), json);
    else if (json.isObject())
        o = json.toObject();
    else
        return fail({},
                    tr("a transform must be an object with a \"name\" (found %1)").arg(jsonTypeName(json)));

    const QJsonValue nameValue = o.value(QLatin1StringView("name"));
    if (nameValue.isUndefined())
        return fail(QStringLiteral("name"), tr("missing: every transform needs a name"));
    if (!nameValue.isString())
        return fail(QStringLiteral("name"), tr("must be a string (found %1)").arg(jsonTypeName(nameValue)));
    const auto kind = kindFromName(nameValue.toString());
    if (!kind)
        return fail(QStringLiteral("name"),
                    tr("unknown transform '%1' (known: %2)")
                        .arg(nameValue.toString(), names().join(QStringLiteral(", "))));

    const KindInfo &ki = info(*kind);
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        if (it.key() == u"name")
            continue;
        const bool known = std::any_of(ki.params.begin(), ki.params.end(),
                                       [&](const char16_t *p) { return p && it.key() == QStringView(p); });
        if (!known) {
            QStringList allowed;
            for (const char16_t *p : ki.params)
                if (p)
                    allowed << QString::fromUtf16(p);
            const QString kindName = QString::fromUtf16(ki.name);
            return fail(it.key(), allowed.isEmpty() ? tr("unknown parameter: '%1' takes none").arg(kindName)
                                                    : tr("unknown parameter for '%1' (it takes: %2)")
                                                          .arg(kindName, allowed.join(QStringLiteral(", "))));
        }
    }
    for (const char16_t *p : ki.required)
        if (p && !o.contains(QStringView(p).toString()))
            return fail(QString::fromUtf16(p), tr("missing: '%1' needs it").arg(QString::fromUtf16(ki.name)));

    Transform t(*kind);
    std::optional<TransformError> bad;
    auto readString = [&](const char16_t *key, QString &into) {
        const QJsonValue v = o.value(QStringView(key));
        if (v.isUndefined() || bad)
            return;
        if (v.isString())
            into = v.toString();
        else
            bad = TransformError{QString::fromUtf16(key),
                                 tr("must be a string (found %1)").arg(jsonTypeName(v))};
    };
    switch (*kind) {
    case Kind::Lower:
    case Kind::Upper:
    case Kind::TitleCase:
        readString(u"locale", t.m_text);
        break;
    case Kind::Split:
        readString(u"separator", t.m_text);
        break;
    case Kind::Join:
        t.m_text = QStringLiteral(", ");
        readString(u"separator", t.m_text);
        break;
    case Kind::Concat:
        t.m_text = QStringLiteral(" ");
        readString(u"separator", t.m_text);
        break;
    case Kind::PhoneE164: {
        const QJsonValue v = o.value(QLatin1StringView("defaultCountryCode"));
        if (v.isDouble() && v.toDouble() == double(v.toInt()))
            t.m_text = QString::number(v.toInt());
        else
            readString(u"defaultCountryCode", t.m_text);
        break;
    }
    case Kind::Date:
        readString(u"format", t.m_text);
        readString(u"inputFormat", t.m_text2);
        readString(u"timeZone", t.m_text3);
        break;
    case Kind::Constant:
    case Kind::DefaultIfEmpty:
        readString(u"value", t.m_text);
        break;
    case Kind::Truncate: {
        const QJsonValue v = o.value(QLatin1StringView("max"));
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != double(qint64(d)) || d > 10'000'000)
            return fail(QStringLiteral("max"),
                        tr("must be a whole number of characters (found %1)")
                            .arg(v.isString() ? quoted(v.toString()) : jsonTypeName(v)));
        t.m_max = int(d);
        readString(u"suffix", t.m_text2);
        break;
    }
    case Kind::MapValues: {
        const QJsonValue table = o.value(QLatin1StringView("table"));
        if (!table.isObject())
            return fail(QStringLiteral("table"),
                        tr("must be an object of value → replacement (found %1)").arg(jsonTypeName(table)));
        const QJsonObject to = table.toObject();
        for (auto it = to.constBegin(); it != to.constEnd(); ++it) {
            if (!it.value().isString())
                return fail(QStringLiteral("table.") + it.key(),
                            tr("must be a string (found %1)").arg(jsonTypeName(it.value())));
            t.m_table.insert(it.key(), it.value().toString());
        }
        QString unmapped = QStringLiteral("keep");
        readString(u"unmapped", unmapped);
        if (!bad) {
            if (unmapped == u"keep")
                t.m_unmapped = Unmapped::Keep;
            else if (unmapped == u"empty")
                t.m_unmapped = Unmapped::Empty;
            else if (unmapped == u"reject")
                t.m_unmapped = Unmapped::Reject;
            else
                return fail(QStringLiteral("unmapped"),
                            tr("must be \"keep\", \"empty\" or \"reject\" (found '%1')").arg(unmapped));
        }
        const QJsonValue cs = o.value(QLatin1StringView("caseSensitive"));
        if (!cs.isUndefined() && !cs.isBool())
            return fail(QStringLiteral("caseSensitive"),
                        tr("must be true or false (found %1)").arg(jsonTypeName(cs)));
        t.m_caseSensitive = cs.toBool(false);
        break;
    }
    case Kind::Trim:
        break;
    }
    if (bad)
        return fail(bad->path, bad->message);
    t.prepare();
    if (auto problem = t.check())
        return fail(problem->path, problem->message);
    return t;
}

bool operator==(const Transform &a, const Transform &b)
{
    return a.m_kind == b.m_kind && a.m_text == b.m_text && a.m_text2 == b.m_text2 && a.m_text3 == b.m_text3 &&
           a.m_max == b.m_max && a.m_table == b.m_table && a.m_unmapped == b.m_unmapped &&
           a.m_caseSensitive == b.m_caseSensitive;
}

bool Transform::applyText(QString &text, QString *reason) const
{
    switch (m_kind) {
    case Kind::Trim:
        // Most values need nothing: test before assigning, which would cost two atomic operations.
        // at(), not front()/back(): those return references and would detach (copy) the string.
        if (!text.isEmpty() && (isTrimmable(text.at(0)) || isTrimmable(text.at(text.size() - 1))))
            text = transforms::trimmed(text);
        return true;
    case Kind::Lower:
        if (!m_qlocale && isAsciiOnly(text) && std::none_of(text.cbegin(), text.cend(), [](QChar c) {
                return c.unicode() >= 'A' && c.unicode() <= 'Z';
            }))
            return true;
        text = transforms::lower(text, m_qlocale ? &*m_qlocale : nullptr);
        return true;
    case Kind::Upper:
        text = transforms::upper(text, m_qlocale ? &*m_qlocale : nullptr);
        return true;
    case Kind::TitleCase:
        text = transforms::titleCase(text, m_qlocale ? &*m_qlocale : nullptr);
        return true;
    case Kind::PhoneE164: {
        if (text.isEmpty())
            return true;
        QString e164 = transforms::phoneToE164(text, m_text, reason);
        if (e164.isEmpty())
            return false;
        text = std::move(e164);
        return true;
    }
    case Kind::Truncate:
        text = transforms::truncated(text, m_max, m_text2);
        return true;
    case Kind::MapValues: {
        if (text.isEmpty())
            return true;
        const QString *hit = nullptr;
        QMap<QString, QString>::const_iterator it;
        QHash<QString, QString>::const_iterator hit2;
        if (m_caseSensitive) {
            it = m_table.constFind(text);
            if (it != m_table.cend())
                hit = &it.value();
        } else {
            hit2 = m_foldedTable.constFind(text.trimmed().toCaseFolded());
            if (hit2 != m_foldedTable.cend())
                hit = &hit2.value();
        }
        if (hit) {
            text = *hit;
            return true;
        }
        switch (m_unmapped) {
        case Unmapped::Keep:
            return true;
        case Unmapped::Empty:
            text.clear();
            return true;
        case Unmapped::Reject:
            if (reason)
                *reason = tr("%1 is not one of the values the mapping table knows").arg(quoted(text));
            return false;
        }
        return true;
    }
    default:
        return true;
    }
}

bool Transform::applyDate(FieldValue &value, QString *reason) const
{
    auto format = [this](const QDateTime &dt, QDate dateOnly) -> QString {
        if (dateOnly.isValid()) {
            // A calendar date (GHL DATE fields, date of birth) has no zone: moving it would change the day.
            switch (m_dateOut) {
            case DateOut::IsoDate:
                return isoDateImpl(dateOnly);
            case DateOut::Iso:
                return isoDateImpl(dateOnly);
            case DateOut::EpochMs:
                return QString::number(QDateTime(dateOnly, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch());
            case DateOut::Custom:
                return QDateTime(dateOnly, QTime(0, 0), Qt::UTC).toString(m_text);
            }
        }
        if (m_utc && m_dateOut == DateOut::IsoDate)
            return transforms::isoDateUtc(dt.toMSecsSinceEpoch());
        const QDateTime local = m_utc ? dt.toUTC() : dt.toTimeZone(m_zone);
        switch (m_dateOut) {
        case DateOut::IsoDate:
            return isoDateImpl(local.date());
        case DateOut::Iso:
            return local.toString(Qt::ISODateWithMs);
        case DateOut::EpochMs:
            return QString::number(dt.toMSecsSinceEpoch());
        case DateOut::Custom:
            return local.toString(m_text);
        }
        return {};
    };
    auto convertText = [&](QString &text) -> bool {
        const QString t = transforms::trimmed(text);
        if (t.isEmpty()) {
            text.clear();
            return true;
        }
        QDate dateOnly;
        QDateTime dt;
        if (!m_text2.isEmpty()) {
            dt = QDateTime::fromString(t, m_text2);
            if (dt.isValid() && !m_utc)
                dt = QDateTime(dt.date(), dt.time(), m_zone);
            else if (dt.isValid())
                dt.setTimeSpec(Qt::UTC);
        } else if (isDateOnly(t)) {
            dateOnly = QDate::fromString(t, Qt::ISODate);
        } else {
            dt = transforms::parseGhlDateTime(t);
        }
        if (!dt.isValid() && !dateOnly.isValid()) {
            if (reason)
                *reason = tr("%1 is not a date").arg(quoted(t));
            return false;
        }
        text = format(dt, dateOnly);
        return true;
    };
    switch (value.type) {
    case FieldValue::Type::DateTime:
        if (!value.dateTime.isValid()) {
            value.setText({});
            return true;
        }
        value.setText(format(value.dateTime, {}));
        return true;
    case FieldValue::Type::Text:
        return convertText(value.text);
    case FieldValue::Type::List:
        for (QString &item : value.list)
            if (!convertText(item))
                return false;
        return true;
    }
    return true;
}

bool Transform::apply(FieldValue &value, QString *reason) const
{
    switch (m_kind) {
    case Kind::Constant:
        value.setText(m_text);
        return true;
    case Kind::DefaultIfEmpty:
        if (value.isEmpty())
            value.setText(m_text);
        return true;
    case Kind::Split: {
        QStringList out;
        const QStringList in =
            value.type == FieldValue::Type::List ? value.list : QStringList{value.toText()};
        for (const QString &item : in)
            for (QStringView part : QStringView(item).split(m_text)) {
                const QString p = transforms::trimmed(part.toString());
                if (!p.isEmpty())
                    out << p;
            }
        value.setList(std::move(out));
        return true;
    }
    case Kind::Join:
        if (value.type == FieldValue::Type::List)
            value.setText(value.list.join(m_text));
        return true;
    case Kind::Concat:
        if (value.type == FieldValue::Type::List)
            value.setText(value.toText(m_text));
        return true;
    case Kind::Date:
        return applyDate(value, reason);
    default:
        break;
    }
    // Text transforms: per item on a list, on the ISO text of a date. The list (often shared with the
    // contact's) is only detached when an item actually changes.
    if (value.type == FieldValue::Type::List) {
        for (qsizetype i = 0; i < value.list.size(); ++i) {
            QString item = value.list.at(i);
            if (!applyText(item, reason))
                return false;
            if (!item.isSharedWith(value.list.at(i)))
                value.list[i] = std::move(item);
        }
        return true;
    }
    if (value.type == FieldValue::Type::DateTime)
        value.setText(value.toText());
    return applyText(value.text, reason);
}

} // namespace lb
