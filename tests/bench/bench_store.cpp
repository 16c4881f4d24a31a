// Measures the local store at the size of a large GHL location: batch write throughput, search and
// paging latency, and peak memory. Run by hand:
//   bench_store [--contacts N] [--db postgresql://...]
// Without --db it uses a fresh SQLite file per run in a temporary folder.

#include "domain/Contact.h"
#include "store/ContactStore.h"
#include "store/Database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <utility>

using namespace lb;

namespace {

constexpr qint64 BaseMs = 1'700'000'000'000;

QList<Contact> generate(int n)
{
    static const char *first[] = {"Ada",    "Grace",   "Linus", "Margaret", "Alan",   "Barbara",
                                  "Dennis", "Frances", "Ken",   "Radia",    "Edsger", "Hedy",
                                  "José",   "Zoë",     "Søren", "Łucja"};
    static const char *last[] = {"Lovelace", "Hopper",  "Torvalds", "Hamilton", "Turing",
                                 "Liskov",   "Ritchie", "Allen",    "Thompson", "Perlman",
                                 "Dijkstra", "Lamarr",  "Núñez",    "Öztürk"};
    static const char *tags[] = {"lead",    "customer", "newsletter", "vip",
                                 "webinar", "trial",    "churned",    "partner"};
    static const char *companies[] = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark"};
    QRandomGenerator rng(42);
    QList<Contact> out;
    out.reserve(n);
    for (int i = 0; i < n; ++i) {
        Contact c;
        c.id = QStringLiteral("c%1").arg(i, 7, 10, QLatin1Char('0'));
        c.locationId = QStringLiteral("loc-bench");
        c.firstName = QString::fromUtf8(first[rng.bounded(int(std::size(first)))]);
        c.lastName = QString::fromUtf8(last[rng.bounded(int(std::size(last)))]);
        c.email = QStringLiteral("%1.%2.%3@example%4.com")
                      .arg(c.firstName.toLower(), c.lastName.toLower())
                      .arg(i)
                      .arg(i % 97);
        c.phone = QStringLiteral("+1 555-%1-%2").arg(rng.bounded(100, 999)).arg(rng.bounded(1000, 9999));
        c.companyName = QString::fromLatin1(companies[rng.bounded(int(std::size(companies)))]);
        c.city = QStringLiteral("Springfield");
        c.country = QStringLiteral("US");
        c.source = QStringLiteral("bench");
        c.dnd = i % 10 == 0;
        for (int t = 0, count = 1 + rng.bounded(3); t < count; ++t)
            c.tags << QString::fromLatin1(tags[rng.bounded(int(std::size(tags)))]);
        c.dateAdded = QDateTime::fromMSecsSinceEpoch(BaseMs + i * 1000LL, Qt::UTC);
        c.dateUpdated = QDateTime::fromMSecsSinceEpoch(BaseMs + i * 1000LL + 500, Qt::UTC);
        c.customFields = {
            {QStringLiteral("cf_score"), QJsonValue(rng.bounded(100))},
            {QStringLiteral("cf_note"), QJsonValue(QStringLiteral("Met at event %1").arg(i % 50))},
            {QStringLiteral("cf_interests"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}}};
        out << c;
    }
    return out;
}

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

/// The median of `runs` timings, in milliseconds, of `f`.
template <typename F> double medianMs(int runs, F f)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        f();
        times << t.nsecsElapsed() / 1e6;
    }
    std::sort(times.begin(), times.end());
    return times.at(times.size() / 2);
}

/// A query of the benchmark's location, whatever other fields ContactQuery has.
ContactQuery query(const QString &search, int limit, int offset)
{
    ContactQuery q;
    q.locationId = QStringLiteral("loc-bench");
    q.search = search;
    q.limit = limit;
    q.offset = offset;
    return q;
}

[[noreturn]] void die(const QString &message)
{
    std::fprintf(stderr, "bench_store: %s\n", qPrintable(message));
    std::exit(1);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Measures the LeadBridge local store."));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("contacts"), QStringLiteral("How many contacts (default 100000)."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("db"),
                      QStringLiteral("A PostgreSQL URL; default: a temporary SQLite file."),
                      QStringLiteral("SPEC")});
    parser.process(app);
    const int n = parser.value(QStringLiteral("contacts")).toInt();
    if (n < 1000)
        die(QStringLiteral("--contacts must be at least 1000."));

    QTemporaryDir dir;
    const QString pgUrl = parser.value(QStringLiteral("db"));
    auto specFor = [&](const QString &tag) {
        if (pgUrl.isEmpty())
            return dir.filePath(tag + QStringLiteral(".sqlite"));
        return pgUrl + (pgUrl.contains(QLatin1Char('?')) ? QLatin1Char('&') : QLatin1Char('?')) +
               QStringLiteral("schema=bench_%1_%2").arg(QCoreApplication::applicationPid()).arg(tag);
    };

    QElapsedTimer genTimer;
    genTimer.start();
    const QList<Contact> contacts = generate(n);
    std::printf("store benchmark: %d contacts (3 custom values, 1-3 tags each) on %s\n", n,
                pgUrl.isEmpty() ? "SQLite (temporary file)" : qPrintable(Database::redactSpec(pgUrl)));
    std::printf("  generate in memory:                 %8.0f ms\n", genTimer.nsecsElapsed() / 1e6);

    std::unique_ptr<Database> lastDb;
    std::unique_ptr<ContactStore> lastStore;
    for (const int batchSize : {500, 5000}) {
        const QString tag = QStringLiteral("b%1").arg(batchSize);
        QString error;
        auto db = Database::open(specFor(tag), &error);
        if (!db)
            die(error);
        auto store = std::make_unique<ContactStore>(*db);
        // Wall time and CPU time: on a shared machine the CPU figure is the steadier one.
        auto writeAll = [&](const QString &seenBy) -> std::pair<double, double> {
            QElapsedTimer t;
            t.start();
            const std::clock_t cpuStart = std::clock();
            for (int start = 0; start < n; start += batchSize) {
                PullBatch batch;
                batch.locationId = QStringLiteral("loc-bench");
                batch.contacts = contacts.mid(start, batchSize);
                batch.seenByPullId = seenBy;
                batch.cursor = PullCursor{QStringLiteral("loc-bench"), BaseMs + start * 1000LL, {}, {}, 0};
                if (!store->writePullBatch(batch))
                    die(store->error());
            }
            return {t.nsecsElapsed() / 1e9, double(std::clock() - cpuStart) / CLOCKS_PER_SEC};
        };
        const auto [insertS, insertCpu] = writeAll(QString());
        std::printf("  insert, batches of %5d:            %8.0f contacts/s  (%.2f s wall; %.0f contacts per "
                    "CPU-second)\n",
                    batchSize, n / insertS, insertS, n / insertCpu);
        const auto [updateS, updateCpu] = writeAll(QStringLiteral("full-1"));
        std::printf("  update (re-upsert), batches of %5d:%8.0f contacts/s  (%.2f s wall; %.0f contacts per "
                    "CPU-second)\n",
                    batchSize, n / updateS, updateS, n / updateCpu);
        if (lastStore) {
            lastStore.reset();
            lastDb.reset();
        }
        lastDb = std::move(db);
        lastStore = std::move(store);
    }
    ContactStore &store = *lastStore;

    const QString needle =
        contacts.at(n / 2).email.mid(contacts.at(n / 2).email.indexOf(QLatin1Char('.')) + 1, 12);
    const ContactQuery rare = query(needle, 100, 0);
    int rareHits = 0;
    const double rareMs = medianMs(5, [&] { rareHits = store.contacts(rare).size(); });
    const ContactQuery common = query(QStringLiteral("hopper"), 100, 0);
    int commonCount = 0;
    const double commonPageMs = medianMs(5, [&] { (void)store.contacts(common); });
    const double commonCountMs = medianMs(5, [&] { commonCount = store.countContacts(common); });
    const ContactQuery page = query({}, 100, n / 2);
    int pageRows = 0;
    const double pageMs = medianMs(5, [&] { pageRows = store.contacts(page).size(); });
    const double countMs = medianMs(5, [&] { (void)store.countContacts(query({}, 0, 0)); });
    QStringList ids;
    for (int i = 0; i < 5000; ++i)
        ids << contacts.at((i * 7919) % n).id;
    const double lookupMs = medianMs(5, [&] { (void)store.storedDateUpdated(ids); });
    if (!store.error().isEmpty())
        die(store.error());

    std::printf("  search \"%s\" (substring of one email), first page: %6.1f ms, %d hit(s)\n",
                qPrintable(needle), rareMs, rareHits);
    std::printf("  search \"hopper\", first page of 100:   %6.1f ms\n", commonPageMs);
    std::printf("  search \"hopper\", count:               %6.1f ms, %d matches\n", commonCountMs,
                commonCount);
    std::printf("  page: limit 100 offset %d:          %6.1f ms, %d rows\n", n / 2, pageMs, pageRows);
    std::printf("  count all:                          %6.1f ms\n", countMs);
    std::printf("  storedDateUpdated for 5000 ids:     %6.1f ms\n", lookupMs);
    std::printf("  peak RSS (VmHWM):                   %6.1f MiB\n", peakRssKiB() / 1024.0);

    if (!pgUrl.isEmpty()) {
        // Leave the server as we found it.
        for (const char *tag : {"b500", "b5000"}) {
            QSqlQuery q(lastDb->connection());
            (void)q.exec(QStringLiteral("DROP SCHEMA IF EXISTS bench_%1_%2 CASCADE")
                             .arg(QCoreApplication::applicationPid())
                             .arg(QLatin1String(tag)));
        }
    }
    lastStore.reset();
    lastDb.reset();
    return 0;
}
