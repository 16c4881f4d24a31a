// Mapping files: lossless export → import, and a clear message with a JSON path for every kind of
// bad file.

#include "sync/MappingFile.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;

Q_DECLARE_METATYPE(lb::SyncPolicy)

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
    b.onFailure = OnFailure::LeaveUnchanged;
    c.onFailure = OnFailure::SendEmpty;
    d.onFailure = OnFailure::MarkInvalid;
    for (const MappingRule &r : {a, b, c, d, e, f, g})
        m.addRule(RecordKind::Contact, r);
    SyncPolicy policy;
    policy.sharedEmailFields = SharedEmailFields::Oldest;
    policy.sharedEmailTags = SharedEmailTags::ChosenContact;
    policy.deletedNotes = DeletedNotePolicy::MarkDeleted;
    policy.deletedContacts = DeletedContactPolicy::Nothing;
    policy.deletedContactTag = u8("gelöscht in GHL");
    policy.defaultCountry = u8("DE");
    m.setPolicy(policy);
    m.setFieldLimit(u8("Company"), 500);
    m.setFieldLimit(u8("taskNote"), 4000);
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
    void version1FileReadsWithTheDefaults();
    void policyAndLimitsAreWritten();
    void policyAndLimitsRoundTrip_data();
    void policyAndLimitsRoundTrip();
    void version2KeysAreNotVersion1Keys();
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
    QCOMPARE(o.value(u8("formatVersion")).toInt(), 2);
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
        << QByteArray(R"({"formatVersion": 3, "rules": {"contact": "whatever"}, "future": true})")
        << u8("$.formatVersion: the file has format version 3, which a newer LeadBridge wrote; "
              "this one reads up to version 2: update LeadBridge to import it");
    QTest::newRow("unknown onFailure")
        << QByteArray(
               R"({"formatVersion": 2, "rules": {"contact": [{"source": "phone", "target": "Phone Number", "onFailure": "drop"}]}})")
        << u8("$.rules.contact[0].onFailure: unknown value 'drop' (known: keep, leave, empty, invalid)");
    QTest::newRow("onFailure not text")
        << QByteArray(
               R"({"formatVersion": 2, "rules": {"contact": [{"source": "phone", "target": "Phone Number", "onFailure": 1}]}})")
        << u8("$.rules.contact[0].onFailure: must be a string (found a number)");
    QTest::newRow("policy not an object") << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": []})")
                                          << u8("$.policy: must be an object (found an array)");
    QTest::newRow("unknown policy key")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"deletedTasks": "skip"}})")
        << u8("$.policy.deletedTasks: unknown key (known here: sharedEmailFields, sharedEmailTags, "
              "deletedNotes, deletedContacts, deletedContactTag, defaultCountry)");
    QTest::newRow("unknown shared-email rule")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"sharedEmailFields": "newest"}})")
        << u8("$.policy.sharedEmailFields: unknown value 'newest' (known: most-recently-updated, oldest)");
    QTest::newRow("unknown tag rule")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"sharedEmailTags": "all"}})")
        << u8("$.policy.sharedEmailTags: unknown value 'all' (known: union, chosen-contact)");
    QTest::newRow("unknown deleted-note rule")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"deletedNotes": "delete"}})")
        << u8("$.policy.deletedNotes: unknown value 'delete' (known: leave, mark-deleted)");
    QTest::newRow("unknown deleted-contact rule")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"deletedContacts": "delete"}})")
        << u8("$.policy.deletedContacts: unknown value 'delete' (known: tag, nothing)");
    QTest::newRow("empty deleted-contact tag")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"deletedContactTag": " "}})")
        << u8("$.policy.deletedContactTag: must not be empty");
    QTest::newRow("country that is no alpha-2 code")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"defaultCountry": "Germany"}})")
        << u8("$.policy.defaultCountry: 'Germany' is not an ISO 3166-1 alpha-2 country code (e.g. \"DE\", "
              "\"US\"; empty for none)");
    QTest::newRow("unassigned alpha-2 code")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"defaultCountry": "ZZ"}})")
        << u8("$.policy.defaultCountry: 'ZZ' is not an ISO 3166-1 alpha-2 country code (e.g. \"DE\", "
              "\"US\"; empty for none)");
    QTest::newRow("country not text")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "policy": {"defaultCountry": 49}})")
        << u8("$.policy.defaultCountry: must be a string (found a number)");
    QTest::newRow("limits not an object")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "fieldLimits": [255]})")
        << u8("$.fieldLimits: must be an object of Saleshandy field label → most characters (found an "
              "array)");
    QTest::newRow("negative limit")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "fieldLimits": {"Company": -5}})")
        << u8("$.fieldLimits.Company: must be a whole number of at least 1 (found -5)");
    QTest::newRow("zero limit")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "fieldLimits": {"Company": 0}})")
        << u8("$.fieldLimits.Company: must be a whole number of at least 1 (found 0)");
    QTest::newRow("fractional limit")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "fieldLimits": {"Company": 2.5}})")
        << u8("$.fieldLimits.Company: must be a whole number of at least 1 (found 2.5)");
    QTest::newRow("limit as text")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "fieldLimits": {"Company": "500"}})")
        << u8("$.fieldLimits.Company: must be a whole number of at least 1 (found a string)");
    QTest::newRow("policy in a version 1 file")
        << QByteArray(R"({"formatVersion": 1, "rules": {}, "policy": {}})")
        << u8("$.policy: unknown key (known here: formatVersion, version, name, revision, timeZone, rules, "
              "requiredFields)");
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

// A file as LeadBridge 1.x exported it (format version 1): no onFailure, no policy, no field limits.
void TestMappingFile::version1FileReadsWithTheDefaults()
{
    const QByteArray v1 = R"({
    "formatVersion": 1,
    "name": "Default",
    "requiredFields": [
        {"fieldType": "text", "label": "GHL Contact ID"},
        {"fieldType": "date", "label": "GHL Next Appointment"},
        {"fieldType": "long-text", "label": "GHL Appointments"}
    ],
    "revision": 4,
    "rules": {
        "appointment": [
            {"source": "appointments.next", "target": "GHL Next Appointment",
             "transforms": [{"format": "yyyy-MM-dd", "name": "date"}]},
            {"source": "appointments.summary", "target": "GHL Appointments",
             "transforms": [{"max": 10000, "name": "truncate", "suffix": "…"}]}
        ],
        "contact": [
            {"source": "firstName", "target": "First Name", "transforms": [{"name": "trim"}]},
            {"source": "lastName", "target": "Last Name", "transforms": [{"name": "trim"}]},
            {"source": "email", "target": "Email", "transforms": [{"name": "trim"}, {"name": "lower"}]},
            {"source": "phone", "target": "Phone Number", "transforms": [{"name": "phoneE164"}]},
            {"source": "companyName", "target": "Company", "transforms": [{"name": "trim"}]},
            {"source": "city", "target": "City", "transforms": [{"name": "trim"}]},
            {"source": "country", "target": "Country", "transforms": [{"name": "trim"}]},
            {"source": "id", "target": "GHL Contact ID"},
            {"source": "tags", "target": "tags", "transforms": [{"name": "trim"}]}
        ],
        "note": [
            {"extraSources": ["body"], "source": "title", "target": "content",
             "transforms": [{"name": "concat", "separator": "\n\n"}]}
        ],
        "task": [
            {"extraSources": ["body"], "source": "title", "target": "taskNote",
             "transforms": [{"name": "concat", "separator": "\n\n"}]},
            {"target": "taskType", "transforms": [{"name": "constant", "value": "9"}]},
            {"source": "dueDate", "target": "dueDate", "transforms": [{"format": "yyyy-MM-dd", "name": "date"}]},
            {"source": "completed", "target": "completed"}
        ]
    },
    "timeZone": "UTC"
}
)";
    MappingFileError error;
    const auto m = MappingFile::fromJson(v1, &error);
    QVERIFY2(m, qPrintable(error.toString()));
    QCOMPARE(m->formatVersion(), 1);
    QCOMPARE(m->revision(), 4);
    QCOMPARE(m->policy(), SyncPolicy());
    QCOMPARE(m->policy().deletedContactTag, u8("ghl-deleted"));
    QVERIFY(m->fieldLimits().isEmpty());
    QCOMPARE(m->fieldLimit(u8("Company"), TargetFieldType::Text), TextFieldMaxLength);
    for (RecordKind kind : allRecordKinds())
        for (const MappingRule &r : m->rules(kind))
            QCOMPARE(r.onFailure, OnFailure::KeepAsWritten);
    // The rules are the default mapping's: only the version and revision tell the file apart.
    FieldMapping expected = FieldMapping::defaultMapping();
    expected.setFormatVersion(1);
    expected.setRevision(4);
    QVERIFY(*m == expected);
    // Exported again, it is a version 2 file.
    const QJsonObject again = MappingFile::toJsonObject(*m);
    QCOMPARE(again.value(u8("formatVersion")).toInt(), 2);
    QVERIFY(again.contains(u8("policy")));
}

void TestMappingFile::policyAndLimitsAreWritten()
{
    const QJsonObject o = MappingFile::toJsonObject(everything());
    QCOMPARE(o.value(u8("policy")).toObject(), (QJsonObject{{u8("sharedEmailFields"), u8("oldest")},
                                                            {u8("sharedEmailTags"), u8("chosen-contact")},
                                                            {u8("deletedNotes"), u8("mark-deleted")},
                                                            {u8("deletedContacts"), u8("nothing")},
                                                            {u8("deletedContactTag"), u8("gelöscht in GHL")},
                                                            {u8("defaultCountry"), u8("DE")}}));
    QCOMPARE(o.value(u8("fieldLimits")).toObject(),
             (QJsonObject{{u8("Company"), 500}, {u8("taskNote"), 4000}}));
    const QJsonArray contact = o.value(u8("rules")).toObject().value(u8("contact")).toArray();
    QVERIFY(!contact.at(0).toObject().contains(u8("onFailure"))); // "keep" is not written
    QCOMPARE(contact.at(10).toObject().value(u8("onFailure")).toString(), u8("leave"));
    QCOMPARE(contact.at(11).toObject().value(u8("onFailure")).toString(), u8("empty"));
    QCOMPARE(contact.at(12).toObject().value(u8("onFailure")).toString(), u8("invalid"));

    // The defaults, spelled out, so that a person editing the file sees the choices.
    const QJsonObject d = MappingFile::toJsonObject(FieldMapping::defaultMapping());
    QCOMPARE(d.value(u8("policy")).toObject(),
             (QJsonObject{{u8("sharedEmailFields"), u8("most-recently-updated")},
                          {u8("sharedEmailTags"), u8("union")},
                          {u8("deletedNotes"), u8("leave")},
                          {u8("deletedContacts"), u8("tag")},
                          {u8("deletedContactTag"), u8("ghl-deleted")},
                          {u8("defaultCountry"), QString()}}));
    QCOMPARE(d.value(u8("fieldLimits")).toObject(), QJsonObject());
}

void TestMappingFile::policyAndLimitsRoundTrip_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<SyncPolicy>("policy");
    QTest::addColumn<int>("companyLimit");
    SyncPolicy partial;
    partial.deletedNotes = DeletedNotePolicy::MarkDeleted;
    partial.defaultCountry = u8("GB");
    QTest::newRow("only some keys, country in lower case")
        << QByteArray(
               R"({"formatVersion": 2, "rules": {}, "policy": {"deletedNotes": "mark-deleted", "defaultCountry": "gb"}})")
        << partial << TextFieldMaxLength;
    SyncPolicy all;
    all.sharedEmailFields = SharedEmailFields::Oldest;
    all.sharedEmailTags = SharedEmailTags::ChosenContact;
    all.deletedContacts = DeletedContactPolicy::Nothing;
    all.deletedContactTag = u8("removed");
    QTest::newRow("every key and a limit")
        << QByteArray(R"({"formatVersion": 2, "rules": {}, "fieldLimits": {"Company": 80},
                          "policy": {"sharedEmailFields": "oldest", "sharedEmailTags": "chosen-contact",
                                     "deletedNotes": "leave", "deletedContacts": "nothing",
                                     "deletedContactTag": "removed", "defaultCountry": ""}})")
        << all << 80;
    QTest::newRow("no policy in a version 2 file")
        << QByteArray(R"({"formatVersion": 2, "rules": {}})") << SyncPolicy() << TextFieldMaxLength;
}

void TestMappingFile::policyAndLimitsRoundTrip()
{
    QFETCH(QByteArray, json);
    QFETCH(SyncPolicy, policy);
    QFETCH(int, companyLimit);
    MappingFileError error;
    const auto m = MappingFile::fromJson(json, &error);
    QVERIFY2(m, qPrintable(error.toString()));
    QCOMPARE(m->policy(), policy);
    QCOMPARE(m->fieldLimit(u8("Company"), TargetFieldType::Text), companyLimit);
    QCOMPARE(m->hasFieldLimit(u8("Company")), companyLimit != TextFieldMaxLength);
    const auto back = MappingFile::fromJson(MappingFile::toJson(*m), &error);
    QVERIFY2(back, qPrintable(error.toString()));
    QVERIFY(*back == *m);
}

void TestMappingFile::version2KeysAreNotVersion1Keys()
{
    MappingFileError e;
    QVERIFY(!MappingFile::fromJson(
        R"({"formatVersion": 1, "rules": {"contact": [{"source": "phone", "target": "Phone Number", "onFailure": "leave"}]}})",
        &e));
    QCOMPARE(e.path, u8("$.rules.contact[0].onFailure"));
    QVERIFY(!MappingFile::fromJson(R"({"formatVersion": 1, "rules": {}, "fieldLimits": {}})", &e));
    QCOMPARE(e.path, u8("$.fieldLimits"));
}

QTEST_GUILESS_MAIN(TestMappingFile)
#include "tst_mappingfile.moc"
