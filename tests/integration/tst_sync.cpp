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

#include "SyncFixture.h"

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using namespace lb;

namespace {

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
    void sharedEmailsFollowTheMappingsPolicy();
    void deletionsFollowOnePolicyAndAreSaidOnce();
    void deletedNotesAreMarkedWhenThePolicySaysSo();
    void valuesNotSentAsWrittenAreCountedAndLoggedPerField();
    void aSecondRunOnTheSameLocationIsRefused();
    void anUnreadableFieldListStopsTheRunBeforeAnyWrite();
};

void TestSync::firstSyncWritesEveryDefaultMappedFieldFaithfully()
{
    Fixture f(300);
    QVERIFY(f.ok);
    auto run = f.sync();
    QVERIFY2(run->errorText().isEmpty(), qPrintable(run->errorText()));
    QCOMPARE(run->exitCode(), 0);
    const auto expected = fidelity::expectedProspects(*f.box);
    auto &shs = f.box->saleshandy();
    QCOMPARE(shs.prospects().size(), expected.size());
    QCOMPARE(outcome(run->summary(), "contact", "created"), expected.size());
    // Field by field, computed from GHL's data without our mapper: nothing blank, nothing dropped.
    const QStringList wrong = fidelity::differences(*f.box);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.mid(0, 30).join(QLatin1Char('\n'))));

    int tasks = 0, notes = 0;
    SyncStore state(*f.db);
    const auto taskIds = state.records(f.box->options().locationId, QStringLiteral("task"));
    for (const fidelity::ExpectedProspect &e : expected) {
        const sandbox::ShProspectRecord *p = shs.prospectByEmail(e.email);
        QVERIFY2(p, qPrintable(e.email));
        for (const Contact &c : e.contacts) {
            const ContactChildren children = f.box->ghl().children(c.id);
            for (const Task &t : children.tasks) {
                const sandbox::ShTaskRecord *written = shs.task(taskIds.value(t.id).shId);
                QVERIFY2(written, qPrintable(t.id));
                QCOMPARE(written->prospectId, p->id);
                QCOMPARE(written->taskType, QStringLiteral("9"));
                QCOMPARE(written->state,
                         t.completed ? QStringLiteral("completed") : QStringLiteral("pending"));
            }
            tasks += int(children.tasks.size());
            notes += int(std::count_if(children.notes.cbegin(), children.notes.cend(), [](const Note &n) {
                return !(n.title + n.body).trimmed().isEmpty();
            }));
            const bool future = std::any_of(children.appointments.cbegin(), children.appointments.cend(),
                                            [](const Appointment &a) {
                                                return a.startTime > QDateTime::currentDateTimeUtc() &&
                                                       a.appointmentStatus != QLatin1String("cancelled") &&
                                                       a.appointmentStatus != QLatin1String("invalid") &&
                                                       a.appointmentStatus != QLatin1String("noshow");
                                            });
            if (future && c.id == e.contacts.constFirst().id)
                QVERIFY2(!p->value(QStringLiteral("GHL Next Appointment")).isEmpty(), qPrintable(c.id));
        }
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
             qPrintable(QString::number(
                 shs.requestCount(QStringLiteral("POST /v1/prospects/import-with-field-name")))));
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
    QCOMPARE(
        outcome(again->summary(), "contact", "created") + outcome(again->summary(), "contact", "updated"), 0);
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
        QCOMPARE(f.box->saleshandy().prospectByEmail(email)->value(QStringLiteral("City")),
                 c->city.trimmed());
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
    const auto expected = fidelity::expectedProspects(*f.box);
    int members = 0;
    for (const fidelity::ExpectedProspect &e : expected)
        members += int(e.contacts.size());
    const int invalid = f.box->ghl().contactCount() - members;
    QVERIFY(invalid > 0);
    QVERIFY(members > expected.size()); // the sandbox has contacts sharing an email
    QCOMPARE(outcome(run->summary(), "contact", "invalid"), invalid);
    QCOMPARE(outcome(run->summary(), "contact", "merged"), members - int(expected.size()));
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
    // The merged contacts are named in the log, with the contact whose prospect they joined.
    q.outcome = QStringLiteral("merged");
    const QList<SyncEvent> merged = store.events(q);
    QCOMPARE(merged.size(), members - int(expected.size()));
    for (const SyncEvent &e : merged)
        QVERIFY2(e.reason.contains(QLatin1String("shares the email")), qPrintable(e.reason));
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
    // Task creates lose their connection before Saleshandy acted, many times in a row: the run
    // reads back and creates again, up to three times a task, then gives the task up.
    QVERIFY(f.box->saleshandy().setFaults(QStringLiteral("cut@/v1/tasks/create:x40"), &error));
    auto run = f.sync();
    SyncStore store(*f.db);
    EventQuery q;
    q.runId = run->runId();
    q.outcome = QStringLiteral("failed");
    q.kind = QStringLiteral("task");
    const QList<SyncEvent> failed = store.events(q);
    QCOMPARE(run->exitCode() == 0, failed.isEmpty() && run->errorText().isEmpty());
    for (const SyncEvent &e : failed)
        QVERIFY(!e.requestIds.isEmpty());

    f.box->saleshandy().clearFaults();
    if (!failed.isEmpty()) {
        // The failed creates really did not happen (cut before the handler): the retry creates
        // each exactly once after a read-back that finds none.
        SyncOptions retry;
        retry.pull = false;
        retry.mode = QStringLiteral("retry");
        const QStringList contacts = store.contactsWithFailures(f.box->options().locationId, run->runId());
        retry.onlyContacts = QSet<QString>(contacts.begin(), contacts.end());
        QVERIFY(!retry.onlyContacts.isEmpty());
        auto again = f.sync(retry);
        QCOMPARE(again->exitCode(), 0);
        QVERIFY(store.failures(f.box->options().locationId).isEmpty());
    }
    if (run->exitCode() != 0 && run->exitCode() != 1)
        QCOMPARE(f.sync()->exitCode(), 0); // the run had stopped: the next one finishes it
    const QStringList wrong = fidelity::differences(*f.box);
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
}

namespace {

/// The Saleshandy note with this id, as the sandbox holds it.
std::optional<sandbox::ShNoteRecord> shNote(sandbox::Sandbox &box, const QString &id)
{
    for (const sandbox::ShNoteRecord &n : box.saleshandy().notes())
        if (n.id == id)
            return n;
    return std::nullopt;
}

template <typename Request> bool finish(Request &request)
{
    QSignalSpy done(&request, &ApiRequest::finished);
    request.start();
    return (request.isFinished() || done.wait(10000)) && request.ok();
}

} // namespace

void TestSync::sharedEmailsFollowTheMappingsPolicy()
{
    Fixture f(300);
    QVERIFY(f.ok);
    SyncOptions options;
    SyncPolicy policy = options.mapping.policy();
    policy.sharedEmailFields = SharedEmailFields::Oldest;
    policy.sharedEmailTags = SharedEmailTags::ChosenContact;
    options.mapping.setPolicy(policy);
    auto run = f.sync(options);
    QCOMPARE(run->exitCode(), 0);
    int groups = 0;
    for (const fidelity::ExpectedProspect &e : fidelity::expectedProspects(*f.box)) {
        if (e.contacts.size() < 2)
            continue;
        ++groups;
        QList<Contact> byAge = e.contacts;
        std::sort(byAge.begin(), byAge.end(), [](const Contact &a, const Contact &b) {
            const qint64 x = json::toMs(a.dateAdded), y = json::toMs(b.dateAdded);
            return x != y ? x < y : a.id < b.id;
        });
        const Contact &oldest = byAge.constFirst();
        const sandbox::ShProspectRecord *p = f.box->saleshandy().prospectByEmail(e.email);
        QVERIFY2(p, qPrintable(e.email));
        QCOMPARE(p->value(QStringLiteral("GHL Contact ID")), oldest.id);
        // The chosen contact's tags only (the import adds tags; nothing else assigned them).
        QStringList want;
        for (const QString &t : oldest.tags)
            if (!t.trimmed().isEmpty())
                want << t.trimmed();
        want.sort();
        want.removeDuplicates();
        QStringList got = p->tags;
        got.sort();
        QCOMPARE(got, want);
        // Every task of every contact of the group is on the one prospect.
        int tasks = 0;
        for (const Contact &c : e.contacts)
            tasks += int(f.box->ghl().children(c.id).tasks.size());
        const QList<sandbox::ShTaskRecord> all = f.box->saleshandy().tasks();
        QCOMPARE(int(std::count_if(all.cbegin(), all.cend(),
                                   [&](const sandbox::ShTaskRecord &t) { return t.prospectId == p->id; })),
                 tasks);
    }
    QVERIFY(groups > 0);
    // Nothing changed, nothing written: the group's prospect is unchanged on the next run.
    const int writes = f.box->saleshandy().writeRequestCount();
    auto again = f.sync(options);
    QCOMPARE(again->exitCode(), 0);
    QCOMPARE(f.box->saleshandy().writeRequestCount(), writes);
}

void TestSync::deletionsFollowOnePolicyAndAreSaidOnce()
{
    Fixture f(80);
    QVERIFY(f.ok);
    QCOMPARE(f.sync()->exitCode(), 0);
    // A contact with tasks and notes of its own is deleted; another loses a note and a task.
    QString gone, pruned, noteId, taskId;
    const auto expected = fidelity::expectedProspects(*f.box);
    for (const fidelity::ExpectedProspect &e : expected) {
        if (e.contacts.size() != 1)
            continue;
        const ContactChildren children = f.box->ghl().children(e.contacts.constFirst().id);
        const bool openTask = std::any_of(children.tasks.cbegin(), children.tasks.cend(),
                                          [](const Task &t) { return !t.completed; });
        const bool note = std::any_of(children.notes.cbegin(), children.notes.cend(),
                                      [](const Note &n) { return !(n.title + n.body).trimmed().isEmpty(); });
        if (!openTask || !note)
            continue;
        if (gone.isEmpty()) {
            gone = e.contacts.constFirst().id;
        } else if (pruned.isEmpty()) {
            pruned = e.contacts.constFirst().id;
            for (const Task &t : children.tasks)
                if (!t.completed)
                    taskId = t.id;
            for (const Note &n : children.notes)
                if (!(n.title + n.body).trimmed().isEmpty())
                    noteId = n.id;
        }
    }
    QVERIFY(!gone.isEmpty() && !pruned.isEmpty());
    const QString goneEmail = f.box->ghl().contact(gone)->email.trimmed().toLower();
    ghl::DeleteNoteRequest deleteNote(*f.ghl, pruned, noteId);
    QVERIFY(finish(deleteNote));
    ghl::DeleteTaskRequest deleteTask(*f.ghl, pruned, taskId);
    QVERIFY(finish(deleteTask));
    QVERIFY(f.box->ghl().deleteContactDirect(gone));

    SyncOptions full;
    full.full = true; // a full pull finds the deletion
    auto run = f.sync(full);
    QVERIFY2(run->exitCode() == 0, qPrintable(run->errorText()));
    SyncStore store(*f.db);
    const auto tasks = store.records(f.box->options().locationId, QStringLiteral("task"));
    const auto notes = store.records(f.box->options().locationId, QStringLiteral("note"));
    // The task: skipped. The note: left as it is (Saleshandy cannot delete notes), and said.
    QCOMPARE(f.box->saleshandy().task(tasks.value(taskId).shId)->state, QStringLiteral("skipped"));
    const auto note = shNote(*f.box, notes.value(noteId).shId);
    QVERIFY(note);
    QVERIFY(!note->content.startsWith(QLatin1String("[Deleted in GHL]")));
    EventQuery q;
    q.runId = run->runId();
    q.kind = QStringLiteral("note");
    q.outcome = QStringLiteral("left");
    // The pruned note, and those of the deleted contact: each said once.
    const QList<SyncEvent> left = store.events(q);
    int goneNotes = 0;
    for (const auto &state : notes)
        if (state.ghlContactId == gone && !state.shId.isEmpty())
            ++goneNotes;
    QCOMPARE(left.size(), 1 + goneNotes);
    QVERIFY(std::any_of(left.cbegin(), left.cend(), [&](const SyncEvent &e) { return e.ghlId == noteId; }));
    for (const SyncEvent &e : left)
        QVERIFY2(e.reason.contains(QLatin1String("cannot delete")), qPrintable(e.reason));
    // The contact: its prospect tagged ghl-deleted, its open tasks skipped.
    const sandbox::ShProspectRecord *prospect = f.box->saleshandy().prospectByEmail(goneEmail);
    QVERIFY(prospect);
    QVERIFY2(prospect->tags.contains(QStringLiteral("ghl-deleted")),
             qPrintable(prospect->tags.join(QLatin1Char(','))));
    QCOMPARE(outcome(run->summary(), "contact", "deleted"), 1);
    for (const sandbox::ShTaskRecord &t : f.box->saleshandy().tasks())
        if (t.prospectId == prospect->id)
            QVERIFY(t.state != QLatin1String("pending"));

    // Said once: the next run has nothing more to do about them.
    const int writes = f.box->saleshandy().writeRequestCount();
    auto again = f.sync(full);
    QCOMPARE(again->exitCode(), 0);
    QCOMPARE(f.box->saleshandy().writeRequestCount(), writes);
    QCOMPARE(outcome(again->summary(), "contact", "deleted"), 0);
    q.runId = again->runId();
    QCOMPARE(store.countEvents(q), 0);
}

void TestSync::deletedNotesAreMarkedWhenThePolicySaysSo()
{
    Fixture f(40);
    QVERIFY(f.ok);
    SyncOptions options;
    SyncPolicy policy = options.mapping.policy();
    policy.deletedNotes = DeletedNotePolicy::MarkDeleted;
    policy.deletedContacts = DeletedContactPolicy::Nothing;
    options.mapping.setPolicy(policy);
    QCOMPARE(f.sync(options)->exitCode(), 0);
    QString contactId, noteId;
    for (const Contact &c : f.sendable())
        for (const Note &n : f.box->ghl().children(c.id).notes)
            if (noteId.isEmpty() && !(n.title + n.body).trimmed().isEmpty() &&
                fidelity::expectedProspects(*f.box).value(c.email.trimmed().toLower()).contacts.size() == 1) {
                contactId = c.id;
                noteId = n.id;
            }
    QVERIFY(!noteId.isEmpty());
    ghl::DeleteNoteRequest deleteNote(*f.ghl, contactId, noteId);
    QVERIFY(finish(deleteNote));
    SyncOptions full = options;
    full.full = true;
    auto run = f.sync(full);
    QCOMPARE(run->exitCode(), 0);
    SyncStore store(*f.db);
    const auto note =
        shNote(*f.box, store.records(f.box->options().locationId, QStringLiteral("note")).value(noteId).shId);
    QVERIFY(note);
    QVERIFY2(note->content.startsWith(QLatin1String("[Deleted in GHL] ")), qPrintable(note->content));
}

void TestSync::valuesNotSentAsWrittenAreCountedAndLoggedPerField()
{
    Fixture f(400);
    QVERIFY(f.ok);
    auto run = f.sync();
    QCOMPARE(run->exitCode(), 0);
    const QJsonObject summary = run->summary();
    const int contactsWarned = outcome(summary, "contact", "warnings");
    const QJsonObject byKind = summary.value(QStringLiteral("warningsByKind")).toObject();
    // The sandbox has over-long companies and phone numbers that cannot be converted.
    QVERIFY2(contactsWarned > 0, qPrintable(QJsonDocument(summary).toJson()));
    QVERIFY(byKind.value(QStringLiteral("cut")).toInt() > 0);
    QVERIFY(byKind.value(QStringLiteral("kept-as-written")).toInt() > 0);
    SyncStore store(*f.db);
    EventQuery q;
    q.runId = run->runId();
    q.kind = QStringLiteral("contact");
    q.warningsOnly = true;
    q.limit = 100000;
    const QList<SyncEvent> warned = store.events(q);
    QCOMPARE(warned.size(), contactsWarned);
    int fields = 0;
    for (const SyncEvent &e : warned) {
        QVERIFY(!e.warnings.isEmpty());
        const sandbox::ShProspectRecord *p = nullptr;
        for (const sandbox::ShProspectRecord &r : f.box->saleshandy().prospects())
            if (r.id == e.shId)
                p = &r;
        for (const FieldWarning &w : e.warnings) {
            ++fields;
            QVERIFY(!w.message.isEmpty());
            // A value kept as written is in Saleshandy as GHL has it (trimmed), never blank.
            if (w.kind == WarningKind::KeptAsWritten && p && w.target != QLatin1String("tags"))
                QVERIFY2(!p->value(w.target).isEmpty(), qPrintable(w.target));
        }
    }
    QVERIFY(fields > 0);
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
