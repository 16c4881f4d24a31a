// Issue 5's figures, printed: (1) a dry run over N contacts (default 10,000): time from the end of
// the pull to the complete diff on screen (goal < 1 s); (2) the log view over a run of M per-record
// events (default 1,000,000): time to open the run and to apply a filter (goal < 200 ms each).
// Run by hand: QT_QPA_PLATFORM=offscreen bench_gui2 [--contacts N] [--events M]
#include "../gui/GuiFixture.h"

#include "api/saleshandy/SaleshandyClient.h"
#include "gui/SyncModels.h"
#include "services/SyncService.h"
#include "store/SyncStore.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QMetaEnum>
#include <QTableView>
#include <QTextStream>
#include <QTreeView>

using namespace lb;

namespace {

QTextStream out(stdout);

int argValue(const QStringList &args, const QString &name, int fallback)
{
    const int i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

/// Shows the view and lets it lay out and paint what is visible.
void paint(QWidget &w)
{
    w.show();
    w.repaint();
    QCoreApplication::processEvents();
}

void benchDryRun(int contacts)
{
    GuiFixture f(contacts);
    if (!f.ok)
        return;
    StaticTokenProvider key(f.box->options().saleshandyApiKey);
    sh::SaleshandyClient sh(f.box->saleshandyUrl());
    sh.setTokenProvider(&key);
    ServiceScheduler::Policy fast = sh.scheduler().policy();
    fast.burstMax = 1000000;
    fast.maxInFlight = 6;
    sh.scheduler().setPolicy(fast);
    SyncService sync(*f.client, sh, *f.db, f.location());
    QElapsedTimer total;
    total.start();
    QElapsedTimer sincePull;
    QStringList stages; // where the engine's time after the pull goes
    qint64 last = 0;
    QObject::connect(&sync, &SyncService::stageChanged, [&](SyncEngine::Stage stage) {
        if (stage == SyncEngine::Stage::Fields && !sincePull.isValid())
            sincePull.start();
        if (sincePull.isValid()) {
            stages << QStringLiteral("%1 at +%2 ms")
                          .arg(QString::fromLatin1(
                              QMetaEnum::fromType<SyncEngine::Stage>().valueToKey(int(stage))))
                          .arg(sincePull.elapsed() - last);
            last = sincePull.elapsed();
        }
    });
    QSignalSpy done(&sync, &SyncService::runFinished);
    if (!sync.start(SyncService::RunKind::FullDryRun) || !done.wait(600000)) {
        out << "dry run did not finish\n";
        return;
    }
    gui::DryRunModel model;
    QTreeView view;
    view.resize(1200, 800);
    view.setUniformRowHeights(true);
    QElapsedTimer shown;
    shown.start();
    model.setPlan(sync.lastPlan());
    view.setModel(&model);
    view.expandToDepth(0);
    paint(view);
    const qint64 showMs = shown.elapsed();
    out << "dry run over " << contacts << " contacts: " << model.prospectCount()
        << " prospects in the diff; pull " << (total.elapsed() - sincePull.elapsed())
        << " ms; after the pull: plan " << (sincePull.elapsed() - showMs) << " ms + diff on screen " << showMs
        << " ms = " << sincePull.elapsed() << " ms (goal < 1000)\n"
        << "  engine stages after the pull: " << stages.join(QStringLiteral(", ")) << '\n';
    out.flush();
}

void benchLog(int events)
{
    QTemporaryDir dir;
    QString error;
    auto db = Database::open(dir.filePath(QStringLiteral("log.db")), &error);
    if (!db) {
        out << error << '\n';
        return;
    }
    SyncStore store(*db);
    const qint64 runId =
        store.startRun(QStringLiteral("loc"), QStringLiteral("full"), false, QStringLiteral("bench"));
    QElapsedTimer fill;
    fill.start();
    static const char *outcomes[] = {"unchanged", "unchanged", "unchanged", "updated",
                                     "created",   "failed",    "invalid"};
    static const char *kinds[] = {"contact", "contact", "task", "note"};
    constexpr int kBatch = 20000;
    for (int done = 0; done < events; done += kBatch) {
        QList<SyncEvent> batch;
        batch.reserve(kBatch);
        for (int i = done; i < std::min(events, done + kBatch); ++i) {
            SyncEvent e;
            e.runId = runId;
            e.seq = i + 1;
            e.atMs = 1700000000000 + i;
            e.kind = QString::fromLatin1(kinds[i % 4]);
            e.ghlId = QStringLiteral("ghl%1").arg(i, 8, 10, QLatin1Char('0'));
            const char *o = outcomes[(i / 4) % 7];
            e.outcome = QString::fromLatin1(o);
            if (e.outcome == QLatin1String("failed"))
                e.reason = QStringLiteral("HTTP 500 from POST /v1/tasks/create");
            batch << e;
        }
        if (!store.inTransaction([&] { return store.addEvents(batch); })) {
            out << store.error() << '\n';
            return;
        }
    }
    if (!store.finishRun(runId, QStringLiteral("failed-records"), {}, {}))
        return;
    out << "log: " << events << " events stored in " << fill.elapsed() << " ms\n";

    gui::EventsModel model(&store);
    QTableView view;
    view.resize(1200, 800);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.setModel(&model);
    const auto timed = [&](const char *what, const EventQuery &q) {
        QElapsedTimer t;
        t.start();
        model.setQuery(q);
        paint(view);
        out << "log view, " << what << ": " << t.elapsed() << " ms, " << model.rowCount()
            << " rows loaded (goal < 200)\n";
        out.flush();
    };
    EventQuery q;
    q.runId = runId;
    timed("open the run", q);
    q.outcome = QStringLiteral("failed");
    timed("filter outcome = failed", q);
    q.outcome.clear();
    q.kind = QStringLiteral("task");
    q.failuresOnly = true;
    timed("filter kind = task, failures only", q);
    q.kind.clear();
    q.failuresOnly = false;
    q.text = QStringLiteral("ghl0099");
    timed("filter text \"ghl0099\"", q);
    q.text = QStringLiteral("no such text");
    timed("filter text with no match (worst case: full scan)", q);
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    benchDryRun(argValue(args, QStringLiteral("--contacts"), 10000));
    benchLog(argValue(args, QStringLiteral("--events"), 1000000));
    return 0;
}
