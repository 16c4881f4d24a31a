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

namespace {

// ISO 3166-1 alpha-2 → ITU-T calling code: every assigned code, the exceptionally reserved ones that
// locales use (AC, DG, EA, IC, TA) and Kosovo (XK, user-assigned but in use). The North American
// territories share "1"; Vatican City dials through Italy's +39.
struct CountryCallingCode
{
    char code[3];
    const char *callingCode;
};

constexpr CountryCallingCode CountryCallingCodes[] = {
    {"AC", "247"}, {"AD", "376"}, {"AE", "971"}, {"AF", "93"},  {"AG", "1"},   {"AI", "1"},   {"AL", "355"},
    {"AM", "374"}, {"AO", "244"}, {"AQ", "672"}, {"AR", "54"},  {"AS", "1"},   {"AT", "43"},  {"AU", "61"},
    {"AW", "297"}, {"AX", "358"}, {"AZ", "994"}, {"BA", "387"}, {"BB", "1"},   {"BD", "880"}, {"BE", "32"},
    {"BF", "226"}, {"BG", "359"}, {"BH", "973"}, {"BI", "257"}, {"BJ", "229"}, {"BL", "590"}, {"BM", "1"},
    {"BN", "673"}, {"BO", "591"}, {"BQ", "599"}, {"BR", "55"},  {"BS", "1"},   {"BT", "975"}, {"BV", "47"},
    {"BW", "267"}, {"BY", "375"}, {"BZ", "501"}, {"CA", "1"},   {"CC", "61"},  {"CD", "243"}, {"CF", "236"},
    {"CG", "242"}, {"CH", "41"},  {"CI", "225"}, {"CK", "682"}, {"CL", "56"},  {"CM", "237"}, {"CN", "86"},
    {"CO", "57"},  {"CR", "506"}, {"CU", "53"},  {"CV", "238"}, {"CW", "599"}, {"CX", "61"},  {"CY", "357"},
    {"CZ", "420"}, {"DE", "49"},  {"DG", "246"}, {"DJ", "253"}, {"DK", "45"},  {"DM", "1"},   {"DO", "1"},
    {"DZ", "213"}, {"EA", "34"},  {"EC", "593"}, {"EE", "372"}, {"EG", "20"},  {"EH", "212"}, {"ER", "291"},
    {"ES", "34"},  {"ET", "251"}, {"FI", "358"}, {"FJ", "679"}, {"FK", "500"}, {"FM", "691"}, {"FO", "298"},
    {"FR", "33"},  {"GA", "241"}, {"GB", "44"},  {"GD", "1"},   {"GE", "995"}, {"GF", "594"}, {"GG", "44"},
    {"GH", "233"}, {"GI", "350"}, {"GL", "299"}, {"GM", "220"}, {"GN", "224"}, {"GP", "590"}, {"GQ", "240"},
    {"GR", "30"},  {"GS", "500"}, {"GT", "502"}, {"GU", "1"},   {"GW", "245"}, {"GY", "592"}, {"HK", "852"},
    {"HM", "672"}, {"HN", "504"}, {"HR", "385"}, {"HT", "509"}, {"HU", "36"},  {"IC", "34"},  {"ID", "62"},
    {"IE", "353"}, {"IL", "972"}, {"IM", "44"},  {"IN", "91"},  {"IO", "246"}, {"IQ", "964"}, {"IR", "98"},
    {"IS", "354"}, {"IT", "39"},  {"JE", "44"},  {"JM", "1"},   {"JO", "962"}, {"JP", "81"},  {"KE", "254"},
    {"KG", "996"}, {"KH", "855"}, {"KI", "686"}, {"KM", "269"}, {"KN", "1"},   {"KP", "850"}, {"KR", "82"},
    {"KW", "965"}, {"KY", "1"},   {"KZ", "7"},   {"LA", "856"}, {"LB", "961"}, {"LC", "1"},   {"LI", "423"},
    {"LK", "94"},  {"LR", "231"}, {"LS", "266"}, {"LT", "370"}, {"LU", "352"}, {"LV", "371"}, {"LY", "218"},
    {"MA", "212"}, {"MC", "377"}, {"MD", "373"}, {"ME", "382"}, {"MF", "590"}, {"MG", "261"}, {"MH", "692"},
    {"MK", "389"}, {"ML", "223"}, {"MM", "95"},  {"MN", "976"}, {"MO", "853"}, {"MP", "1"},   {"MQ", "596"},
    {"MR", "222"}, {"MS", "1"},   {"MT", "356"}, {"MU", "230"}, {"MV", "960"}, {"MW", "265"}, {"MX", "52"},
    {"MY", "60"},  {"MZ", "258"}, {"NA", "264"}, {"NC", "687"}, {"NE", "227"}, {"NF", "672"}, {"NG", "234"},
    {"NI", "505"}, {"NL", "31"},  {"NO", "47"},  {"NP", "977"}, {"NR", "674"}, {"NU", "683"}, {"NZ", "64"},
    {"OM", "968"}, {"PA", "507"}, {"PE", "51"},  {"PF", "689"}, {"PG", "675"}, {"PH", "63"},  {"PK", "92"},
    {"PL", "48"},  {"PM", "508"}, {"PN", "64"},  {"PR", "1"},   {"PS", "970"}, {"PT", "351"}, {"PW", "680"},
    {"PY", "595"}, {"QA", "974"}, {"RE", "262"}, {"RO", "40"},  {"RS", "381"}, {"RU", "7"},   {"RW", "250"},
    {"SA", "966"}, {"SB", "677"}, {"SC", "248"}, {"SD", "249"}, {"SE", "46"},  {"SG", "65"},  {"SH", "290"},
    {"SI", "386"}, {"SJ", "47"},  {"SK", "421"}, {"SL", "232"}, {"SM", "378"}, {"SN", "221"}, {"SO", "252"},
    {"SR", "597"}, {"SS", "211"}, {"ST", "239"}, {"SV", "503"}, {"SX", "1"},   {"SY", "963"}, {"SZ", "268"},
    {"TA", "290"}, {"TC", "1"},   {"TD", "235"}, {"TF", "262"}, {"TG", "228"}, {"TH", "66"},  {"TJ", "992"},
    {"TK", "690"}, {"TL", "670"}, {"TM", "993"}, {"TN", "216"}, {"TO", "676"}, {"TR", "90"},  {"TT", "1"},
    {"TV", "688"}, {"TW", "886"}, {"TZ", "255"}, {"UA", "380"}, {"UG", "256"}, {"UM", "1"},   {"US", "1"},
    {"UY", "598"}, {"UZ", "998"}, {"VA", "39"},  {"VC", "1"},   {"VE", "58"},  {"VG", "1"},   {"VI", "1"},
    {"VN", "84"},  {"VU", "678"}, {"WF", "681"}, {"WS", "685"}, {"XK", "383"}, {"YE", "967"}, {"YT", "262"},
    {"ZA", "27"},  {"ZM", "260"}, {"ZW", "263"},
};

// Indexed by the two letters, so that a contact's country costs one array read and no allocation.
const std::array<QString, 26 * 26> &callingCodeIndex()
{
    static const std::array<QString, 26 * 26> index = [] {
        std::array<QString, 26 * 26> out;
        for (const CountryCallingCode &c : CountryCallingCodes)
            out[size_t((c.code[0] - 'A') * 26 + (c.code[1] - 'A'))] = QString::fromLatin1(c.callingCode);
        return out;
    }();
    return index;
}

// The calling code of an alpha-2 code in any case; null when there is none.
const QString *callingCodeOfAlpha2(QChar a, QChar b)
{
    auto letter = [](QChar c) {
        const char16_t u = c.unicode();
        return u >= u'a' && u <= u'z' ? int(u - u'a') : u >= u'A' && u <= u'Z' ? int(u - u'A') : -1;
    };
    const int i = letter(a), j = letter(b);
    if (i < 0 || j < 0)
        return nullptr;
    const QString &code = callingCodeIndex()[size_t(i * 26 + j)];
    return code.isEmpty() ? nullptr : &code;
}

// English country names (Qt's territory names) and the names people write instead, folded.
const QHash<QString, QString> &callingCodesByName()
{
    static const QHash<QString, QString> names = [] {
        QHash<QString, QString> out;
        auto add = [&out](const QString &name, const char *alpha2) {
            if (const QString *code =
                    callingCodeOfAlpha2(QChar::fromLatin1(alpha2[0]), QChar::fromLatin1(alpha2[1])))
                out.insert(name.toCaseFolded(), *code);
        };
        for (int t = 1; t <= int(QLocale::LastTerritory); ++t) {
            const auto territory = QLocale::Territory(t);
            const QString code = QLocale::territoryToCode(territory);
            if (code.size() == 2)
                add(QLocale::territoryToString(territory), code.toLatin1().constData());
        }
        const std::pair<const char *, const char *> aliases[] = {
            {"USA", "US"},
            {"U.S.A.", "US"},
            {"U.S.", "US"},
            {"United States of America", "US"},
            {"America", "US"},
            {"UK", "GB"},
            {"U.K.", "GB"},
            {"Great Britain", "GB"},
            {"Britain", "GB"},
            {"England", "GB"},
            {"Scotland", "GB"},
            {"Wales", "GB"},
            {"Northern Ireland", "GB"},
            {"Deutschland", "DE"},
            {"Germany", "DE"},
            {"Holland", "NL"},
            {"The Netherlands", "NL"},
            {"España", "ES"},
            {"Italia", "IT"},
            {"Schweiz", "CH"},
            {"Suisse", "CH"},
            {"Österreich", "AT"},
            {"Brasil", "BR"},
            {"México", "MX"},
            {"Korea", "KR"},
            {"Republic of Korea", "KR"},
            {"Russian Federation", "RU"},
            {"Türkiye", "TR"},
            {"Turkey", "TR"},
            {"Czech Republic", "CZ"},
            {"Czechia", "CZ"},
            {"UAE", "AE"},
            {"Ivory Coast", "CI"},
            {"Côte d'Ivoire", "CI"},
            {"Vietnam", "VN"},
            {"Viet Nam", "VN"},
            {"Hong Kong SAR China", "HK"},
            {"Macau", "MO"},
            {"Macao", "MO"},
            {"Taiwan", "TW"},
            {"Kosovo", "XK"},
            {"Vatican", "VA"},
            {"Vatican City", "VA"},
            {"Ireland", "IE"},
            {"Republic of Ireland", "IE"},
            {"Eire", "IE"},
            {"Burma", "MM"},
            {"Swaziland", "SZ"},
            {"Eswatini", "SZ"},
            {"North Macedonia", "MK"},
            {"Macedonia", "MK"},
            {"Cape Verde", "CV"},
            {"Cabo Verde", "CV"},
            {"DR Congo", "CD"},
            {"DRC", "CD"},
            {"Congo-Kinshasa", "CD"},
            {"Congo-Brazzaville", "CG"},
            {"Congo", "CG"},
            {"Palestine", "PS"},
            {"Timor-Leste", "TL"},
            {"East Timor", "TL"},
        };
        for (const auto &[name, alpha2] : aliases)
            add(QString::fromUtf8(name), alpha2);
        return out;
    }();
    return names;
}

// Countries whose numbers keep the leading 0 in E.164 (Italy and the states that dial through it,
// Côte d'Ivoire since 2021, Congo-Brazzaville): no trunk prefix to drop.
bool keepsLeadingZero(QStringView cc)
{
    return cc == u"39" || cc == u"378" || cc == u"225" || cc == u"242";
}

bool isPhoneSeparator(char16_t c)
{
    switch (c) {
    case u' ':
    case u'-':
    case u'.':
    case u'/':
    case u'\\':
    case u'(':
    case u')':
    case u'[':
    case u']':
    case u'\'':
    case 0x00B7: // middle dot
    case 0x2010: // hyphens and dashes
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212: // minus sign
    case 0x30FC: // katakana long vowel mark, used as a dash in Japanese
    case 0xFF08: // fullwidth brackets, hyphen, dot and slash
    case 0xFF09:
    case 0xFF0D:
    case 0xFF0E:
    case 0xFF0F:
        return true;
    default:
        return false;
    }
}

// The input in one spelling: ASCII digits of any script's digits, '+' for a fullwidth plus, ' ' for
// every space and invisible mark, letters lower-cased; the rest as is.
QString normalisedPhoneText(QStringView input)
{
    QString out;
    out.reserve(input.size());
    for (qsizetype i = 0; i < input.size(); ++i) {
        const QChar c = input.at(i);
        const char16_t u = c.unicode();
        if (u >= u'0' && u <= u'9')
            out.append(c);
        else if (c.isHighSurrogate() && i + 1 < input.size() && input.at(i + 1).isLowSurrogate()) {
            const char32_t cp = QChar::surrogateToUcs4(c, input.at(i + 1));
            ++i;
            if (QChar::isDigit(cp) && QChar::digitValue(cp) >= 0)
                out.append(QChar(u'0' + QChar::digitValue(cp)));
            else
                out.append(u'?');
        } else if (c.isDigit() && c.digitValue() >= 0)
            out.append(QChar(u'0' + c.digitValue())); // Arabic-Indic, Devanagari, fullwidth, ...
        else if (u == 0xFF0B)
            out.append(u'+');
        else if (u == 0xFF03)
            out.append(u'#');
        else if (c.isSpace() || isInvisibleMark(u))
            out.append(u' ');
        else if (isPhoneSeparator(u))
            out.append(u == u'(' || u == 0xFF08 ? u'(' : u == u')' || u == 0xFF09 ? u')' : u'-');
        else
            out.append(c.toLower());
    }
    return out;
}

// Splits "… ext. 89", "… x89", "… #89", "… extension 89", "… Durchwahl 89" into number and extension.
// False when a letter or mark follows the number that is no extension marker.
bool splitExtension(QString &number, QString *extension)
{
    qsizetype at = -1;
    for (qsizetype i = 0; i < number.size(); ++i) {
        const QChar c = number.at(i);
        if (!(c.isDigit() || c == u'+' || c == u' ' || c == u'-' || c == u'(' || c == u')')) {
            at = i;
            break;
        }
    }
    if (at < 0)
        return true;
    if (at == 0)
        return false;
    static const QLatin1StringView markers[] = {
        QLatin1StringView(";ext="), QLatin1StringView("extension"), QLatin1StringView("durchwahl"),
        QLatin1StringView("ext"),   QLatin1StringView("dw"),        QLatin1StringView("x"),
        QLatin1StringView("#"),     QLatin1StringView(","),
    };
    const QStringView rest = QStringView(number).mid(at);
    for (QLatin1StringView marker : markers) {
        if (!rest.startsWith(marker))
            continue;
        QStringView tail = rest.mid(marker.size());
        while (!tail.isEmpty() && (tail.front() == u'.' || tail.front() == u':' || tail.front() == u' ' ||
                                   tail.front() == u'=' || tail.front() == u'-'))
            tail = tail.mid(1);
        while (!tail.isEmpty() && tail.back() == u' ')
            tail.chop(1);
        if (tail.isEmpty() || tail.size() > 8 ||
            !std::all_of(tail.begin(), tail.end(), [](QChar d) { return d >= u'0' && d <= u'9'; }))
            return false;
        *extension = tail.toString();
        number.truncate(at);
        return true;
    }
    return false;
}

} // namespace

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

QString callingCodeForCountry(QStringView country)
{
    const QStringView c = country.trimmed();
    if (c.size() == 2) {
        if (const QString *code = callingCodeOfAlpha2(c.at(0), c.at(1)))
            return *code;
    }
    if (c.size() < 2)
        return {};
    return callingCodesByName().value(c.toString().toCaseFolded());
}

bool isCountryCode(QStringView code)
{
    return code.size() == 2 && code.at(0).isUpper() && code.at(1).isUpper() &&
           callingCodeOfAlpha2(code.at(0), code.at(1)) != nullptr;
}

QString phoneToE164(QStringView input, QStringView defaultCountryCode, QString *reason)
{
    auto fail = [&](const char *why) {
        if (reason)
            *reason = tr(why).arg(quoted(input.trimmed()));
        return QString();
    };
    // Most numbers are plain ASCII digits and separators: they need no normalising copy.
    const bool plain = std::all_of(input.begin(), input.end(), [](QChar c) {
        const char16_t u = c.unicode();
        return (u >= u'0' && u <= u'9') || u == u' ' || u == u'+' || u == u'-' || u == u'(' || u == u')' ||
               u == u'.' || u == u'/';
    });
    QString normalised, extension;
    QStringView s;
    if (plain) {
        s = input.trimmed();
    } else {
        normalised = normalisedPhoneText(input).trimmed();
        if (normalised.startsWith(QLatin1StringView("tel:")))
            normalised = normalised.mid(4).trimmed();
        // An extension has no place in E.164, but it is part of the number: it is kept after it.
        if (!splitExtension(normalised, &extension))
            return fail("%1 has characters that a phone number cannot have");
        s = normalised;
    }

    QString digits;
    digits.reserve(s.size() + 4); // room for a default country code
    bool plus = false;
    for (qsizetype i = 0; i < s.size(); ++i) {
        const QChar c = s.at(i);
        if (c >= u'0' && c <= u'9') {
            digits.append(c);
        } else if (c == u'+') {
            if (!digits.isEmpty() || plus)
                return fail("%1 has a plus sign in the middle");
            plus = true;
        } else if (c == u'(' && !digits.isEmpty()) {
            // "+44 (0)20 …": the national trunk 0 in brackets is not dialled from abroad.
            qsizetype j = i + 1;
            while (j < s.size() && s.at(j) == u' ')
                ++j;
            if (j < s.size() && s.at(j) == u'0') {
                qsizetype k = j + 1;
                while (k < s.size() && s.at(k) == u' ')
                    ++k;
                if (k < s.size() && s.at(k) == u')' && (plus || digits.startsWith(QLatin1StringView("00")))) {
                    i = k;
                    continue;
                }
            }
        } else if (c != u' ' && c != u'-' && c != u'(' && c != u')' && c != u'.' && c != u'/') {
            return fail("%1 has characters that a phone number cannot have");
        }
    }
    if (digits.isEmpty())
        return fail("%1 has no digits");

    QStringView cc = defaultCountryCode;
    if (cc.startsWith(u'+'))
        cc = cc.mid(1);
    if (!plus) {
        // International call prefixes: "00" nearly everywhere, "011" in North America, "0011" in
        // Australia, "010" in Japan. ("011" is a UK area code, so only with North America or no country.)
        if (cc == u"61" && digits.startsWith(QLatin1StringView("0011"))) {
            digits.remove(0, 4);
            plus = true;
        } else if (digits.startsWith(QLatin1StringView("00"))) {
            digits.remove(0, 2);
            plus = true;
        } else if ((cc.isEmpty() || cc == u"1") && digits.startsWith(QLatin1StringView("011"))) {
            digits.remove(0, 3);
            plus = true;
        } else if (cc == u"81" && digits.startsWith(QLatin1StringView("010"))) {
            digits.remove(0, 3);
            plus = true;
        }
    }
    if (!plus) {
        if (cc.isEmpty())
            return fail("%1 has no country calling code, and neither the contact's country nor the mapping "
                        "gives one (write it as +<country code> <number>, or set a default country in the "
                        "mapping)");
        // The national trunk prefix is not part of the international number.
        if (cc == u"1") {
            if (digits.size() == 11 && digits.startsWith(u'1'))
                digits.remove(0, 1); // "1-555-123-4567": the long-distance 1
        } else if (cc == u"7") {
            if (digits.size() == 11 && (digits.startsWith(u'8') || digits.startsWith(u'7')))
                digits.remove(0, 1); // "8 912 345-67-89"
        } else if (cc == u"36") {
            if (digits.startsWith(QLatin1StringView("06")))
                digits.remove(0, 2);
        } else if (cc == u"375") {
            if (digits.startsWith(QLatin1StringView("80")))
                digits.remove(0, 2);
            else if (digits.startsWith(u'8') || digits.startsWith(u'0'))
                digits.remove(0, 1);
        } else if (cc == u"370") {
            if (digits.startsWith(u'8') || digits.startsWith(u'0'))
                digits.remove(0, 1);
        } else if (!keepsLeadingZero(cc) && digits.startsWith(u'0')) {
            digits.remove(0, 1);
        }
        digits.prepend(cc);
    }
    const QStringView code = callingCodePrefix(digits);
    if (code.isEmpty())
        return fail("%1 does not start with a country calling code that exists");
    // "+49 030 …": a trunk 0 written after the country code (only Italy and a few keep theirs).
    if (plus && digits.size() > code.size() && digits.at(code.size()) == u'0' && !keepsLeadingZero(code) &&
        code != u"1")
        digits.remove(code.size(), 1);
    if (digits.size() > 15)
        return fail("%1 is too long for a phone number (E.164 allows 15 digits)");
    if (digits.size() < 7)
        return fail("%1 is too short to be a phone number");
    if (code == u"1") {
        // North American numbering plan: 10 digits, area code and exchange do not start with 0 or 1.
        if (digits.size() != 11 || digits.at(1) < u'2' || digits.at(4) < u'2')
            return fail("%1 is not a possible North American number");
    }
    digits.prepend(u'+');
    if (!extension.isEmpty()) {
        digits += QLatin1StringView(" ext. ");
        digits += extension;
    }
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

bool Transform::applyText(QString &text, QString *reason, const TransformContext &context) const
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
        // The contact's own country first, then the rule's default, then the profile's.
        const QString &cc = !context.countryCallingCode.isEmpty() ? context.countryCallingCode
                            : !m_text.isEmpty()                   ? m_text
                                                                  : context.defaultCallingCode;
        QString e164 = transforms::phoneToE164(text, cc, reason);
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
    static const TransformContext none;
    return apply(value, reason, none);
}

bool Transform::apply(FieldValue &value, QString *reason, const TransformContext &context) const
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
            if (!applyText(item, reason, context))
                return false;
            if (!item.isSharedWith(value.list.at(i)))
                value.list[i] = std::move(item);
        }
        return true;
    }
    if (value.type == FieldValue::Type::DateTime)
        value.setText(value.toText());
    return applyText(value.text, reason, context);
}

} // namespace lb
