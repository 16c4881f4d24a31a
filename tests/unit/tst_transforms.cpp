// The transforms of a mapping rule, one by one: text, Unicode edge cases, phone numbers, dates,
// parameters and their JSON form.

#include "sync/Transforms.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace lb;

Q_DECLARE_METATYPE(lb::Transform)

namespace {

QString run(const Transform &t, const QString &in, bool *ok = nullptr, QString *reason = nullptr)
{
    FieldValue v(in);
    QString why;
    const bool done = t.apply(v, &why);
    if (ok)
        *ok = done;
    if (reason)
        *reason = why;
    return v.toText();
}

QString u8(const char *s)
{
    return QString::fromUtf8(s);
}

} // namespace

class TestTransforms : public QObject
{
    Q_OBJECT

private slots:
    void trimRemovesWhitespaceAndInvisibleMarks_data();
    void trimRemovesWhitespaceAndInvisibleMarks();
    void lowerHandlesFinalSigmaAndTurkishLocale();
    void upperExpandsSharpS();
    void titleCase_data();
    void titleCase();
    void titleCaseWithTurkishLocale();
    void splitAndJoin();
    void concatSkipsEmptyParts();
    void constantAndDefault();
    void textTransformsApplyToEachListItem();
    void phoneToE164_data();
    void phoneToE164();
    void phoneRejectsImpossibleNumbers_data();
    void phoneRejectsImpossibleNumbers();
    void phoneWithoutCountryCodeNeedsADefault();
    void dateFormats_data();
    void dateFormats();
    void dateFromDateTimeValueNeedsNoParsing();
    void dateRejectsNonDates();
    void truncateNeverCutsAGrapheme_data();
    void truncateNeverCutsAGrapheme();
    void mapValues();
    void emailSyntax_data();
    void emailSyntax();
    void numbers_data();
    void numbers();
    void badParametersAreReported_data();
    void badParametersAreReported();
    void jsonRoundTripForEveryKind();
    void jsonErrors_data();
    void jsonErrors();
};

void TestTransforms::trimRemovesWhitespaceAndInvisibleMarks_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("spaces") << u8("  Ada  ") << u8("Ada");
    QTest::newRow("nbsp and tabs") << u8("\u00a0\tAda Lovelace\u00a0\n") << u8("Ada Lovelace");
    QTest::newRow("rtl marks") << u8("\u200f שלום \u200f") << u8("שלום");
    QTest::newRow("bom and zwsp") << u8("\ufeffjane@example.com\u200b") << u8("jane@example.com");
    QTest::newRow("inner kept") << u8(" a \u200b b ") << u8("a \u200b b");
    QTest::newRow("emoji kept") << u8(" 👋 ") << u8("👋");
    QTest::newRow("empty") << QString() << QString();
}

void TestTransforms::trimRemovesWhitespaceAndInvisibleMarks()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(run(Transform::trim(), in), out);
}

void TestTransforms::lowerHandlesFinalSigmaAndTurkishLocale()
{
    QCOMPARE(run(Transform::lower(), u8("ÀÉÎ ÕÜ")), u8("àéî õü"));
    QCOMPARE(run(Transform::lower(), u8("ΟΔΥΣΣΕΥΣ")), u8("οδυσσευς"));
    QCOMPARE(run(Transform::lower(), u8("ΣΑΣ ΕΙΣ ΤΟ")), u8("σας εις το"));
    // Without a locale Unicode's default: İ keeps its dot as a combining mark; I → i.
    QCOMPARE(run(Transform::lower(), u8("İSTANBUL")), u8("i\u0307stanbul"));
    QCOMPARE(run(Transform::lower(u8("tr")), u8("DİYARBAKIR")), u8("diyarbakır"));
    QCOMPARE(run(Transform::lower(), u8("JANE@EXAMPLE.COM")), u8("jane@example.com"));
    QCOMPARE(run(Transform::lower(), u8("مرحبا")), u8("مرحبا"));
}

void TestTransforms::upperExpandsSharpS()
{
    QCOMPARE(run(Transform::upper(), u8("straße")), u8("STRASSE"));
    QCOMPARE(run(Transform::upper(), u8("héllo 👋")), u8("HÉLLO 👋"));
    QCOMPARE(run(Transform::upper(u8("tr")), u8("istanbul")), u8("İSTANBUL"));
}

void TestTransforms::titleCase_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("ascii") << u8("ada LOVELACE") << u8("Ada Lovelace");
    QTest::newRow("hyphen") << u8("jean-luc picard") << u8("Jean-Luc Picard");
    QTest::newRow("apostrophe inside word") << u8("o'NEIL don't") << u8("O'neil Don't");
    QTest::newRow("german sharp s") << u8("STRASSE straße") << u8("Strasse Straße");
    QTest::newRow("greek final sigma") << u8("ΟΔΥΣΣΕΥΣ ΚΑΙ ΣΑΣ") << u8("Οδυσσευς Και Σας");
    QTest::newRow("turkish dotted capital I at start") << u8("İSTANBUL") << u8("İstanbul");
    QTest::newRow("titlecase digraph") << u8("ǆungla") << u8("ǅungla");
    QTest::newRow("rtl unchanged") << u8("مرحبا بالعالم") << u8("مرحبا بالعالم");
    QTest::newRow("hebrew with latin") << u8("שלום world") << u8("שלום World");
    QTest::newRow("emoji before a word") << u8("👋hello  wORLD") << u8("👋Hello  World");
    QTest::newRow("digits lead a word") << u8("3RD street") << u8("3rd Street");
    QTest::newRow("supplementary plane letters") << u8("𐐨𐐨 𐐨") << u8("𐐀𐐨 𐐀");
    QTest::newRow("combining marks stay in the word") << u8("e\u0301LODIE") << u8("E\u0301lodie");
    QTest::newRow("empty") << QString() << QString();
}

void TestTransforms::titleCase()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(run(Transform::titleCase(), in), out);
}

void TestTransforms::titleCaseWithTurkishLocale()
{
    QCOMPARE(run(Transform::titleCase(u8("tr")), u8("DİYARBAKIR izmir")), u8("Diyarbakır İzmir"));
}

void TestTransforms::splitAndJoin()
{
    FieldValue v(u8("vip, lead,, webinar ,"));
    QString why;
    QVERIFY(Transform::split(u8(",")).apply(v, &why));
    QCOMPARE(v.type, FieldValue::Type::List);
    QCOMPARE(v.list, (QStringList{u8("vip"), u8("lead"), u8("webinar")}));
    QVERIFY(Transform::join(u8(" | ")).apply(v, &why));
    QCOMPARE(v.type, FieldValue::Type::Text);
    QCOMPARE(v.text, u8("vip | lead | webinar"));
    // Join leaves a text alone.
    QCOMPARE(run(Transform::join(), u8("a,b")), u8("a,b"));
}

void TestTransforms::concatSkipsEmptyParts()
{
    FieldValue v = FieldValue::fromList({u8("Call back"), QString(), u8("Ask about pricing")});
    QString why;
    QVERIFY(Transform::concat(u8("\n\n")).apply(v, &why));
    QCOMPARE(v.text, u8("Call back\n\nAsk about pricing"));
    FieldValue only = FieldValue::fromList({u8("Title only"), QString()});
    QVERIFY(Transform::concat(u8("\n\n")).apply(only, &why));
    QCOMPARE(only.text, u8("Title only"));
}

void TestTransforms::constantAndDefault()
{
    QCOMPARE(run(Transform::constant(u8("9")), u8("anything")), u8("9"));
    QCOMPARE(run(Transform::defaultIfEmpty(u8("n/a")), QString()), u8("n/a"));
    QCOMPARE(run(Transform::defaultIfEmpty(u8("n/a")), u8("x")), u8("x"));
}

void TestTransforms::textTransformsApplyToEachListItem()
{
    FieldValue v = FieldValue::fromList({u8(" VIP "), u8("Lead")});
    QString why;
    QVERIFY(Transform::trim().apply(v, &why));
    QVERIFY(Transform::lower().apply(v, &why));
    QCOMPARE(v.list, (QStringList{u8("vip"), u8("lead")}));
}

void TestTransforms::phoneToE164_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("out");
    QTest::newRow("formatted NANP") << u8("+1 (415) 555-2671") << QString() << u8("+14155552671");
    QTest::newRow("already E.164") << u8("+14155552671") << QString() << u8("+14155552671");
    QTest::newRow("UK with spaces") << u8("+44 20 7946 0958") << QString() << u8("+442079460958");
    QTest::newRow("00 prefix") << u8("0044 20 7946 0958") << QString() << u8("+442079460958");
    QTest::newRow("national UK with default") << u8("020 7946 0958") << u8("44") << u8("+442079460958");
    QTest::newRow("default with plus") << u8("020 7946 0958") << u8("+44") << u8("+442079460958");
    QTest::newRow("national NANP") << u8("(415) 555-2671") << u8("1") << u8("+14155552671");
    QTest::newRow("NANP with long-distance 1") << u8("1-415-555-2671") << u8("1") << u8("+14155552671");
    QTest::newRow("Italy keeps its 0") << u8("06 1234 5678") << u8("39") << u8("+390612345678");
    QTest::newRow("(0) trunk in international form")
        << u8("+49 (0)30 1234567") << QString() << u8("+49301234567");
    QTest::newRow("dots and slashes") << u8("+33 1.23.45/67.89") << QString() << u8("+33123456789");
    QTest::newRow("extension dropped") << u8("+1 415 555 2671 ext. 12") << QString() << u8("+14155552671");
    QTest::newRow("x extension dropped") << u8("+1 415 555 2671 x12") << QString() << u8("+14155552671");
    QTest::newRow("arabic-indic digits") << u8("+٩٧١ ٥٠ ١٢٣ ٤٥٦٧") << QString() << u8("+971501234567");
    QTest::newRow("fullwidth plus") << u8("＋44 20 7946 0958") << QString() << u8("+442079460958");
    QTest::newRow("three-digit country code") << u8("+353 1 234 5678") << QString() << u8("+35312345678");
    QTest::newRow("empty stays empty") << QString() << QString() << QString();
}

void TestTransforms::phoneToE164()
{
    QFETCH(QString, in);
    QFETCH(QString, country);
    QFETCH(QString, out);
    bool ok = false;
    QString reason;
    QCOMPARE(run(Transform::phoneE164(country), in, &ok, &reason), out);
    QVERIFY2(ok, qPrintable(reason));
}

void TestTransforms::phoneRejectsImpossibleNumbers_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("reason");
    QTest::newRow("short NANP") << u8("+1 555 0100")
                                << u8("'+1 555 0100' is not a possible North American number");
    QTest::newRow("NANP area code 0")
        << u8("+1 015 555 2671") << u8("'+1 015 555 2671' is not a possible North American number");
    QTest::newRow("unassigned country code")
        << u8("+999 1234567") << u8("'+999 1234567' does not start with a country calling code that exists");
    QTest::newRow("too short") << u8("+44 123") << u8("'+44 123' is too short to be a phone number");
    QTest::newRow("too long")
        << u8("+44 1234 5678 9012 3456")
        << u8("'+44 1234 5678 9012 3456' is too long for a phone number (E.164 allows 15 digits)");
    QTest::newRow("letters") << u8("call me maybe")
                             << u8("'call me maybe' has characters that a phone number cannot have");
    QTest::newRow("plus in the middle")
        << u8("+1 415+555 2671") << u8("'+1 415+555 2671' has a plus sign in the middle");
    QTest::newRow("only punctuation") << u8("--") << u8("'--' has no digits");
    QTest::newRow("national without default")
        << u8("020 7946 0958")
        << u8("'020 7946 0958' has no country calling code (write it as +<country code> <number>, or set a "
              "default country code in the mapping)");
}

void TestTransforms::phoneRejectsImpossibleNumbers()
{
    QFETCH(QString, in);
    QFETCH(QString, reason);
    bool ok = true;
    QString why;
    FieldValue v(in);
    ok = Transform::phoneE164().apply(v, &why);
    QVERIFY(!ok);
    QCOMPARE(why, reason);
}

void TestTransforms::phoneWithoutCountryCodeNeedsADefault()
{
    QVERIFY(transforms::isCountryCallingCode(u"1"));
    QVERIFY(transforms::isCountryCallingCode(u"44"));
    QVERIFY(transforms::isCountryCallingCode(u"971"));
    QVERIFY(!transforms::isCountryCallingCode(u"999"));
    QVERIFY(!transforms::isCountryCallingCode(u"0"));
    QVERIFY(!transforms::isCountryCallingCode(u"4"));
    QVERIFY(!transforms::isCountryCallingCode(u"x1"));
}

void TestTransforms::dateFormats_data()
{
    QTest::addColumn<Transform>("t");
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    const Transform day = Transform::date(u8("yyyy-MM-dd"));
    QTest::newRow("iso with ms and Z") << day << u8("2021-07-08T02:30:00.000Z") << u8("2021-07-08");
    QTest::newRow("iso with offset") << day << u8("2021-07-08T23:30:00-05:00") << u8("2021-07-09");
    QTest::newRow("ghl appointment form") << day << u8("2021-07-16 11:00:00") << u8("2021-07-16");
    QTest::newRow("epoch ms") << day << u8("1625711400000") << u8("2021-07-08");
    QTest::newRow("epoch s") << day << u8("1625711400") << u8("2021-07-08");
    QTest::newRow("in a time zone") << Transform::date(u8("yyyy-MM-dd"), u8("America/Los_Angeles"))
                                    << u8("2021-07-08T02:30:00Z") << u8("2021-07-07");
    QTest::newRow("calendar date never shifts")
        << Transform::date(u8("yyyy-MM-dd"), u8("America/Los_Angeles")) << u8("1990-05-17")
        << u8("1990-05-17");
    QTest::newRow("iso out") << Transform::date(u8("iso")) << u8("2021-07-16 11:00:00")
                             << u8("2021-07-16T11:00:00.000Z");
    QTest::newRow("epoch-ms out") << Transform::date(u8("epoch-ms")) << u8("2021-07-08T02:30:00Z")
                                  << u8("1625711400000");
    QTest::newRow("custom Qt format")
        << Transform::date(u8("dd.MM.yyyy HH:mm")) << u8("2021-07-08T02:30:00Z") << u8("08.07.2021 02:30");
    QTest::newRow("custom format with a zone")
        << Transform::date(u8("HH:mm"), u8("Europe/Berlin")) << u8("2021-07-08T02:30:00Z") << u8("04:30");
    QTest::newRow("input format") << Transform::date(u8("yyyy-MM-dd"), {}, u8("dd/MM/yyyy"))
                                  << u8("17/05/1990") << u8("1990-05-17");
    QTest::newRow("empty stays empty") << day << QString() << QString();
}

void TestTransforms::dateFormats()
{
    QFETCH(Transform, t);
    QFETCH(QString, in);
    QFETCH(QString, out);
    bool ok = false;
    QString reason;
    QCOMPARE(run(t, in, &ok, &reason), out);
    QVERIFY2(ok, qPrintable(reason));
}

void TestTransforms::dateFromDateTimeValueNeedsNoParsing()
{
    FieldValue v = FieldValue::fromDateTime(QDateTime(QDate(2024, 2, 29), QTime(23, 59), Qt::UTC));
    QString why;
    QVERIFY(Transform::date(u8("yyyy-MM-dd")).apply(v, &why));
    QCOMPARE(v.text, u8("2024-02-29"));
    FieldValue invalid = FieldValue::fromDateTime(QDateTime());
    QVERIFY(Transform::date(u8("yyyy-MM-dd")).apply(invalid, &why));
    QVERIFY(invalid.isEmpty());
}

void TestTransforms::dateRejectsNonDates()
{
    bool ok = true;
    QString reason;
    run(Transform::date(u8("yyyy-MM-dd")), u8("next tuesday"), &ok, &reason);
    QVERIFY(!ok);
    QCOMPARE(reason, u8("'next tuesday' is not a date"));
    run(Transform::date(u8("yyyy-MM-dd")), u8("2021-02-30"), &ok, &reason);
    QVERIFY(!ok);
    run(Transform::date(u8("yyyy-MM-dd")), u8("12345"), &ok, &reason);
    QVERIFY(!ok);
}

void TestTransforms::truncateNeverCutsAGrapheme_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<int>("max");
    QTest::addColumn<QString>("suffix");
    QTest::addColumn<QString>("out");
    QTest::newRow("short enough") << u8("abc") << 3 << QString() << u8("abc");
    QTest::newRow("ascii") << u8("abcdef") << 3 << QString() << u8("abc");
    QTest::newRow("suffix counts") << u8("abcdef") << 4 << u8("…") << u8("abc…");
    QTest::newRow("emoji is one code point pair") << u8("ab👋cd") << 3 << QString() << u8("ab👋");
    QTest::newRow("surrogates count once") << u8("👋👋👋") << 3 << QString() << u8("👋👋👋");
    QTest::newRow("family emoji is kept whole or dropped")
        << u8("ab👨‍👩‍👧‍👦cd") << 5 << QString() << u8("ab");
    QTest::newRow("flags are pairs") << u8("🇩🇪🇫🇷") << 3 << QString() << u8("🇩🇪");
    QTest::newRow("combining accent stays with its letter")
        << u8("e\u0301e\u0301e\u0301") << 3 << QString() << u8("e\u0301");
    QTest::newRow("rtl") << u8("שלום עולם") << 4 << QString() << u8("שלום");
}

void TestTransforms::truncateNeverCutsAGrapheme()
{
    QFETCH(QString, in);
    QFETCH(int, max);
    QFETCH(QString, suffix);
    QFETCH(QString, out);
    QCOMPARE(run(Transform::truncate(max, suffix), in), out);
    QVERIFY(transforms::codePointCount(out) <= max);
}

void TestTransforms::mapValues()
{
    const QMap<QString, QString> table{
        {u8("US"), u8("United States")}, {u8("DE"), u8("Germany")}, {u8("TR"), u8("Türkiye")}};
    QCOMPARE(run(Transform::mapValues(table), u8("us")), u8("United States"));
    QCOMPARE(run(Transform::mapValues(table), u8(" DE ")), u8("Germany"));
    QCOMPARE(run(Transform::mapValues(table), u8("FR")), u8("FR"));
    QCOMPARE(run(Transform::mapValues(table, Transform::Unmapped::Empty), u8("FR")), QString());
    bool ok = true;
    QString reason;
    run(Transform::mapValues(table, Transform::Unmapped::Reject), u8("FR"), &ok, &reason);
    QVERIFY(!ok);
    QCOMPARE(reason, u8("'FR' is not one of the values the mapping table knows"));
    QCOMPARE(run(Transform::mapValues(table, Transform::Unmapped::Keep, true), u8("us")), u8("us"));
    QCOMPARE(run(Transform::mapValues(table, Transform::Unmapped::Keep, true), u8("US")),
             u8("United States"));
}

void TestTransforms::emailSyntax_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << u8("a@b.co") << true;
    QTest::newRow("plus and dots") << u8("first.last+tag@sub.example.org") << true;
    QTest::newRow("apostrophe") << u8("o'brien@example.ie") << true;
    QTest::newRow("internationalised") << u8("josé@exämple.de") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("no at") << u8("jane.example.com") << false;
    QTest::newRow("no domain") << u8("jane@") << false;
    QTest::newRow("no dot in domain") << u8("jane@localhost") << false;
    QTest::newRow("two ats") << u8("a@b@example.com") << false;
    QTest::newRow("space") << u8("jane doe@example.com") << false;
    QTest::newRow("double dot") << u8("jane@example..com") << false;
    QTest::newRow("leading dot") << u8(".jane@example.com") << false;
    QTest::newRow("hyphen label") << u8("jane@-example.com") << false;
    QTest::newRow("numeric tld") << u8("jane@10.0.0.1") << false;
    QTest::newRow("comma") << u8("jane,doe@example.com") << false;
    QTest::newRow("too long local part") << QString(65, u'a') + u8("@example.com") << false;
}

void TestTransforms::emailSyntax()
{
    QFETCH(QString, email);
    QFETCH(bool, valid);
    QCOMPARE(transforms::isValidEmail(email), valid);
}

void TestTransforms::numbers_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("out");
    QTest::newRow("integer") << u8("42") << true << u8("42");
    QTest::newRow("negative decimal") << u8("-3.5") << true << u8("-3.5");
    QTest::newRow("grouping") << u8("1,234.50") << true << u8("1234.50");
    QTest::newRow("currency before") << u8("$ 1,200") << true << u8("1200");
    QTest::newRow("currency after") << u8("12 €") << true << u8("12");
    QTest::newRow("exponent") << u8("1e3") << true << u8("1e3");
    QTest::newRow("word") << u8("abc") << false << QString();
    QTest::newRow("two dots") << u8("1.2.3") << false << QString();
    QTest::newRow("empty") << QString() << false << QString();
    QTest::newRow("nan") << u8("NaN") << false << QString();
}

void TestTransforms::numbers()
{
    QFETCH(QString, in);
    QFETCH(bool, ok);
    QFETCH(QString, out);
    bool done = !ok;
    QCOMPARE(transforms::normalisedNumber(in, &done), out);
    QCOMPARE(done, ok);
}

void TestTransforms::badParametersAreReported_data()
{
    QTest::addColumn<Transform>("t");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::newRow("split without separator")
        << Transform::split({}) << u8("separator") << u8("the separator must not be empty");
    QTest::newRow("truncate to 0") << Transform::truncate(0) << u8("max") << u8("must be at least 1");
    QTest::newRow("suffix as long as max")
        << Transform::truncate(1, u8("…")) << u8("suffix") << u8("the suffix must be shorter than max (1)");
    QTest::newRow("unknown calling code")
        << Transform::phoneE164(u8("999")) << u8("defaultCountryCode")
        << u8("'999' is not a country calling code (e.g. \"1\", \"44\", \"+49\")");
    QTest::newRow("date without fields") << Transform::date(u8("now")) << u8("format")
                                         << u8("'now' has no date or time field (use yyyy, MM, dd, HH, mm, "
                                               "ss, or \"iso\", \"yyyy-MM-dd\", \"epoch-ms\")");
    QTest::newRow("empty date format")
        << Transform::date({}) << u8("format") << u8("the date format must not be empty");
    QTest::newRow("unknown zone")
        << Transform::date(u8("yyyy"), u8("Mars/Olympus_Mons")) << u8("timeZone")
        << u8("unknown time zone 'Mars/Olympus_Mons' (use an IANA name such as \"Europe/Berlin\")");
    QTest::newRow("unknown locale") << Transform::titleCase(u8("xx_XX")) << u8("locale")
                                    << u8("unknown locale 'xx_XX' (use a code such as \"tr\" or \"de_DE\")");
    QTest::newRow("empty table") << Transform::mapValues({}) << u8("table") << u8("the table is empty");
    QTest::newRow("keys differing in case")
        << Transform::mapValues({{u8("US"), u8("a")}, {u8("us"), u8("b")}}) << u8("table")
        << u8("the keys 'US' and 'us' differ only in case or spaces (set \"caseSensitive\": true to keep "
              "both)");
}

void TestTransforms::badParametersAreReported()
{
    QFETCH(Transform, t);
    QFETCH(QString, path);
    QFETCH(QString, message);
    const auto problem = t.check();
    QVERIFY(problem);
    QCOMPARE(problem->path, path);
    QCOMPARE(problem->message, message);
}

void TestTransforms::jsonRoundTripForEveryKind()
{
    const QList<Transform> all{
        Transform::trim(),
        Transform::lower(),
        Transform::upper(u8("tr")),
        Transform::titleCase(u8("de_DE")),
        Transform::split(u8(";")),
        Transform::join(u8(" / ")),
        Transform::phoneE164(u8("44")),
        Transform::date(u8("dd.MM.yyyy"), u8("Europe/Berlin"), u8("yyyyMMdd")),
        Transform::constant(u8("9")),
        Transform::defaultIfEmpty(u8("n/a")),
        Transform::concat(u8("\n\n")),
        Transform::truncate(255, u8("…")),
        Transform::mapValues({{u8("US"), u8("United States")}}, Transform::Unmapped::Reject, true),
    };
    QCOMPARE(all.size(), Transform::names().size());
    for (const Transform &t : all) {
        QVERIFY2(!t.check(), qPrintable(t.name()));
        const QJsonObject json = t.toJson();
        // Through text, as in a file.
        const QJsonObject reread = QJsonDocument::fromJson(QJsonDocument(json).toJson()).object();
        TransformError error;
        const auto back = Transform::fromJson(reread, &error);
        QVERIFY2(back, qPrintable(t.name() + u8(": ") + error.path + u8(" ") + error.message));
        QVERIFY2(*back == t, qPrintable(t.name()));
        QCOMPARE(back->toJson(), json);
    }
    // Plus or no plus, the default country code is one value.
    QCOMPARE(Transform::phoneE164(u8("+44")), Transform::phoneE164(u8("44")));
    // A bare name is short for a transform without parameters.
    TransformError error;
    const auto bare = Transform::fromJson(QJsonValue(u8("trim")), &error);
    QVERIFY(bare);
    QCOMPARE(*bare, Transform::trim());
}

void TestTransforms::jsonErrors_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("message");
    QTest::newRow("not an object") << QByteArray("[1]") << QString()
                                   << u8("a transform must be an object with a \"name\" (found an array)");
    QTest::newRow("no name") << QByteArray(R"({"max": 3})") << u8("name")
                             << u8("missing: every transform needs a name");
    QTest::newRow("name not a string")
        << QByteArray(R"({"name": 3})") << u8("name") << u8("must be a string (found a number)");
    QTest::newRow("unknown name")
        << QByteArray(R"({"name": "shout"})") << u8("name")
        << u8("unknown transform 'shout' (known: trim, lower, upper, titleCase, split, join, phoneE164, "
              "date, constant, default, concat, truncate, mapValues)");
    QTest::newRow("parameter of a parameterless transform")
        << QByteArray(R"({"name": "trim", "max": 3})") << u8("max")
        << u8("unknown parameter: 'trim' takes none");
    QTest::newRow("misspelt parameter") << QByteArray(R"({"name": "split", "sep": ","})") << u8("sep")
                                        << u8("unknown parameter for 'split' (it takes: separator)");
    QTest::newRow("missing required")
        << QByteArray(R"({"name": "truncate"})") << u8("max") << u8("missing: 'truncate' needs it");
    QTest::newRow("max not a number") << QByteArray(R"({"name": "truncate", "max": "ten"})") << u8("max")
                                      << u8("must be a whole number of characters (found 'ten')");
    QTest::newRow("max fractional") << QByteArray(R"({"name": "truncate", "max": 2.5})") << u8("max")
                                    << u8("must be a whole number of characters (found a number)");
    QTest::newRow("max zero") << QByteArray(R"({"name": "truncate", "max": 0})") << u8("max")
                              << u8("must be at least 1");
    QTest::newRow("separator not a string") << QByteArray(R"({"name": "join", "separator": 1})")
                                            << u8("separator") << u8("must be a string (found a number)");
    QTest::newRow("table not an object")
        << QByteArray(R"({"name": "mapValues", "table": ["US"]})") << u8("table")
        << u8("must be an object of value → replacement (found an array)");
    QTest::newRow("table value not a string") << QByteArray(R"({"name": "mapValues", "table": {"US": 1}})")
                                              << u8("table.US") << u8("must be a string (found a number)");
    QTest::newRow("bad unmapped") << QByteArray(
                                         R"({"name": "mapValues", "table": {"US": "x"}, "unmapped": "drop"})")
                                  << u8("unmapped")
                                  << u8("must be \"keep\", \"empty\" or \"reject\" (found 'drop')");
    QTest::newRow("bad caseSensitive")
        << QByteArray(R"({"name": "mapValues", "table": {"US": "x"}, "caseSensitive": "yes"})")
        << u8("caseSensitive") << u8("must be true or false (found a string)");
    QTest::newRow("bad zone")
        << QByteArray(R"({"name": "date", "format": "yyyy", "timeZone": "Nowhere"})") << u8("timeZone")
        << u8("unknown time zone 'Nowhere' (use an IANA name such as \"Europe/Berlin\")");
}

void TestTransforms::jsonErrors()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, path);
    QFETCH(QString, message);
    const QJsonDocument doc = QJsonDocument::fromJson(json);
    const QJsonValue value = doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
    TransformError error;
    QVERIFY(!Transform::fromJson(value, &error));
    QCOMPARE(error.path, path);
    QCOMPARE(error.message, message);
}

QTEST_GUILESS_MAIN(TestTransforms)
#include "tst_transforms.moc"
