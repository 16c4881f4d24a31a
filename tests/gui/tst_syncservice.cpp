// The mapping editor's models, the sync dashboard's SyncService and the log models, against the
// sandbox over loopback (no window: what the pages show is these models).
#include "GuiFixture.h"

#include "api/saleshandy/SaleshandyClient.h"
#include "gui/MappingModels.h"
#include "gui/SyncModels.h"
#include "sandbox/SaleshandyService.h"
#include "services/EventCsv.h"
#include "services/SyncService.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QJsonDocument>
#include <QMimeData>
#include <QUndoStack>

using namespace lb;
using namespace lb::gui;

namespace {

struct SyncFixture : GuiFixture
{
    explicit SyncFixture(int contacts = 40)
        : GuiFixture(contacts, [](sandbox::SandboxOptions &o) {
              // The rate limits are tested elsewhere; here they would only make the tests slow.
              o.saleshandyRateMax = 100000;
              o.saleshandyImportDelayMs = 50;
          })
    {
        if (!ok)
            return;
        shKey = std::make_unique<StaticTokenProvider>(box->options().saleshandyApiKey);
        sh = std::make_unique<sh::SaleshandyClient>(box->saleshandyUrl());
        sh->setTokenProvider(shKey.get());
        sh->retryPolicy().backoffBaseMs = 10;
        ServiceScheduler::Policy fast = sh->scheduler().policy();
        fast.burstMax = 100000;
        fast.maxInFlight = 6;
        sh->scheduler().setPolicy(fast);
        sync = std::make_unique<SyncService>(*client, *sh, *db, location());
    }

    /// Runs to the end; false when it did not finish in time.
    bool run(SyncService::RunKind kind)
    {
        QSignalSpy done(sync.get(), &SyncService::runFinished);
        if (!sync->start(kind))
            return false;
        return done.wait(120000);
    }

    std::unique_ptr<TokenProvider> shKey;
    std::unique_ptr<sh::SaleshandyClient> sh;
    std::unique_ptr<SyncService> sync;
};

} // namespace

class TestSyncService final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void draggingAFieldMakesARuleAndUndoRemovesIt();
    void anUnmappedEmailIsFlaggedAndBlocksTheRun();
    void aDryRunListsTheChangesAndWritesNothing();
    void faultsShowFailedRecordsAndRetryClearsThem();
    void logFiltersPageAndExportAsCsv();
    void csvQuotingFollowsRfc4180();
};

void TestSyncService::draggingAFieldMakesARuleAndUndoRemovesIt()
{
    QUndoStack undo;
    MappingRulesModel rules(&undo);
    GhlFieldModel ghl;
    SaleshandyFieldModel saleshandy;
    QAbstractItemModelTester t1(&rules), t2(&ghl), t3(&saleshandy);
    ghl.setFields(RecordKind::Contact, {});
    saleshandy.setFields(RecordKind::Contact, saleshandySystemFields(), rules.mapping());
    connect(&saleshandy, &SaleshandyFieldModel::ruleRequested, &rules, &MappingRulesModel::addRule);

    const int before = rules.rowCount();
    const int from = ghl.rowOf(QStringLiteral("city"));
    const int onto = saleshandy.rowOf(QStringLiteral("Last Name"));
    QVERIFY(from >= 0 && onto >= 0);
    // What a drag from the GHL list onto the Saleshandy list carries and delivers.
    std::unique_ptr<QMimeData> mime(ghl.mimeData({ghl.index(from, 0)}));
    QVERIFY(saleshandy.canDropMimeData(mime.get(), Qt::CopyAction, -1, -1, saleshandy.index(onto, 0)));
    saleshandy.dropMimeData(mime.get(), Qt::CopyAction, -1, -1, saleshandy.index(onto, 0));
    QCOMPARE(rules.rowCount(), before + 1);
    const QModelIndex added = rules.index(before, MappingRulesModel::Target);
    QCOMPARE(added.data().toString(), QStringLiteral("Last Name"));
    // Two rules now write Last Name: flagged before any run.
    QVERIFY(!added.siblingAtColumn(MappingRulesModel::Problem).data().toString().isEmpty());

    // A typed edit through the model, undone step by step.
    QVERIFY(rules.setData(added.siblingAtColumn(MappingRulesModel::Transform), QStringLiteral("upper")));
    QCOMPARE(undo.count(), 2);
    undo.undo();
    QCOMPARE(added.siblingAtColumn(MappingRulesModel::Transform).data(Qt::EditRole).toString(),
             QStringLiteral("none"));
    undo.undo();
    QCOMPARE(rules.rowCount(), before);
    undo.redo();
    QCOMPARE(rules.rowCount(), before + 1);
}

void TestSyncService::anUnmappedEmailIsFlaggedAndBlocksTheRun()
{
    SyncFixture f;
    QVERIFY(f.ok);
    QUndoStack undo;
    MappingRulesModel rules(&undo);
    QAbstractItemModelTester tester(&rules);
    int email = -1;
    for (int row = 0; row < rules.rowCount(); ++row)
        if (rules.index(row, MappingRulesModel::Target).data().toString() == QLatin1String("Email"))
            email = row;
    QVERIFY(email >= 0);
    rules.removeRule(email);
    QVERIFY(rules.hasErrors());

    f.sync->setMapping(rules.mapping());
    QSignalSpy refused(f.sync.get(), &SyncService::refused);
    QString why;
    QVERIFY(!f.sync->start(SyncService::RunKind::Incremental, &why));
    QVERIFY2(why.contains(QLatin1String("Email")), qPrintable(why));
    QCOMPARE(refused.size(), 1);
    QVERIFY(!f.sync->isRunning());
    QCOMPARE(f.box->saleshandy().writeRequestCount(), 0);
}

void TestSyncService::aDryRunListsTheChangesAndWritesNothing()
{
    SyncFixture f;
    QVERIFY(f.ok);
    QVERIFY(f.run(SyncService::RunKind::Full));
    QCOMPARE(f.sync->lastExitCode(), 0);
    const QStringList touched = f.box->ghl().touchContacts(5);
    QVERIFY(!touched.isEmpty());
    const int writes = f.box->saleshandy().writeRequestCount();

    QVERIFY(f.run(SyncService::RunKind::DryRun));
    QVERIFY2(f.sync->lastError().isEmpty(), qPrintable(f.sync->lastError()));
    QVERIFY(f.sync->lastWasDryRun());
    QCOMPARE(f.box->saleshandy().writeRequestCount(), writes);

    DryRunModel diff;
    QAbstractItemModelTester tester(&diff);
    diff.setPlan(f.sync->lastPlan());
    QVERIFY(diff.rowCount() > 0);
    int updates = 0;
    for (int row = 0; row < diff.rowCount(); ++row) {
        const QModelIndex p = diff.index(row, 0);
        if (p.data(DryRunModel::ActionRole).toInt() != int(ProspectChange::Action::Update))
            continue;
        ++updates;
        QVERIFY(diff.rowCount(p) > 0);
        const QModelIndex change = diff.index(0, DryRunModel::After, p);
        QVERIFY(change.data().toString() != change.siblingAtColumn(DryRunModel::Before).data().toString());
    }
    QVERIFY2(updates > 0, "the touched contacts show as updates");
}

void TestSyncService::faultsShowFailedRecordsAndRetryClearsThem()
{
    SyncFixture f(60);
    QVERIFY(f.ok);
    QString error;
    QVERIFY(f.box->saleshandy().setFaults(QStringLiteral("reject@/v1/tasks/create:x3"), &error));
    QVERIFY(f.run(SyncService::RunKind::Full));
    QCOMPARE(f.sync->lastExitCode(), 1);
    const qint64 failedRun = f.sync->lastRunId();

    RunsModel runs;
    QAbstractItemModelTester t1(&runs);
    runs.setRuns(f.sync->store().runs(f.location()));
    QCOMPARE(runs.rowCount(), 1);
    QVERIFY2(runs.index(0, RunsModel::Failed).data().toInt() >= 3,
             qPrintable(QJsonDocument(f.sync->store().runs(f.location()).constFirst().summary).toJson()));

    EventsModel events(&f.sync->store());
    QAbstractItemModelTester t2(&events);
    EventQuery q;
    q.runId = failedRun;
    q.outcome = QStringLiteral("failed");
    events.setQuery(q);
    QCOMPARE(events.rowCount(), 3);
    QVERIFY(!events.index(0, 0).data(EventsModel::RequestIdsRole).toStringList().isEmpty());

    f.box->saleshandy().clearFaults();
    QSignalSpy done(f.sync.get(), &SyncService::runFinished);
    QVERIFY(f.sync->retry(failedRun));
    QVERIFY(done.wait(120000));
    QCOMPARE(f.sync->lastExitCode(), 0);
    QVERIFY(f.sync->store().failures(f.location()).isEmpty());
    runs.setRuns(f.sync->store().runs(f.location()));
    QCOMPARE(runs.index(0, RunsModel::Failed).data().toString(), QStringLiteral("0"));
}

void TestSyncService::logFiltersPageAndExportAsCsv()
{
    SyncFixture f(60);
    QVERIFY(f.ok);
    QVERIFY(f.run(SyncService::RunKind::Full));
    EventsModel events(&f.sync->store());
    QAbstractItemModelTester tester(&events);
    EventQuery q;
    q.runId = f.sync->lastRunId();
    events.setQuery(q);
    const int all = f.sync->store().countEvents(q);
    QVERIFY(all > 0);
    while (events.canFetchMore({}))
        events.fetchMore({});
    QCOMPARE(events.rowCount(), all);

    q.kind = QStringLiteral("task");
    events.setQuery(q);
    QVERIFY(events.rowCount() > 0);
    for (int row = 0; row < events.rowCount(); ++row)
        QCOMPARE(events.index(row, 0).data(EventsModel::KindRole).toString(), QStringLiteral("task"));

    q.kind.clear();
    q.text = events.index(0, 0).data(EventsModel::GhlIdRole).toString();
    events.setQuery(q);
    QCOMPARE(events.rowCount(), 1);

    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    q.text.clear();
    QString csvError;
    QCOMPARE(EventCsv::write(f.sync->store(), q, buffer, &csvError), qint64(all));
    const QList<QByteArray> lines = buffer.data().split('\n');
    QCOMPARE(lines.size(), all + 2); // header, rows, and the empty piece after the last CRLF
    QVERIFY(lines.first().startsWith("run,seq,time,kind"));
    QVERIFY(lines.first().endsWith('\r'));
}

void TestSyncService::csvQuotingFollowsRfc4180()
{
    QCOMPARE(EventCsv::quote(QStringLiteral("plain")), QByteArray("plain"));
    QCOMPARE(EventCsv::quote(QStringLiteral("a,b")), QByteArray("\"a,b\""));
    QCOMPARE(EventCsv::quote(QStringLiteral("say \"hi\"")), QByteArray("\"say \"\"hi\"\"\""));
    QCOMPARE(EventCsv::quote(QStringLiteral("two\r\nlines")), QByteArray("\"two\r\nlines\""));
    QCOMPARE(EventCsv::quote(QStringLiteral("Zoë")), QByteArray("Zo\xc3\xab"));
}

QTEST_MAIN(TestSyncService)
#include "tst_syncservice.moc"
