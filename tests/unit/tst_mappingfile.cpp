// Mapping files: lossless export → import, and a clear message with a JSON path for every kind of
// bad file.

#include "sync/MappingFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;

namespace {

QString u8(const char *s)
{
    return QString::fromUtf8(s);
}

// Every transform kind, extra sources, defaults, a rule without a source, every field type.
FieldMapping everything()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.setName(u8("Team ✓ — Ünïcode"));
    m.setRevision(7);
    m.setTimeZone(u8("Europe/Berlin"));
    MappingRule a;
    a.source = u8("firstName");
    a.extraSources = {u8("lastName"), u8("custom.nickname")};
    a.target = u8("Full Name");
    a.transforms = {Transform::trim(), Transform::concat(u8(" ")), Transform::titleCase(u8("tr")),
                    Transform::truncate(100, u8("…"))};
    a.defaultValue = u8("(no name)");
    MappingRule b;
    b.source = u8("custom:abc123");
    b.target = u8("Interests");
    b.transforms = {Transform::split(u8(";")), Transform::lower(), Transform::upper(),
                    Transform::join(u8(" / "))};
    MappingRule c;
    c.source = u8("country");
    c.target = u8("Country Name");
    c.transforms = {Transform::mapValues({{u8("US"), u8("United States")}, {u8("TR"), u8("Türkiye")}},
                                         Transform::Unmapped::Empty, true)};
    MappingRule d;
    d.source = u8("phone");
    d.target = u8("Mobile");
    d.transforms = {Transform::phoneE164(u8("44")), Transform::defaultIfEmpty(u8("n/a"))};
    MappingRule e;
    e.target = u8("Lead Source");
    e.transforms = {Transform::constant(u8("GHL"))};
    MappingRule f;
    f.source = u8("dateAdded");
    f.target = u8("Added");
    f.transforms = {Transform::date(u8("dd.MM.yyyy HH:mm"), u8("Europe/Berlin"), u8("yyyyMMdd"))};
    MappingRule g;
    g.target = u8("Stage");
    g.defaultValue = u8("Warm");
    for (const MappingRule &r : {a, b, c, d, e, f, g})
        m.addRule(RecordKind::Contact, r);
    m.setRequiredFields(
        m.requiredFields() +
        QList<TargetField>{
            TargetField{
                u8("Stage"), TargetFieldType::Dropdown, {u8("Hot"), u8("Warm"), u8("Cold")}, {}, false},
            TargetField{u8("Deal Size"), TargetFieldType::Currency, {}, u8("EUR"), false},
            TargetField{u8("Score"), TargetFieldType::Number, {}, {}, false},
        });
    return m;
}

// A minimal valid file with one contact rule, to break in one place at a time.
QByteArray withRule(const char *ruleJson)
{
    return QByteArray(R"({"formatVersion": 1, "rules": {"contact": [)") + ruleJson + "]}}";
}

} // namespace

class TestMappingFile : public QObject
{
    Q_OBJECT

private slots:
    void roundTripIsLossless_data();
    void roundTripIsLossless();
    void fileLooksAsDocumented();
    void saveAndLoad();
    void handWrittenShortcuts();
    void badFiles_data();
    void badFiles();
    void syntaxErrorsGiveLineAndColumn();
    void missingFileIsReported();
};

void TestMappingFile::roundTripIsLossless_data()
{
    QTest::addColumn<int>("which");
    QTest::newRow("default") << 0;
    QTest::newRow("every feature") << 1;
    QTest::newRow("empty") << 2;
}

void TestMappingFile::roundTripIsLossless()
{
    QFETCH(int, which);
    const FieldMapping m = which == 0   ? FieldMapping::defaultMapping()
                           : which == 1 ? everything()
                                        : FieldMapping();
    const QByteArray json = MappingFile::toJson(m);
    MappingFileError error;
    const auto back = MappingFile::fromJson(json, &error);
    QVERIFY2(back, qPrintable(error.toString()));
    QVERIFY(*back == m);
    // And the text is stable: export of the import is byte for byte the first export.
    QCOMPARE(MappingFile::toJson(*back), json);
}

void TestMappingFile::fileLooksAsDocumented()
{
    const QJsonObject o = MappingFile::toJsonObject(FieldMapping::defaultMapping());
    QCOMPARE(o.value(u8("formatVersion")).toInt(), 1);
    QCOMPARE(o.value(u8("revision")).toInt(), 1);
    QCOMPARE(o.value(u8("timeZone")).toString(), u8("UTC"));
    const QJsonObject rules = o.value(u8("rules")).toObject();
    QCOMPARE(rules.keys(), (QStringList{u8("appointment"), u8("contact"), u8("note"), u8("task")}));
    const QJsonObject phone = rules.value(u8("contact")).toArray().at(3).toObject();
    QCOMPARE(phone.value(u8("source")).toString(), u8("phone"));
    QCOMPARE(phone.value(u8("target")).toString(), u8("Phone Number"));
    QCOMPARE(phone.value(u8("transforms")).toArray().at(0).toObject().value(u8("name")).toString(),
             u8("phoneE164"));
    const QJsonObject taskType = rules.value(u8("task")).toArray().at(1).toObject();
    QVERIFY(!taskType.contains(u8("source")));
    QCOMPARE(taskType.value(u8("transforms")).toArray().at(0).toObject(),
             (QJsonObject{{u8("name"), u8("constant")}, {u8("value"), u8("9")}}));
    const QJsonArray fields = o.value(u8("requiredFields")).toArray();
    QCOMPARE(fields.at(1).toObject(),
             (QJsonObject{{u8("label"), u8("GHL Next Appointment")}, {u8("fieldType"), u8("date")}}));
}

void TestMappingFile::saveAndLoad()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u8("mapping.json"));
    QString why;
    QVERIFY2(MappingFile::save(everything(), path, &why), qPrintable(why));
    MappingFileError error;
    const auto back = MappingFile::load(path, &error);
    QVERIFY2(back, qPrintable(error.toString()));
    QVERIFY(*back == everything());
}

void TestMappingFile::handWrittenShortcuts()
{
    // "version" for "formatVersion", "transform" with one transform or only its name, no requiredFields.
    const QByteArray json = R"({
        "version": 1,
        "rules": {
            "contact": [
                {"source": "email", "target": "Email", "transform": "trim"},
                {"source": "firstName", "target": "First Name", "transform": {"name": "titleCase"}},
                {"target": "Lead Source", "default": "GHL"}
            ]
        }
    })";
    MappingFileError error;
    const auto m = MappingFile::fromJson(json, &error);
    QVERIFY2(m, qPrintable(error.toString()));
    QCOMPARE(m->rules(RecordKind::Contact).size(), 3);
    QCOMPARE(m->rules(RecordKind::Contact).at(0).transforms, QList<Transform>{Transform::trim()});
    QCOMPARE(m->rules(RecordKind::Contact).at(1).transforms, QList<Transform>{Transform::titleCase()});
    QCOMPARE(m->rules(RecordKind::Contact).at(2).defaultValue, u8("GHL"));
    QVERIFY(m->rules(RecordKind::Task).isEmpty());
    QCOMPARE(m->revision(), 1);
    QCOMPARE(m->timeZone(), u8("UTC"));
}

void TestMappingFile::badFiles_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    QTest::newRow("array") << QByteArray("[]")
                           << u8("$: a mapping file holds one JSON object (found an array)");
    QTest::newRow("no version") << QByteArray(R"({"rules": {}})")
                                << u8("$.formatVersion: missing: is this a LeadBridge mapping file?");
    QTest::newRow("version as text")
        << QByteArray(R"({"formatVersion": "1", "rules": {}})")
        << u8("$.formatVersion: must be a whole number of at least 0 (found '1')");
    QTest::newRow("newer version")
        << QByteArray(R"({"formatVersion": 2, "rules": {"contact": "whatever"}, "future": true})")
        << u8("$.formatVersion: the file has format version 2, which a newer LeadBridge wrote; "
              "this one reads up to version 1: update LeadBridge to import it");
    QTest::newRow("version 0") << QByteArray(R"({"formatVersion": 0, "rules": {}})")
                               << u8("$.formatVersion: format version 0 does not exist (the first is 1)");
    QTest::newRow("unknown top-level key") << QByteArray(R"({"formatVersion": 1, "rulez": {}})")
                                           << u8("$.rulez: unknown key (known here: formatVersion, version, "
                                                 "name, revision, timeZone, rules, requiredFields)");
    QTest::newRow("name not text") << QByteArray(R"({"formatVersion": 1, "name": 5, "rules": {}})")
                                   << u8("$.name: must be a string (found a number)");
    QTest::newRow("negative revision")
        << QByteArray(R"({"formatVersion": 1, "revision": -1, "rules": {}})")
        << u8("$.revision: must be a whole number of at least 0 (found a number)");
    QTest::newRow("bad zone")
        << QByteArray(R"({"formatVersion": 1, "timeZone": "Mars/Base", "rules": {}})")
        << u8("$.timeZone: unknown time zone 'Mars/Base' (use an IANA name such as \"Europe/Berlin\")");
    QTest::newRow("no rules")
        << QByteArray(R"({"formatVersion": 1})")
        << u8("$.rules: missing: the rules per record kind (contact, task, note, appointment)");
    QTest::newRow("rules as list")
        << QByteArray(R"({"formatVersion": 1, "rules": []})")
        << u8("$.rules: must be an object of record kind → list of rules (found an array)");
    QTest::newRow("unknown record kind")
        << QByteArray(R"({"formatVersion": 1, "rules": {"opportunity": []}})")
        << u8("$.rules.opportunity: unknown record kind 'opportunity' (known: contact, task, note, "
              "appointment)");
    QTest::newRow("kind not a list") << QByteArray(R"({"formatVersion": 1, "rules": {"task": {}}})")
                                     << u8("$.rules.task: must be a list of rules (found an object)");
    QTest::newRow("rule not an object")
        << withRule(R"("email")")
        << u8("$.rules.contact[0]: a rule must be an object with a source and a target (found a string)");
    QTest::newRow("missing target") << withRule(R"({"source": "email"})")
                                    << u8("$.rules.contact[0].target: missing");
    QTest::newRow("empty target") << withRule(R"({"source": "email", "target": " "})")
                                  << u8("$.rules.contact[0].target: must not be empty");
    QTest::newRow("missing source") << withRule(R"({"target": "Email"})")
                                    << u8("$.rules.contact[0].source: missing (name a GHL field, or give a "
                                          "constant transform or a default)");
    QTest::newRow("empty source") << withRule(R"({"source": "", "target": "Email"})")
                                  << u8("$.rules.contact[0].source: must not be empty (name a GHL field, or "
                                        "give a constant transform or a default)");
    QTest::newRow("source not text") << withRule(R"({"source": ["email"], "target": "Email"})")
                                     << u8("$.rules.contact[0].source: must be a string (found an array)");
    QTest::newRow("unknown rule key")
        << withRule(R"({"source": "email", "target": "Email", "transfrom": "trim"})")
        << u8("$.rules.contact[0].transfrom: unknown key (known here: source, extraSources, target, "
              "transforms, transform, default)");
    QTest::newRow("extra sources not a list")
        << withRule(R"({"source": "a", "target": "B", "extraSources": "c"})")
        << u8("$.rules.contact[0].extraSources: must be an array of strings (found a string)");
    QTest::newRow("extra source not text")
        << withRule(R"({"source": "a", "target": "B", "extraSources": ["c", 1]})")
        << u8("$.rules.contact[0].extraSources[1]: must be a string (found a number)");
    QTest::newRow("empty extra source") << withRule(R"({"source": "a", "target": "B", "extraSources": [""]})")
                                        << u8("$.rules.contact[0].extraSources[0]: must not be empty");
    QTest::newRow("transforms not a list")
        << withRule(R"({"source": "a", "target": "B", "transforms": {"name": "trim"}})")
        << u8("$.rules.contact[0].transforms: must be an array of transforms (found an object)");
    QTest::newRow("both transform forms")
        << withRule(R"({"source": "a", "target": "B", "transform": "trim", "transforms": []})")
        << u8("$.rules.contact[0].transform: give either \"transform\" or \"transforms\", not both");
    QTest::newRow("unknown transform")
        << withRule(R"({"source": "a", "target": "B", "transforms": ["trim", {"name": "shout"}]})")
        << u8("$.rules.contact[0].transforms[1].name: unknown transform 'shout' (known: trim, lower, upper, "
              "titleCase, split, join, phoneE164, date, constant, default, concat, truncate, mapValues)");
    QTest::newRow("unknown transform, singular form")
        << withRule(R"({"source": "a", "target": "B", "transform": "shout"})")
        << u8("$.rules.contact[0].transform.name: unknown transform 'shout' (known: trim, lower, upper, "
              "titleCase, split, join, phoneE164, date, constant, default, concat, truncate, mapValues)");
    QTest::newRow("transform without name")
        << withRule(R"({"source": "a", "target": "B", "transforms": [{"max": 3}]})")
        << u8("$.rules.contact[0].transforms[0].name: missing: every transform needs a name");
    QTest::newRow("transform is a number") << withRule(R"({"source": "a", "target": "B", "transforms": [3]})")
                                           << u8("$.rules.contact[0].transforms[0]: a transform must be an "
                                                 "object with a \"name\" (found a number)");
    QTest::newRow("bad max")
        << withRule(R"({"source": "a", "target": "B", "transforms": [{"name": "truncate", "max": "ten"}]})")
        << u8("$.rules.contact[0].transforms[0].max: must be a whole number of characters (found 'ten')");
    QTest::newRow("max zero")
        << withRule(R"({"source": "a", "target": "B", "transforms": [{"name": "truncate", "max": 0}]})")
        << u8("$.rules.contact[0].transforms[0].max: must be at least 1");
    QTest::newRow("missing parameter")
        << withRule(R"({"source": "a", "target": "B", "transforms": [{"name": "split"}]})")
        << u8("$.rules.contact[0].transforms[0].separator: missing: 'split' needs it");
    QTest::newRow("unknown parameter")
        << withRule(
               R"({"source": "a", "target": "B", "transforms": [{"name": "phoneE164", "country": "US"}]})")
        << u8("$.rules.contact[0].transforms[0].country: unknown parameter for 'phoneE164' (it takes: "
              "defaultCountryCode)");
    QTest::newRow("bad calling code")
        << withRule(
               R"({"source": "a", "target": "B", "transforms": [{"name": "phoneE164", "defaultCountryCode": "US"}]})")
        << u8("$.rules.contact[0].transforms[0].defaultCountryCode: 'US' is not a country calling code (e.g. "
              "\"1\", \"44\", \"+49\")");
    QTest::newRow("bad date format")
        << withRule(R"({"source": "a", "target": "B", "transforms": [{"name": "date", "format": "now"}]})")
        << u8("$.rules.contact[0].transforms[0].format: 'now' has no date or time field (use yyyy, MM, dd, "
              "HH, mm, ss, "
              "or \"iso\", \"yyyy-MM-dd\", \"epoch-ms\")");
    QTest::newRow("bad table value")
        << withRule(
               R"({"source": "a", "target": "B", "transforms": [{"name": "mapValues", "table": {"US": null}}]})")
        << u8("$.rules.contact[0].transforms[0].table.US: must be a string (found null)");
    QTest::newRow("error in a later kind")
        << QByteArray(R"({"formatVersion": 1, "rules": {"contact": [], "task": [{"source": "title"}]}})")
        << u8("$.rules.task[0].target: missing");
    QTest::newRow("required fields not a list")
        << QByteArray(R"({"formatVersion": 1, "rules": {}, "requiredFields": {}})")
        << u8("$.requiredFields: must be a list of fields (found an object)");
    QTest::newRow("required field without type")
        << QByteArray(R"({"formatVersion": 1, "rules": {}, "requiredFields": [{"label": "X"}]})")
        << u8("$.requiredFields[0].fieldType: missing");
    QTest::newRow("unknown field type")
        << QByteArray(
               R"({"formatVersion": 1, "rules": {}, "requiredFields": [{"label": "X", "fieldType": "multi-select"}]})")
        << u8("$.requiredFields[0].fieldType: unknown Saleshandy field type 'multi-select' "
              "(known: text, number, date, long-text, dropdown, currency)");
    QTest::newRow("duplicate required field")
        << QByteArray(
               R"({"formatVersion": 1, "rules": {}, "requiredFields": [{"label": "X", "fieldType": "text"}, {"label": "X", "fieldType": "date"}]})")
        << u8("$.requiredFields[1].label: 'X' is listed twice");
}

void TestMappingFile::badFiles()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);
    MappingFileError e;
    const auto m = MappingFile::fromJson(json, &e);
    QVERIFY(!m);
    QCOMPARE(e.toString(), error);
}

void TestMappingFile::syntaxErrorsGiveLineAndColumn()
{
    const QByteArray json = "{\n  \"formatVersion\": 1,\n  \"name\": \"Zoë\",\n  \"rules\": { ,}\n}";
    MappingFileError e;
    QVERIFY(!MappingFile::fromJson(json, &e));
    QCOMPARE(e.path, u8("$"));
    QCOMPARE(e.line, 4);
    QVERIFY2(e.column >= 12 && e.column <= 15, qPrintable(QString::number(e.column)));
    QVERIFY2(e.toString().startsWith(u8("line 4, column ")), qPrintable(e.toString()));
    QVERIFY2(e.message.startsWith(u8("not JSON: ")), qPrintable(e.message));
    QVERIFY2(e.message.contains(u8("byte offset")), qPrintable(e.message));

    QVERIFY(!MappingFile::fromJson(QByteArray(), &e));
    QCOMPARE(e.line, 1);
    QVERIFY(e.message.startsWith(u8("not JSON: ")));
}

void TestMappingFile::missingFileIsReported()
{
    MappingFileError e;
    QVERIFY(!MappingFile::load(u8("/nonexistent/mapping.json"), &e));
    QVERIFY2(e.toString().startsWith(u8("cannot read /nonexistent/mapping.json: ")),
             qPrintable(e.toString()));
}

QTEST_GUILESS_MAIN(TestMappingFile)
#include "tst_mappingfile.moc"
