// A sync killed with SIGKILL at several moments, then finished by the next run: no duplicate
// prospect, task or note, and nothing lost. The services run in this process; the syncs are
// `leadbridge-cli sync` child processes, killed from the sandbox's own request log.
#include "domain/Json.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"

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
            {QStringLiteral("sync"), QStringLiteral("--location"), m_box->options().locationId, QStringLiteral("--ghl-url"),
             m_box->ghlUrl().toString(), QStringLiteral("--saleshandy-url"), m_box->saleshandyUrl().toString(),
             QStringLiteral("--db"), m_dir.filePath(QStringLiteral("kill.db")), QStringLiteral("--json"),
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
                                      if (killed || method != QLatin1String("POST") || !path.startsWith(QLatin1String(point.route)) ||
                                          status >= 300)
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

    // The truth: every sendable contact once, each of its tasks and notes exactly once.
    static const QRegularExpression plausible(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    QSet<QString> emails;
    int tasks = 0, notes = 0;
    // The contact added first keeps a shared email (as the planner decides).
    QList<Contact> all = m_box->ghl().data().contacts();
    std::sort(all.begin(), all.end(), [](const Contact &a, const Contact &b) {
        const qint64 x = json::toMs(a.dateAdded), y = json::toMs(b.dateAdded);
        return x != y ? x < y : a.id < b.id;
    });
    for (const Contact &c : std::as_const(all)) {
        const QString email = c.email.trimmed().toLower();
        if (!plausible.match(email).hasMatch() || emails.contains(email))
            continue;
        emails.insert(email);
        const ContactChildren children = m_box->ghl().children(c.id);
        tasks += int(children.tasks.size());
        notes += int(std::count_if(children.notes.cbegin(), children.notes.cend(),
                                   [](const Note &n) { return !(n.title + n.body).trimmed().isEmpty(); }));
    }
    QCOMPARE(int(shs.prospects().size()), int(emails.size()));
    QSet<QString> prospectEmails;
    for (const auto &p : shs.prospects())
        prospectEmails.insert(p.email.toLower());
    QCOMPARE(prospectEmails.size(), emails.size()); // no duplicates by email
    QCOMPARE(int(shs.tasks().size()), tasks);
    QCOMPARE(int(shs.notes().size()), notes);
}

QTEST_GUILESS_MAIN(TestSyncKill)
#include "tst_synckill.moc"
