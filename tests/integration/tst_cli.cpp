// leadbridge-cli as a user runs it: child processes, the sandbox served by `leadbridge-cli sandbox`,
// exit codes and the JSON contract of DESIGN.md, and a pull killed with SIGKILL then resumed.
#include "store/ContactStore.h"
#include "store/Database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>
#include <csignal>

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
    void syncDryRunThenRunThenLogFollowTheContract();
    void mappingExportsAndABadMappingFileIsRefusedWithItsPath();

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
                            QStringLiteral("--burst-max"), QStringLiteral("100000"),
                            QStringLiteral("--latency"), QStringLiteral("2"),
                            QStringLiteral("--saleshandy-rate"), QStringLiteral("100000"),
                            QStringLiteral("--saleshandy-import-delay"), QStringLiteral("50")});
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
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

QProcessEnvironment TestCli::withToken(const QString &token) const
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("LEADBRIDGE_GHL_TOKEN"), token);
    return env;
}

QStringList TestCli::common() const
{
    return {QStringLiteral("--ghl-url"), m_info.value(QLatin1String("ghlUrl")).toString(),
            QStringLiteral("--location"), m_info.value(QLatin1String("locationId")).toString()};
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
    Result noLocation =
        cli({QStringLiteral("pull"), QStringLiteral("--db"), m_dir.filePath(QStringLiteral("x.db"))}, env);
    QCOMPARE(noLocation.exitCode, 2);
    QVERIFY(noLocation.err.contains(QLatin1String("--location")));
    QCOMPARE(cli({QStringLiteral("pull"), QStringLiteral("--bogus")}, env).exitCode, 2);
}

void TestCli::pullPrintsAOneLineJsonSummaryAndExits0()
{
    const QString db = m_dir.filePath(QStringLiteral("json.db"));
    Result r = cli(QStringList{QStringLiteral("pull"), QStringLiteral("--db"), db, QStringLiteral("--json")} +
                       common(),
                   withToken(m_info.value(QLatin1String("ghlToken")).toString()));
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QJsonObject summary = r.lastJson();
    QCOMPARE(summary.value(QLatin1String("contactsRead")).toInt(), 1500);
    QCOMPARE(summary.value(QLatin1String("exitCode")).toInt(), 0);
    QVERIFY(summary.value(QLatin1String("requests")).toObject().value(QLatin1String("ghl")).toInt() > 4500);
    QVERIFY(summary.contains(QLatin1String("durationMs")));

    Result again = cli(
        QStringList{QStringLiteral("pull"), QStringLiteral("--db"), db, QStringLiteral("--json")} + common(),
        withToken(m_info.value(QLatin1String("ghlToken")).toString()));
    QCOMPARE(again.exitCode, 0);
    QVERIFY(
        again.lastJson().value(QLatin1String("requests")).toObject().value(QLatin1String("ghl")).toInt() <=
        2);
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
    const QString id = page.value(QLatin1String("contacts"))
                           .toArray()
                           .at(0)
                           .toObject()
                           .value(QLatin1String("id"))
                           .toString();

    Result show = cli({QStringLiteral("contacts"), QStringLiteral("show"), id, QStringLiteral("--db"), db,
                       QStringLiteral("--json")},
                      env);
    QVERIFY2(show.exitCode == 0, qPrintable(show.err));
    const QJsonObject contact = show.lastJson();
    QCOMPARE(contact.value(QLatin1String("id")).toString(), id);
    QVERIFY(contact.value(QLatin1String("tasks")).isArray());
    QVERIFY(contact.value(QLatin1String("notes")).isArray());
    QVERIFY(contact.value(QLatin1String("appointments")).isArray());

    Result text =
        cli({QStringLiteral("contacts"), QStringLiteral("show"), id, QStringLiteral("--db"), db}, env);
    QCOMPARE(text.exitCode, 0);
    QVERIFY(text.out.contains(QLatin1String("Tasks (")));
    QCOMPARE(cli({QStringLiteral("contacts"), QStringLiteral("show"), QStringLiteral("nope"),
                  QStringLiteral("--db"), db},
                 env)
                 .exitCode,
             1);
}

void TestCli::wrongTokenExits3WithAClearMessage()
{
    Result r = cli(QStringList{QStringLiteral("pull"), QStringLiteral("--db"),
                               m_dir.filePath(QStringLiteral("auth.db"))} +
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
    Result r =
        cli(QStringList{QStringLiteral("pull"), QStringLiteral("--profile"), QStringLiteral("nobody-here"),
                        QStringLiteral("--db"), m_dir.filePath(QStringLiteral("none.db"))} +
                common(),
            env);
    QCOMPARE(r.exitCode, 2);
    // With a keychain: nothing stored for this profile. Without: what to install or set.
    QVERIFY2(r.err.contains(QLatin1String("credentials set ghl")) ||
                 r.err.contains(QLatin1String("LEADBRIDGE_GHL_TOKEN")),
             qPrintable(r.err));
}

void TestCli::pullKilledWithSigkillIsFinishedByTheNextPull()
{
    const QString db = m_dir.filePath(QStringLiteral("killed.db"));
    const QString location = m_info.value(QLatin1String("locationId")).toString();
    QProcess victim;
    victim.setProcessEnvironment(withToken(m_info.value(QLatin1String("ghlToken")).toString()));
    victim.start(cliPath(),
                 QStringList{QStringLiteral("pull"), QStringLiteral("--full"), QStringLiteral("--db"), db} +
                     common());
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
    QVERIFY2(r.lastJson().value(QLatin1String("contactsRead")).toInt() <= 1500 - 500, qPrintable(r.out));
    check = Database::open(db, &error);
    ContactStore after(*check);
    QCOMPARE(after.countContacts(q), 1500);
    QCOMPARE(after.pullCursor(location)->fullPullId, QString());
}

void TestCli::syncDryRunThenRunThenLogFollowTheContract()
{
    const QString db = m_dir.filePath(QStringLiteral("sync.db"));
    QProcessEnvironment env = withToken(m_info.value(QLatin1String("ghlToken")).toString());
    env.insert(QStringLiteral("LEADBRIDGE_SALESHANDY_API_KEY"),
               m_info.value(QLatin1String("saleshandyApiKey")).toString());
    const QStringList sync = QStringList{QStringLiteral("sync"),
                                         QStringLiteral("--db"),
                                         db,
                                         QStringLiteral("--saleshandy-url"),
                                         m_info.value(QLatin1String("saleshandyUrl")).toString(),
                                         QStringLiteral("--saleshandy-rate"),
                                         QStringLiteral("1000")} +
                             common();
    Result dry = cli(sync + QStringList{QStringLiteral("--dry-run")}, env);
    QVERIFY2(dry.exitCode == 0, qPrintable(dry.err));
    QVERIFY(dry.out.contains(QLatin1String("create ")));
    QVERIFY(dry.out.contains(QLatin1String("First Name: (empty) -> '")));
    QVERIFY(dry.out.contains(QLatin1String("dry run, nothing written")));

    Result run = cli(sync + QStringList{QStringLiteral("--json")}, env);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const QJsonObject summary = run.lastJson();
    const qint64 runId = summary.value(QLatin1String("runId")).toInteger();
    QVERIFY(runId > 0);
    const QJsonObject contacts =
        summary.value(QLatin1String("records")).toObject().value(QLatin1String("contact")).toObject();
    QVERIFY(contacts.value(QLatin1String("created")).toInt() > 1000);
    QVERIFY(contacts.value(QLatin1String("invalid")).toInt() > 0);
    for (const char *key : {"updated", "unchanged", "failed"})
        QVERIFY(contacts.contains(QLatin1String(key)));
    QVERIFY(summary.value(QLatin1String("requests")).toObject().contains(QLatin1String("saleshandy")));
    QVERIFY(summary.value(QLatin1String("responses429")).isObject());
    QVERIFY(summary.contains(QLatin1String("durationMs")));

    Result again = cli(sync + QStringList{QStringLiteral("--json")}, env);
    QCOMPARE(again.exitCode, 0);
    QCOMPARE(again.lastJson()
                 .value(QLatin1String("records"))
                 .toObject()
                 .value(QLatin1String("contact"))
                 .toObject()
                 .value(QLatin1String("created"))
                 .toInt(),
             0);

    Result log = cli({QStringLiteral("log"), QStringLiteral("--db"), db}, env);
    QCOMPARE(log.exitCode, 0);
    QVERIFY(log.out.contains(QLatin1String("incremental")));
    Result invalid = cli({QStringLiteral("log"), QStringLiteral("--db"), db, QStringLiteral("--run"),
                          QString::number(runId), QStringLiteral("--failed")},
                         env);
    QCOMPARE(invalid.exitCode, 0);
    QVERIFY2(invalid.out.contains(QLatin1String("no email")) ||
                 invalid.out.contains(QLatin1String("invalid email")),
             qPrintable(invalid.out.left(2000)));
    Result retry = cli({QStringLiteral("retry"), QStringLiteral("--db"), db, QStringLiteral("--run"),
                        QString::number(runId)},
                       env);
    QCOMPARE(retry.exitCode, 0);
    QVERIFY(retry.out.contains(QLatin1String("No record of run")));
}

void TestCli::mappingExportsAndABadMappingFileIsRefusedWithItsPath()
{
    const QString db = m_dir.filePath(QStringLiteral("mapping.db"));
    const QString file = m_dir.filePath(QStringLiteral("mapping.json"));
    const auto env = QProcessEnvironment::systemEnvironment();
    Result out =
        cli({QStringLiteral("mapping"), QStringLiteral("export"), file, QStringLiteral("--db"), db}, env);
    QVERIFY2(out.exitCode == 0, qPrintable(out.err));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonObject mapping = QJsonDocument::fromJson(f.readAll()).object();
    f.close();
    QCOMPARE(mapping.value(QLatin1String("formatVersion")).toInt(), 2);
    Result in =
        cli({QStringLiteral("mapping"), QStringLiteral("import"), file, QStringLiteral("--db"), db}, env);
    QVERIFY2(in.exitCode == 0, qPrintable(in.err));
    QVERIFY(in.out.contains(QLatin1String("revision 1")));

    const QString bad = m_dir.filePath(QStringLiteral("bad.json"));
    QFile b(bad);
    QVERIFY(b.open(QIODevice::WriteOnly));
    b.write("{\"formatVersion\": 1, \"rules\": {\"contact\": [{\"source\": \"email\", \"target\": \"Email\", "
            "\"transforms\": [{\"name\": \"no-such-transform\"}]}]}}");
    b.close();
    Result refused =
        cli({QStringLiteral("mapping"), QStringLiteral("import"), bad, QStringLiteral("--db"), db}, env);
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains(QLatin1String("$.rules.contact[0]")), qPrintable(refused.err));
    Result notJson = cli({QStringLiteral("sync"), QStringLiteral("--location"), QStringLiteral("L"),
                          QStringLiteral("--db"), db, QStringLiteral("--mapping"),
                          m_dir.filePath(QStringLiteral("missing.json"))},
                         env);
    QCOMPARE(notJson.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
