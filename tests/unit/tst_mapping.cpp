// The mapping model and the Mapper: the default mapping on realistic contacts, per-record type checks
// and reasons, content hashes, and the mapping-level validation that runs before any sync.

#include "domain/FieldMapping.h"
#include "sync/Mapper.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTest>

using namespace lb;

namespace {

QString u8(const char *s)
{
    return QString::fromUtf8(s);
}

const QDateTime Now(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

Contact realisticContact()
{
    Contact c;
    c.id = u8("ocQHyuzHvysMo5N5VsXc");
    c.locationId = u8("ve9EPM428h8vShlRW1KT");
    c.firstName = u8(" Zoë ");
    c.lastName = u8("Öztürk");
    c.email = u8(" Zoe.Ozturk@Example.COM ");
    c.phone = u8("+1 (415) 555-2671");
    c.companyName = u8("Acme GmbH");
    c.city = u8("Springfield");
    c.country = u8("US");
    c.address1 = u8("1 Main St");
    c.source = u8("webinar");
    c.tags = QStringList{u8("vip"), u8(" lead "), u8("vip"), QString(), u8("Webinar 2024")};
    c.dateAdded = QDateTime(QDate(2023, 1, 2), QTime(3, 4), Qt::UTC);
    c.dateUpdated = QDateTime(QDate(2024, 4, 30), QTime(9, 0), Qt::UTC);
    c.customFields = {
        {u8("cf_score"), QJsonValue(42)},
        {u8("cf_notes"), QJsonValue(u8("Met at the expo"))},
        {u8("cf_interests"), QJsonArray{u8("CRM"), u8("Email")}},
        {u8("cf_birthday"),
         QJsonValue(double(QDateTime(QDate(1990, 5, 17), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch()))},
        {u8("cf_stage"), QJsonValue(u8("warm"))},
    };
    return c;
}

ContactChildren realisticChildren()
{
    ContactChildren ch;
    ch.contactId = u8("ocQHyuzHvysMo5N5VsXc");
    Task t1;
    t1.id = u8("task-1");
    t1.title = u8("Call back");
    t1.body = u8("Ask about pricing");
    t1.dueDate = QDateTime(QDate(2024, 5, 3), QTime(15, 30), Qt::UTC);
    Task t2;
    t2.id = u8("task-2");
    t2.title = u8("Send contract");
    t2.completed = true;
    ch.tasks = {t1, t2};
    Note n;
    n.id = u8("note-1");
    n.body = u8("Prefers e-mail over calls.");
    ch.notes = {n};
    Appointment past;
    past.id = u8("appt-past");
    past.title = u8("Intro call");
    past.appointmentStatus = u8("showed");
    past.startTime = QDateTime(QDate(2024, 4, 2), QTime(9, 0), Qt::UTC);
    Appointment next;
    next.id = u8("appt-next");
    next.title = u8("Demo");
    next.appointmentStatus = u8("confirmed");
    next.address = u8("Zoom");
    next.startTime = QDateTime(QDate(2024, 5, 7), QTime(14, 0), Qt::UTC);
    Appointment cancelled;
    cancelled.id = u8("appt-cancelled");
    cancelled.title = u8("Lunch");
    cancelled.appointmentStatus = u8("cancelled");
    cancelled.startTime = QDateTime(QDate(2024, 5, 2), QTime(12, 0), Qt::UTC);
    ch.appointments = {past, next, cancelled};
    return ch;
}

QList<CustomField> definitions()
{
    auto def = [](const char *id, const char *key, const char *type, QStringList options = {}) {
        CustomField f;
        f.id = QString::fromLatin1(id);
        f.fieldKey = QString::fromLatin1(key);
        f.dataType = QString::fromLatin1(type);
        f.name = f.fieldKey;
        f.model = QStringLiteral("contact");
        f.picklistOptions = options;
        return f;
    };
    return {def("cf_score", "contact.score", "NUMERICAL"), def("cf_notes", "contact.notes", "LARGE_TEXT"),
            def("cf_interests", "contact.interests", "MULTIPLE_OPTIONS"),
            def("cf_birthday", "contact.birthday", "DATE"),
            def("cf_stage", "contact.stage", "SINGLE_OPTIONS", {u8("hot"), u8("warm"), u8("cold")})};
}

QList<TargetField> accountFields()
{
    QList<TargetField> fields = saleshandySystemFields();
    fields
        << TargetField{u8("GHL Contact ID"), TargetFieldType::Text, {}, {}, false}
        << TargetField{u8("GHL Next Appointment"), TargetFieldType::Date, {}, {}, false}
        << TargetField{u8("GHL Appointments"), TargetFieldType::LongText, {}, {}, false}
        << TargetField{u8("Score"), TargetFieldType::Number, {}, {}, false}
        << TargetField{u8("Notes"), TargetFieldType::Text, {}, {}, false}
        << TargetField{u8("Long Notes"), TargetFieldType::LongText, {}, {}, false}
        << TargetField{u8("Birthday"), TargetFieldType::Date, {}, {}, false}
        << TargetField{u8("Stage"), TargetFieldType::Dropdown, {u8("Hot"), u8("Warm"), u8("Cold")}, {}, false}
        << TargetField{u8("Deal Size"), TargetFieldType::Currency, {}, u8("USD"), false}
        << TargetField{u8("Interests"), TargetFieldType::Text, {}, {}, false};
    return fields;
}

MappingRule rule(const QString &source, const QString &target, QList<Transform> chain = {})
{
    MappingRule r;
    r.source = source;
    r.target = target;
    r.transforms = std::move(chain);
    return r;
}

MapperContext context()
{
    return MapperContext{definitions(), accountFields(), Now};
}

bool hasProblem(const QList<MappingProblem> &problems, MappingProblem::Severity severity,
                const QString &fragment)
{
    return std::any_of(problems.cbegin(), problems.cend(), [&](const MappingProblem &p) {
        return p.severity == severity && p.message.contains(fragment);
    });
}

QString dump(const QList<MappingProblem> &problems)
{
    QStringList lines;
    for (const MappingProblem &p : problems)
        lines << p.toString();
    return lines.join(u'\n');
}

} // namespace

class TestMapping : public QObject
{
    Q_OBJECT

private slots:
    void defaultMappingFollowsTheDesign();
    void defaultMappingIsValid();
    void mapsARealisticContact();
    void tasksAndNotes();
    void appointmentsGiveNextDateAndSummary();
    void appointmentSummaryInTheMappingTimeZone();
    void missingEmailIsInvalid_data();
    void missingEmailIsInvalid();
    void unconvertiblePhoneIsSentAsWrittenWithAWarning();
    void phoneUsesTheContactsCountryThenTheProfiles_data();
    void phoneUsesTheContactsCountryThenTheProfiles();
    void typeChecksPerRecord();
    void overLongValuesAreCutWithAWarning();
    void onFailureForATransformFailure_data();
    void onFailureForATransformFailure();
    void onFailureForAnOverLongValue_data();
    void onFailureForAnOverLongValue();
    void onFailureForATypeMismatch_data();
    void onFailureForATypeMismatch();
    void fieldLimitsAreEditable();
    void emptyValuesAreAbsentAndDefaultsStillApply();
    void unconvertibleEmailMakesTheRecordInvalid();
    void unconvertibleTagsAreKeptAsWritten();
    void tasksAndNotesAreNeverDropped();
    void validateWarnsAboutMarkInvalid();
    void customFieldsByIdAndByKey();
    void extraSourcesAndDefaults();
    void kindsWithoutRulesAreNotMapped();
    void hashIsStable();
    void hashChangesWithMappedFields();
    void hashIgnoresUnmappedChanges();
    void childHashesAreSeparate();
    void validateReportsMappingProblems();
    void mapperWithErrorsIsNotUsableButStillMaps();
};

void TestMapping::defaultMappingFollowsTheDesign()
{
    const FieldMapping m = FieldMapping::defaultMapping();
    QCOMPARE(m.formatVersion(), FieldMapping::CurrentFormatVersion);
    QVERIFY(m.hasEmailRule());
    for (const MappingRule &r : m.rules(RecordKind::Contact))
        QCOMPARE(r.onFailure, OnFailure::KeepAsWritten); // never blank, never erase
    QCOMPARE(m.policy(), SyncPolicy());
    QStringList pairs;
    for (const MappingRule &r : m.rules(RecordKind::Contact))
        pairs << r.source + u8("→") + r.target;
    QCOMPARE(pairs, (QStringList{u8("firstName→First Name"), u8("lastName→Last Name"), u8("email→Email"),
                                 u8("phone→Phone Number"), u8("companyName→Company"), u8("city→City"),
                                 u8("country→Country"), u8("id→GHL Contact ID"), u8("tags→tags")}));
    QCOMPARE(m.targetLabels(),
             (QStringList{u8("First Name"), u8("Last Name"), u8("Email"), u8("Phone Number"), u8("Company"),
                          u8("City"), u8("Country"), u8("GHL Contact ID"), u8("GHL Next Appointment"),
                          u8("GHL Appointments")}));
    QCOMPARE(m.requiredFields().size(), 3);
    QCOMPARE(m.requiredField(u8("GHL Contact ID"))->type, TargetFieldType::Text);
    QCOMPARE(m.requiredField(u8("GHL Next Appointment"))->type, TargetFieldType::Date);
    QCOMPARE(m.requiredField(u8("GHL Appointments"))->type, TargetFieldType::LongText);
    // The engine creates what the account lacks.
    const QList<TargetField> missing = m.missingFields(
        saleshandySystemFields() +
        QList<TargetField>{TargetField{u8("GHL Contact ID"), TargetFieldType::Text, {}, {}, false}});
    QCOMPARE(missing.size(), 2);
    QCOMPARE(missing.at(0).label, u8("GHL Next Appointment"));
    QCOMPARE(m.rules(RecordKind::Task).size(), 4);
    QCOMPARE(m.rules(RecordKind::Note).size(), 1);
    QCOMPARE(m.rules(RecordKind::Appointment).size(), 2);
}

void TestMapping::defaultMappingIsValid()
{
    const FieldMapping m = FieldMapping::defaultMapping();
    QList<MappingProblem> problems = Mapper::validate(m, accountFields(), definitions());
    QVERIFY2(problems.isEmpty(), qPrintable(dump(problems)));
    // A fresh account: only system fields; the three custom fields are created by the engine.
    problems = Mapper::validate(m, saleshandySystemFields());
    QVERIFY2(problems.isEmpty(), qPrintable(dump(problems)));
    // Nothing known about the account at all.
    problems = Mapper::validate(m, {});
    QVERIFY2(problems.isEmpty(), qPrintable(dump(problems)));
}

void TestMapping::mapsARealisticContact()
{
    const Mapper mapper(FieldMapping::defaultMapping(), context());
    QVERIFY(mapper.isUsable());
    const MappedProspect p = mapper.map(realisticContact(), realisticChildren());
    QVERIFY2(p.valid, qPrintable(p.invalidReason));
    QVERIFY2(p.problems.isEmpty(), qPrintable(p.problems.join(u'\n')));
    QCOMPARE(p.ghlContactId, u8("ocQHyuzHvysMo5N5VsXc"));
    QCOMPARE(p.email, u8("zoe.ozturk@example.com"));
    const QMap<QString, QString> expected{
        {u8("First Name"), u8("Zoë")},
        {u8("Last Name"), u8("Öztürk")},
        {u8("Email"), u8("zoe.ozturk@example.com")},
        {u8("Phone Number"), u8("+14155552671")},
        {u8("Company"), u8("Acme GmbH")},
        {u8("City"), u8("Springfield")},
        {u8("Country"), u8("US")},
        {u8("GHL Contact ID"), u8("ocQHyuzHvysMo5N5VsXc")},
        {u8("GHL Next Appointment"), u8("2024-05-07")},
        {u8("GHL Appointments"), u8("2024-05-07 14:00 UTC — Demo — confirmed — Zoom\n"
                                    "2024-05-02 12:00 UTC — Lunch — cancelled\n"
                                    "2024-04-02 09:00 UTC — Intro call — showed")},
    };
    QCOMPARE(p.fields, expected);
    // Deterministic order: a QMap's keys are sorted.
    QCOMPARE(p.fields.firstKey(), u8("City"));
    QCOMPARE(p.tags, (QStringList{u8("Webinar 2024"), u8("lead"), u8("vip")}));
    QCOMPARE(p.hash.size(), 40);
}

void TestMapping::tasksAndNotes()
{
    const Mapper mapper(FieldMapping::defaultMapping(), context());
    const MappedProspect p = mapper.map(realisticContact(), realisticChildren());
    QCOMPARE(p.tasks.size(), 2);
    const MappedTask &t1 = p.tasks.at(0);
    QCOMPARE(t1.ghlTaskId, u8("task-1"));
    QCOMPARE(t1.taskType, u8("9"));
    QCOMPARE(t1.taskNote, u8("Call back\n\nAsk about pricing"));
    QCOMPARE(t1.dueDate, u8("2024-05-03"));
    QVERIFY(!t1.completed);
    const MappedTask &t2 = p.tasks.at(1);
    QCOMPARE(t2.taskNote, u8("Send contract")); // no body: no blank line
    QCOMPARE(t2.dueDate, QString());            // no due date: Saleshandy's default
    QVERIFY(t2.completed);
    QCOMPARE(p.notes.size(), 1);
    QCOMPARE(p.notes.at(0).ghlNoteId, u8("note-1"));
    QCOMPARE(p.notes.at(0).content, u8("Prefers e-mail over calls."));

    // A due time late in the evening in Los Angeles is the next day in UTC; the mapping's zone decides.
    FieldMapping la = FieldMapping::defaultMapping();
    la.setTimeZone(u8("America/Los_Angeles"));
    QList<MappingRule> taskRules = la.rules(RecordKind::Task);
    taskRules[2].transforms = {Transform::date(u8("yyyy-MM-dd"), u8("America/Los_Angeles"))};
    la.setRules(RecordKind::Task, taskRules);
    ContactChildren ch = realisticChildren();
    ch.tasks[0].dueDate = QDateTime(QDate(2024, 5, 4), QTime(2, 0), Qt::UTC);
    const MappedProspect pla = Mapper(la, context()).map(realisticContact(), ch);
    QCOMPARE(pla.tasks.at(0).dueDate, u8("2024-05-03"));

    // An empty note is not sent.
    ch = realisticChildren();
    ch.notes[0].body = u8("   ");
    const MappedProspect empty = mapper.map(realisticContact(), ch);
    QVERIFY(empty.notes.isEmpty());
    QCOMPARE(empty.problems, QStringList{u8("note note-1: the note is empty and is not sent")});
    QCOMPARE(empty.warnings.size(), 1);
    QCOMPARE(empty.warnings.at(0).kind, WarningKind::NotSent);
}

void TestMapping::appointmentsGiveNextDateAndSummary()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.addRule(RecordKind::Appointment, rule(u8("appointments.count"), u8("Score")));
    m.addRule(RecordKind::Appointment, rule(u8("appointments.last"), u8("Birthday")));
    const Mapper mapper(m, context());
    QVERIFY2(mapper.isUsable(), qPrintable(dump(mapper.problems())));
    const MappedProspect p = mapper.map(realisticContact(), realisticChildren());
    QCOMPARE(p.fields.value(u8("GHL Next Appointment")),
             u8("2024-05-07")); // the cancelled one on 05-02 does not count
    QCOMPARE(p.fields.value(u8("Score")), u8("3"));
    QCOMPARE(p.fields.value(u8("Birthday")), u8("2024-04-02"));

    // No appointments: the fields are left out, not sent empty.
    ContactChildren none = realisticChildren();
    none.appointments.clear();
    const MappedProspect q = mapper.map(realisticContact(), none);
    QVERIFY(!q.fields.contains(u8("GHL Next Appointment")));
    QVERIFY(!q.fields.contains(u8("GHL Appointments")));

    // Later "now": the demo is in the past, nothing is upcoming.
    MapperContext later = context();
    later.now = QDateTime(QDate(2024, 6, 1), QTime(0, 0), Qt::UTC);
    const MappedProspect r = Mapper(m, later).map(realisticContact(), realisticChildren());
    QVERIFY(!r.fields.contains(u8("GHL Next Appointment")));
    QCOMPARE(r.fields.value(u8("Birthday")), u8("2024-05-07"));
}

void TestMapping::appointmentSummaryInTheMappingTimeZone()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.setTimeZone(u8("Europe/Berlin"));
    const MappedProspect p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    const QString summary = p.fields.value(u8("GHL Appointments"));
    QVERIFY2(summary.startsWith(u8("2024-05-07 16:00 ")), qPrintable(summary));
}

void TestMapping::missingEmailIsInvalid_data()
{
    QTest::addColumn<QString>("email");
    QTest::addColumn<QString>("reason");
    QTest::newRow("missing") << QString() << u8("no email");
    QTest::newRow("blank") << u8("  \u200b ") << u8("no email");
    QTest::newRow("no domain") << u8("jane@") << u8("invalid email 'jane@'");
    QTest::newRow("spaces inside") << u8(" jane doe@example.com ")
                                   << u8("invalid email 'jane doe@example.com'");
    QTest::newRow("two ats") << u8("a@b@example.com") << u8("invalid email 'a@b@example.com'");
}

void TestMapping::missingEmailIsInvalid()
{
    QFETCH(QString, email);
    QFETCH(QString, reason);
    Contact c = realisticContact();
    c.email = email;
    const MappedProspect p = Mapper(FieldMapping::defaultMapping(), context()).map(c, realisticChildren());
    QVERIFY(!p.valid);
    QCOMPARE(p.invalidReason, reason);
    QVERIFY(!p.fields.contains(u8("Email")));
    // The rest is still mapped, so that a dry run can show it.
    QCOMPARE(p.fields.value(u8("First Name")), u8("Zoë"));
}

void TestMapping::unconvertiblePhoneIsSentAsWrittenWithAWarning()
{
    Contact c = realisticContact();
    c.phone = u8(" 555-0100 "); // seven digits: no area code, not a North American number
    const MappedProspect p = Mapper(FieldMapping::defaultMapping(), context()).map(c, realisticChildren());
    QVERIFY(p.valid);
    QCOMPARE(p.fields.value(u8("Phone Number")), u8("555-0100")); // as written, trimmed
    const QString message =
        u8("Phone Number: '555-0100' is not a possible North American number; sent as written");
    QCOMPARE(p.warnings, (QList<FieldWarning>{
                             {WarningKind::KeptAsWritten, u8("Phone Number"), u8("555-0100"), message}}));
    QCOMPARE(p.problems, QStringList{message});
}

void TestMapping::phoneUsesTheContactsCountryThenTheProfiles_data()
{
    QTest::addColumn<QString>("phone");
    QTest::addColumn<QString>("country");
    QTest::addColumn<QString>("profileCountry");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("warned");
    QTest::newRow("German national, contact in DE")
        << u8("030 1234567") << u8("DE") << QString() << u8("+49301234567") << false;
    QTest::newRow("contact country in lower case")
        << u8("030 1234567") << u8("de") << QString() << u8("+49301234567") << false;
    QTest::newRow("contact country by name")
        << u8("020 7946 0958") << u8("United Kingdom") << u8("DE") << u8("+442079460958") << false;
    QTest::newRow("no country: the profile's")
        << u8("030 1234567") << QString() << u8("DE") << u8("+49301234567") << false;
    QTest::newRow("contact's country before the profile's")
        << u8("06 12 34 56 78") << u8("FR") << u8("DE") << u8("+33612345678") << false;
    QTest::newRow("international number, whatever the country")
        << u8("+44 20 7946 0958") << u8("DE") << u8("DE") << u8("+442079460958") << false;
    QTest::newRow("extension kept") << u8("(555) 234-5678 ext. 89") << u8("US") << QString()
                                    << u8("+15552345678 ext. 89") << false;
    QTest::newRow("no country anywhere: as written")
        << u8("030 1234567") << QString() << QString() << u8("030 1234567") << true;
}

void TestMapping::phoneUsesTheContactsCountryThenTheProfiles()
{
    QFETCH(QString, phone);
    QFETCH(QString, country);
    QFETCH(QString, profileCountry);
    QFETCH(QString, expected);
    QFETCH(bool, warned);
    FieldMapping m = FieldMapping::defaultMapping();
    SyncPolicy policy;
    policy.defaultCountry = profileCountry;
    m.setPolicy(policy);
    Contact c = realisticContact();
    c.phone = phone;
    c.country = country;
    const MappedProspect p = Mapper(m, context()).map(c, realisticChildren());
    QCOMPARE(p.fields.value(u8("Phone Number")), expected);
    QCOMPARE(p.warnings.size(), warned ? 1 : 0);
    if (warned) {
        QCOMPARE(p.warnings.at(0).kind, WarningKind::KeptAsWritten);
        QCOMPARE(p.warnings.at(0).target, u8("Phone Number"));
        QCOMPARE(p.warnings.at(0).value, phone);
    }
}

void TestMapping::typeChecksPerRecord()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.addRule(RecordKind::Contact, rule(u8("source"), u8("Score")));
    m.addRule(RecordKind::Contact, rule(u8("custom:cf_birthday"), u8("Birthday")));
    m.addRule(RecordKind::Contact, rule(u8("custom:cf_stage"), u8("Stage")));
    m.addRule(RecordKind::Contact, rule(u8("postalCode"), u8("Deal Size")));
    const Mapper mapper(m, context());
    Contact c = realisticContact();
    c.source = u8("abc");
    c.postalCode = u8("$1,200.50");
    MappedProspect p = mapper.map(c, realisticChildren());
    QVERIFY(p.valid);
    QCOMPARE(p.problems, QStringList{u8("Score: 'abc' is not a number; sent as written")});
    QCOMPARE(p.fields.value(u8("Score")), u8("abc"));           // not blanked
    QCOMPARE(p.fields.value(u8("Birthday")), u8("1990-05-17")); // epoch ms of a GHL DATE field
    QCOMPARE(p.fields.value(u8("Stage")), u8("Warm"));          // Saleshandy's spelling of the option
    QCOMPARE(p.fields.value(u8("Deal Size")), u8("1200.50"));

    c.source = u8("1,234");
    c.customFields[4].value = u8("lukewarm");
    c.customFields[3].value = u8("someday");
    p = mapper.map(c, realisticChildren());
    QCOMPARE(p.fields.value(u8("Score")), u8("1234"));
    QCOMPARE(p.problems,
             (QStringList{u8("Birthday: 'someday' is not a date; sent as written"),
                          u8("Stage: 'lukewarm' is not one of the field's options (Hot, Warm, Cold); "
                             "sent as written")}));
    QCOMPARE(p.fields.value(u8("Birthday")), u8("someday"));
    QCOMPARE(p.fields.value(u8("Stage")), u8("lukewarm"));
    QCOMPARE(p.warnings.size(), 2);
    QCOMPARE(p.warnings.at(1).kind, WarningKind::KeptAsWritten);
    QCOMPARE(p.warnings.at(1).target, u8("Stage"));
    QCOMPARE(p.warnings.at(1).value, u8("lukewarm"));
}

void TestMapping::overLongValuesAreCutWithAWarning()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.addRule(RecordKind::Contact, rule(u8("custom.notes"), u8("Notes")));
    m.addRule(RecordKind::Contact, rule(u8("custom.contact.notes"), u8("Long Notes")));
    m.addRule(RecordKind::Contact, rule(u8("custom:cf_notes"), u8("Job Title"),
                                        {Transform::truncate(TextFieldMaxLength, u8("…"))}));
    const Mapper mapper(m, context());
    QVERIFY(
        hasProblem(mapper.problems(), MappingProblem::Severity::Warning, u8("long-text field fits better")));
    Contact c = realisticContact();
    const QString huge = QString(1000, u'x') + u8("👋");
    c.customFields[1].value = huge;
    const MappedProspect p = mapper.map(c, realisticChildren());
    QVERIFY(p.valid);
    const QString message = u8("Notes: 1001 characters, cut to the 255 that the Saleshandy field takes (an "
                               "unconfirmed default; change it in the mapping)");
    QCOMPARE(p.problems, QStringList{message});
    QCOMPARE(p.warnings.size(), 1);
    QCOMPARE(p.warnings.at(0).kind, WarningKind::Cut);
    QCOMPARE(p.warnings.at(0).target, u8("Notes"));
    QCOMPARE(p.warnings.at(0).message, message);
    QVERIFY(huge.startsWith(p.warnings.at(0).value.chopped(1))); // shortened for the log
    QCOMPARE(p.fields.value(u8("Notes")), QString(254, u'x') + u8("…"));
    QCOMPARE(p.fields.value(u8("Long Notes")), huge);
    QCOMPARE(p.fields.value(u8("Job Title")), QString(254, u'x') + u8("…")); // the rule's own cut: no warning

    // Past the long-text limit too: cut there as well, never inside a surrogate pair.
    c.customFields[1].value = QString(LongTextFieldMaxLength - 2, u'y') + u8("👋👋👋");
    const MappedProspect q = mapper.map(c, realisticChildren());
    QCOMPARE(q.warnings.size(), 2);
    QCOMPARE(q.warnings.at(1).kind, WarningKind::Cut);
    QCOMPARE(q.warnings.at(1).target, u8("Long Notes"));
    const QString cut = q.fields.value(u8("Long Notes"));
    QCOMPARE(transforms::codePointCount(cut), LongTextFieldMaxLength);
    QCOMPARE(cut, QString(LongTextFieldMaxLength - 2, u'y') + u8("👋…"));

    // A huge task body is cut, since a task cannot go without its note.
    ContactChildren ch = realisticChildren();
    ch.tasks[0].body = QString(LongTextFieldMaxLength * 2, u'z');
    const MappedProspect r = Mapper(FieldMapping::defaultMapping(), context()).map(realisticContact(), ch);
    QCOMPARE(transforms::codePointCount(r.tasks.at(0).taskNote), LongTextFieldMaxLength);
    QVERIFY(r.tasks.at(0).taskNote.endsWith(u8("…")));
    QCOMPARE(r.problems,
             QStringList{u8("task task-1: the task note of 20011 characters was cut to the 10000 that "
                            "a Saleshandy task note takes (an unconfirmed default; change it in the "
                            "mapping)")});
    QCOMPARE(r.tasks.at(0).warnings.size(), 1);
    QCOMPARE(r.tasks.at(0).warnings.at(0).kind, WarningKind::Cut);
    QCOMPARE(r.tasks.at(0).warnings.at(0).target, u8("taskNote"));
    QVERIFY(r.warnings.isEmpty()); // the task's warning is the task's
}

namespace {

void addOnFailureRows(const char *keepValue, WarningKind keepKind)
{
    QTest::addColumn<OnFailure>("onFailure");
    QTest::addColumn<bool>("present");
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<int>("kind"); // -1: no warning
    QTest::newRow("keep") << OnFailure::KeepAsWritten << true << u8(keepValue) << true << int(keepKind);
    QTest::newRow("leave") << OnFailure::LeaveUnchanged << false << QString() << true
                           << int(WarningKind::LeftUnchanged);
    QTest::newRow("empty") << OnFailure::SendEmpty << true << QString() << true
                           << int(WarningKind::SentEmpty);
    QTest::newRow("invalid") << OnFailure::MarkInvalid << false << QString() << false << -1;
}

void checkOnFailure(const MappedProspect &p, const QString &label, const QString &writtenValue,
                    const QString &reasonStart)
{
    QFETCH(bool, present);
    QFETCH(QString, value);
    QFETCH(bool, valid);
    QFETCH(int, kind);
    QCOMPARE(p.fields.contains(label), present);
    if (present)
        QCOMPARE(p.fields.value(label), value);
    QCOMPARE(p.valid, valid);
    if (kind < 0) {
        QVERIFY(p.warnings.isEmpty());
        QVERIFY2(p.invalidReason.startsWith(reasonStart), qPrintable(p.invalidReason));
        QVERIFY2(p.invalidReason.contains(u'\'' + writtenValue.left(20)) || writtenValue.size() > 60,
                 qPrintable(p.invalidReason));
        return;
    }
    QCOMPARE(p.warnings.size(), 1);
    QCOMPARE(int(p.warnings.at(0).kind), kind);
    QCOMPARE(p.warnings.at(0).target, label);
    QVERIFY(writtenValue.startsWith(p.warnings.at(0).value.chopped(1)));
    QVERIFY2(p.warnings.at(0).message.startsWith(reasonStart), qPrintable(p.warnings.at(0).message));
    QCOMPARE(p.problems, QStringList{p.warnings.at(0).message});
}

FieldMapping withOnFailure(FieldMapping m, const QString &target, OnFailure onFailure)
{
    QList<MappingRule> rules = m.rules(RecordKind::Contact);
    for (MappingRule &r : rules)
        if (r.target == target)
            r.onFailure = onFailure;
    m.setRules(RecordKind::Contact, rules);
    return m;
}

} // namespace

void TestMapping::onFailureForATransformFailure_data()
{
    addOnFailureRows("030 1234567", WarningKind::KeptAsWritten);
}

void TestMapping::onFailureForATransformFailure()
{
    QFETCH(OnFailure, onFailure);
    const FieldMapping m = withOnFailure(FieldMapping::defaultMapping(), u8("Phone Number"), onFailure);
    Contact c = realisticContact();
    c.phone = u8("\u00a0030 1234567 ");
    c.country = QString(); // and no default country: no calling code anywhere
    const MappedProspect p = Mapper(m, context()).map(c, realisticChildren());
    checkOnFailure(p, u8("Phone Number"), u8("030 1234567"),
                   u8("Phone Number: '030 1234567' has no country calling code"));
    // The other fields are mapped either way.
    QCOMPARE(p.fields.value(u8("First Name")), u8("Zoë"));
}

void TestMapping::onFailureForAnOverLongValue_data()
{
    addOnFailureRows("", WarningKind::Cut); // the value is checked below
}

void TestMapping::onFailureForAnOverLongValue()
{
    QFETCH(OnFailure, onFailure);
    const FieldMapping m = withOnFailure(FieldMapping::defaultMapping(), u8("Company"), onFailure);
    Contact c = realisticContact();
    const QString company = QString(312, u'c');
    c.companyName = company;
    const MappedProspect p = Mapper(m, context()).map(c, realisticChildren());
    if (onFailure == OnFailure::KeepAsWritten) {
        QCOMPARE(p.fields.value(u8("Company")), QString(254, u'c') + u8("…"));
        QCOMPARE(p.warnings.size(), 1);
        QCOMPARE(p.warnings.at(0).kind, WarningKind::Cut);
        QCOMPARE(p.warnings.at(0).target, u8("Company"));
        QCOMPARE(p.warnings.at(0).message,
                 u8("Company: 312 characters, cut to the 255 that the Saleshandy field takes (an unconfirmed "
                    "default; change it in the mapping)"));
        return;
    }
    checkOnFailure(p, u8("Company"), company,
                   u8("Company: 312 characters, more than the 255 that the Saleshandy field takes"));
}

void TestMapping::onFailureForATypeMismatch_data()
{
    addOnFailureRows("about 40", WarningKind::KeptAsWritten);
}

void TestMapping::onFailureForATypeMismatch()
{
    QFETCH(OnFailure, onFailure);
    FieldMapping m = FieldMapping::defaultMapping();
    MappingRule score = rule(u8("source"), u8("Score"));
    score.onFailure = onFailure;
    m.addRule(RecordKind::Contact, score);
    Contact c = realisticContact();
    c.source = u8(" about 40 ");
    const MappedProspect p = Mapper(m, context()).map(c, realisticChildren());
    checkOnFailure(p, u8("Score"), u8("about 40"), u8("Score: 'about 40' is not a number"));
}

void TestMapping::fieldLimitsAreEditable()
{
    Contact c = realisticContact();
    c.companyName = QString(312, u'c');
    FieldMapping m = FieldMapping::defaultMapping();
    m.setFieldLimit(u8("Company"), 500);
    MappedProspect p = Mapper(m, context()).map(c, realisticChildren());
    QCOMPARE(p.fields.value(u8("Company")), c.companyName);
    QVERIFY(p.warnings.isEmpty());

    // A limit set by hand is not called unconfirmed.
    m.setFieldLimit(u8("Company"), 10);
    p = Mapper(m, context()).map(c, realisticChildren());
    QCOMPARE(p.fields.value(u8("Company")), u8("ccccccccc…"));
    QCOMPARE(p.warnings.at(0).message,
             u8("Company: 312 characters, cut to the 10 that the Saleshandy field takes"));

    // Task notes and notes have limits of their own.
    m.setFieldLimit(u8("taskNote"), 5);
    m.setFieldLimit(u8("content"), 8);
    p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QCOMPARE(p.tasks.at(0).taskNote, u8("Call…"));
    QCOMPARE(p.tasks.at(0).warnings.at(0).kind, WarningKind::Cut);
    QCOMPARE(p.notes.at(0).content, u8("Prefers…"));
    QCOMPARE(p.notes.at(0).warnings.at(0).kind, WarningKind::Cut);
    QCOMPARE(p.notes.at(0).warnings.at(0).target, u8("content"));
}

void TestMapping::emptyValuesAreAbsentAndDefaultsStillApply()
{
    FieldMapping m = FieldMapping::defaultMapping();
    MappingRule state = rule(u8("state"), u8("Job Title"), {Transform::phoneE164()});
    state.defaultValue = u8("n/a");
    m.addRule(RecordKind::Contact, state);
    Contact c = realisticContact();
    c.companyName = u8("   ");
    c.phone.clear();
    c.state.clear();
    const MappedProspect p = Mapper(m, context()).map(c, realisticChildren());
    QVERIFY(p.valid);
    QVERIFY(!p.fields.contains(u8("Company")));      // nothing sent: Saleshandy keeps its value
    QVERIFY(!p.fields.contains(u8("Phone Number"))); // an empty phone is no failure
    QCOMPARE(p.fields.value(u8("Job Title")), u8("n/a"));
    QVERIFY2(p.warnings.isEmpty(), qPrintable(p.problems.join(u'\n')));
    for (auto it = p.fields.cbegin(); it != p.fields.cend(); ++it)
        QVERIFY2(!it.value().isEmpty(), qPrintable(it.key())); // "" only where a rule chose SendEmpty
}

void TestMapping::unconvertibleEmailMakesTheRecordInvalid()
{
    FieldMapping m = FieldMapping::defaultMapping();
    QList<MappingRule> rules = m.rules(RecordKind::Contact);
    rules[2].transforms.append(
        Transform::mapValues({{u8("a@example.com"), u8("b@example.com")}}, Transform::Unmapped::Reject));
    m.setRules(RecordKind::Contact, rules);
    const MappedProspect p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QVERIFY(!p.valid);
    QCOMPARE(p.invalidReason,
             u8("Email: 'zoe.ozturk@example.com' is not one of the values the mapping table knows"));
    QVERIFY(!p.fields.contains(u8("Email")));
}

void TestMapping::unconvertibleTagsAreKeptAsWritten()
{
    FieldMapping m = FieldMapping::defaultMapping();
    QList<MappingRule> rules = m.rules(RecordKind::Contact);
    rules[8].transforms.append(Transform::mapValues({{u8("vip"), u8("VIP")}}, Transform::Unmapped::Reject));
    m.setRules(RecordKind::Contact, rules);
    MappedProspect p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QCOMPARE(p.tags, (QStringList{u8("Webinar 2024"), u8("lead"), u8("vip")}));
    QCOMPARE(p.warnings.size(), 1);
    QCOMPARE(p.warnings.at(0).kind, WarningKind::KeptAsWritten);
    QCOMPARE(p.warnings.at(0).target, u8("tags"));

    rules[8].onFailure = OnFailure::LeaveUnchanged;
    m.setRules(RecordKind::Contact, rules);
    p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QVERIFY(p.tags.isEmpty());
    QCOMPARE(p.warnings.at(0).kind, WarningKind::LeftUnchanged);

    rules[8].onFailure = OnFailure::SendEmpty;
    m.setRules(RecordKind::Contact, rules);
    p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QVERIFY(p.tags.isEmpty());
    QCOMPARE(p.warnings.at(0).kind, WarningKind::SentEmpty);

    rules[8].onFailure = OnFailure::MarkInvalid;
    m.setRules(RecordKind::Contact, rules);
    p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QVERIFY(!p.valid);
    QCOMPARE(p.invalidReason, u8("tags: 'lead' is not one of the values the mapping table knows"));
}

void TestMapping::tasksAndNotesAreNeverDropped()
{
    FieldMapping m = FieldMapping::defaultMapping();
    QList<MappingRule> taskRules = m.rules(RecordKind::Task);
    taskRules[1] = rule(u8("assignedTo"), u8("taskType"),
                        {Transform::mapValues({{u8("call"), u8("13")}}, Transform::Unmapped::Reject)});
    taskRules[2] = rule(u8("title"), u8("dueDate"), {Transform::date(u8("yyyy-MM-dd"))});
    taskRules.append(rule(u8("body"), u8("priority")));
    m.setRules(RecordKind::Task, taskRules);
    m.setRules(RecordKind::Note,
               {rule(u8("body"), u8("content"),
                     {Transform::mapValues({{u8("x"), u8("y")}}, Transform::Unmapped::Reject)})});
    ContactChildren ch = realisticChildren();
    ch.tasks[0].assignedTo = u8("meeting");
    ch.tasks[0].body = u8("asap");
    ch.notes.append(Note{});
    ch.notes[1].id = u8("note-2");
    ch.notes[1].body = u8(" \u200b ");
    const MappedProspect p = Mapper(m, context()).map(realisticContact(), ch);
    QVERIFY(p.valid);
    QCOMPARE(p.tasks.size(), 2);
    const MappedTask &t = p.tasks.at(0);
    QCOMPARE(t.taskType, u8("9"));   // replaced by Custom
    QCOMPARE(t.dueDate, QString());  // Saleshandy uses today
    QCOMPARE(t.priority, QString()); // Saleshandy's default
    QCOMPARE(t.taskNote, u8("Call back\n\nasap"));
    QCOMPARE(t.warnings.size(), 3);
    QCOMPARE(t.warnings.at(0).kind, WarningKind::NotSent);
    QCOMPARE(t.warnings.at(0).target, u8("taskType"));
    QCOMPARE(t.warnings.at(0).value, u8("meeting"));
    QCOMPARE(t.warnings.at(1).kind, WarningKind::LeftUnchanged);
    QCOMPARE(t.warnings.at(1).target, u8("dueDate"));
    QCOMPARE(t.warnings.at(1).value, u8("Call back"));
    QCOMPARE(t.warnings.at(1).message,
             u8("dueDate: 'Call back' is not a date; no due date sent, Saleshandy uses today"));
    QCOMPARE(t.warnings.at(2).kind, WarningKind::NotSent);
    QCOMPARE(t.warnings.at(2).target, u8("priority"));
    QCOMPARE(t.warnings.at(2).value, u8("asap"));
    QVERIFY(p.problems.contains(u8("task task-1: dueDate: 'Call back' is not a date; no due date sent, "
                                   "Saleshandy uses today")));

    // The note the table rejects is sent as written; the empty one is not sent, and says so.
    QCOMPARE(p.notes.size(), 1);
    QCOMPARE(p.notes.at(0).content, u8("Prefers e-mail over calls."));
    QCOMPARE(p.notes.at(0).warnings.size(), 1);
    QCOMPARE(p.notes.at(0).warnings.at(0).kind, WarningKind::KeptAsWritten);
    QCOMPARE(p.warnings.size(), 1);
    QCOMPARE(p.warnings.at(0).kind, WarningKind::NotSent);
    QCOMPARE(p.warnings.at(0).target, u8("content"));
    QCOMPARE(p.warnings.at(0).message, u8("note note-2: the note is empty and is not sent"));
    QCOMPARE(p.tasks.at(1).warnings.size(), 1); // "Send contract" is no date either
    QCOMPARE(p.problems.size(), 6);             // four on the tasks, one on each note
}

void TestMapping::validateWarnsAboutMarkInvalid()
{
    FieldMapping m =
        withOnFailure(FieldMapping::defaultMapping(), u8("Phone Number"), OnFailure::MarkInvalid);
    const QList<MappingProblem> problems = Mapper::validate(m, accountFields(), definitions());
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.at(0).severity, MappingProblem::Severity::Warning);
    QCOMPARE(problems.at(0).rule, 3);
    QVERIFY2(problems.at(0).message.contains(u8("makes the whole prospect invalid")),
             qPrintable(problems.at(0).message));
}

void TestMapping::customFieldsByIdAndByKey()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.addRule(RecordKind::Contact, rule(u8("custom.score"), u8("Score")));
    m.addRule(RecordKind::Contact, rule(u8("custom:cf_interests"), u8("Interests")));
    m.addRule(RecordKind::Contact, rule(u8("custom:cf_interests"), u8("tags"), {Transform::lower()}));
    const Mapper mapper(m, context());
    QVERIFY2(mapper.isUsable(), qPrintable(dump(mapper.problems())));
    const MappedProspect p = mapper.map(realisticContact(), realisticChildren());
    QCOMPARE(p.fields.value(u8("Score")), u8("42"));
    QCOMPARE(p.fields.value(u8("Interests")), u8("CRM, Email"));
    QCOMPARE(p.tags, (QStringList{u8("Webinar 2024"), u8("crm"), u8("email"), u8("lead"), u8("vip")}));
}

void TestMapping::extraSourcesAndDefaults()
{
    FieldMapping m = FieldMapping::defaultMapping();
    MappingRule full = rule(u8("firstName"), u8("Job Title"),
                            {Transform::trim(), Transform::concat(u8(" ")), Transform::upper()});
    full.extraSources = {u8("lastName")};
    m.addRule(RecordKind::Contact, full);
    MappingRule city = rule(u8("state"), u8("LinkedIn"));
    city.defaultValue = u8("unknown");
    m.addRule(RecordKind::Contact, city);
    const MappedProspect p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QCOMPARE(p.fields.value(u8("Job Title")), u8("ZOË ÖZTÜRK"));
    QCOMPARE(p.fields.value(u8("LinkedIn")), u8("unknown"));
}

void TestMapping::kindsWithoutRulesAreNotMapped()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.setRules(RecordKind::Task, {});
    m.setRules(RecordKind::Note, {});
    m.setRules(RecordKind::Appointment, {});
    const MappedProspect p = Mapper(m, context()).map(realisticContact(), realisticChildren());
    QVERIFY(p.valid);
    QVERIFY(p.tasks.isEmpty());
    QVERIFY(p.notes.isEmpty());
    QVERIFY(!p.fields.contains(u8("GHL Appointments")));
}

void TestMapping::hashIsStable()
{
    const MappedProspect a =
        Mapper(FieldMapping::defaultMapping(), context()).map(realisticContact(), realisticChildren());
    const MappedProspect b =
        Mapper(FieldMapping::defaultMapping(), context()).map(realisticContact(), realisticChildren());
    QCOMPARE(a.hash, b.hash);
    QCOMPARE(a.tasks.at(0).hash, b.tasks.at(0).hash);
    QCOMPARE(a.notes.at(0).hash, b.notes.at(0).hash);
    // The canonical form is fixed: a stored hash from an earlier run must still match.
    QCOMPARE(Mapper::prospectHash(u8("a@b.co"), {{u8("Email"), u8("a@b.co")}}, {u8("vip")}),
             Mapper::prospectHash(u8("a@b.co"), {{u8("Email"), u8("a@b.co")}}, {u8("vip")}));
    // Pinned values: if the canonical serialisation ever changes, every stored hash goes stale and each
    // record is rewritten once. That must be a decision (bump the "lb.prospect.N" prefix), not an accident.
    QCOMPARE(Mapper::prospectHash(u8("a@b.co"), {{u8("Email"), u8("a@b.co")}, {u8("First Name"), u8("Zoë")}},
                                  {u8("vip")}),
             QByteArray("76684dbfe66f14875a838167406c05c63c689837"));
    MappedTask task{u8("t1"), u8("9"), u8("2024-05-03"), u8("Call back"), {}, true, {}};
    QCOMPARE(Mapper::taskHash(task), QByteArray("b37d59d37ef767538f6e512effaa358329d96f31"));
    QCOMPARE(Mapper::noteHash(MappedNote{u8("n1"), u8("Hello"), {}}),
             QByteArray("5536eeac7773e569d90ea0717fe5c639ef94a7f2"));
    // The documented canonical form: domain tag, NUL, then each string as its UTF-8 byte count
    // (32-bit little-endian) followed by its UTF-8 bytes. Non-ASCII on purpose.
    QByteArray canonical("lb.note.1", 10);
    for (const QString &s : {u8("n1"), u8("Grüße 👋")}) {
        const QByteArray utf8 = s.toUtf8();
        const quint32 n = quint32(utf8.size());
        canonical.append(char(n & 0xff))
            .append(char(n >> 8 & 0xff))
            .append(char(n >> 16 & 0xff))
            .append(char(n >> 24));
        canonical.append(utf8);
    }
    QCOMPARE(Mapper::noteHash(MappedNote{u8("n1"), u8("Grüße 👋"), {}}),
             QCryptographicHash::hash(canonical, QCryptographicHash::Sha1).toHex());
    // Field boundaries are part of the hash: moving text between two fields changes it.
    QVERIFY(Mapper::prospectHash({}, {{u8("A"), u8("bc")}}, {}) !=
            Mapper::prospectHash({}, {{u8("Ab"), u8("c")}}, {}));
    QVERIFY(Mapper::prospectHash({}, {}, {u8("a"), u8("b")}) != Mapper::prospectHash({}, {}, {u8("ab")}));
}

void TestMapping::hashChangesWithMappedFields()
{
    const Mapper mapper(FieldMapping::defaultMapping(), context());
    const QByteArray base = mapper.map(realisticContact(), realisticChildren()).hash;
    QSet<QByteArray> seen{base};
    auto expectChange = [&](const char *what, const Contact &c, const ContactChildren &ch) {
        const QByteArray h = mapper.map(c, ch).hash;
        QVERIFY2(!seen.contains(h), what);
        seen.insert(h);
    };
    Contact c = realisticContact();
    c.firstName = u8("Zoe");
    expectChange("first name", c, realisticChildren());
    c = realisticContact();
    c.email = u8("zoe@example.org");
    expectChange("email", c, realisticChildren());
    c = realisticContact();
    c.phone = u8("+1 415 555 2672");
    expectChange("phone", c, realisticChildren());
    c = realisticContact();
    c.tags << u8("new-tag");
    expectChange("tag added", c, realisticChildren());
    c = realisticContact();
    c.country = u8("DE");
    expectChange("country", c, realisticChildren());
    ContactChildren ch = realisticChildren();
    ch.appointments[1].startTime = ch.appointments[1].startTime.addDays(1);
    expectChange("next appointment", realisticContact(), ch);
    ch = realisticChildren();
    ch.appointments[0].title = u8("Intro call (rescheduled)");
    expectChange("appointment summary", realisticContact(), ch);
}

void TestMapping::hashIgnoresUnmappedChanges()
{
    const Mapper mapper(FieldMapping::defaultMapping(), context());
    const MappedProspect base = mapper.map(realisticContact(), realisticChildren());
    Contact c = realisticContact();
    c.address1 = u8("2 Other St");
    c.source = u8("import");
    c.dateUpdated = c.dateUpdated.addDays(3);
    c.customFields[0].value = 43;
    c.dnd = true;
    c.email = u8("ZOE.OZTURK@example.com "); // same key after normalisation
    c.tags = QStringList{u8("lead"), u8("vip"), u8("Webinar 2024"), u8("lead")}; // same set, other order
    c.firstName = u8("Zoë");                                                     // trimmed anyway
    const MappedProspect p = mapper.map(c, realisticChildren());
    QCOMPARE(p.hash, base.hash);
    QCOMPARE(p.tasks.at(0).hash, base.tasks.at(0).hash);
    // A task change that the mapping ignores (the assignee) leaves every hash alone.
    ContactChildren ch = realisticChildren();
    ch.tasks[0].assignedTo = u8("user-9");
    ch.tasks[0].dueDate = ch.tasks[0].dueDate.addSecs(60); // same day
    const MappedProspect q = mapper.map(realisticContact(), ch);
    QCOMPARE(q.tasks.at(0).hash, base.tasks.at(0).hash);
}

void TestMapping::childHashesAreSeparate()
{
    const Mapper mapper(FieldMapping::defaultMapping(), context());
    const MappedProspect base = mapper.map(realisticContact(), realisticChildren());
    ContactChildren ch = realisticChildren();
    ch.tasks[0].title = u8("Call back tomorrow");
    MappedProspect p = mapper.map(realisticContact(), ch);
    QVERIFY(p.tasks.at(0).hash != base.tasks.at(0).hash);
    QCOMPARE(p.tasks.at(1).hash, base.tasks.at(1).hash);
    QCOMPARE(p.notes.at(0).hash, base.notes.at(0).hash);
    QCOMPARE(p.hash, base.hash);

    ch = realisticChildren();
    ch.tasks[1].completed = false;
    p = mapper.map(realisticContact(), ch);
    QVERIFY(p.tasks.at(1).hash != base.tasks.at(1).hash);
    QCOMPARE(p.tasks.at(0).hash, base.tasks.at(0).hash);

    ch = realisticChildren();
    ch.notes[0].body += u8(" Call after 3pm.");
    p = mapper.map(realisticContact(), ch);
    QVERIFY(p.notes.at(0).hash != base.notes.at(0).hash);
    QCOMPARE(p.tasks.at(0).hash, base.tasks.at(0).hash);
    QCOMPARE(p.hash, base.hash);
}

void TestMapping::validateReportsMappingProblems()
{
    using S = MappingProblem::Severity;
    const FieldMapping base = FieldMapping::defaultMapping();

    FieldMapping noEmail = base;
    QList<MappingRule> rules = noEmail.rules(RecordKind::Contact);
    rules.removeAt(2);
    noEmail.setRules(RecordKind::Contact, rules);
    QList<MappingProblem> problems = Mapper::validate(noEmail, accountFields(), definitions());
    QCOMPARE(problems.size(), 1);
    QCOMPARE(problems.at(0).toString(), u8("no contact rule writes Saleshandy's Email, the key that "
                                           "identifies a prospect: add one (email → Email)"));

    auto check = [&](const char *what, RecordKind kind, const MappingRule &r, S severity,
                     const QString &message) {
        FieldMapping m = base;
        m.addRule(kind, r);
        const QList<MappingProblem> found = Mapper::validate(m, accountFields(), definitions());
        const bool ok = std::any_of(found.cbegin(), found.cend(), [&](const MappingProblem &p) {
            return p.severity == severity && p.kind == kind && p.rule == m.rules(kind).size() - 1 &&
                   p.message == message;
        });
        QVERIFY2(ok, qPrintable(QString::fromLatin1(what) + u8(":\n") + dump(found)));
    };
    check("unknown label", RecordKind::Contact, rule(u8("state"), u8("first name")), S::Error,
          u8("Saleshandy has no field 'first name' and the mapping does not create it (did you mean 'First "
             "Name'?)"));
    check("unknown source", RecordKind::Contact, rule(u8("frstName"), u8("Job Title")), S::Error,
          u8("unknown GHL contact field 'frstName'"));
    check("source in the wrong case", RecordKind::Contact, rule(u8("FirstName"), u8("Job Title")), S::Error,
          u8("unknown GHL contact field 'FirstName' (did you mean 'firstName'?)"));
    check("appointment value in a contact rule", RecordKind::Contact,
          rule(u8("appointments.next"), u8("Birthday")), S::Error,
          u8("unknown GHL contact field 'appointments.next' (appointment values belong in the appointment "
             "rules)"));
    check("unknown custom field", RecordKind::Contact, rule(u8("custom:nope"), u8("Notes")), S::Error,
          u8("the location has no custom field with id 'nope'"));
    check("unknown custom key", RecordKind::Contact, rule(u8("custom.nope"), u8("Notes")), S::Error,
          u8("the location has no custom field with key 'nope'"));
    check("large text into a number", RecordKind::Contact, rule(u8("custom:cf_notes"), u8("Score")), S::Error,
          u8("GHL LARGE_TEXT value 'custom:cf_notes' cannot go into Saleshandy number field 'Score'"));
    check("multi-select into a dropdown", RecordKind::Contact, rule(u8("custom:cf_interests"), u8("Stage")),
          S::Error,
          u8("GHL list value 'custom:cf_interests' cannot go into Saleshandy dropdown field 'Stage'"));
    check("tags into a date", RecordKind::Contact, rule(u8("tags"), u8("Birthday")), S::Error,
          u8("GHL list value 'tags' cannot go into Saleshandy date field 'Birthday'"));
    check("text into a number", RecordKind::Contact, rule(u8("postalCode"), u8("Score")), S::Warning,
          u8("GHL TEXT 'postalCode' into Saleshandy number field 'Score': values that are not numbers will "
             "be reported per record"));
    check("formatted date into a date field", RecordKind::Contact,
          rule(u8("dateAdded"), u8("Birthday"), {Transform::date(u8("dd.MM.yyyy"))}), S::Warning,
          u8("Saleshandy date field 'Birthday' gets dates formatted as 'dd.MM.yyyy'; it expects yyyy-MM-dd"));
    check("duplicate target", RecordKind::Contact, rule(u8("name"), u8("First Name")), S::Error,
          u8("writes Saleshandy field 'First Name', which contact rule 1 already writes"));
    check("duplicate across kinds", RecordKind::Appointment,
          rule(u8("appointments.last"), u8("GHL Contact ID")), S::Error,
          u8("writes Saleshandy field 'GHL Contact ID', which contact rule 8 already writes"));
    check("no source", RecordKind::Contact, rule({}, u8("Job Title")), S::Error,
          u8("the rule has no source (name a GHL field, or give a constant or a default)"));
    check("no target", RecordKind::Contact, rule(u8("state"), {}), S::Error, u8("the rule has no target"));
    check("bad transform parameter", RecordKind::Contact,
          rule(u8("state"), u8("Job Title"), {Transform::truncate(0)}), S::Error,
          u8("transform 1 (truncate): max: must be at least 1"));
    check("task target that does not exist", RecordKind::Task, rule(u8("title"), u8("title")), S::Error,
          u8("a task rule cannot write 'title' (it can write: taskNote, dueDate, taskType, priority, "
             "completed)"));
    check("second taskNote", RecordKind::Task, rule(u8("body"), u8("taskNote")), S::Error,
          u8("writes 'taskNote', which rule 1 already writes"));
    check("note field on a task", RecordKind::Task, rule(u8("userId"), u8("priority")), S::Error,
          u8("unknown GHL task field 'userId'"));
    check("Email from an appointment", RecordKind::Appointment, rule(u8("appointments.summary"), u8("Email")),
          S::Error, u8("only contact rules can write Email"));

    FieldMapping badType = base;
    QList<MappingRule> taskRules = badType.rules(RecordKind::Task);
    taskRules[1].transforms = {Transform::constant(u8("99"))};
    badType.setRules(RecordKind::Task, taskRules);
    QVERIFY(hasProblem(Mapper::validate(badType, accountFields()), S::Error,
                       u8("'99' is not a Saleshandy task type (e.g. \"9\" Custom, \"13\" Call follow-up)")));

    FieldMapping noContent = base;
    noContent.setRules(RecordKind::Note, {rule(u8("body"), u8("content"))});
    noContent.setRules(RecordKind::Note, {});
    QVERIFY(Mapper::validate(noContent, accountFields()).isEmpty()); // no note rules: notes are not synced
    FieldMapping zone = base;
    zone.setTimeZone(u8("Atlantis/Capital"));
    QVERIFY(hasProblem(Mapper::validate(zone, accountFields()), S::Error,
                       u8("unknown time zone 'Atlantis/Capital'")));

    // The account has one of the required fields with another type.
    QList<TargetField> clash = accountFields();
    for (TargetField &f : clash)
        if (f.label == u8("GHL Next Appointment"))
            f.type = TargetFieldType::Text;
    QVERIFY(
        hasProblem(Mapper::validate(base, clash), S::Warning,
                   u8("Saleshandy field 'GHL Next Appointment' is a text field; the mapping expects date")));

    // Unknown label when the account's fields are not known: a warning, not an error.
    FieldMapping custom = base;
    custom.addRule(RecordKind::Contact, rule(u8("state"), u8("State")));
    QVERIFY(hasProblem(Mapper::validate(custom, {}), S::Warning,
                       u8("'State' is not a Saleshandy system field and the mapping does not create it; make "
                          "sure the account has it")));
    // Custom field by key without the location's definitions cannot be resolved.
    custom.addRule(RecordKind::Contact, rule(u8("custom.score"), u8("Job Title")));
    QVERIFY(hasProblem(Mapper::validate(custom, {}), S::Error,
                       u8("cannot check 'custom.score': the location's custom fields are not known")));
}

void TestMapping::mapperWithErrorsIsNotUsableButStillMaps()
{
    FieldMapping m = FieldMapping::defaultMapping();
    QList<MappingRule> rules = m.rules(RecordKind::Contact);
    rules.removeAt(2);
    rules.append(rule(u8("nonsense"), u8("Job Title")));
    m.setRules(RecordKind::Contact, rules);
    const Mapper mapper(m, context());
    QVERIFY(!mapper.isUsable());
    QCOMPARE(mapper.problems().size(), 2);
    const MappedProspect p = mapper.map(realisticContact(), realisticChildren());
    QVERIFY(!p.valid);
    QCOMPARE(p.invalidReason, u8("no email"));
    QCOMPARE(p.fields.value(u8("First Name")), u8("Zoë"));
    QVERIFY(!p.fields.contains(u8("Job Title")));
}

QTEST_GUILESS_MAIN(TestMapping)
#include "tst_mapping.moc"
