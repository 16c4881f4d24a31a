// The Mapping, Sync and Logs pages as real widgets (offscreen) over SyncService and the sandbox:
// what issue 5 lists, driven through the pages' buttons and models.
#include "GuiFixture.h"

#include "api/saleshandy/SaleshandyClient.h"
#include "gui/LogsView.h"
#include "gui/MappingModels.h"
#include "gui/MappingView.h"
#include "gui/SyncDashboard.h"
#include "gui/SyncModels.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "services/SyncService.h"

#include <QAbstractItemModelTester>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>

using namespace lb;
using namespace lb::gui;

namespace {

struct PagesFixture : GuiFixture
{
    explicit PagesFixture(int contacts = 40)
        : GuiFixture(contacts, [](sandbox::SandboxOptions &o) {
              o.saleshandyRateMax = 100000;
              o.saleshandyImportDelayMs = 50;
          })
    {
        if (!ok || !pull())
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
        ready = true;
    }

    template <typename T> T *child(QWidget *page, const char *name)
    {
        return page->findChild<T *>(QLatin1String(name));
    }

    bool waitForRun()
    {
        QSignalSpy done(sync.get(), &SyncService::runFinished);
        return sync->isRunning() ? done.wait(120000) : false;
    }

    std::unique_ptr<TokenProvider> shKey;
    std::unique_ptr<sh::SaleshandyClient> sh;
    std::unique_ptr<SyncService> sync;
    bool ready = false;
};

} // namespace

class TestSyncPages final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void draggingAFieldMakesARuleAndUndoRemovesIt();
    void anUnmappedEmailBlocksTheRunWithAClearMessage();
    void aDryRunListsTheExpectedChangesAndWritesNothing();
    void faultsShowFailedRecordsAndRetryClearsThem();
    void logFiltersAndCsvExport();
};

void TestSyncPages::draggingAFieldMakesARuleAndUndoRemovesIt()
{
    PagesFixture f;
    QVERIFY(f.ready);
    MappingView view;
    view.resize(1100, 700);
    view.setServices(f.sync.get(), f.store.get());
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(view.isShowingData(), 20000);
    QAbstractItemModelTester t1(view.rulesModel()), t2(view.ghlFieldModel()), t3(view.saleshandyFieldModel()),
        t4(view.previewModel());
    QVERIFY(view.previewModel()->rowCount() > 0); // the sample contact's prospect

    auto *ghlView = f.child<QTableView>(&view, "ghlFieldsView");
    auto *shView = f.child<QTableView>(&view, "shFieldsView");
    QVERIFY(ghlView && shView);
    const int before = view.rulesModel()->rowCount();
    const int from = view.ghlFieldModel()->rowOf(QStringLiteral("id"));
    const int onto = view.saleshandyFieldModel()->rowOf(QStringLiteral("Job Title"));
    QVERIFY(from >= 0 && onto >= 0);
    // QDrag::exec runs a platform loop a test cannot steer; the view's drop goes through exactly
    // these two calls on the models behind the two tables.
    std::unique_ptr<QMimeData> mime(ghlView->model()->mimeData({ghlView->model()->index(from, 0)}));
    QVERIFY(shView->model()->canDropMimeData(mime.get(), Qt::CopyAction, -1, -1,
                                             shView->model()->index(onto, 0)));
    shView->model()->dropMimeData(mime.get(), Qt::CopyAction, -1, -1, shView->model()->index(onto, 0));
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);
    QCOMPARE(view.rulesModel()->index(before, MappingRulesModel::Target).data().toString(),
             QStringLiteral("Job Title"));
    // The preview shows the new field at once.
    bool previewed = false;
    for (int row = 0; row < view.previewModel()->rowCount(); ++row)
        previewed =
            previewed || view.previewModel()->index(row, 0).data().toString() == QLatin1String("Job Title");
    QVERIFY(previewed);

    auto *undo = f.child<QToolButton>(&view, "undoButton");
    QVERIFY(undo && undo->isEnabled());
    undo->click();
    QCOMPARE(view.rulesModel()->rowCount(), before);
    auto *redo = f.child<QToolButton>(&view, "redoButton");
    redo->click();
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);

    // Saved as a named version, restorable.
    const int revision = view.saveVersion(QStringLiteral("with job title"));
    QVERIFY(revision > 0);
    QCOMPARE(f.sync->mapping().rules(RecordKind::Contact).size(), before + 1);
    view.rulesModel()->removeRule(before);
    QVERIFY(view.restoreVersion(revision));
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);

    // Export and import round-trip through the mapping-file format.
    const QString file = f.dir.filePath(QStringLiteral("mapping.json"));
    QString error;
    QVERIFY2(view.exportFile(file, &error), qPrintable(error));
    view.rulesModel()->removeRule(0);
    QVERIFY2(view.importFile(file, &error), qPrintable(error));
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);
}

void TestSyncPages::anUnmappedEmailBlocksTheRunWithAClearMessage()
{
    PagesFixture f;
    QVERIFY(f.ready);
    MappingView mapping;
    mapping.setServices(f.sync.get(), f.store.get());
    SyncDashboard dashboard;
    dashboard.setService(f.sync.get());
    dashboard.show();
    const int email = [&] {
        for (int row = 0; row < mapping.rulesModel()->rowCount(); ++row)
            if (mapping.rulesModel()->index(row, MappingRulesModel::Target).data().toString() ==
                QLatin1String("Email"))
                return row;
        return -1;
    }();
    QVERIFY(email >= 0);
    mapping.rulesModel()->removeRule(email);
    // Flagged in the editor before any run...
    auto *problems = f.child<QLabel>(&mapping, "problemsLabel");
    QVERIFY2(problems->text().contains(QLatin1String("Email")), qPrintable(problems->text()));
    QVERIFY(mapping.saveVersion(QStringLiteral("no email")) > 0);

    // ...and the dashboard refuses to run it, saying why.
    f.child<QPushButton>(&dashboard, "runButton")->click();
    QVERIFY(!f.sync->isRunning());
    QVERIFY2(dashboard.statusText().contains(QLatin1String("Email")), qPrintable(dashboard.statusText()));
    QVERIFY2(dashboard.statusText().contains(QLatin1String("Mapping page")),
             qPrintable(dashboard.statusText()));
    QCOMPARE(f.box->saleshandy().writeRequestCount(), 0);
}

void TestSyncPages::aDryRunListsTheExpectedChangesAndWritesNothing()
{
    PagesFixture f;
    QVERIFY(f.ready);
    SyncDashboard dashboard;
    dashboard.resize(1100, 700);
    dashboard.setService(f.sync.get());
    dashboard.show();
    QAbstractItemModelTester tester(dashboard.diffModel());
    f.child<QPushButton>(&dashboard, "runButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 0);

    const QStringList touched = f.box->ghl().touchContacts(6);
    const int writes = f.box->saleshandy().writeRequestCount();
    f.child<QPushButton>(&dashboard, "dryRunButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.box->saleshandy().writeRequestCount(), writes); // nothing written

    DryRunModel *diff = dashboard.diffModel();
    QSet<QString> listed;
    for (int row = 0; row < diff->rowCount(); ++row) {
        const QModelIndex p = diff->index(row, 0);
        if (p.data(DryRunModel::ActionRole).toInt() != int(ProspectChange::Action::Update))
            continue;
        listed << p.data(DryRunModel::ContactIdRole).toString();
        QVERIFY(diff->rowCount(p) > 0);
        for (int c = 0; c < diff->rowCount(p); ++c) {
            const QModelIndex change = diff->index(c, DryRunModel::Before, p);
            QVERIFY(change.data() != change.siblingAtColumn(DryRunModel::After).data());
        }
    }
    // Every touched contact that Saleshandy has is listed as an update.
    const QHash<QString, ProspectState> written = f.sync->store().prospects(f.location());
    for (const QString &id : touched)
        if (written.contains(id))
            QVERIFY2(listed.contains(id), qPrintable(id));
    QVERIFY(!listed.isEmpty());

    // Apply: a real run writes them.
    auto *apply = f.child<QPushButton>(&dashboard, "applyButton");
    QVERIFY(apply->isEnabled());
    apply->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 0);
    QVERIFY(f.box->saleshandy().writeRequestCount() > writes);
    QVERIFY(dashboard.chartedRuns() == 3);
}

void TestSyncPages::faultsShowFailedRecordsAndRetryClearsThem()
{
    PagesFixture f(60);
    QVERIFY(f.ready);
    SyncDashboard dashboard;
    dashboard.setService(f.sync.get());
    LogsView logs;
    logs.resize(1100, 700);
    logs.setService(f.sync.get());
    logs.show();
    QString error;
    QVERIFY(f.box->saleshandy().setFaults(QStringLiteral("5xx=500@/v1/tasks/create:x3"), &error));
    f.child<QPushButton>(&dashboard, "runButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 1);
    QVERIFY2(dashboard.statusText().contains(QLatin1String("failed")), qPrintable(dashboard.statusText()));

    // The log opened the new run; its failures are listed with reason and request ids.
    QCOMPARE(logs.currentRun(), f.sync->lastRunId());
    QCOMPARE(logs.runsModel()->index(0, RunsModel::Failed).data().toString(), QStringLiteral("3"));
    logs.setFilter(QString(), QStringLiteral("failed"), QString());
    QCOMPARE(logs.eventsModel()->rowCount(), 3);
    logs.showDetail(0);
    QVERIFY2(logs.detailText().contains(QLatin1String("500")), qPrintable(logs.detailText()));
    QVERIFY(!logs.eventsModel()->event(0).requestIds.isEmpty());
    QVERIFY(logs.detailText().contains(logs.eventsModel()->event(0).requestIds.constFirst()));

    f.box->saleshandy().clearFaults();
    f.child<QPushButton>(&logs, "retryRunButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 0);
    QVERIFY(f.sync->store().failures(f.location()).isEmpty());
    QCOMPARE(logs.runsModel()->index(0, RunsModel::Mode).data().toString(), QStringLiteral("retry"));
    QCOMPARE(logs.runsModel()->index(0, RunsModel::Failed).data().toString(), QStringLiteral("0"));
}

void TestSyncPages::logFiltersAndCsvExport()
{
    PagesFixture f(60);
    QVERIFY(f.ready);
    LogsView logs;
    logs.setService(f.sync.get());
    logs.show();
    QAbstractItemModelTester t1(logs.runsModel()), t2(logs.eventsModel());
    QVERIFY(f.sync->start(SyncService::RunKind::Full));
    QVERIFY(f.waitForRun());
    QCOMPARE(logs.currentRun(), f.sync->lastRunId());
    QVERIFY(logs.eventsModel()->rowCount() > 0);

    logs.setFilter(QStringLiteral("task"), QString(), QString());
    QVERIFY(logs.eventsModel()->rowCount() > 0);
    for (int row = 0; row < logs.eventsModel()->rowCount(); ++row)
        QCOMPARE(logs.eventsModel()->event(row).kind, QStringLiteral("task"));
    logs.setFilter(QStringLiteral("contact"), QStringLiteral("invalid"), QString());
    const int invalid = logs.eventsModel()->rowCount();
    QVERIFY(invalid > 0);
    const QString someId = logs.eventsModel()->event(0).ghlId;
    logs.setFilter(QString(), QString(), someId);
    QVERIFY(logs.eventsModel()->rowCount() >= 1);
    for (int row = 0; row < logs.eventsModel()->rowCount(); ++row)
        QVERIFY(logs.eventsModel()->event(row).ghlId.contains(someId));

    // Export what the filter shows: the invalid contacts, whose reasons hold quotes and commas.
    logs.setFilter(QStringLiteral("contact"), QStringLiteral("invalid"), QString());
    const QString path = f.dir.filePath(QStringLiteral("log.csv"));
    QString error;
    QCOMPARE(logs.exportCsv(path, &error), qint64(invalid));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray csv = file.readAll();
    QVERIFY(csv.startsWith("run,seq,time,kind,ghl_id,saleshandy_id,outcome,reason,request_ids\r\n"));
    QCOMPARE(csv.count("\r\n"), invalid + 1);
    QVERIFY(csv.contains(",invalid,"));
}

QTEST_MAIN(TestSyncPages)
#include "tst_syncpages.moc"
