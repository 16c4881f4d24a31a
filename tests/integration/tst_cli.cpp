// leadbridge-cli as a user runs it: child processes, the sandbox served by `leadbridge-cli sandbox`,
// exit codes and the JSON contract of DESIGN.md, and a pull killed with SIGKILL then resumed.
#include "store/ContactStore.h"
#include "store/Database.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QJsonArray>
#include <QTcpServer>
#include <csignal>
#include <QTemporaryDir>
#include <QtTest>

using namespace lb;

namespace {

struct Result
{
    int exitCode = -1;
    QString out;
    QString err;
    [[nodiscard]] QJsonObject lastJson() const
    {
        const QStringList lines = out.trimmed().split(QLatin1Char('\n'));
        return QJsonDocument::fromJson(lines.constLast().toUtf8()).object();
    }
};

QString cliPath()
{
    return qEnvironmentVariable("LEADBRIDGE_CLI");
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void helpAndUsageErrorsUseTheDocumentedExitCodes();
    void pullPrintsAOneLineJsonSummaryAndExits0();
    void contactsListAndShowReadTheStore();
    void wrongTokenExits3WithAClearMessage();
    void unreachableGhlExits4();
    void missingCredentialsSayWhatToDo();
    void pullKilledWithSigkillIsFinishedByTheNextPull();

private:
    Result cli(const QStringList &args, const QProcessEnvironment &env, const QByteArray &input = {});
    QProcessEnvironment withToken(const QString &token) const;
    QStringList common() const;

    QTemporaryDir m_dir;
    QProcess m_sandbox;
    QJsonObject m_info;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo::exists(cliPath()), "LEADBRIDGE_CLI must name the built leadbridge-cli");
    m_sandbox.setProgram(cliPath());
    m_sandbox.setArguments({QStringLiteral("sandbox"), QStringLiteral("--contacts"), QStringLiteral("1500"),
                            QStringLiteral("--burst-max"), QStringLiteral("100000"), QStringLiteral("--latency"),
                            QStringLiteral("2")});
    m_sandbox.start();
    QVERIFY(m_sandbox.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(m_sandbox.canReadLine(), 30000);
    m_info = QJsonDocument::fromJson(m_sandbox.readLine()).object();
    QVERIFY2(m_info.value(QLatin1String("ghlUrl")).toString().startsWith(QLatin1String("http://127.0.0.1:")),
             qPrintable(QString::fromUtf8(QJsonDocument(m_info).toJson())));
    QVERIFY(!m_info.value(QLatin1String("locationId")).toString().isEmpty());
}

void TestCli::cleanupTestCase()
{
    m_sandbox.terminate();
    m_sandbox.waitForFinished(5000);
}

Result TestCli::cli(const QStringList &args, const QProcessEnvironment &env, const QByteArray &input)
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(cliPath(), args);
    p.waitForStarted();
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(180000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

QProcessEnvironment TestCli::withToken(const QString &token) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LEADBRIDGE_GHL_TOKEN"), token);
    return env;
}

QStringList TestCli::common() const
{
    return {QStringLiteral("--ghl-url"), m_info.value(QLatin1String("ghlUrl")).toString(), QStringLiteral("--location"),
            m_info.value(QLatin1String("locationId")).toString()};
}

void TestCli::helpAndUsageErrorsUseTheDocumentedExitCodes()
{
    const auto env = QProcessEnvironment::systemEnvironment();
    Result help = cli({QStringLiteral("pull"), QStringLiteral("--help")}, env);
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QLatin1String("--location")));
    QVERIFY(help.out.contains(QLatin1String("--full")));
    QCOMPARE(cli({QStringLiteral("--help")}, env).exitCode, 0);
    Result unknown = cli({QStringLiteral("frobnicate")}, env);
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(unknown.err.contains(QLatin1String("frobnicate")));
    Result noLocation = cli({QStringLiteral("pull"), QStringLiteral("--db"), m_dir.filePath(QStringLiteral("x.db"))}, env);
    QCOMPARE(noLocation.exitCode, 2);
    QVERIFY(noLocation.err.contains(QLatin1String("--location")));
    QCOMPARE(cli({QStringLiteral("pull"), QStringLiteral("--bogus")}, env).exitCode, 2);
}

void TestCli::pullPrintsAOneLineJsonSummaryAndExits0()
{
    const QString db = m_dir.filePath(QStringLiteral("json.db"));
    Result r = cli(QStringList{QStringLiteral("pull"), QStringLiteral("--db"), db, QStringLiteral("--json")} + common(),
                   withToken(m_info.value(QLatin1String("ghlToken")).toString()));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject summary = r.lastJson();
    QCOMPARE(summary.value(QLatin1String("contactsRead")).toInt(), 1500);
    QCOMPARE(summary.value(QLatin1String("exitCode")).toInt(), 0);
    QVERIFY(summary.value(QLatin1String("requests")).toObject().value(QLatin1String("ghl")).toInt() > 4500);
    QVERIFY(summary.contains(QLatin1String("durationMs")));

    Result again = cli(QStringList{QStringLiteral("pull"), QStringLiteral("--db"), db, QStringLiteral("--json")} + common(),
                       withToken(m_info.value(QLatin1String("ghlToken")).toString()));
    QCOMPARE(again.exitCode, 0);
    QVERIFY(again.lastJson().value(QLatin1String("requests")).toObject().value(QLatin1String("ghl")).toInt() <= 2);
}

void TestCli::contactsListAndShowReadTheStore()
{
    const QString db = m_dir.filePath(QStringLiteral("json.db")); // written by the previous case
    const auto env = QProcessEnvironment::systemEnvironment();
    Result list = cli({QStringLiteral("contacts"), QStringLiteral("list"), QStringLiteral("--db"), db,
                       QStringLiteral("--json"), QStringLiteral("--limit"), QStringLiteral("5")},
                      env);
    QVERIFY2(list.exitCode == 0, qPrintable(list.err));
    const QJsonObject page = list.lastJson();
    QCOMPARE(page.value(QLatin1String("total")).toInt(), 1500);
    QCOMPARE(page.value(QLatin1String("contacts")).toArray().size(), 5);
    const QString id = page.value(QLatin1String("contacts")).toArray().at(0).toObject().value(QLatin1String("id")).toString();

    Result show = cli({QStringLiteral("contacts"), QStringLiteral("show"), id, QStringLiteral("--db"), db,
                       QStringLiteral("--json")},
                      env);
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    const QJsonObject contact = show.lastJson();
    QCOMPARE(contact.value(QLatin1String("id")).toString(), id);
    QVERIFY(contact.value(QLatin1String("tasks")).isArray());
    QVERIFY(contact.value(QLatin1String("notes")).isArray());
    QVERIFY(contact.value(QLatin1String("appointments")).isArray());

    Result text = cli({QStringLiteral("contacts"), QStringLiteral("show"), id, QStringLiteral("--db"), db}, env);
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QLatin1String("Tasks (")));
    QCOMPARE(cli({QStringLiteral("contacts"), QStringLiteral("show"), QStringLiteral("nope"), QStringLiteral("--db"), db}, env)
                 .exitCode,
             1);
}

void TestCli::wrongTokenExits3WithAClearMessage()
{
    Result r = cli(QStringList{QStringLiteral("pull"), QStringLiteral("--db"), m_dir.filePath(QStringLiteral("auth.db"))} +
                       common(),
                   withToken(QStringLiteral("definitely-wrong")));
    QCOMPARE(r.exitCode, 3);
    QVERIFY2(r.err.contains(QLatin1String("refused the credentials")), qPrintable(r.err));
    QVERIFY(!r.err.contains(QLatin1String("definitely-wrong")));
}

void TestCli::unreachableGhlExits4()
{
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(probe.serverPort());
    probe.close();
    Result r = cli({QStringLiteral("pull"), QStringLiteral("--db"), m_dir.filePath(QStringLiteral("down.db")),
                    QStringLiteral("--ghl-url"), url, QStringLiteral("--location"), QStringLiteral("L")},
                   withToken(QStringLiteral("t")));
    QCOMPARE(r.exitCode, 4);
    QVERIFY2(r.err.contains(QLatin1String("could not be reached")), qPrintable(r.err));
}

void TestCli::missingCredentialsSayWhatToDo()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("LEADBRIDGE_GHL_TOKEN"));
    Result r = cli(QStringList{QStringLiteral("pull"), QStringLiteral("--profile"), QStringLiteral("nobody-here"),
                               QStringLiteral("--db"), m_dir.filePath(QStringLiteral("none.db"))} +
                       common(),
                   env);
    QCOMPARE(r.exitCode, 2);
    // With a keychain: nothing stored for this profile. Without: what to install or set.
    QVERIFY2(r.err.contains(QLatin1String("credentials set ghl")) || r.err.contains(QLatin1String("LEADBRIDGE_GHL_TOKEN")),
             qPrintable(r.err));
}

void TestCli::pullKilledWithSigkillIsFinishedByTheNextPull()
{
    const QString db = m_dir.filePath(QStringLiteral("killed.db"));
    const QString location = m_info.value(QLatin1String("locationId")).toString();
    QProcess victim;
    victim.setProcessEnvironment(withToken(m_info.value(QLatin1String("ghlToken")).toString()));
    victim.start(cliPath(), QStringList{QStringLiteral("pull"), QStringLiteral("--full"), QStringLiteral("--db"), db} + common());
    QVERIFY(victim.waitForStarted());

    // Kill it once the first page (500 contacts) is committed and the second is under way.
    QString error;
    bool killed = false;
    for (int i = 0; i < 600 && victim.state() == QProcess::Running; ++i) {
        QTest::qWait(50);
        if (!QFileInfo::exists(db))
            continue;
        auto reader = Database::open(db, &error);
        if (!reader)
            continue;
        ContactStore store(*reader);
        ContactQuery q;
        q.locationId = location;
        if (store.countContacts(q) >= 500) {
            ::kill(pid_t(victim.processId()), SIGKILL);
            killed = true;
            break;
        }
    }
    victim.waitForFinished(10000);
    QVERIFY2(killed, "the pull ended before it could be killed");
    QCOMPARE(victim.exitStatus(), QProcess::CrashExit);

    auto check = Database::open(db, &error);
    QVERIFY2(check, qPrintable(error));
    ContactStore store(*check);
    ContactQuery q;
    q.locationId = location;
    const int partial = store.countContacts(q);
    QVERIFY(partial >= 500 && partial < 1500);
    check.reset();

    Result r = cli(QStringList{QStringLiteral("pull"), QStringLiteral("--full"), QStringLiteral("--db"), db,
                               QStringLiteral("--json")} +
                       common(),
                   withToken(m_info.value(QLatin1String("ghlToken")).toString()));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // Resumed after the committed pages, not from the start.
    QVERIFY2(r.lastJson().value(QLatin1String("contactsRead")).toInt() <= 1500 - 500,
             qPrintable(r.out));
    check = Database::open(db, &error);
    ContactStore after(*check);
    QCOMPARE(after.countContacts(q), 1500);
    QCOMPARE(after.pullCursor(location)->fullPullId, QString());
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
