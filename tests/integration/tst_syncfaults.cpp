// Exactly once under faults: every kind of fault the sandbox has, on every kind of endpoint of both
// services, before and after the server acted. A run exits 0 and leaves Saleshandy exactly right,
// or exits 1 (4 when a service keeps failing) and the next run brings everything right; nothing is
// ever there twice. "Right" is computed from GHL's data without our mapper (Fidelity.h).
#include "SyncFixture.h"

#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "store/SyncStore.h"

#include <QtTest>

using namespace lb;

namespace {

/// Runs until a run exits 0, at most `maxRuns`; returns how many it took (maxRuns + 1: never).
int runsToConverge(Fixture &f, int maxRuns, QStringList *log)
{
    for (int n = 1; n <= maxRuns; ++n) {
        auto run = f.sync();
        *log << QStringLiteral("run %1: exit %2 %3").arg(n).arg(run->exitCode()).arg(run->errorText());
        if (run->exitCode() == 0)
            return n;
    }
    return maxRuns + 1;
}

} // namespace

class TestSyncFaults : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void lostAnswersToCreatesAreReadBackInTheSameRun();
    void aServiceThatKeepsFailingStopsTheRunAndTheNextRunConverges();
    void seededFaultsOnEveryEndpointConvergeWithinTwoRuns();
    void faultMatrix_data();
    void faultMatrix();
};

void TestSyncFaults::lostAnswersToCreatesAreReadBackInTheSameRun()
{
    Fixture f(60);
    QVERIFY(f.ok);
    QString error;
    // Notes are created, then the answer is a 500; task creates lose their connection after the
    // server acted, or get a 500 before it did.
    QVERIFY2(f.box->saleshandy().setFaults(
                 QStringLiteral(
                     "5xx-after=500@/v1/notes:x4,cut-after@/v1/tasks/create:x3,5xx=500@/v1/tasks/create:x3"),
                 &error),
             qPrintable(error));
    auto run = f.sync();
    QVERIFY2(run->errorText().isEmpty(), qPrintable(run->errorText()));
    QCOMPARE(run->exitCode(), 0);
    const QStringList wrong = fidelity::differences(*f.box);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
    // The log says which records were found after an answer was lost.
    SyncStore store(*f.db);
    EventQuery q;
    q.runId = run->runId();
    q.text = QStringLiteral("found in Saleshandy after an answer was lost");
    QVERIFY(store.countEvents(q) >= 4);
}

void TestSyncFaults::aServiceThatKeepsFailingStopsTheRunAndTheNextRunConverges()
{
    Fixture f(60);
    QVERIFY(f.ok);
    QString error;
    QVERIFY(f.box->saleshandy().setFaults(QStringLiteral("cut@/v1/tasks/create"), &error));
    auto run = f.sync();
    QVERIFY2(run->exitCode() == 1 || run->exitCode() == 4, qPrintable(run->errorText()));
    QVERIFY(f.box->saleshandy().tasks().isEmpty());
    SyncStore store(*f.db);
    EventQuery q;
    q.runId = run->runId();
    q.outcome = QStringLiteral("failed");
    q.kind = QStringLiteral("task");
    const QList<SyncEvent> failed = store.events(q);
    if (run->exitCode() == 1) {
        QVERIFY(!failed.isEmpty());
        QVERIFY(!failed.first().requestIds.isEmpty());
    } else {
        QVERIFY2(run->errorText().contains(QLatin1String("Saleshandy")), qPrintable(run->errorText()));
    }

    f.box->saleshandy().clearFaults();
    auto again = f.sync();
    QVERIFY2(again->exitCode() == 0, qPrintable(again->errorText()));
    QVERIFY(store.failures(f.box->options().locationId).isEmpty());
    const QStringList wrong = fidelity::differences(*f.box);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
}

void TestSyncFaults::seededFaultsOnEveryEndpointConvergeWithinTwoRuns()
{
    sandbox::SandboxOptions o;
    o.faultSeed = 20261207;
    Fixture f(150, o);
    QVERIFY(f.ok);
    const QString spec =
        QStringLiteral("5xx:0.03,cut:0.02,cut-after:0.02,malformed:0.02,truncated:0.01,429:x5");
    QString error;
    QVERIFY2(f.box->saleshandy().setFaults(spec, &error), qPrintable(error));
    QVERIFY2(f.box->ghl().setFaults(spec, &error), qPrintable(error));
    QStringList log;
    const int runs = runsToConverge(f, 3, &log);
    qInfo().noquote() << "seeded faults" << spec << ": converged in" << runs << "run(s);"
                      << log.join(QStringLiteral("; ")) << "; faults injected: GHL"
                      << f.box->ghl().faultsInjected() << "Saleshandy"
                      << f.box->saleshandy().faultsInjected();
    QVERIFY2(runs <= 2, qPrintable(log.join(QLatin1Char('\n'))));
    const QStringList wrong = fidelity::differences(*f.box);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
}

void TestSyncFaults::faultMatrix_data()
{
    QTest::addColumn<bool>("onGhl");
    QTest::addColumn<QString>("spec");
    // Each kind before and after the server acted, twice in a row, on each kind of endpoint.
    const QStringList kinds{QStringLiteral("5xx:x2"),       QStringLiteral("5xx-after:x2"),
                            QStringLiteral("cut:x2"),       QStringLiteral("cut-after:x2"),
                            QStringLiteral("malformed:x2"), QStringLiteral("truncated:x2"),
                            QStringLiteral("429:x3")};
    const QStringList ghl{QStringLiteral("@/contacts/search"), QStringLiteral("@tasks"),
                          QStringLiteral("@notes")};
    const QStringList saleshandy{QStringLiteral("@/v1/fields"),
                                 QStringLiteral("@/v1/prospects/import-with"),
                                 QStringLiteral("@/v1/prospects/import-status"),
                                 QStringLiteral("@/v1/prospects/tags"),
                                 QStringLiteral("@/v1/prospects"),
                                 QStringLiteral("@/v1/tasks/create"),
                                 QStringLiteral("@/v1/tasks"),
                                 QStringLiteral("@/v1/notes"),
                                 QStringLiteral("@notes")};
    for (const QString &kind : kinds) {
        const QString name = kind.section(QLatin1Char(':'), 0, 0);
        const QString amount = kind.section(QLatin1Char(':'), 1);
        for (const QString &path : ghl)
            QTest::addRow("GHL %s %s", qPrintable(name), qPrintable(path.mid(1)))
                << true << name + path + QLatin1Char(':') + amount;
        for (const QString &path : saleshandy)
            QTest::addRow("Saleshandy %s %s", qPrintable(name), qPrintable(path.mid(1)))
                << false << name + path + QLatin1Char(':') + amount;
    }
}

void TestSyncFaults::faultMatrix()
{
    QFETCH(bool, onGhl);
    QFETCH(QString, spec);
    Fixture f(25);
    QVERIFY(f.ok);
    QString error;
    QVERIFY2(onGhl ? f.box->ghl().setFaults(spec, &error) : f.box->saleshandy().setFaults(spec, &error),
             qPrintable(error));
    QStringList log;
    const int runs = runsToConverge(f, 2, &log);
    // The fault did happen: the case tested what it says.
    QVERIFY2((onGhl ? f.box->ghl().faultsInjected() : f.box->saleshandy().faultsInjected()) > 0,
             qPrintable(spec));
    QVERIFY2(runs <= 2, qPrintable(log.join(QLatin1Char('\n'))));
    const QStringList wrong = fidelity::differences(*f.box);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
    if (runs > 1)
        qInfo().noquote() << spec << "converged in" << runs << "runs";
}

QTEST_GUILESS_MAIN(TestSyncFaults)
#include "tst_syncfaults.moc"
