// Sync figures of the sync-engine issue, printed (a measurement, not a test):
//   1. mapper + planner throughput over contacts in memory;
//   2. first sync of N contacts (no child records sent) against the sandbox: Saleshandy requests, time;
//   3. incremental sync with 1% of contacts changed: requests per service;
//   4. a run with nothing changed: Saleshandy write requests.
//
//   bench_sync [--contacts N] [--plan-contacts N]
#include "api/ghl/GhlClient.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"
#include "store/Database.h"
#include "sync/Mapper.h"
#include "sync/SyncEngine.h"
#include "sync/SyncPlanner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTextStream>

using namespace lb;

namespace {

void print(const QString &line)
{
    QTextStream(stdout) << line << Qt::endl;
}

FieldMapping contactsOnly()
{
    FieldMapping m = FieldMapping::defaultMapping();
    m.setRules(RecordKind::Task, {});
    m.setRules(RecordKind::Note, {});
    return m;
}

QString routes(const QHash<QString, int> &byRoute)
{
    QStringList parts;
    for (auto it = byRoute.cbegin(); it != byRoute.cend(); ++it)
        parts << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
    parts.sort();
    return parts.join(QStringLiteral("; "));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption contactsOpt(QStringLiteral("contacts"), QStringLiteral("Contacts in the sandbox."),
                                         QStringLiteral("n"), QStringLiteral("10000"));
    const QCommandLineOption planOpt(QStringLiteral("plan-contacts"), QStringLiteral("Contacts for the planner figure."),
                                     QStringLiteral("n"), QStringLiteral("100000"));
    parser.addOptions({contactsOpt, planOpt});
    parser.process(app);
    const int n = parser.value(contactsOpt).toInt();

    sandbox::SandboxOptions o;
    o.contacts = n;
    o.ghlBurstMax = 1000000;
    o.saleshandyImportDelayMs = 500;
    sandbox::Sandbox box(o);
    QString error;
    if (!box.start(&error)) {
        print(error);
        return 1;
    }

    // 1. Mapper and planner, in memory: the sandbox's contacts, repeated to the size asked for.
    {
        const int target = parser.value(planOpt).toInt();
        const QList<Contact> source = box.ghl().data().contacts();
        QList<Contact> contacts;
        QList<ContactChildren> children;
        contacts.reserve(target);
        for (int i = 0; i < target; ++i) {
            Contact c = source.at(i % source.size());
            c.id += QString::number(i);
            c.email = QString::number(i) + c.email;
            contacts << c;
            children << box.ghl().children(source.at(i % source.size()).id);
        }
        const Mapper mapper(FieldMapping::defaultMapping(), MapperContext{box.ghl().data().customFields(), {}, {}});
        QElapsedTimer t;
        t.start();
        qint64 mappedFields = 0;
        for (int i = 0; i < contacts.size(); ++i)
            mappedFields += mapper.map(contacts.at(i), children.at(i)).fields.size();
        const qint64 mapMs = std::max<qint64>(1, t.elapsed());
        print(QStringLiteral("bench_sync: mapper alone over %1 contacts: %2 ms, %3 contacts/s (%4 fields)")
                  .arg(contacts.size())
                  .arg(mapMs)
                  .arg(qint64(contacts.size()) * 1000 / mapMs)
                  .arg(mappedFields));
        t.restart();
        SyncPlanner planner(mapper, {}, {}, {});
        for (int i = 0; i < contacts.size(); ++i)
            planner.add(contacts.at(i), children.at(i));
        const SyncPlan plan = planner.finish();
        const qint64 ms = std::max<qint64>(1, t.elapsed());
        print(QStringLiteral("bench_sync: mapper + planner over %1 contacts (default mapping, with their tasks, notes, "
                             "appointments): %2 ms, %3 contacts/s (goal >= 200,000/s); %4 to create, %5 invalid")
                  .arg(contacts.size())
                  .arg(ms)
                  .arg(qint64(contacts.size()) * 1000 / ms)
                  .arg(plan.count(ProspectChange::Action::Create))
                  .arg(plan.count(ProspectChange::Action::Invalid)));
    }

    QTemporaryDir dir;
    auto db = Database::open(dir.filePath(QStringLiteral("bench.db")), &error);
    if (!db) {
        print(error);
        return 1;
    }
    ghl::GhlClient ghl(box.ghlUrl(), o.locationId);
    StaticTokenProvider ghlToken(o.ghlToken);
    ghl.setTokenProvider(&ghlToken);
    sh::SaleshandyClient sh(box.saleshandyUrl());
    StaticTokenProvider shKey(o.saleshandyApiKey);
    sh.setTokenProvider(&shKey);

    auto run = [&](const QString &label) {
        box.ghl().resetCounters();
        box.saleshandy().resetCounters();
        SyncOptions options;
        options.locationId = o.locationId;
        options.mapping = contactsOnly();
        options.pollIntervalMs = 500;
        SyncEngine engine(ghl, sh, *db, options);
        QSignalSpy done(&engine, &SyncEngine::finished);
        QElapsedTimer t;
        t.start();
        engine.start();
        if (!engine.isFinished())
            done.wait(3600 * 1000);
        const QJsonObject s = engine.summary();
        const QJsonObject contacts = s.value(QStringLiteral("records")).toObject().value(QStringLiteral("contact")).toObject();
        print(QStringLiteral("  %1: %2 s, exit %3; contacts created %4, updated %5, unchanged %6, invalid %7")
                  .arg(label)
                  .arg(t.elapsed() / 1000.0, 0, 'f', 1)
                  .arg(engine.exitCode())
                  .arg(contacts.value(QStringLiteral("created")).toInt())
                  .arg(contacts.value(QStringLiteral("updated")).toInt())
                  .arg(contacts.value(QStringLiteral("unchanged")).toInt())
                  .arg(contacts.value(QStringLiteral("invalid")).toInt()));
        print(QStringLiteral("    requests: GHL %1, Saleshandy %2 (of which writes %3)")
                  .arg(box.ghl().requestCount())
                  .arg(box.saleshandy().requestCount())
                  .arg(box.saleshandy().writeRequestCount()));
        print(QStringLiteral("    Saleshandy by route: %1").arg(routes(box.saleshandy().requestCountsByRoute())));
        if (!engine.errorText().isEmpty())
            print(QStringLiteral("    error: ") + engine.errorText());
    };

    print(QStringLiteral("bench_sync: %1 contacts, contact fields and tags only (no child records sent); Saleshandy "
                         "client at its default 5 requests/s")
              .arg(n));
    run(QStringLiteral("first sync"));
    box.ghl().touchContacts(n / 100);
    run(QStringLiteral("incremental, 1% changed"));
    run(QStringLiteral("nothing changed"));
    return 0;
}
