// The sync's memory in the store, on SQLite and on PostgreSQL (global data rows, like tst_contactstore).
#include "store/Database.h"
#include "store/SyncStore.h"

#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;

namespace {
const QString Location = QStringLiteral("loc-1");
}

class TestSyncStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase_data();
    void initTestCase();
    void init();
    void cleanup();

    void aLiveLockRefusesASecondOwnerAndAStaleOneIsTakenOver();
    void runsAreNumberedAndARunLeftRunningIsMarkedInterrupted();
    void eventsAreFilteredByKindOutcomeAndText();
    void eventWarningsRoundTripAndFilter();
    void prospectAndRecordStatesRoundTrip();
    void failuresAreSavedUpdatedAndCleared();
    void aFailedTransactionLeavesNothing();
    void mappingRevisionsCountUp();

private:
    QTemporaryDir m_dir;
    QString m_pgUrl;
    QString m_schema;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<SyncStore> m_store;
};

void TestSyncStore::initTestCase_data()
{
    QTest::addColumn<QString>("backend");
    QTest::newRow("sqlite") << QStringLiteral("sqlite");
    QTest::newRow("postgresql") << QStringLiteral("postgresql");
}

void TestSyncStore::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_pgUrl = qEnvironmentVariable("LEADBRIDGE_TEST_PG_URL");
}

void TestSyncStore::init()
{
    QFETCH_GLOBAL(QString, backend);
    static int serial = 0;
    ++serial;
    QString spec;
    if (backend == QLatin1String("sqlite")) {
        spec = m_dir.filePath(QStringLiteral("sync-%1.sqlite").arg(serial));
    } else {
        if (m_pgUrl.isEmpty())
            QSKIP("LEADBRIDGE_TEST_PG_URL is not set: run scripts/start-postgres.sh and export the URL it "
                  "prints.");
        m_schema = QStringLiteral("lbsync_%1_%2_%3")
                       .arg(QCoreApplication::applicationPid())
                       .arg(serial)
                       .arg(QRandomGenerator::global()->bounded(1000000));
        spec = m_pgUrl + (m_pgUrl.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) +
               QStringLiteral("schema=") + m_schema;
    }
    QString error;
    m_db = Database::open(spec, &error);
    QVERIFY2(m_db, qPrintable(error));
    m_store = std::make_unique<SyncStore>(*m_db);
}

void TestSyncStore::cleanup()
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

void TestSyncStore::aLiveLockRefusesASecondOwnerAndAStaleOneIsTakenOver()
{
    QString heldBy;
    QVERIFY(m_store->tryLock(Location, QStringLiteral("host:1"), &heldBy));
    QVERIFY(!m_store->tryLock(Location, QStringLiteral("host:2"), &heldBy));
    QVERIFY(m_store->error().isEmpty()); // refused, not failed
    QCOMPARE(heldBy, QStringLiteral("host:1"));
    QVERIFY(m_store->tryLock(QStringLiteral("other-location"), QStringLiteral("host:2"), &heldBy));
    // The first owner stops beating: after the stale time, the lock is taken over.
    QTest::qWait(20);
    QVERIFY(m_store->tryLock(Location, QStringLiteral("host:2"), &heldBy, 10));
    QVERIFY(m_store->unlock(Location, QStringLiteral("host:2")));
    QVERIFY(m_store->tryLock(Location, QStringLiteral("host:3"), &heldBy));
}

void TestSyncStore::runsAreNumberedAndARunLeftRunningIsMarkedInterrupted()
{
    const qint64 first =
        m_store->startRun(Location, QStringLiteral("incremental"), false, QStringLiteral("a"));
    QCOMPARE(first, 1);
    // The process of run 1 died: the next run on the location closes it.
    const qint64 second = m_store->startRun(Location, QStringLiteral("full"), true, QStringLiteral("b"));
    QCOMPARE(second, 2);
    QCOMPARE(m_store->run(first)->status, QStringLiteral("interrupted"));
    QVERIFY(
        m_store->finishRun(second, QStringLiteral("ok"), QJsonObject{{QStringLiteral("n"), 3}}, QString()));
    const auto run = m_store->run(second);
    QVERIFY(run);
    QCOMPARE(run->status, QStringLiteral("ok"));
    QVERIFY(run->dryRun);
    QCOMPARE(run->mode, QStringLiteral("full"));
    QCOMPARE(run->summary.value(QStringLiteral("n")).toInt(), 3);
    QVERIFY(run->finishedMs >= run->startedMs);
    const QList<SyncRunRecord> runs = m_store->runs(Location);
    QCOMPARE(runs.size(), 2);
    QCOMPARE(runs.first().id, second); // newest first
    QVERIFY(!m_store->run(99));
}

void TestSyncStore::eventsAreFilteredByKindOutcomeAndText()
{
    const qint64 run = m_store->startRun(Location, QStringLiteral("incremental"), false, QStringLiteral("a"));
    QList<SyncEvent> events;
    for (int i = 0; i < 30; ++i) {
        SyncEvent e;
        e.runId = run;
        e.seq = i;
        e.kind = i % 3 == 0 ? QStringLiteral("task") : QStringLiteral("contact");
        e.ghlId = QStringLiteral("ghl%1").arg(i);
        e.outcome = i % 5 == 0 ? QStringLiteral("failed")
                               : (i % 7 == 0 ? QStringLiteral("invalid") : QStringLiteral("created"));
        e.reason = i % 5 == 0 ? QStringLiteral("Saleshandy said 100%_sure no") : QString();
        e.requestIds = {QStringLiteral("ab12-000001"), QStringLiteral("ab12-000002")};
        events << e;
    }
    QVERIFY2(m_store->inTransaction([&] { return m_store->addEvents(events); }),
             qPrintable(m_store->error()));
    EventQuery q;
    q.runId = run;
    QCOMPARE(m_store->countEvents(q), 30);
    q.kind = QStringLiteral("task");
    QCOMPARE(m_store->countEvents(q), 10);
    q.kind.clear();
    q.failuresOnly = true;
    QCOMPARE(m_store->countEvents(q), 6 + 4); // i % 5 == 0 (6), i % 7 == 0 and not % 5 (7, 14, 21, 28)
    q.failuresOnly = false;
    q.text = QStringLiteral("100%_");
    QCOMPARE(m_store->countEvents(q), 6); // % and _ match themselves
    q.text = QStringLiteral("ghl2");
    const QList<SyncEvent> found = m_store->events(q);
    QCOMPARE(found.size(), 11); // ghl2, ghl20..ghl29
    QCOMPARE(found.first().requestIds.size(), 2);
    q.text.clear();
    q.limit = 5;
    q.offset = 10;
    QCOMPARE(m_store->events(q).first().seq, 10);
}

void TestSyncStore::eventWarningsRoundTripAndFilter()
{
    const qint64 run = m_store->startRun(Location, QStringLiteral("full"), false, QStringLiteral("test"));
    QVERIFY(run > 0);
    QList<SyncEvent> events;
    for (int i = 1; i <= 4; ++i) {
        SyncEvent e;
        e.runId = run;
        e.seq = i;
        e.kind = QStringLiteral("contact");
        e.ghlId = QStringLiteral("c%1").arg(i);
        e.outcome = QStringLiteral("created");
        if (i % 2 == 0) {
            FieldWarning w;
            w.kind = i == 2 ? WarningKind::KeptAsWritten : WarningKind::Cut;
            w.target = QStringLiteral("Phone Number");
            w.value = QStringLiteral("030 123 – Zoë 🚀 \"quoted\"");
            w.message = QStringLiteral("could not be converted; sent as written");
            e.warnings << w << w;
        }
        events << e;
    }
    QVERIFY2(m_store->inTransaction([&] { return m_store->addEvents(events); }),
             qPrintable(m_store->error()));
    EventQuery q;
    q.runId = run;
    const QList<SyncEvent> all = m_store->events(q);
    QCOMPARE(all.size(), 4);
    QVERIFY(all.at(0).warnings.isEmpty());
    QCOMPARE(all.at(1).warnings, events.at(1).warnings);
    QCOMPARE(all.at(3).warnings.first().kind, WarningKind::Cut);
    q.warningsOnly = true;
    QCOMPARE(m_store->countEvents(q), 2);
    const QList<SyncEvent> warned = m_store->events(q);
    QCOMPARE(warned.size(), 2);
    QCOMPARE(warned.first().ghlId, QStringLiteral("c2"));
}

void TestSyncStore::prospectAndRecordStatesRoundTrip()
{
    ProspectState p;
    p.ghlContactId = QStringLiteral("c1");
    p.email = QStringLiteral("zoë@example.org");
    p.hash = QStringLiteral("h1");
    p.fields = QJsonObject{{QStringLiteral("First Name"), QStringLiteral("Zoë 🚀")}};
    p.tags = {QStringLiteral("a"), QStringLiteral("b")};
    p.pendingHash = QStringLiteral("h2");
    p.pendingSinceMs = 42;
    QVERIFY(m_store->saveProspects(Location, {p}));
    auto loaded = m_store->prospects(Location);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.value(QStringLiteral("c1")).fields, p.fields);
    QCOMPARE(loaded.value(QStringLiteral("c1")).tags, p.tags);
    QCOMPARE(loaded.value(QStringLiteral("c1")).pendingHash, QStringLiteral("h2"));
    p.prospectId = QStringLiteral("P1");
    p.pendingHash.clear();
    QVERIFY(m_store->saveProspects(Location, {p}));
    loaded = m_store->prospects(Location);
    QCOMPARE(loaded.size(), 1);
    QCOMPARE(loaded.value(QStringLiteral("c1")).prospectId, QStringLiteral("P1"));
    QVERIFY(loaded.value(QStringLiteral("c1")).pendingHash.isEmpty());
    QVERIFY(m_store->prospects(QStringLiteral("elsewhere")).isEmpty());

    ChildState t;
    t.kind = QStringLiteral("task");
    t.ghlId = QStringLiteral("t1");
    t.ghlContactId = QStringLiteral("c1");
    t.state = QStringLiteral("intent");
    t.payload = QJsonObject{{QStringLiteral("taskNote"), QStringLiteral("Call\n\nback")}};
    QVERIFY(m_store->saveRecords(Location, {t}));
    QCOMPARE(m_store->records(Location, QStringLiteral("task")).value(QStringLiteral("t1")).payload,
             t.payload);
    QVERIFY(m_store->records(Location, QStringLiteral("note")).isEmpty());
    t.shId = QStringLiteral("SH-T1");
    t.state = QStringLiteral("synced");
    QVERIFY(m_store->saveRecords(Location, {t}));
    QCOMPARE(m_store->records(Location, QStringLiteral("task")).value(QStringLiteral("t1")).shId,
             QStringLiteral("SH-T1"));
}

void TestSyncStore::failuresAreSavedUpdatedAndCleared()
{
    FailureState f{QStringLiteral("contact"), QStringLiteral("c9"), 3, 1, 1000, QStringLiteral("HTTP 500")};
    QVERIFY(m_store->saveFailures(Location, {f}));
    f.attempts = 2;
    QVERIFY(m_store->saveFailures(Location, {f}));
    auto all = m_store->failures(Location);
    QCOMPARE(all.size(), 1);
    QCOMPARE(all.value(QStringLiteral("contact:c9")).attempts, 2);
    QVERIFY(m_store->clearFailures(Location, QStringLiteral("contact"), {QStringLiteral("c9")}));
    QVERIFY(m_store->failures(Location).isEmpty());
}

void TestSyncStore::aFailedTransactionLeavesNothing()
{
    ProspectState p;
    p.ghlContactId = QStringLiteral("c1");
    p.email = QStringLiteral("a@example.org");
    const bool ok = m_store->inTransaction([&] {
        return m_store->saveProspects(Location, {p}) && false; // the second half of the batch failed
    });
    QVERIFY(!ok);
    QVERIFY(m_store->prospects(Location).isEmpty());
}

void TestSyncStore::mappingRevisionsCountUp()
{
    QVERIFY(!m_store->latestMapping(Location));
    QCOMPARE(m_store->saveMapping(Location, QStringLiteral("first"), "{\"a\":1}"), 1);
    QCOMPARE(m_store->saveMapping(Location, QStringLiteral("second"), "{\"a\":2}"), 2);
    int revision = 0;
    QCOMPARE(*m_store->latestMapping(Location, &revision), QByteArray("{\"a\":2}"));
    QCOMPARE(revision, 2);
}

QTEST_GUILESS_MAIN(TestSyncStore)
#include "tst_syncstore.moc"
