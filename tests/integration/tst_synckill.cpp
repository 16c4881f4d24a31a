// A sync killed with SIGKILL at several moments, then finished by the next run: no duplicate
// prospect, task or note, and nothing lost. The services run in this process; the syncs are
// `leadbridge-cli sync` child processes, killed from the sandbox's own request log.
#include "domain/Json.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"

#include "Fidelity.h"
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <QtTest>

#include <csignal>

using namespace lb;

class TestSyncKill : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void killedAtAnyMomentTheNextRunFinishesWithoutDuplicates();

private:
    QProcess *startSync(QProcess &p);
    QTemporaryDir m_dir;
    std::unique_ptr<sandbox::Sandbox> m_box;
};

QProcess *TestSyncKill::startSync(QProcess &p)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LEADBRIDGE_GHL_TOKEN"), m_box->options().ghlToken);
    env.insert(QStringLiteral("LEADBRIDGE_SALESHANDY_API_KEY"), m_box->options().saleshandyApiKey);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    p.start(qEnvironmentVariable("LEADBRIDGE_CLI"),
            {QStringLiteral("sync"), QStringLiteral("--location"), m_box->options().locationId,
             QStringLiteral("--ghl-url"), m_box->ghlUrl().toString(), QStringLiteral("--saleshandy-url"),
             m_box->saleshandyUrl().toString(), QStringLiteral("--db"),
             m_dir.filePath(QStringLiteral("kill.db")), QStringLiteral("--json"),
             QStringLiteral("--saleshandy-rate"), QStringLiteral("1000")});
    return &p;
}

void TestSyncKill::killedAtAnyMomentTheNextRunFinishesWithoutDuplicates()
{
    QVERIFY(QFileInfo::exists(qEnvironmentVariable("LEADBRIDGE_CLI")));
    sandbox::SandboxOptions o;
    o.contacts = 150;
    o.ghlBurstMax = 100000;
    o.saleshandyRateMax = 100000;
    o.saleshandyImportDelayMs = 100;
    o.latencyMs = 3;
    m_box = std::make_unique<sandbox::Sandbox>(o);
    QString error;
    QVERIFY2(m_box->start(&error), qPrintable(error));
    auto &shs = m_box->saleshandy();

    // Each kill point: the route to watch and how many answers of it to let through first.
    struct Point
    {
        const char *route;
        int after;
    };
    const Point points[] = {
        {"/v1/prospects/import-with-field-name", 1}, // the import sent, its outcome not yet confirmed
        {"/v1/tasks/create", 7},                     // in the middle of the task creates
        {"/v1/notes", 5},                            // in the middle of the note creates
        {"/v1/tasks/create", 3},                     // again, after the resumed run read back its intents
    };
    int kills = 0;
    for (const Point &point : points) {
        QProcess victim;
        int seen = 0;
        bool killed = false;
        auto connection = connect(&shs, &sandbox::SaleshandyService::requestServed, this,
                                  [&](const QString &method, const QString &path, int status) {
                                      if (killed || method != QLatin1String("POST") ||
                                          !path.startsWith(QLatin1String(point.route)) || status >= 300)
                                          return;
                                      if (++seen >= point.after) {
                                          ::kill(pid_t(victim.processId()), SIGKILL);
                                          killed = true;
                                      }
                                  });
        startSync(victim);
        QVERIFY(victim.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(victim.state() == QProcess::NotRunning, 120000);
        disconnect(connection);
        if (!killed) {
            // This run had nothing left at that point: it must have finished cleanly.
            QCOMPARE(victim.exitStatus(), QProcess::NormalExit);
            continue;
        }
        QCOMPARE(victim.exitStatus(), QProcess::CrashExit);
        ++kills;
    }
    QVERIFY2(kills >= 3, "the runs ended before most kill points were reached");

    QProcess last;
    startSync(last);
    QVERIFY(last.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(last.state() == QProcess::NotRunning, 120000);
    const QList<QByteArray> lines = last.readAllStandardOutput().trimmed().split('\n');
    QCOMPARE(last.exitCode(), 0);
    const QJsonObject summary = QJsonDocument::fromJson(lines.constLast()).object();
    QCOMPARE(summary.value(QStringLiteral("exitCode")).toInt(), 0);

    // The truth, computed from GHL's data: every prospect once (contacts sharing an email are
    // one), with each task and note of each of its contacts exactly once, nothing blank.
    const QStringList wrong = fidelity::differences(*m_box);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 30).join(QLatin1Char('\n'))));
    QCOMPARE(int(shs.prospects().size()), int(fidelity::expectedProspects(*m_box).size()));
}

QTEST_GUILESS_MAIN(TestSyncKill)
#include "tst_synckill.moc"
