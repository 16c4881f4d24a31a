// Pull throughput against the sandbox at its advertised rate limit. A measurement, not a test:
// it prints figures and exits 0 unless something failed outright.
//
//   bench_pull [--contacts N] [--rate-max N] [--rate-interval-ms MS]
//
// The sandbox runs as a separate process (`leadbridge-cli sandbox`), so that the peak memory
// printed is the client's alone.
#include "api/ghl/GhlClient.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "sync/GhlPull.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextStream>

#include <cmath>
#include <cstdio>

using namespace lb;

namespace {

qint64 peakRssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

void print(const QString &line)
{
    QTextStream(stdout) << line << Qt::endl;
}

std::unique_ptr<GhlPull> runPull(ghl::GhlClient &client, ContactStore &store, PullOptions options)
{
    auto pull = std::make_unique<GhlPull>(client, store, options);
    QSignalSpy done(pull.get(), &GhlPull::finished);
    pull->start();
    if (!pull->isFinished())
        done.wait(3600 * 1000);
    return pull;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption contactsOpt(QStringLiteral("contacts"), QStringLiteral("Contacts in the sandbox."),
                                         QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption maxOpt(QStringLiteral("rate-max"), QStringLiteral("Sandbox burst limit."),
                                    QStringLiteral("n"), QStringLiteral("1000"));
    const QCommandLineOption intervalOpt(QStringLiteral("rate-interval-ms"), QStringLiteral("Sandbox burst interval."),
                                         QStringLiteral("ms"), QStringLiteral("10000"));
    parser.addOptions({contactsOpt, maxOpt, intervalOpt});
    parser.process(app);
    const int contacts = parser.value(contactsOpt).toInt();
    const int rateMax = parser.value(maxOpt).toInt();
    const int intervalMs = parser.value(intervalOpt).toInt();

    QProcess sandbox;
    sandbox.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    sandbox.start(QStringLiteral(LEADBRIDGE_CLI_PATH),
                  {QStringLiteral("sandbox"), QStringLiteral("--contacts"), QString::number(contacts),
                   QStringLiteral("--burst-max"), QString::number(rateMax), QStringLiteral("--burst-interval"),
                   QString::number(intervalMs)});
    if (!sandbox.waitForStarted() || !sandbox.waitForReadyRead(60000)) {
        print(QStringLiteral("could not start the sandbox"));
        return 1;
    }
    const QJsonObject info = QJsonDocument::fromJson(sandbox.readLine()).object();

    QTemporaryDir dir;
    QString error;
    auto db = Database::open(dir.filePath(QStringLiteral("bench.db")), &error);
    if (!db) {
        print(error);
        return 1;
    }
    ContactStore store(*db);
    ghl::GhlClient client(QUrl(info.value(QLatin1String("ghlUrl")).toString()),
                          info.value(QLatin1String("locationId")).toString());
    StaticTokenProvider token(info.value(QLatin1String("ghlToken")).toString());
    client.setTokenProvider(&token);

    PullOptions full;
    full.full = true;
    auto first = runPull(client, store, full);
    if (!first->error().isOk()) {
        print(QStringLiteral("pull failed: ") + first->error().fullText());
        return 1;
    }
    const PullStats &s = first->stats();
    const qint64 minimum = 1 + (contacts + full.pageLimit - 1) / full.pageLimit + 3LL * contacts;
    // The first `rateMax` requests may go at once; each further `rateMax` needs one more interval.
    const double idealMs = double((s.requests - 1) / rateMax) * intervalMs;
    const double ratio = s.durationMs > 0 ? idealMs / double(s.durationMs) : 0;

    PullOptions incremental;
    auto nothing = runPull(client, store, incremental);

    print(QStringLiteral("bench_pull: %1 contacts, sandbox limit %2 requests per %3 ms (%4 req/s)")
              .arg(contacts)
              .arg(rateMax)
              .arg(intervalMs)
              .arg(double(rateMax) * 1000.0 / intervalMs, 0, 'f', 1));
    print(QStringLiteral("  full pull: %1 contacts, %2 tasks, %3 notes, %4 appointments in %5 s")
              .arg(s.contactsRead)
              .arg(s.tasks)
              .arg(s.notes)
              .arg(s.appointments)
              .arg(s.durationMs / 1000.0, 0, 'f', 1));
    print(QStringLiteral("  time needed at the limit / time taken: %1 s / %2 s = %3 (goal >= 0.9)")
              .arg(idealMs / 1000.0, 0, 'f', 1)
              .arg(s.durationMs / 1000.0, 0, 'f', 1)
              .arg(ratio, 0, 'f', 3));
    print(QStringLiteral("  requests made / minimum: %1 / %2 = %3x (goal <= 1.05x)")
              .arg(s.requests)
              .arg(minimum)
              .arg(double(s.requests) / double(minimum), 0, 'f', 4));
    print(QStringLiteral("  429 responses: %1 (goal 0 beyond probes); retries: %2")
              .arg(s.responses429)
              .arg(s.retries));
    print(QStringLiteral("  incremental pull with nothing changed: %1 requests (goal <= 2), %2 ms")
              .arg(nothing->stats().requests)
              .arg(nothing->stats().durationMs));
    print(QStringLiteral("  peak memory of the client (VmHWM): %1 MB (goal < 150 MB)")
              .arg(double(peakRssKiB()) / 1024.0, 0, 'f', 1));

    sandbox.terminate();
    sandbox.waitForFinished(5000);
    return 0;
}
