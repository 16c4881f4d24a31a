// The sync engine end to end: the real clients over HTTP to both simulated services on 127.0.0.1,
// a real SQLite store, the default mapping. Faults are switched on where a case needs them.
#include "api/ghl/ChildRequests.h"
#include "api/ghl/GhlClient.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "domain/Json.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "store/SyncStore.h"
#include "sync/SyncEngine.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace lb;

namespace {

bool plausibleEmail(const QString &email)
{
    static const QRegularExpression re(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    return re.match(email.trimmed()).hasMatch();
}

struct Fixture
{
    explicit Fixture(int contacts)
    {
        sandbox::SandboxOptions o;
        o.contacts = contacts;
        o.ghlBurstMax = 100000;
        o.saleshandyRateMax = 100000;
        o.saleshandyImportDelayMs = 50;
        box = std::make_unique<sandbox::Sandbox>(o);
        QString error;
        ok = box->start(&error) && dir.isValid();
        if (!ok) {
            qWarning() << error;
            return;
        }
        db = Database::open(dir.filePath(QStringLiteral("store.db")), &error);
        ok = db != nullptr;
        ghl = std::make_unique<ghl::GhlClient>(box->ghlUrl(), o.locationId);
        ghlToken = std::make_unique<StaticTokenProvider>(o.ghlToken);
        ghl->setTokenProvider(ghlToken.get());
        ghl->retryPolicy().backoffBaseMs = 20;
        sh = std::make_unique<sh::SaleshandyClient>(box->saleshandyUrl());
        shKey = std::make_unique<StaticTokenProvider>(o.saleshandyApiKey);
        sh->setTokenProvider(shKey.get());
        sh->retryPolicy().backoffBaseMs = 20;
        // The sandbox allows far more than the client's cautious default for Saleshandy.
        ServiceScheduler::Policy fast = sh->scheduler().policy();
        fast.burstMax = 100000;
        fast.maxInFlight = 6;
        sh->scheduler().setPolicy(fast);
    }

    std::unique_ptr<SyncEngine> sync(SyncOptions options = {})
    {
        options.locationId = box->options().locationId;
        options.pollIntervalMs = 50;
        auto engine = std::make_unique<SyncEngine>(*ghl, *sh, *db, options);
        QSignalSpy done(engine.get(), &SyncEngine::finished);
        engine->start();
        if (!engine->isFinished())
            done.wait(180000);
        return engine;
    }

    /// GHL contacts that the default mapping can send: a plausible email, first owner of it.
    QHash<QString, Contact> sendable() const
    {
        QList<Contact> all = box->ghl().data().contacts();
        std::sort(all.begin(), all.end(), [](const Contact &a, const Contact &b) {
            const qint64 x = json::toMs(a.dateAdded), y = json::toMs(b.dateAdded);
            return x != y ? x < y : a.id < b.id;
        });
        QHash<QString, Contact> byEmail;
        for (const Contact &c : all) {
            const QString email = c.email.trimmed().toLower();
            if (plausibleEmail(email) && !byEmail.contains(email))
                byEmail.insert(email, c);
        }
        return byEmail;
    }

    QTemporaryDir dir;
    std::unique_ptr<sandbox::Sandbox> box;
    std::unique_ptr<Database> db;
    std::unique_ptr<ghl::GhlClient> ghl;
    std::unique_ptr<StaticTokenProvider> ghlToken;
    std::unique_ptr<sh::SaleshandyClient> sh;
    std::unique_ptr<StaticTokenProvider> shKey;
    bool ok = false;
};

int outcome(const QJsonObject &summary, const char *kind, const char *what)
{
    return summary.value(QStringLiteral("records")).toObject().value(QLatin1String(kind)).toObject().value(QLatin1String(what)).toInt();
}

} // namespace

class TestSync : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstSyncWritesEveryDefaultMappedFieldFaithfully();
    void secondRunWithNothingChangedSendsNoWrite();
    void changesInGhlReachSaleshandyAndOnlyThem();
    void contactsWithoutValidOrUniqueEmailAreInvalidWithAReason();
    void completedAndDeletedTasksAreReflected();
    void dryRunListsTheChangesAndWritesNothing();
    void faultsFailRecordsWhichARetryClears();
    void aSecondRunOnTheSameLocationIsRefused();
    void anUnreadableFieldListStopsTheRunBeforeAnyWrite();
};

void TestSync::firstSyncWritesEveryDefaultMappedFieldFaithfully()
{
    Fixture f(120);
    QVERIFY(f.ok);
    auto run = f.sync();
    QVERIFY2(run->errorText().isEmpty(), qPrintable(run->errorText()));
    QCOMPARE(run->exitCode(), 0);
    const QHash<QString, Contact> expected = f.sendable();
    auto &shs = f.box->saleshandy();
    QCOMPARE(shs.prospects().size(), expected.size());
    QCOMPARE(outcome(run->summary(), "contact", "created"), expected.size());

    int tasks = 0, notes = 0;
    SyncStore state(*f.db);
    const auto taskIds = state.records(f.box->options().locationId, QStringLiteral("task"));
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const Contact &c = it.value();
        const sandbox::ShProspectRecord *p = shs.prospectByEmail(it.key());
        QVERIFY2(p, qPrintable(it.key()));
        auto same = [&](const char *label, const QString &value) {
            const QString got = p->value(QLatin1String(label));
            if (got != value.trimmed())
                qWarning() << c.id << label << "expected" << value << "got" << got;
            return got == value.trimmed();
        };
        QVERIFY(same("GHL Contact ID", c.id));
        QVERIFY(same("First Name", c.firstName));
        QVERIFY(same("Last Name", c.lastName));
        QVERIFY(same("Company", c.companyName));
        QVERIFY(same("City", c.city));
        QCOMPARE(p->value(QStringLiteral("Email")).toLower(), it.key());
        QVERIFY(!p->value(QStringLiteral("Country")).isEmpty() || c.country.isEmpty());
        // A phone that is E.164 already goes as it is; others are normalised or left out with a reason.
        static const QRegularExpression e164(QStringLiteral("^\\+[1-9][0-9]{6,14}$"));
        if (e164.match(c.phone.trimmed()).hasMatch())
            QVERIFY(same("Phone Number", c.phone));
        QStringList tags = c.tags;
        tags.removeAll(QString());
        for (const QString &t : std::as_const(tags))
            QVERIFY2(p->tags.contains(t.trimmed()), qPrintable(t));
        const ContactChildren children = f.box->ghl().children(c.id);
        const auto theirTasks = std::count_if(shs.tasks().cbegin(), shs.tasks().cend(),
                                              [&](const sandbox::ShTaskRecord &t) { return t.prospectId == p->id; });
        QCOMPARE(int(theirTasks), int(children.tasks.size()));
        for (const Task &t : children.tasks) {
            const sandbox::ShTaskRecord *written = shs.task(taskIds.value(t.id).shId);
            QVERIFY2(written, qPrintable(t.id));
            QCOMPARE(written->prospectId, p->id);
            QVERIFY2(written->note.startsWith(t.title.trimmed()), qPrintable(written->note));
            QCOMPARE(written->taskType, QStringLiteral("9"));
            QCOMPARE(written->state, t.completed ? QStringLiteral("completed") : QStringLiteral("pending"));
        }
        const auto theirNotes = std::count_if(shs.notes().cbegin(), shs.notes().cend(),
                                              [&](const sandbox::ShNoteRecord &n) { return n.prospectId == p->id; });
        // A note with neither title nor body is not sent (the mapper says so in the record's problems).
        const auto nonEmptyNotes = std::count_if(children.notes.cbegin(), children.notes.cend(),
                                                 [](const Note &n) { return !(n.title + n.body).trimmed().isEmpty(); });
        QCOMPARE(int(theirNotes), int(nonEmptyNotes));
        tasks += int(children.tasks.size());
        notes += int(nonEmptyNotes);
        const bool future = std::any_of(children.appointments.cbegin(), children.appointments.cend(), [](const Appointment &a) {
            return a.startTime > QDateTime::currentDateTimeUtc() && a.appointmentStatus != QLatin1String("cancelled") &&
                   a.appointmentStatus != QLatin1String("invalid") && a.appointmentStatus != QLatin1String("noshow");
        });
        if (future)
            QVERIFY2(!p->value(QStringLiteral("GHL Next Appointment")).isEmpty(), qPrintable(c.id));
        if (!children.appointments.isEmpty())
            QVERIFY2(!p->value(QStringLiteral("GHL Appointments")).isEmpty(), qPrintable(c.id));
    }
    QVERIFY(tasks > 0 && notes > 0);
    QCOMPARE(int(shs.tasks().size()), tasks);
    QCOMPARE(int(shs.notes().size()), notes);
    // The custom fields the default mapping needs were created, and the log says so.
    QVERIFY(shs.fieldByLabel(QStringLiteral("GHL Contact ID")));
    QVERIFY(shs.fieldByLabel(QStringLiteral("GHL Next Appointment")));
    QVERIFY(shs.fieldByLabel(QStringLiteral("GHL Appointments")));
    SyncStore store(*f.db);
    EventQuery q;
    q.runId = run->runId();
    q.kind = QStringLiteral("field");
    QCOMPARE(store.countEvents(q), 3);
    // A handful of imports and polls, not a request per contact.
    QVERIFY2(shs.requestCount(QStringLiteral("POST /v1/prospects/import-with-field-name")) <= 20,
             qPrintable(QString::number(shs.requestCount(QStringLiteral("POST /v1/prospects/import-with-field-name")))));
}

void TestSync::secondRunWithNothingChangedSendsNoWrite()
{
    Fixture f(100);
    QVERIFY(f.ok);
    QCOMPARE(f.sync()->exitCode(), 0);
    const int writes = f.box->saleshandy().writeRequestCount();
    auto again = f.sync();
    QCOMPARE(again->exitCode(), 0);
    QCOMPARE(f.box->saleshandy().writeRequestCount(), writes);
    QCOMPARE(outcome(again->summary(), "contact", "created") + outcome(again->summary(), "contact", "updated"), 0);
    QVERIFY(outcome(again->summary(), "contact", "unchanged") > 0);
}

void TestSync::changesInGhlReachSaleshandyAndOnlyThem()
{
    Fixture f(150);
    QVERIFY(f.ok);
    QCOMPARE(f.sync()->exitCode(), 0);
    const int prospects = f.box->saleshandy().prospects().size();
    const QStringList touched = f.box->ghl().touchContacts(6);
    f.box->saleshandy().resetCounters();
    auto run = f.sync();
    QCOMPARE(run->exitCode(), 0);
    QCOMPARE(f.box->saleshandy().prospects().size(), prospects); // updated, not duplicated
    const QHash<QString, Contact> expected = f.sendable();
    int updated = 0;
    for (const QString &id : touched) {
        const Contact *c = f.box->ghl().contact(id);
        const QString email = c->email.trimmed().toLower();
        if (!expected.contains(email) || expected.value(email).id != id)
            continue;
        ++updated;
        QCOMPARE(f.box->saleshandy().prospectByEmail(email)->value(QStringLiteral("City")), c->city.trimmed());
    }
    QCOMPARE(outcome(run->summary(), "contact", "updated"), updated);
    // Writes proportional to the change: one import (and its polls), no per-contact calls.
    QStringList routes;
    const auto byRoute = f.box->saleshandy().requestCountsByRoute();
    for (auto it = byRoute.cbegin(); it != byRoute.cend(); ++it)
        routes << QStringLiteral("%1 x%2").arg(it.key()).arg(it.value());
    QVERIFY2(f.box->saleshandy().writeRequestCount() <= 3, qPrintable(routes.join(QStringLiteral(", "))));
}

void TestSync::contactsWithoutValidOrUniqueEmailAreInvalidWithAReason()
{
    Fixture f(200);
    QVERIFY(f.ok);
    auto run = f.sync();
    QCOMPARE(run->exitCode(), 0);
    const QHash<QString, Contact> expected = f.sendable();
    const int invalid = f.box->ghl().contactCount() - expected.size();
    QVERIFY(invalid > 0);
    QCOMPARE(outcome(run->summary(), "contact", "invalid"), invalid);
    SyncStore store(*f.db);
    EventQuery q;
    q.runId = run->runId();
    q.outcome = QStringLiteral("invalid");
    q.kind = QStringLiteral("contact");
    const QList<SyncEvent> events = store.events(q);
    QCOMPARE(events.size(), invalid);
    QStringList reasons;
    for (const SyncEvent &e : events)
        reasons << e.reason;
    const QString all = reasons.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QLatin1String("no email")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("invalid email")), qPrintable(all));
    QVERIFY2(all.contains(QLatin1String("duplicate email")), qPrintable(all));
}

void TestSync::completedAndDeletedTasksAreReflected()
{
    Fixture f(80);
    QVERIFY(f.ok);
    QCOMPARE(f.sync()->exitCode(), 0);
    // An open task of a sent contact is completed in GHL, another one deleted.
    const QHash<QString, Contact> expected = f.sendable();
    QString completeContact, completeTask, deleteContact, deleteTask;
    for (const Contact &c : expected) {
        for (const Task &t : f.box->ghl().children(c.id).tasks) {
            if (t.completed)
                continue;
            if (completeTask.isEmpty()) {
                completeContact = c.id;
                completeTask = t.id;
            } else if (deleteTask.isEmpty() && t.id != completeTask) {
                deleteContact = c.id;
                deleteTask = t.id;
            }
        }
    }
    QVERIFY(!completeTask.isEmpty() && !deleteTask.isEmpty());
    ghl::CompleteTaskRequest done(*f.ghl, completeContact, completeTask, true);
    QSignalSpy s1(&done, &ApiRequest::finished);
    done.start();
    QVERIFY(s1.wait(10000) && done.ok());
    ghl::DeleteTaskRequest gone(*f.ghl, deleteContact, deleteTask);
    QSignalSpy s2(&gone, &ApiRequest::finished);
    gone.start();
    QVERIFY(s2.wait(10000) && gone.ok());

    auto run = f.sync();
    QCOMPARE(run->exitCode(), 0);
    SyncStore store(*f.db);
    const auto tasks = store.records(f.box->options().locationId, QStringLiteral("task"));
    const sandbox::ShTaskRecord *completed = f.box->saleshandy().task(tasks.value(completeTask).shId);
    const sandbox::ShTaskRecord *skipped = f.box->saleshandy().task(tasks.value(deleteTask).shId);
    QVERIFY(completed && skipped);
    QCOMPARE(completed->state, QStringLiteral("completed"));
    QCOMPARE(skipped->state, QStringLiteral("skipped"));
}

void TestSync::dryRunListsTheChangesAndWritesNothing()
{
    Fixture f(60);
    QVERIFY(f.ok);
    QCOMPARE(f.sync()->exitCode(), 0);
    const QStringList touched = f.box->ghl().touchContacts(3);
    const int writes = f.box->saleshandy().writeRequestCount();
    SyncOptions dry;
    dry.dryRun = true;
    auto run = f.sync(dry);
    QCOMPARE(run->exitCode(), 0);
    QCOMPARE(f.box->saleshandy().writeRequestCount(), writes);
    int planned = 0;
    for (const ProspectChange &p : run->plan().prospects) {
        if (p.action != ProspectChange::Action::Update)
            continue;
        ++planned;
        QVERIFY(touched.contains(p.ghlContactId));
        const auto city = std::find_if(p.changes.cbegin(), p.changes.cend(),
                                       [](const FieldChange &c) { return c.label == QLatin1String("City"); });
        QVERIFY(city != p.changes.cend());
        QCOMPARE(city->after, f.box->ghl().contact(p.ghlContactId)->city.trimmed());
        QVERIFY(city->before != city->after);
    }
    QVERIFY(planned > 0);
    // Nothing was recorded as written: a real run still has the same work to do.
    auto real = f.sync();
    QCOMPARE(outcome(real->summary(), "contact", "updated"), planned);
}

void TestSync::faultsFailRecordsWhichARetryClears()
{
    Fixture f(60);
    QVERIFY(f.ok);
    QString error;
    // Task creates answer 500 (not repeated: a create may have happened) and notes are cut off.
    QVERIFY(f.box->saleshandy().setFaults(QStringLiteral("5xx=500@/v1/tasks/create:x3,429@/v1/notes:x2"), &error));
    auto run = f.sync();
    QVERIFY2(run->errorText().isEmpty(), qPrintable(run->errorText()));
    QCOMPARE(run->exitCode(), 1);
    QCOMPARE(outcome(run->summary(), "task", "failed"), 3);
    SyncStore store(*f.db);
    EventQuery q;
    q.runId = run->runId();
    q.outcome = QStringLiteral("failed");
    q.kind = QStringLiteral("task");
    const QList<SyncEvent> failed = store.events(q);
    QCOMPARE(failed.size(), 3);
    QVERIFY(!failed.first().requestIds.isEmpty());
    QVERIFY(failed.first().reason.contains(QLatin1String("500")));

    f.box->saleshandy().clearFaults();
    // The failed creates really did not happen (500 before the handler), so the retry creates
    // each exactly once; a read-back finds none.
    SyncOptions retry;
    retry.pull = false;
    retry.mode = QStringLiteral("retry");
    const QStringList contacts = store.contactsWithFailures(f.box->options().locationId, run->runId());
    retry.onlyContacts = QSet<QString>(contacts.begin(), contacts.end());
    QVERIFY(!retry.onlyContacts.isEmpty());
    auto again = f.sync(retry);
    QCOMPARE(again->exitCode(), 0);
    QVERIFY(store.failures(f.box->options().locationId).isEmpty());
    int tasks = 0;
    for (const Contact &c : f.sendable())
        tasks += int(f.box->ghl().children(c.id).tasks.size());
    QCOMPARE(int(f.box->saleshandy().tasks().size()), tasks);
}

void TestSync::aSecondRunOnTheSameLocationIsRefused()
{
    Fixture f(20);
    QVERIFY(f.ok);
    SyncStore store(*f.db);
    QString heldBy;
    QVERIFY(store.tryLock(f.box->options().locationId, QStringLiteral("other-host:4242"), &heldBy));
    auto run = f.sync();
    QCOMPARE(run->exitCode(), 2);
    QVERIFY2(run->errorText().contains(QLatin1String("other-host:4242")), qPrintable(run->errorText()));
    QCOMPARE(f.box->saleshandy().writeRequestCount(), 0);
    QVERIFY(store.unlock(f.box->options().locationId, QStringLiteral("other-host:4242")));
    QCOMPARE(f.sync()->exitCode(), 0);
}

void TestSync::anUnreadableFieldListStopsTheRunBeforeAnyWrite()
{
    Fixture f(20);
    QVERIFY(f.ok);
    QString error;
    QVERIFY(f.box->saleshandy().setFaults(QStringLiteral("malformed@/v1/fields"), &error));
    auto run = f.sync();
    QCOMPARE(run->exitCode(), 2);
    QVERIFY2(run->errorText().contains(QLatin1String("could not read")), qPrintable(run->errorText()));
    QCOMPARE(f.box->saleshandy().writeRequestCount(), 0);
}

QTEST_GUILESS_MAIN(TestSync)
#include "tst_sync.moc"
