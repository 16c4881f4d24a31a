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
    void phoneNumbersAsPeopleWriteThem_data();
    void phoneNumbersAsPeopleWriteThem();
    void phoneNumbersThatStayUnconverted_data();
    void phoneNumbersThatStayUnconverted();
    void countryGivesItsCallingCode_data();
    void countryGivesItsCallingCode();
    void everyCountryHasACallingCode();
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
    QTest::newRow("extension kept") << u8("+1 415 555 2671 ext. 12") << QString()
                                    << u8("+14155552671 ext. 12");
    QTest::newRow("x extension kept") << u8("+1 415 555 2671 x12") << QString() << u8("+14155552671 ext. 12");
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
        << u8("'020 7946 0958' has no country calling code, and neither the contact's country nor the "
              "mapping "
              "gives one (write it as +<country code> <number>, or set a default country in the mapping)");
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

// The phone numbers of ordinary imports. Columns: what GHL has, the contact's own country, the rule's
// defaultCountryCode, the profile's default country, and the E.164 number expected.
void TestTransforms::phoneNumbersAsPeopleWriteThem_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("contactCountry");
    QTest::addColumn<QString>("ruleDefault");
    QTest::addColumn<QString>("profileCountry");
    QTest::addColumn<QString>("out");
    auto row = [](const char *name, const char *in, const char *country, const char *rule,
                  const char *profile, const char *out) {
        QTest::newRow(name) << u8(in) << u8(country) << u8(rule) << u8(profile) << u8(out);
    };
    // National formats with their trunk prefix, the country from the contact.
    row("DE national", "030 1234567", "DE", "", "", "+49301234567");
    row("DE national, lower-case country", "030 1234567", "de", "", "", "+49301234567");
    row("DE national, country by name", "030 1234567", "Germany", "", "", "+49301234567");
    row("DE with slash", "030/1234567", "DE", "", "", "+49301234567");
    row("GB national", "020 7946 0958", "GB", "", "", "+442079460958");
    row("GB national, country 'United Kingdom'", "020 7946 0958", "United Kingdom", "", "", "+442079460958");
    row("GB national, country 'UK'", "020 7946 0958", "UK", "", "", "+442079460958");
    row("FR national", "06 12 34 56 78", "FR", "", "", "+33612345678");
    row("US brackets", "(555) 234-5678", "US", "", "", "+15552345678");
    row("US dots", "555.234.5678", "US", "", "", "+15552345678");
    row("NANP with its leading 1", "1-555-234-5678", "US", "", "", "+15552345678");
    row("Canada", "416 555 0123", "CA", "", "", "+14165550123");
    row("Antigua (NANP territory)", "268 464 1234", "AG", "", "", "+12684641234");
    row("Italy keeps its 0", "06 1234 5678", "IT", "", "", "+390612345678");
    row("Italy international", "+39 06 1234 5678", "IT", "", "", "+390612345678");
    row("Italian mobile", "333 123 4567", "IT", "", "", "+393331234567");
    row("Russia trunk 8", "8 (912) 345-67-89", "RU", "", "", "+79123456789");
    row("Hungary trunk 06", "06 1 234 5678", "HU", "", "", "+3612345678");
    row("Ireland national", "01 234 5678", "IE", "", "", "+35312345678");
    row("Australia mobile", "0412 345 678", "AU", "", "", "+61412345678");
    row("Japan national", "03-1234-5678", "JP", "", "", "+81312345678");
    row("GB 0113 is Leeds, not the 011 prefix", "0113 496 0000", "GB", "", "", "+441134960000");
    // The country from the rule, then from the profile; the contact's own country wins.
    row("rule default only", "030 1234567", "", "49", "", "+49301234567");
    row("rule default with plus", "030 1234567", "", "+49", "", "+49301234567");
    row("profile default only", "030 1234567", "", "", "DE", "+49301234567");
    row("rule before profile", "020 7946 0958", "", "44", "DE", "+442079460958");
    row("contact before rule and profile", "06 12 34 56 78", "FR", "49", "DE", "+33612345678");
    row("unknown contact country falls back", "030 1234567", "Atlantis", "", "DE", "+49301234567");
    // International forms: whatever the contact's country, the number says its own.
    row("+44 (0)20", "+44 (0)20 7946 0958", "", "", "", "+442079460958");
    row("+44(0) without spaces", "+44(0)2079460958", "DE", "", "", "+442079460958");
    row("0044 ( 0 ) 20", "0044 ( 0 ) 20 7946 0958", "", "", "", "+442079460958");
    row("trunk 0 after the plus", "+49 030 1234567", "", "", "", "+49301234567");
    row("00 prefix", "0049 30 1234567", "US", "", "", "+49301234567");
    row("011 from North America", "011 44 20 7946 0958", "US", "", "", "+442079460958");
    row("0011 from Australia", "0011 44 20 7946 0958", "AU", "", "", "+442079460958");
    row("plus with dashes", "+49-30-1234567", "", "", "", "+49301234567");
    row("plus with dots", "+33.1.23.45.67.89", "", "", "", "+33123456789");
    row("plus with slashes", "+49 30/123 45 67", "", "", "", "+49301234567");
    row("plus with brackets", "+1 (555) 234-5678", "", "", "", "+15552345678");
    row("plus in brackets", "(+49) 30 1234567", "", "", "", "+49301234567");
    row("tel: URI", "tel:+49-30-1234567", "", "", "", "+49301234567");
    row("foreign number, other contact country", "+33 6 12 34 56 78", "DE", "", "", "+33612345678");
    // Digits and spaces of other scripts and widths.
    row("fullwidth digits", "＋４９ ３０ １２３４５６７", "", "", "", "+49301234567");
    row("fullwidth national", "０３０ １２３４５６７", "DE", "", "", "+49301234567");
    row("arabic-indic digits", "+٤٩ ٣٠ ١٢٣٤٥٦٧", "", "", "", "+49301234567");
    row("devanagari digits", "+९१ ९८७६५ ४३२१०", "", "", "", "+919876543210");
    row("nbsp", "+49\u00a030\u00a01234567", "", "", "", "+49301234567");
    row("thin and narrow spaces", "+49\u200930\u202f1234567", "", "", "", "+49301234567");
    row("ideographic space", "+81\u30003\u30001234\u30005678", "", "", "", "+81312345678");
    row("en dash and minus sign", "+49\u201330\u22121234567", "", "", "", "+49301234567");
    row("zero-width marks", "\u200e+49 30 1234567\u200f", "", "", "", "+49301234567");
    // Extensions are kept.
    row("ext.", "+1 555 234 5678 ext. 89", "", "", "", "+15552345678 ext. 89");
    row("ext", "+1 555 234 5678 ext 89", "", "", "", "+15552345678 ext. 89");
    row("extension", "+1-555-234-5678 extension 89", "", "", "", "+15552345678 ext. 89");
    row("x", "(555) 234-5678 x89", "US", "", "", "+15552345678 ext. 89");
    row("X upper case", "555.234.5678 X 89", "US", "", "", "+15552345678 ext. 89");
    row("#", "+49 30 1234567 #12", "", "", "", "+49301234567 ext. 12");
    row("Durchwahl", "030 1234567 Durchwahl 12", "DE", "", "", "+49301234567 ext. 12");
    row("RFC 3966 ;ext=", "tel:+1-555-234-5678;ext=89", "", "", "", "+15552345678 ext. 89");
    // Valid international numbers with three-digit and rare country codes, short subscriber numbers.
    row("Ireland +353", "+353 1 234 5678", "", "", "", "+35312345678");
    row("UAE +971", "+971 50 123 4567", "", "", "", "+971501234567");
    row("Taiwan +886", "+886 2 2345 6789", "", "", "", "+886223456789");
    row("Antigua +1 268", "+1 268 464 1234", "", "", "", "+12684641234");
    row("Faroe +298", "+298 123456", "", "", "", "+298123456");
    row("Falklands +500", "+500 12345", "", "", "", "+50012345");
    row("international networks +882", "+882 1234 5678", "", "", "", "+88212345678");
    row("Niue, 4-digit subscriber", "+683 4002", "", "", "", "+6834002");
    row("St Helena, 5-digit subscriber", "+290 22345", "", "", "", "+29022345");
    row("Kosovo by country", "044 123 456", "XK", "", "", "+38344123456");
    row("Côte d'Ivoire keeps its 0", "07 07 12 34 56", "CI", "", "", "+2250707123456");
    row("Kazakhstan shares +7", "+7 701 234 5678", "", "", "", "+77012345678");
    row("Greenland +299", "+299 32 10 00", "", "", "", "+299321000");
    row("Liechtenstein +423", "+423 235 00 00", "", "", "", "+4232350000");
    row("empty stays empty", "", "DE", "", "", "");
}

void TestTransforms::phoneNumbersAsPeopleWriteThem()
{
    QFETCH(QString, in);
    QFETCH(QString, contactCountry);
    QFETCH(QString, ruleDefault);
    QFETCH(QString, profileCountry);
    QFETCH(QString, out);
    const TransformContext context{transforms::callingCodeForCountry(contactCountry),
                                   transforms::callingCodeForCountry(profileCountry)};
    FieldValue v(in);
    QString reason;
    QVERIFY2(Transform::phoneE164(ruleDefault).apply(v, &reason, context), qPrintable(reason));
    QCOMPARE(v.text, out);
}

void TestTransforms::phoneNumbersThatStayUnconverted_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("contactCountry");
    QTest::addColumn<QString>("reasonPart");
    QTest::newRow("national, no country anywhere")
        << u8("030 1234567") << QString() << u8("no country calling code");
    QTest::newRow("NANP written with 1, no country")
        << u8("1-555-234-5678") << QString() << u8("no country calling code");
    QTest::newRow("local number without area code")
        << u8("234-5678") << u8("US") << u8("not a possible North American number");
    QTest::newRow("vanity number") << u8("1-800-FLOWERS") << u8("US") << u8("characters that a phone number");
    QTest::newRow("text after the number")
        << u8("+49 30 1234567 (office)") << QString() << u8("characters that a phone number");
    QTest::newRow("extension without digits")
        << u8("+49 30 1234567 ext.") << QString() << u8("characters that a phone number");
    QTest::newRow("two numbers") << u8("+49 30 1234567 / +49 30 7654321") << QString() << u8("plus sign");
    QTest::newRow("six digits in all") << u8("+44 1234") << QString() << u8("too short");
    QTest::newRow("sixteen digits") << u8("+49 1234 5678 9012 345") << QString() << u8("too long");
    QTest::newRow("unassigned code") << u8("+999 1234567") << QString() << u8("calling code that exists");
}

void TestTransforms::phoneNumbersThatStayUnconverted()
{
    QFETCH(QString, in);
    QFETCH(QString, contactCountry);
    QFETCH(QString, reasonPart);
    const TransformContext context{transforms::callingCodeForCountry(contactCountry), {}};
    FieldValue v(in);
    QString reason;
    QVERIFY(!Transform::phoneE164().apply(v, &reason, context));
    QVERIFY2(reason.contains(reasonPart), qPrintable(reason));
    QVERIFY2(reason.contains(u'\'' + transforms::trimmed(in) + u'\''), qPrintable(reason)); // names the value
}

void TestTransforms::countryGivesItsCallingCode_data()
{
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("code");
    QTest::newRow("DE") << u8("DE") << u8("49");
    QTest::newRow("de") << u8("de") << u8("49");
    QTest::newRow(" De ") << u8(" De ") << u8("49");
    QTest::newRow("Germany") << u8("Germany") << u8("49");
    QTest::newRow("GERMANY") << u8("GERMANY") << u8("49");
    QTest::newRow("Deutschland") << u8("Deutschland") << u8("49");
    QTest::newRow("United States") << u8("United States") << u8("1");
    QTest::newRow("USA") << u8("USA") << u8("1");
    QTest::newRow("UK") << u8("UK") << u8("44");
    QTest::newRow("GB") << u8("GB") << u8("44");
    QTest::newRow("Jersey") << u8("JE") << u8("44");
    QTest::newRow("Puerto Rico") << u8("PR") << u8("1");
    QTest::newRow("Åland") << u8("AX") << u8("358");
    QTest::newRow("Vatican") << u8("VA") << u8("39");
    QTest::newRow("Kosovo") << u8("XK") << u8("383");
    QTest::newRow("Taiwan") << u8("TW") << u8("886");
    QTest::newRow("South Sudan") << u8("SS") << u8("211");
    QTest::newRow("Curaçao") << u8("CW") << u8("599");
    QTest::newRow("unknown code") << u8("ZZ") << QString();
    QTest::newRow("unknown name") << u8("Atlantis") << QString();
    QTest::newRow("one letter") << u8("D") << QString();
    QTest::newRow("empty") << QString() << QString();
}

void TestTransforms::countryGivesItsCallingCode()
{
    QFETCH(QString, country);
    QFETCH(QString, code);
    QCOMPARE(transforms::callingCodeForCountry(country), code);
}

void TestTransforms::everyCountryHasACallingCode()
{
    // Every territory Qt knows by a two-letter code (ISO 3166-1 and a few reserved ones) has a calling
    // code that exists, and is found by its English name too.
    int checked = 0;
    for (int t = 1; t <= int(QLocale::LastTerritory); ++t) {
        const auto territory = QLocale::Territory(t);
        const QString code = QLocale::territoryToCode(territory);
        // Not countries (EU, EZ, UN, QO), or without telephone service (Clipperton Island).
        if (code.size() != 2 || code == u"EU" || code == u"EZ" || code == u"UN" || code == u"QO" ||
            code == u"CP")
            continue;
        const QString calling = transforms::callingCodeForCountry(code);
        QVERIFY2(!calling.isEmpty(), qPrintable(code));
        QVERIFY2(transforms::isCountryCallingCode(calling), qPrintable(code + u' ' + calling));
        QVERIFY2(transforms::isCountryCode(code), qPrintable(code));
        QCOMPARE(transforms::callingCodeForCountry(QLocale::territoryToString(territory)), calling);
        ++checked;
    }
    QVERIFY2(checked >= 245, qPrintable(QString::number(checked)));
    QVERIFY(!transforms::isCountryCode(u"de")); // mapping files spell it in upper case
    QVERIFY(!transforms::isCountryCode(u"ZZ"));
    QVERIFY(!transforms::isCountryCode(u"DEU"));
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
