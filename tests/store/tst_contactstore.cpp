// The local store, on SQLite and on PostgreSQL: every test runs once per backend (global data rows).
// PostgreSQL needs LEADBRIDGE_TEST_PG_URL (scripts/start-postgres.sh prints it); each test gets a
// schema of its own, dropped afterwards, so runs never see each other's rows.

#include "domain/Json.h"
#include "store/ContactStore.h"
#include "store/Database.h"

#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <algorithm>
#include <tuple>

using namespace lb;

namespace {

const QString Location = QStringLiteral("loc-1");

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

Contact plainContact(const QString &id, const QString &first = {}, const QString &last = {})
{
    Contact c;
    c.id = id;
    c.locationId = Location;
    c.firstName = first;
    c.lastName = last;
    c.email = id + QStringLiteral("@example.com");
    c.dateAdded = at(1'700'000'000'000);
    c.dateUpdated = at(1'700'000'000'123);
    return c;
}

Task task(const QString &id, const QString &contactId, qint64 dueMs)
{
    Task t;
    t.id = id;
    t.contactId = contactId;
    t.title = QStringLiteral("Call back ") + id;
    t.body = QStringLiteral("Line 1\nLine 2 «ünïcødé»");
    t.assignedTo = QStringLiteral("user-1");
    t.dueDate = at(dueMs);
    t.completed = dueMs % 2 == 0;
    return t;
}

Note note(const QString &id, const QString &contactId, qint64 addedMs)
{
    Note n;
    n.id = id;
    n.contactId = contactId;
    n.body = QStringLiteral("<p>Note \"%1\" with 'quotes'</p>").arg(id);
    n.userId = QStringLiteral("user-2");
    n.dateAdded = at(addedMs);
    return n;
}

Appointment appointment(const QString &id, const QString &contactId, qint64 startMs)
{
    Appointment a;
    a.id = id;
    a.contactId = contactId;
    a.calendarId = QStringLiteral("cal-1");
    a.title = QStringLiteral("Demo");
    a.status = QStringLiteral("booked");
    a.appointmentStatus = QStringLiteral("confirmed");
    a.address = QStringLiteral("https://meet.example.com/x");
    a.notes = QStringLiteral("Bring slides");
    a.assignedUserId = QStringLiteral("user-3");
    a.startTime = at(startMs);
    a.endTime = at(startMs + 1'800'000);
    a.dateAdded = at(startMs - 86'400'000);
    a.dateUpdated = at(startMs - 3'600'000);
    return a;
}

/// Named arguments for ContactQuery, whatever fields it grows.
ContactQuery query(const QString &locationId, const QString &search = {}, int limit = 0, int offset = 0)
{
    ContactQuery q;
    q.locationId = locationId;
    q.search = search;
    q.limit = limit;
    q.offset = offset;
    return q;
}

} // namespace

class TestContactStore final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void migratesAnEmptyDatabaseToTheLatestSchema();
    void refusesADatabaseWrittenByANewerLeadBridge();
    void roundTripsAwkwardContacts();
    void replacesChildrenAndAcceptsContactsOfTheSameBatch();
    void failedBatchLeavesTheStoreUnchanged();
    void batchFailingMidwayWritesNothing();
    void savesAndLoadsThePullCursor();
    void deletesContactsNotSeenByAFullPull();
    void searchMatchesNameEmailPhoneCompanyAndTagIgnoringCase();
    void pagesInNameOrder();
    void sortsByEveryColumnBothWays();
    void reportsStoredDateUpdatedForThousandsOfIds();
    void replacesCustomFieldDefinitions();
    void writesAndRemovesSingleRecords();
    void errorsNeverShowThePassword();
    void removesItsConnectionWhenDestroyed();

private:
    /// A spec for a fresh, empty database of the current backend.
    QString freshSpec();
    void openStore();
    void writeOrFail(const PullBatch &batch);

    QTemporaryDir m_dir;
    QString m_pgUrl;
    QString m_backend;
    QString m_spec;
    QString m_schema;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ContactStore> m_store;
};

void TestContactStore::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

void TestContactStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_pgUrl = qEnvironmentVariable("LEADBRIDGE_TEST_PG_URL");
}

QString TestContactStore::freshSpec()
{
    static int serial = 0;
    ++serial;
    if (m_backend == QLatin1String("sqlite"))
        return m_dir.filePath(QStringLiteral("store-%1/leadbridge.sqlite").arg(serial));
    m_schema = QStringLiteral("lbtest_%1_%2_%3")
                   .arg(QCoreApplication::applicationPid())
                   .arg(serial)
                   .arg(QRandomGenerator::global()->bounded(1'000'000));
    return m_pgUrl + (m_pgUrl.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) +
           QStringLiteral("schema=") + m_schema;
}

void TestContactStore::init()
{
    QFETCH_GLOBAL(QString, backend);
    m_backend = backend;
    if (backend == QLatin1String("postgresql") && m_pgUrl.isEmpty())
        QSKIP("LEADBRIDGE_TEST_PG_URL is not set: run scripts/start-postgres.sh and export the URL it prints "
              "to run these tests on PostgreSQL too.");
    // On SQLite every case must run the native batch writes, not the slower Qt fallback.
    if (backend == QLatin1String("sqlite"))
        QTest::failOnWarning(QRegularExpression(QStringLiteral("go through Qt Sql")));
    m_spec = freshSpec();
    openStore();
}

void TestContactStore::openStore()
{
    QString error;
    m_db = Database::open(m_spec, &error);
    QVERIFY2(m_db, qPrintable(error));
    m_store = std::make_unique<ContactStore>(*m_db);
}

void TestContactStore::cleanup()
{
    m_store.reset();
    if (m_db && !m_schema.isEmpty()) {
        QSqlQuery q(m_db->connection());
        QVERIFY2(q.exec(QStringLiteral("DROP SCHEMA \"%1\" CASCADE").arg(m_schema)),
                 qPrintable(q.lastError().text()));
    }
    m_db.reset();
    m_schema.clear();
}

void TestContactStore::writeOrFail(const PullBatch &batch)
{
    QVERIFY2(m_store->writePullBatch(batch), qPrintable(m_store->error()));
    QVERIFY(m_store->error().isEmpty());
}

void TestContactStore::migratesAnEmptyDatabaseToTheLatestSchema()
{
    QCOMPARE(m_db->schemaVersion(), Database::latestSchemaVersion());
    QVERIFY(Database::latestSchemaVersion() >= 1);
    for (const char *table : {"contacts", "contact_custom_values", "custom_fields", "tasks", "notes",
                              "appointments", "pull_cursors", "schema_version"}) {
        QSqlQuery q(m_db->connection());
        QVERIFY2(q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))), table);
    }
    QVERIFY(!m_db->description().isEmpty());
    QCOMPARE(m_db->kind(),
             m_backend == QLatin1String("sqlite") ? Database::Kind::SQLite : Database::Kind::PostgreSQL);

    // Opening again finds the latest version and changes nothing.
    writeOrFail({Location, {plainContact(QStringLiteral("c1"))}, {}, std::nullopt, {}});
    QString error;
    auto again = Database::open(m_spec, &error);
    QVERIFY2(again, qPrintable(error));
    QCOMPARE(again->schemaVersion(), Database::latestSchemaVersion());
    QCOMPARE(ContactStore(*again).countContacts(query(Location)), 1);
}

void TestContactStore::refusesADatabaseWrittenByANewerLeadBridge()
{
    writeOrFail({Location, {plainContact(QStringLiteral("c1"))}, {}, std::nullopt, {}});
    const int newer = Database::latestSchemaVersion() + 6;
    {
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec(QStringLiteral("UPDATE schema_version SET version = %1 WHERE id = 1").arg(newer)));
    }

    QString error;
    auto refused = Database::open(m_spec, &error);
    QVERIFY(!refused);
    QVERIFY2(error.contains(QString::number(newer)), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("schema version %1").arg(Database::latestSchemaVersion())),
             qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("Update LeadBridge")), qPrintable(error));

    // Nothing was altered: the version is still the newer one and the data is there.
    QCOMPARE(m_db->schemaVersion(), newer);
    QCOMPARE(m_store->countContacts(query(Location)), 1);
    QVERIFY(m_store->contact(QStringLiteral("c1")).has_value());
}

void TestContactStore::roundTripsAwkwardContacts()
{
    const QString huge = QString(1024 * 1024, QLatin1Char('x')) + QStringLiteral("…end");
    Contact a = plainContact(QStringLiteral("awkward-1"), QStringLiteral("Zoë 🦊"),
                             QStringLiteral("O'Brien \"Bob\""));
    a.name = QStringLiteral("مرحبا بالعالم"); // RTL
    a.companyName = QStringLiteral("株式会社テスト 100% _under_ \\back\\slash");
    a.phone = QStringLiteral("+1 (555) 010-9999");
    a.address1 = QStringLiteral("Line with\ttab and\nnewline and \x01 control");
    a.city = QStringLiteral("Zürich");
    a.state = QStringLiteral("ZH");
    a.postalCode = QStringLiteral("8001");
    a.country = QStringLiteral("CH");
    a.website = QStringLiteral("https://example.com/?q=a&b='c'");
    a.timezone = QStringLiteral("Europe/Zurich");
    a.source = QStringLiteral("form; DROP TABLE contacts; --");
    a.type = QStringLiteral("lead");
    a.assignedTo = QStringLiteral("user-9");
    a.businessId = QStringLiteral("biz-1");
    a.dateOfBirth = QStringLiteral("1990-02-28");
    a.dnd = true;
    a.tags = {QStringLiteral("vip"),     QStringLiteral("中文标签"),  QStringLiteral("with,comma"), QString(),
              QStringLiteral("emoji 🎉"), QStringLiteral("quote\"tag")};
    a.dateAdded = at(1'600'000'000'001);
    a.dateUpdated = at(1'700'000'000'999);
    a.customFields = {
        {QStringLiteral("f-string"),
         QJsonValue(QStringLiteral("text with \"quotes\" and \\ and \u0000 nul-free"))},
        {QStringLiteral("f-int"), QJsonValue(42)},
        {QStringLiteral("f-negative-double"), QJsonValue(-1234.5678e-3)},
        {QStringLiteral("f-big"), QJsonValue(qint64(9007199254740991))},
        {QStringLiteral("f-true"), QJsonValue(true)},
        {QStringLiteral("f-false"), QJsonValue(false)},
        {QStringLiteral("f-null"), QJsonValue(QJsonValue::Null)},
        {QStringLiteral("f-undefined"), QJsonValue(QJsonValue::Undefined)},
        {QStringLiteral("f-array"),
         QJsonArray{1, QStringLiteral("two"), QJsonArray{3}, QJsonObject{{"four", 4}}}},
        {QStringLiteral("f-object"),
         QJsonObject{{QStringLiteral("nested"), QJsonObject{{QStringLiteral("ok"), true}}},
                     {QStringLiteral("ключ"), QStringLiteral("значение")}}},
        {QStringLiteral("f-empty-string"), QJsonValue(QString())},
        {QStringLiteral("f-huge"), QJsonValue(huge)},
        {QStringLiteral("f-emoji"), QJsonValue(QStringLiteral("👩‍👩‍👧‍👦 𝄞 ﷽"))},
    };
    // The NUL in f-string survives on PostgreSQL too, whose text cannot hold one, because values are stored
    // as JSON.
    Contact b = plainContact(QStringLiteral("awkward-2"));
    b.locationId.clear(); // takes the batch's location
    b.dateAdded = QDateTime();
    b.dateUpdated = QDateTime();

    ContactChildren children{a.id,
                             {task(QStringLiteral("t1"), a.id, 1'700'000'100'000),
                              task(QStringLiteral("t2"), a.id, 1'700'000'200'001)},
                             {note(QStringLiteral("n2"), a.id, 1'700'000'300'000),
                              note(QStringLiteral("n1"), a.id, 1'700'000'100'000)},
                             {appointment(QStringLiteral("ap1"), a.id, 1'700'001'000'000)}};
    children.notes[0].title = huge;
    writeOrFail({Location, {a, b}, {children}, std::nullopt, {}});

    const std::optional<Contact> readA = m_store->contact(a.id);
    QVERIFY2(readA, qPrintable(m_store->error()));
    QCOMPARE(readA->customFields.size(), a.customFields.size());
    for (int i = 0; i < a.customFields.size(); ++i)
        QVERIFY2(readA->customFields.at(i) == a.customFields.at(i), qPrintable(a.customFields.at(i).fieldId));
    QCOMPARE(readA->tags, a.tags);
    QVERIFY(*readA == a);

    Contact expectedB = b;
    expectedB.locationId = Location;
    QVERIFY(m_store->contact(b.id) == expectedB);

    const QList<Contact> listed = m_store->contacts(query(Location, {}, 10, 0));
    QCOMPARE(listed.size(), 2);
    QVERIFY(std::find(listed.begin(), listed.end(), a) != listed.end());

    QCOMPARE(m_store->tasks(a.id), children.tasks);
    QCOMPARE(m_store->notes(a.id), children.notes); // newest first
    QCOMPARE(m_store->appointments(a.id), children.appointments);
    QVERIFY(!m_store->contact(QStringLiteral("nobody")).has_value());
    QVERIFY(m_store->error().isEmpty());
}

void TestContactStore::replacesChildrenAndAcceptsContactsOfTheSameBatch()
{
    const QString id = QStringLiteral("c1");
    Contact c = plainContact(id, QStringLiteral("Ada"), QStringLiteral("Lovelace"));
    c.customFields = {{QStringLiteral("f1"), QJsonValue(1)}, {QStringLiteral("f2"), QJsonValue(2)}};
    writeOrFail({Location,
                 {c},
                 {{id,
                   {task(QStringLiteral("t1"), id, 1000), task(QStringLiteral("t2"), id, 2000)},
                   {note(QStringLiteral("n1"), id, 1000)},
                   {appointment(QStringLiteral("a1"), id, 5000)}}},
                 std::nullopt,
                 {}});
    QCOMPARE(m_store->tasks(id).size(), 2);

    // GHL now has one task, no note, no appointment, and one custom field: the store follows.
    c.customFields = {{QStringLiteral("f2"), QJsonValue(QStringLiteral("two"))}};
    writeOrFail({Location, {c}, {{id, {task(QStringLiteral("t2"), id, 2000)}, {}, {}}}, std::nullopt, {}});
    QCOMPARE(m_store->tasks(id), QList<Task>{task(QStringLiteral("t2"), id, 2000)});
    QVERIFY(m_store->notes(id).isEmpty());
    QVERIFY(m_store->appointments(id).isEmpty());
    QVERIFY(m_store->contact(id) == c);

    // Children only: the contact's own row and values stay as they are.
    writeOrFail({Location, {}, {{id, {}, {note(QStringLiteral("n9"), id, 9)}, {}}}, std::nullopt, {}});
    QVERIFY(m_store->tasks(id).isEmpty());
    QCOMPARE(m_store->notes(id).size(), 1);
    QVERIFY(m_store->contact(id) == c);

    // The same contact twice in one page (GHL paging overlaps): the later copy wins.
    Contact newer = c;
    newer.firstName = QStringLiteral("Augusta");
    newer.customFields = {{QStringLiteral("f3"), QJsonValue(3)}};
    writeOrFail({Location, {c, newer}, {}, std::nullopt, {}});
    QVERIFY(m_store->contact(id) == newer);

    // The same field twice in one contact: the later value wins, in its place.
    Contact repeated = newer;
    repeated.customFields = {{QStringLiteral("f1"), QJsonValue(1)},
                             {QStringLiteral("f2"), QJsonValue(2)},
                             {QStringLiteral("f1"), QJsonValue(QStringLiteral("later"))}};
    writeOrFail({Location, {repeated}, {}, std::nullopt, {}});
    const std::optional<Contact> read = m_store->contact(id);
    QVERIFY(read);
    QCOMPARE(read->customFields,
             (QList<CustomFieldValue>{{QStringLiteral("f2"), QJsonValue(2)},
                                      {QStringLiteral("f1"), QJsonValue(QStringLiteral("later"))}}));
}

void TestContactStore::failedBatchLeavesTheStoreUnchanged()
{
    Contact kept = plainContact(QStringLiteral("kept"), QStringLiteral("Kept"), QStringLiteral("Before"));
    kept.customFields = {{QStringLiteral("f"), QJsonValue(QStringLiteral("old"))}};
    PullCursor cursor{Location, 1000, {}, {}, 1};
    writeOrFail(
        {Location, {kept}, {{kept.id, {task(QStringLiteral("t-kept"), kept.id, 1)}, {}, {}}}, cursor, {}});

    Contact changed = kept;
    changed.lastName = QStringLiteral("After");
    changed.customFields = {{QStringLiteral("f"), QJsonValue(QStringLiteral("new"))}};
    QList<Contact> contacts{changed};
    for (int i = 0; i < 20; ++i)
        contacts << plainContact(QStringLiteral("new-%1").arg(i));
    PullCursor advanced{Location, 999'999, QStringLiteral("full-x"), QJsonArray{1, QStringLiteral("a")}, 2};
    // The last child belongs to a contact that is in neither the store nor the batch: the foreign
    // key fails after everything else was written, and all of it must be undone.
    PullBatch bad{
        Location,
        contacts,
        {{kept.id, {}, {}, {}},
         {QStringLiteral("new-0"), {task(QStringLiteral("t-new"), QStringLiteral("new-0"), 5)}, {}, {}},
         {QStringLiteral("ghost"), {task(QStringLiteral("t-ghost"), QStringLiteral("ghost"), 5)}, {}, {}}},
        advanced,
        QStringLiteral("full-x")};
    QVERIFY(!m_store->writePullBatch(bad));
    QVERIFY(!m_store->error().isEmpty());
    QVERIFY2(m_store->error().contains(QLatin1String("ghost")), qPrintable(m_store->error()));

    QCOMPARE(m_store->countContacts(query(Location)), 1);
    QVERIFY(m_store->contact(kept.id) == kept);
    QCOMPARE(m_store->tasks(kept.id).size(), 1);
    QVERIFY(m_store->tasks(QStringLiteral("new-0")).isEmpty());
    const auto stored = m_store->pullCursor(Location);
    QVERIFY(stored);
    QCOMPARE(stored->updatedUpToMs, 1000);
    QVERIFY(stored->fullPullId.isEmpty());

    // The store still works after the rollback.
    writeOrFail({Location, contacts, {}, advanced, {}});
    QCOMPARE(m_store->countContacts(query(Location)), 21);
}

void TestContactStore::batchFailingMidwayWritesNothing()
{
    // 300 contacts with custom values, children and a cursor; then batches that fail in the middle of
    // their contacts, or in the middle of one contact's custom values, must leave all of it as it was.
    QList<Contact> before;
    for (int i = 0; i < 300; ++i) {
        Contact c = plainContact(QStringLiteral("c%1").arg(i, 3, 10, QLatin1Char('0')),
                                 QStringLiteral("First"), QStringLiteral("Before"));
        c.customFields = {{QStringLiteral("f1"), QJsonValue(i)},
                          {QStringLiteral("f2"), QJsonValue(QStringLiteral("old"))}};
        before << c;
    }
    const QString first = before.constFirst().id;
    writeOrFail({Location,
                 before,
                 {{first, {task(QStringLiteral("t-old"), first, 1)}, {}, {}}},
                 PullCursor{Location, 1000, {}, {}, 1},
                 {}});

    // A trigger stands for any failure of the database in the middle of a batch (disk full, I/O error).
    const bool sqlite = m_backend == QLatin1String("sqlite");
    const QStringList poison =
        sqlite
            ? QStringList{QStringLiteral(
                              "CREATE TRIGGER poison_contact BEFORE INSERT ON contacts "
                              "WHEN NEW.id = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END"),
                          QStringLiteral("CREATE TRIGGER poison_value BEFORE INSERT ON contact_custom_values "
                                         "WHEN NEW.value_json = '\"poison\"' "
                                         "BEGIN SELECT RAISE(ABORT, 'poisoned row'); END")}
            : QStringList{
                  QStringLiteral("CREATE FUNCTION lb_poison() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN "
                                 "IF TG_TABLE_NAME = 'contacts' THEN "
                                 "IF NEW.id = 'poison' THEN RAISE EXCEPTION 'poisoned row'; END IF; "
                                 "ELSIF NEW.value_json = '\"poison\"' THEN "
                                 "RAISE EXCEPTION 'poisoned row'; END IF; RETURN NEW; END$$"),
                  QStringLiteral("CREATE TRIGGER poison_contact BEFORE INSERT ON contacts "
                                 "FOR EACH ROW EXECUTE FUNCTION lb_poison()"),
                  QStringLiteral("CREATE TRIGGER poison_value BEFORE INSERT ON contact_custom_values "
                                 "FOR EACH ROW EXECUTE FUNCTION lb_poison()")};
    for (const QString &sql : poison) {
        QSqlQuery q(m_db->connection());
        QVERIFY2(q.exec(sql), qPrintable(q.lastError().text()));
    }

    QList<Contact> after;
    for (const Contact &c : before) {
        Contact changed = c;
        changed.lastName = QStringLiteral("After");
        changed.customFields = {{QStringLiteral("f3"), QJsonValue(QStringLiteral("new"))}};
        after << changed;
    }
    for (int i = 0; i < 100; ++i)
        after << plainContact(QStringLiteral("new-%1").arg(i));
    const PullCursor advanced{Location, 999'999, QStringLiteral("full-x"), QJsonArray{1}, 2};
    const QList<ContactChildren> children{{first, {task(QStringLiteral("t-new"), first, 2)}, {}, {}}};

    auto checkUnchanged = [&] {
        QCOMPARE(m_store->countContacts(query(Location)), before.size());
        QCOMPARE(m_store->contacts(query(Location)), before);
        QCOMPARE(m_store->countContacts(query(Location, QStringLiteral("after"))), 0);
        QCOMPARE(m_store->tasks(first), QList<Task>{task(QStringLiteral("t-old"), first, 1)});
        const auto cursor = m_store->pullCursor(Location);
        QVERIFY(cursor);
        QCOMPARE(cursor->updatedUpToMs, 1000);
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM contacts WHERE last_seen_pull IS NOT NULL")));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    };

    // Fails on a contact two thirds into the batch.
    QList<Contact> poisonedContact = after;
    poisonedContact.insert(250, plainContact(QStringLiteral("poison")));
    QVERIFY(
        !m_store->writePullBatch({Location, poisonedContact, children, advanced, QStringLiteral("full-x")}));
    QVERIFY2(m_store->error().contains(QLatin1String("poison")), qPrintable(m_store->error()));
    QVERIFY2(m_store->error().contains(QLatin1String("poisoned row")), qPrintable(m_store->error()));
    checkUnchanged();

    // Fails between two custom values of one contact.
    QList<Contact> poisonedValue = after;
    poisonedValue[150].customFields = {{QStringLiteral("f1"), QJsonValue(1)},
                                       {QStringLiteral("f2"), QJsonValue(QStringLiteral("poison"))},
                                       {QStringLiteral("f3"), QJsonValue(3)}};
    QVERIFY(
        !m_store->writePullBatch({Location, poisonedValue, children, advanced, QStringLiteral("full-x")}));
    QVERIFY2(m_store->error().contains(QLatin1String("poisoned row")), qPrintable(m_store->error()));
    // PostgreSQL inserts values 64 rows per statement, whose error names the first contact of the chunk.
    if (sqlite)
        QVERIFY2(m_store->error().contains(after.at(150).id), qPrintable(m_store->error()));
    checkUnchanged();

    // The same connection then writes the batch without the poison, all of it.
    writeOrFail({Location, after, children, advanced, QStringLiteral("full-x")});
    QCOMPARE(m_store->countContacts(query(Location)), after.size());
    QCOMPARE(m_store->countContacts(query(Location, QStringLiteral("after"))), before.size());
    QVERIFY(m_store->contact(first) == after.constFirst());
    QCOMPARE(m_store->tasks(first), QList<Task>{task(QStringLiteral("t-new"), first, 2)});
    QCOMPARE(m_store->pullCursor(Location)->updatedUpToMs, 999'999);
}

void TestContactStore::savesAndLoadsThePullCursor()
{
    QVERIFY(!m_store->pullCursor(Location).has_value());
    QVERIFY(m_store->error().isEmpty());

    PullCursor c{Location, 1'700'000'000'000, QStringLiteral("full-7"),
                 QJsonArray{1'700'000'000'000LL, QStringLiteral("contact-id"), 0.5, QJsonValue::Null},
                 1'700'000'500'000};
    QVERIFY2(m_store->savePullCursor(c), qPrintable(m_store->error()));
    auto read = m_store->pullCursor(Location);
    QVERIFY(read);
    QCOMPARE(read->locationId, c.locationId);
    QCOMPARE(read->updatedUpToMs, c.updatedUpToMs);
    QCOMPARE(read->fullPullId, c.fullPullId);
    QCOMPARE(read->fullSearchAfter, c.fullSearchAfter);
    QCOMPARE(read->lastPullFinishedMs, c.lastPullFinishedMs);

    // A batch's cursor replaces it; the full pull finished, so its id and position are cleared.
    PullCursor done{{}, 1'700'000'900'000, {}, {}, 1'700'000'999'000};
    writeOrFail({Location, {plainContact(QStringLiteral("c1"))}, {}, done, {}});
    read = m_store->pullCursor(Location);
    QVERIFY(read);
    QCOMPARE(read->locationId, Location);
    QCOMPARE(read->updatedUpToMs, done.updatedUpToMs);
    QVERIFY(read->fullPullId.isEmpty());
    QVERIFY(read->fullSearchAfter.isEmpty());
    QCOMPARE(read->lastPullFinishedMs, done.lastPullFinishedMs);
    QVERIFY(!m_store->pullCursor(QStringLiteral("other")).has_value());
}

void TestContactStore::deletesContactsNotSeenByAFullPull()
{
    QList<Contact> all;
    for (int i = 0; i < 10; ++i)
        all << plainContact(QStringLiteral("c%1").arg(i));
    Contact elsewhere = plainContact(QStringLiteral("other-loc"));
    elsewhere.locationId = QStringLiteral("loc-2");
    writeOrFail({Location,
                 all,
                 {{QStringLiteral("c9"), {task(QStringLiteral("t9"), QStringLiteral("c9"), 1)}, {}, {}}},
                 std::nullopt,
                 {}});
    writeOrFail({QStringLiteral("loc-2"), {elsewhere}, {}, std::nullopt, {}});

    // The full pull sees c0..c5 over two pages; an incremental write in between must not unmark c0.
    writeOrFail({Location, all.mid(0, 3), {}, std::nullopt, QStringLiteral("full-1")});
    writeOrFail({Location, {all.at(0)}, {}, std::nullopt, {}});
    writeOrFail({Location, all.mid(3, 3), {}, std::nullopt, QStringLiteral("full-1")});

    QCOMPARE(m_store->deleteContactsNotSeenBy(Location, QStringLiteral("full-1")), 4);
    QCOMPARE(m_store->countContacts(query(Location)), 6);
    QVERIFY(m_store->contact(QStringLiteral("c0")).has_value());
    QVERIFY(!m_store->contact(QStringLiteral("c9")).has_value());
    QVERIFY(m_store->tasks(QStringLiteral("c9")).isEmpty()); // cascaded
    QVERIFY(m_store->contact(QStringLiteral("other-loc")).has_value());
    QCOMPARE(m_store->deleteContactsNotSeenBy(Location, QStringLiteral("full-1")), 0);

    // A later full pull that sees nobody old removes the rest.
    QCOMPARE(m_store->deleteContactsNotSeenBy(Location, QStringLiteral("full-2")), 6);
    QCOMPARE(m_store->deleteContactsNotSeenBy(Location, QString()), -1);
    QVERIFY(!m_store->error().isEmpty());
}

void TestContactStore::searchMatchesNameEmailPhoneCompanyAndTagIgnoringCase()
{
    Contact ada = plainContact(QStringLiteral("ada"), QStringLiteral("Ada"), QStringLiteral("Lovelace"));
    ada.email = QStringLiteral("ADA@Analytical.Engine");
    ada.phone = QStringLiteral("+44 (20) 7946-0018");
    ada.companyName = QStringLiteral("Babbage & Co");
    ada.tags = {QStringLiteral("Mathematician"), QStringLiteral("VIP")};
    Contact zoe = plainContact(QStringLiteral("zoe"), QStringLiteral("Zoë"), QStringLiteral("Ñúñez"));
    zoe.email = QStringLiteral("zoe@example.org");
    zoe.companyName = QStringLiteral("100%_Pure");
    Contact named = plainContact(QStringLiteral("named"));
    named.name = QStringLiteral("Grace Hopper");
    named.email = QStringLiteral("g@navy.mil");
    named.tags = {QStringLiteral("admiral")};
    writeOrFail({Location, {ada, zoe, named}, {}, std::nullopt, {}});

    auto ids = [this](const QString &search) {
        QStringList out;
        for (const Contact &c : m_store->contacts(query(Location, search, 100, 0)))
            out << c.id;
        std::sort(out.begin(), out.end());
        return out;
    };
    QCOMPARE(ids(QStringLiteral("lovelace")), QStringList{QStringLiteral("ada")});
    QCOMPARE(ids(QStringLiteral("ADA LOVE")), QStringList{QStringLiteral("ada")}); // first + last as typed
    QCOMPARE(ids(QStringLiteral("analytical.eng")), QStringList{QStringLiteral("ada")}); // email
    QCOMPARE(ids(QStringLiteral("7946-00")), QStringList{QStringLiteral("ada")});        // phone as stored
    QCOMPARE(ids(QStringLiteral("2079460018")), QStringList{QStringLiteral("ada")});     // phone as digits
    QCOMPARE(ids(QStringLiteral("BABBAGE")), QStringList{QStringLiteral("ada")});        // company
    QCOMPARE(ids(QStringLiteral("vip")), QStringList{QStringLiteral("ada")});            // tag
    QCOMPARE(ids(QStringLiteral("ADMIRAL")), QStringList{QStringLiteral("named")});
    QCOMPARE(ids(QStringLiteral("grace hop")), QStringList{QStringLiteral("named")}); // GHL's full name
    QCOMPARE(ids(QStringLiteral("ZOË")), QStringList{QStringLiteral("zoe")}); // non-ASCII case folding
    QCOMPARE(ids(QStringLiteral("ñúñ")), QStringList{QStringLiteral("zoe")});
    QCOMPARE(ids(QStringLiteral("100%_")), QStringList{QStringLiteral("zoe")}); // wildcards are literal
    QCOMPARE(ids(QStringLiteral("0%")), QStringList{QStringLiteral("zoe")});
    QVERIFY(ids(QStringLiteral("a%e")).isEmpty());
    QVERIFY(ids(QStringLiteral("_")).size() == 1);
    QCOMPARE(ids(QStringLiteral("  ")).size(), 3); // blank: everything
    QVERIFY(ids(QStringLiteral("nobody-like-this")).isEmpty());
    QCOMPARE(m_store->countContacts(query(Location, QStringLiteral("e"))), 3);
    QCOMPARE(m_store->countContacts(query(Location, QStringLiteral("ada"))), 1);
    QCOMPARE(m_store->countContacts(query(QStringLiteral("loc-2"), QStringLiteral("ada"))), 0);

    // A contact's search text follows its updates.
    ada.tags = {QStringLiteral("former")};
    writeOrFail({Location, {ada}, {}, std::nullopt, {}});
    QVERIFY(ids(QStringLiteral("vip")).isEmpty());
    QCOMPARE(ids(QStringLiteral("FORMER")), QStringList{QStringLiteral("ada")});
}

void TestContactStore::pagesInNameOrder()
{
    QList<Contact> all;
    for (int i = 0; i < 250; ++i) {
        // Mixed case and shared last names: ordered by last name, first name, then id, ignoring case.
        Contact c = plainContact(QStringLiteral("id%1").arg(249 - i, 3, 10, QLatin1Char('0')),
                                 QStringLiteral("first%1").arg(i % 7),
                                 QStringLiteral("Last%1").arg(i % 25, 2, 10, QLatin1Char('0')));
        if (i % 2)
            c.lastName = c.lastName.toUpper();
        all << c;
    }
    for (int start = 0; start < all.size(); start += 100)
        writeOrFail({Location, all.mid(start, 100), {}, std::nullopt, {}});
    Contact elsewhere = plainContact(QStringLiteral("aaa-other"), QStringLiteral("A"), QStringLiteral("A"));
    elsewhere.locationId = QStringLiteral("loc-2");
    writeOrFail({QStringLiteral("loc-2"), {elsewhere}, {}, std::nullopt, {}});

    QList<Contact> expected = all;
    std::sort(expected.begin(), expected.end(), [](const Contact &a, const Contact &b) {
        const auto key = [](const Contact &c) {
            return std::make_tuple(c.lastName.toLower(), c.firstName.toLower(), c.id);
        };
        return key(a) < key(b);
    });

    QList<Contact> paged;
    for (int offset = 0; offset < 300; offset += 40) {
        const QList<Contact> page = m_store->contacts(query(Location, {}, 40, offset));
        QVERIFY(page.size() <= 40);
        paged += page;
    }
    QCOMPARE(paged.size(), 250);
    for (int i = 0; i < 250; ++i)
        QVERIFY2(paged.at(i) == expected.at(i),
                 qPrintable(QString::number(i) + QLatin1Char(' ') + paged.at(i).id));
    QCOMPARE(m_store->countContacts(query(Location)), 250);
    QCOMPARE(m_store->countContacts(query(QString())), 251);  // no location: all of them
    QCOMPARE(m_store->contacts(query(Location)).size(), 250); // no limit
    QVERIFY(m_store->contacts(query(Location, {}, 10, 250)).isEmpty());

    // Paging a search.
    const QList<Contact> last07 = m_store->contacts(query(Location, QStringLiteral("last07"), 5, 5));
    QCOMPARE(last07.size(), 5);
    QCOMPARE(m_store->countContacts(query(Location, QStringLiteral("last07"))), 10);
    for (const Contact &c : last07)
        QCOMPARE(c.lastName.toLower(), QStringLiteral("last07"));
}

void TestContactStore::reportsStoredDateUpdatedForThousandsOfIds()
{
    QList<Contact> all;
    for (int i = 0; i < 3000; ++i) {
        Contact c = plainContact(QStringLiteral("c%1").arg(i));
        c.dateUpdated = at(1'700'000'000'000 + i);
        all << c;
    }
    writeOrFail({Location, all, {}, std::nullopt, {}});

    QStringList ids;
    for (int i = 0; i < 3000; i += 2)
        ids << QStringLiteral("c%1").arg(i);
    for (int i = 0; i < 523; ++i)
        ids << QStringLiteral("unknown-%1").arg(i);
    const QHash<QString, qint64> stored = m_store->storedDateUpdated(ids);
    QVERIFY(m_store->error().isEmpty());
    QCOMPARE(stored.size(), 1500);
    for (int i = 0; i < 3000; i += 2)
        QCOMPARE(stored.value(QStringLiteral("c%1").arg(i)), 1'700'000'000'000 + i);
    QVERIFY(!stored.contains(QStringLiteral("c1")));
    QCOMPARE(m_store->storedDateUpdated({QStringLiteral("c7")}).value(QStringLiteral("c7")),
             1'700'000'000'007);
    QVERIFY(m_store->storedDateUpdated({}).isEmpty());
}

void TestContactStore::replacesCustomFieldDefinitions()
{
    CustomField a{QStringLiteral("f-a"),
                  Location,
                  QStringLiteral("Pincode"),
                  QStringLiteral("contact.pincode"),
                  QStringLiteral("TEXT"),
                  QStringLiteral("contact"),
                  0,
                  {}};
    CustomField b{QStringLiteral("f-b"),
                  Location,
                  QStringLiteral("Größe 📏"),
                  QStringLiteral("contact.size"),
                  QStringLiteral("SINGLE_OPTIONS"),
                  QStringLiteral("contact"),
                  1,
                  {QStringLiteral("S"), QStringLiteral("M, L"), QStringLiteral("\"XL\"")}};
    CustomField other{QStringLiteral("f-o"),
                      QStringLiteral("loc-2"),
                      QStringLiteral("Other"),
                      QStringLiteral("contact.other"),
                      QStringLiteral("TEXT"),
                      QStringLiteral("contact"),
                      0,
                      {}};
    QVERIFY2(m_store->replaceCustomFields(Location, {a, b}), qPrintable(m_store->error()));
    QVERIFY(m_store->replaceCustomFields(QStringLiteral("loc-2"), {other}));
    QCOMPARE(m_store->customFields(Location), (QList<CustomField>{a, b}));

    b.position = 0;
    a.position = 5;
    a.name = QStringLiteral("PIN");
    CustomField c{QStringLiteral("f-c"),
                  Location,
                  QStringLiteral("New"),
                  QStringLiteral("contact.new"),
                  QStringLiteral("DATE"),
                  QStringLiteral("contact"),
                  2,
                  {}};
    QVERIFY(m_store->replaceCustomFields(Location, {a, b, c}));
    QCOMPARE(m_store->customFields(Location), (QList<CustomField>{b, c, a})); // by position
    QVERIFY(m_store->replaceCustomFields(Location, {c}));
    QCOMPARE(m_store->customFields(Location), QList<CustomField>{c});
    QCOMPARE(m_store->customFields(QStringLiteral("loc-2")), QList<CustomField>{other});
    QVERIFY(m_store->replaceCustomFields(Location, {}));
    QVERIFY(m_store->customFields(Location).isEmpty());
}

void TestContactStore::writesAndRemovesSingleRecords()
{
    Contact c = plainContact(QStringLiteral("single"), QStringLiteral("Solo"), QStringLiteral("Writer"));
    c.customFields = {{QStringLiteral("f"), QJsonValue(1)}};
    QVERIFY2(m_store->upsertContact(c), qPrintable(m_store->error()));
    QVERIFY(m_store->contact(c.id) == c);

    c.email = QStringLiteral("new@example.com");
    c.customFields = {{QStringLiteral("g"), QJsonArray{true}}};
    QVERIFY(m_store->upsertContact(c));
    QVERIFY(m_store->contact(c.id) == c);
    QCOMPARE(m_store->countContacts(query(Location, QStringLiteral("new@"))), 1);

    Task t = task(QStringLiteral("t1"), c.id, 10);
    QVERIFY2(m_store->upsertTask(t), qPrintable(m_store->error()));
    t.completed = !t.completed;
    t.title = QStringLiteral("Changed");
    QVERIFY(m_store->upsertTask(t));
    QCOMPARE(m_store->tasks(c.id), QList<Task>{t});
    Note n = note(QStringLiteral("n1"), c.id, 10);
    QVERIFY(m_store->upsertNote(n));
    QCOMPARE(m_store->notes(c.id), QList<Note>{n});
    Appointment a = appointment(QStringLiteral("a1"), c.id, 1'700'000'000'000);
    QVERIFY(m_store->upsertAppointment(a));
    QCOMPARE(m_store->appointments(c.id), QList<Appointment>{a});

    // A child of a contact the store does not have is refused with a sentence.
    QVERIFY(!m_store->upsertTask(task(QStringLiteral("t-orphan"), QStringLiteral("nobody"), 1)));
    QVERIFY2(m_store->error().contains(QLatin1String("t-orphan")), qPrintable(m_store->error()));
    QVERIFY(!m_store->upsertContact(Contact{}));
    QVERIFY(!m_store->error().isEmpty());

    QVERIFY(m_store->removeTask(t.id));
    QVERIFY(m_store->tasks(c.id).isEmpty());
    QVERIFY(m_store->removeNote(n.id));
    QVERIFY(m_store->notes(c.id).isEmpty());
    QVERIFY(m_store->removeAppointment(a.id));
    QVERIFY(m_store->appointments(c.id).isEmpty());
    QVERIFY(m_store->upsertTask(t));
    QVERIFY(m_store->removeContact(c.id));
    QVERIFY(!m_store->contact(c.id).has_value());
    QVERIFY(m_store->tasks(c.id).isEmpty()); // cascaded
    QVERIFY(m_store->removeContact(c.id));   // removing what is gone is fine
    QVERIFY(m_store->error().isEmpty());
}

void TestContactStore::errorsNeverShowThePassword()
{
    const QString secret = QStringLiteral("s3cr3t-Pa55");
    QString error;
    // Nothing listens on port 1: the connection is refused at once.
    auto db = Database::open(
        QStringLiteral("postgresql://lbtest:%1@127.0.0.1:1/lbtest?connect_timeout=3").arg(secret), &error);
    QVERIFY(!db);
    QVERIFY(!error.isEmpty());
    QVERIFY2(!error.contains(secret), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("postgresql://lbtest@127.0.0.1:1/lbtest")), qPrintable(error));

    db = Database::open(QStringLiteral("postgres://lbtest:%1@127.0.0.1").arg(secret), &error);
    QVERIFY(!db);
    QVERIFY2(!error.contains(secret), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("not a valid PostgreSQL URL")), qPrintable(error));

    QCOMPARE(Database::redactSpec(QStringLiteral("postgresql://u:p@ss:w@rd@h:5/d")),
             QStringLiteral("postgresql://u@h:5/d"));
    QCOMPARE(Database::redactSpec(QStringLiteral("/tmp/a:b@c.sqlite")), QStringLiteral("/tmp/a:b@c.sqlite"));

    if (m_backend == QLatin1String("postgresql")) {
        // A wrong password against the real server.
        QUrl url(m_pgUrl);
        url.setPassword(secret);
        db = Database::open(url.toString(), &error);
        QVERIFY(!db);
        QVERIFY2(!error.contains(secret), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("Could not connect")), qPrintable(error));
    } else {
        // A file that is not a database.
        const QString junk = m_dir.filePath(QStringLiteral("junk.sqlite"));
        QFile f(junk);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'j'));
        f.close();
        db = Database::open(junk, &error);
        QVERIFY(!db);
        QVERIFY2(error.contains(QLatin1String("not a usable SQLite database")), qPrintable(error));
    }
}

void TestContactStore::removesItsConnectionWhenDestroyed()
{
    const QStringList before = QSqlDatabase::connectionNames();
    QString error;
    auto second = Database::open(m_spec, &error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(QSqlDatabase::connectionNames().size(), before.size() + 1);
    second.reset();
    QCOMPARE(QSqlDatabase::connectionNames(), before);
}

void TestContactStore::sortsByEveryColumnBothWays()
{
    PullBatch batch;
    batch.locationId = Location;
    const QStringList companies{QStringLiteral("beta"), QStringLiteral("Alpha"), QStringLiteral("gamma"), QStringLiteral("Delta")};
    for (int i = 0; i < 4; ++i) {
        Contact c = plainContact(QStringLiteral("s%1").arg(i), QStringLiteral("F%1").arg(i), QStringLiteral("L%1").arg(3 - i));
        c.companyName = companies.at(i);
        c.city = companies.at((i + 1) % 4);
        c.email = QStringLiteral("%1@example.com").arg(QChar(char16_t(u'a' + (i * 3) % 4)));
        c.phone = QStringLiteral("+49%1").arg(9 - i);
        c.dateAdded = at(1'700'000'000'000 + (i % 2) * 1000 + i);
        batch.contacts << c;
    }
    writeOrFail(batch);
    auto ids = [this](ContactSort sort, bool descending) {
        ContactQuery q = query(Location);
        q.sort = sort;
        q.descending = descending;
        QStringList out;
        for (const Contact &c : m_store->contacts(q))
            out << c.id;
        return out;
    };
    // Case does not matter; ids break ties; descending is the exact reverse.
    QCOMPARE(ids(ContactSort::Company, false), (QStringList{QStringLiteral("s1"), QStringLiteral("s0"), QStringLiteral("s3"), QStringLiteral("s2")}));
    QCOMPARE(ids(ContactSort::Name, false), (QStringList{QStringLiteral("s3"), QStringLiteral("s2"), QStringLiteral("s1"), QStringLiteral("s0")}));
    QCOMPARE(ids(ContactSort::Phone, false), (QStringList{QStringLiteral("s3"), QStringLiteral("s2"), QStringLiteral("s1"), QStringLiteral("s0")}));
    QCOMPARE(ids(ContactSort::Email, false), (QStringList{QStringLiteral("s0"), QStringLiteral("s3"), QStringLiteral("s2"), QStringLiteral("s1")}));
    QCOMPARE(ids(ContactSort::City, false), (QStringList{QStringLiteral("s0"), QStringLiteral("s3"), QStringLiteral("s2"), QStringLiteral("s1")}));
    QCOMPARE(ids(ContactSort::DateAdded, false), (QStringList{QStringLiteral("s0"), QStringLiteral("s2"), QStringLiteral("s1"), QStringLiteral("s3")}));
    for (ContactSort sort : {ContactSort::Name, ContactSort::Email, ContactSort::Phone, ContactSort::Company, ContactSort::City,
                             ContactSort::DateAdded, ContactSort::DateUpdated}) {
        QStringList reversed = ids(sort, false);
        std::reverse(reversed.begin(), reversed.end());
        QCOMPARE(ids(sort, true), reversed);
    }
    // The same orders apply to a search.
    ContactQuery q = query(Location, QStringLiteral("example"));
    q.sort = ContactSort::Company;
    QCOMPARE(m_store->contacts(q).constFirst().id, QStringLiteral("s1"));
}

QTEST_GUILESS_MAIN(TestContactStore)
#include "tst_contactstore.moc"
