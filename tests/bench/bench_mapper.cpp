// Measures the mapping step of the planner at the size of a large GHL location: 100,000 contacts,
// each with 3 custom values, 2 tasks, 1 note and 1 appointment, mapped with the default mapping and
// hashed. Goal: ≥ 200,000 contacts per second on one core. Run by hand:
//   bench_mapper [--contacts N] [--rounds R] [--threads T]
// With --threads, one Mapper is shared by T threads (map() is const and keeps per-thread buffers).

#include "domain/Contact.h"
#include "domain/FieldMapping.h"
#include "sync/Mapper.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <thread>
#include <vector>

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

struct Record
{
    Contact contact;
    ContactChildren children;
};

const QDateTime Now(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);

QList<CustomField> definitions()
{
    QList<CustomField> defs;
    const char *keys[][3] = {{"cf_score", "contact.score", "NUMERICAL"},
                             {"cf_stage", "contact.stage", "SINGLE_OPTIONS"},
                             {"cf_notes", "contact.notes", "LARGE_TEXT"}};
    for (const auto &k : keys) {
        CustomField f;
        f.id = QString::fromLatin1(k[0]);
        f.fieldKey = QString::fromLatin1(k[1]);
        f.dataType = QString::fromLatin1(k[2]);
        defs << f;
    }
    return defs;
}

QList<Record> generate(int n)
{
    static const char *first[] = {"Ada",    "Grace",   "Linus", "Margaret", "Alan",   "Barbara",
                                  "Dennis", "Frances", "Ken",   "Radia",    "Edsger", "Hedy",
                                  "José",   "Zoë",     "Søren", "Łucja",    "İlker",  "Νίκος"};
    static const char *last[] = {"Lovelace", "Hopper",  "Torvalds", "Hamilton", "Turing",
                                 "Liskov",   "Ritchie", "Allen",    "Thompson", "Perlman",
                                 "Dijkstra", "Lamarr",  "Núñez",    "Öztürk"};
    static const char *tags[] = {"lead",    "customer", "newsletter", "vip",
                                 "webinar", "trial",    "churned",    "partner"};
    static const char *companies[] = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark"};
    static const char *stages[] = {"hot", "warm", "cold"};
    static const char *countries[] = {"US", "DE", "GB", "FR", "TR", "ES"};
    QRandomGenerator rng(42);
    QList<Record> out;
    out.reserve(n);
    const qint64 base = Now.toMSecsSinceEpoch();
    for (int i = 0; i < n; ++i) {
        Record r;
        Contact &c = r.contact;
        c.id = QStringLiteral("c%1").arg(i, 19, 10, QLatin1Char('0'));
        c.locationId = QStringLiteral("loc-bench");
        c.firstName = QString::fromUtf8(first[rng.bounded(int(std::size(first)))]);
        c.lastName = QString::fromUtf8(last[rng.bounded(int(std::size(last)))]);
        // Some mixed case and stray spaces, as people type them; every 50th has no email.
        if (i % 50 != 0)
            c.email =
                QStringLiteral("%1.%2.%3@Example%4.com").arg(c.firstName, c.lastName).arg(i).arg(i % 97);
        c.phone = QStringLiteral("+1 %1-555-%2").arg(rng.bounded(200, 999)).arg(rng.bounded(1000, 9999));
        c.companyName = QString::fromLatin1(companies[rng.bounded(int(std::size(companies)))]);
        c.city = QStringLiteral("Springfield");
        c.country = QString::fromLatin1(countries[rng.bounded(int(std::size(countries)))]);
        c.source = QStringLiteral("bench");
        c.dateAdded = QDateTime::fromMSecsSinceEpoch(base - qint64(rng.bounded(1000)) * 86'400'000, Qt::UTC);
        c.dateUpdated = c.dateAdded;
        for (int t = 0, count = 1 + rng.bounded(3); t < count; ++t)
            c.tags << QString::fromLatin1(tags[rng.bounded(int(std::size(tags)))]);
        c.customFields = {
            {QStringLiteral("cf_score"), QJsonValue(rng.bounded(100))},
            {QStringLiteral("cf_stage"), QJsonValue(QString::fromLatin1(stages[rng.bounded(3)]))},
            {QStringLiteral("cf_notes"),
             QJsonValue(QStringLiteral("Met at the expo; interested in plan %1.").arg(i % 7))},
        };
        ContactChildren &ch = r.children;
        ch.contactId = c.id;
        for (int t = 0; t < 2; ++t) {
            Task task;
            task.id = QStringLiteral("t%1-%2").arg(i).arg(t);
            task.contactId = c.id;
            task.title = t == 0 ? QStringLiteral("Call back") : QStringLiteral("Send the proposal");
            task.body =
                t == 0 ? QStringLiteral("Ask about pricing for %1 seats.").arg(10 + i % 90) : QString();
            task.dueDate =
                QDateTime::fromMSecsSinceEpoch(base + qint64(rng.bounded(60)) * 86'400'000, Qt::UTC);
            task.completed = rng.bounded(4) == 0;
            ch.tasks << task;
        }
        Note note;
        note.id = QStringLiteral("n%1").arg(i);
        note.contactId = c.id;
        note.body = QStringLiteral("Prefers e-mail over calls. Decision maker: %1.").arg(c.firstName);
        ch.notes << note;
        Appointment a;
        a.id = QStringLiteral("a%1").arg(i);
        a.contactId = c.id;
        a.title = QStringLiteral("Demo");
        a.appointmentStatus = i % 5 == 0 ? QStringLiteral("cancelled") : QStringLiteral("confirmed");
        a.address = QStringLiteral("Zoom");
        a.startTime =
            QDateTime::fromMSecsSinceEpoch(base + (qint64(rng.bounded(40)) - 20) * 86'400'000, Qt::UTC);
        a.endTime = a.startTime.addSecs(1800);
        ch.appointments << a;
        out << std::move(r);
    }
    return out;
}

// CPU time of this thread: on a shared machine the wall clock also measures the neighbours.
double threadCpuSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) / 1e9;
}

struct Result
{
    double seconds = 0;
    double cpuSeconds = 0;
    int valid = 0, invalid = 0, problems = 0;
    QByteArray digest; // of all hashes, to show that runs agree
};

Result run(const Mapper &mapper, const QList<Record> &records)
{
    Result r;
    // A cheap fold of all hashes (FNV-1a), so the check that rounds agree costs next to nothing.
    quint64 all = 1469598103934665603ull;
    auto fold = [&all](const QByteArray &h) {
        for (char c : h)
            all = (all ^ quint8(c)) * 1099511628211ull;
    };
    QElapsedTimer timer;
    const double cpu0 = threadCpuSeconds();
    timer.start();
    for (const Record &rec : records) {
        const MappedProspect p = mapper.map(rec.contact, rec.children);
        (p.valid ? r.valid : r.invalid)++;
        r.problems += int(p.problems.size());
        fold(p.hash);
        for (const MappedTask &t : p.tasks)
            fold(t.hash);
        for (const MappedNote &n : p.notes)
            fold(n.hash);
    }
    r.seconds = timer.nsecsElapsed() / 1e9;
    r.cpuSeconds = threadCpuSeconds() - cpu0;
    r.digest = QByteArray::number(all, 16);
    return r;
}

// The same work split over `threads` threads; wall clock only.
double runParallel(const Mapper &mapper, const QList<Record> &records, int threads)
{
    QElapsedTimer timer;
    timer.start();
    std::vector<std::thread> pool;
    const qsizetype chunk = (records.size() + threads - 1) / threads;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            const qsizetype end = std::min(records.size(), (t + 1) * chunk);
            for (qsizetype i = t * chunk; i < end; ++i) {
                const MappedProspect p = mapper.map(records.at(i).contact, records.at(i).children);
                Q_UNUSED(p);
            }
        });
    }
    for (std::thread &th : pool)
        th.join();
    return timer.nsecsElapsed() / 1e9;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Mapping and hashing throughput"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("contacts"), QStringLiteral("Number of contacts (default 100000)."),
                      QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("rounds"),
                      QStringLiteral("Timed rounds per mapping (default 5; the best is reported)."),
                      QStringLiteral("R"), QStringLiteral("5")});
    parser.addOption({QStringLiteral("threads"),
                      QStringLiteral("Also map with T threads sharing one Mapper (default 1: no)."),
                      QStringLiteral("T"), QStringLiteral("1")});
    parser.process(app);
    const int threads = std::max(1, parser.value(QStringLiteral("threads")).toInt());
    const int n = std::max(1, parser.value(QStringLiteral("contacts")).toInt());
    const int rounds = std::max(1, parser.value(QStringLiteral("rounds")).toInt());

    QElapsedTimer gen;
    gen.start();
    const QList<Record> records = generate(n);
    std::printf("generated %d contacts (3 custom values, 2 tasks, 1 note, 1 appointment each) in %.2f s\n", n,
                gen.nsecsElapsed() / 1e9);
    std::printf("  peak RSS after generation (VmHWM):  %6.1f MiB\n", peakRssKiB() / 1024.0);

    FieldMapping withCustom = FieldMapping::defaultMapping();
    auto add = [&](const char *source, const char *target, QList<Transform> chain = {}) {
        MappingRule r;
        r.source = QString::fromLatin1(source);
        r.target = QString::fromLatin1(target);
        r.transforms = std::move(chain);
        withCustom.addRule(RecordKind::Contact, r);
    };
    add("custom.score", "Score");
    add("custom.stage", "Stage", {Transform::titleCase()});
    add("custom.notes", "Notes", {Transform::truncate(LongTextFieldMaxLength)});
    withCustom.setRequiredFields(
        withCustom.requiredFields() +
        QList<TargetField>{
            TargetField{QStringLiteral("Score"), TargetFieldType::Number, {}, {}, false},
            TargetField{QStringLiteral("Stage"),
                        TargetFieldType::Dropdown,
                        {QStringLiteral("Hot"), QStringLiteral("Warm"), QStringLiteral("Cold")},
                        {},
                        false},
            TargetField{QStringLiteral("Notes"), TargetFieldType::LongText, {}, {}, false}});

    // Where the time goes: the default mapping with kinds of rules taken away.
    FieldMapping contactsOnly = FieldMapping::defaultMapping();
    contactsOnly.setRules(RecordKind::Task, {});
    contactsOnly.setRules(RecordKind::Note, {});
    contactsOnly.setRules(RecordKind::Appointment, {});
    FieldMapping withoutTasks = FieldMapping::defaultMapping();
    withoutTasks.setRules(RecordKind::Task, {});

    const struct
    {
        const char *name;
        FieldMapping mapping;
    } cases[] = {{"default mapping", FieldMapping::defaultMapping()},
                 {"default + 3 custom-field rules", withCustom},
                 {"breakdown: contact rules only", contactsOnly},
                 {"breakdown: default without task rules", withoutTasks}};

    for (const auto &c : cases) {
        const Mapper mapper(c.mapping, MapperContext{definitions(), {}, Now});
        if (!mapper.isUsable()) {
            std::fprintf(stderr, "mapping '%s' is not usable\n", c.name);
            return 2;
        }
        Result best;
        best.seconds = 1e99;
        double bestCpu = 1e99;
        QByteArray digest;
        for (int i = 0; i < rounds; ++i) {
            const Result r = run(mapper, records);
            if (!digest.isEmpty() && r.digest != digest) {
                std::fprintf(stderr, "hashes differ between rounds\n");
                return 1;
            }
            digest = r.digest;
            if (r.seconds < best.seconds)
                best = r;
            bestCpu = std::min(bestCpu, r.cpuSeconds);
        }
        std::printf("%s:\n", c.name);
        std::printf("  best of %d rounds:                  %8.3f s\n", rounds, best.seconds);
        std::printf("  contacts per second (wall clock):  %8.0f  (goal 200000)\n", n / best.seconds);
        std::printf("  contacts per second (thread CPU):  %8.0f  (best CPU time %.3f s)\n", n / bestCpu,
                    bestCpu);
        std::printf("  per contact (thread CPU):          %8.2f µs\n", bestCpu * 1e6 / n);
        std::printf("  valid / invalid / field problems:  %d / %d / %d\n", best.valid, best.invalid,
                    best.problems);
        if (threads > 1) {
            double bestParallel = 1e99;
            for (int i = 0; i < rounds; ++i)
                bestParallel = std::min(bestParallel, runParallel(mapper, records, threads));
            std::printf("  contacts per second, %d threads:    %8.0f  (wall clock)\n", threads,
                        n / bestParallel);
        }
        std::printf("  digest of all hashes:              %s\n", best.digest.constData());
    }
    std::printf("peak RSS (VmHWM):                    %6.1f MiB\n", peakRssKiB() / 1024.0);
    return 0;
}
