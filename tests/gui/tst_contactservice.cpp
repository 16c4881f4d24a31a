// ContactService without any widget: every operation goes to the sandboxed GHL first and reaches
// the store only when GHL said yes.
#include "GuiFixture.h"

#include "sandbox/Faults.h"

#include <QCoreApplication>

using namespace lb;

namespace {
/// Waits for one emission of `signal` on the service, or a `failed`; returns false on failure/timeout.
template <typename Signal>
bool waitFor(ContactService &service, Signal signal, ApiError *error = nullptr)
{
    QSignalSpy done(&service, signal);
    QSignalSpy failed(&service, &ContactService::failed);
    QSignalSpy storeFailed(&service, &ContactService::storeFailed);
    for (int i = 0; i < 300 && done.isEmpty() && failed.isEmpty() && storeFailed.isEmpty(); ++i)
        QTest::qWait(50);
    if (!failed.isEmpty() && error)
        *error = failed.constFirst().at(1).value<ApiError>();
    return !done.isEmpty();
}
} // namespace

class TestContactService : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createdContactReachesStoreAfterGhlAccepted()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        const int before = f.storedCount();
        Contact c;
        c.firstName = QStringLiteral("Zelda");
        c.lastName = QStringLiteral("Quartermaine");
        c.email = QStringLiteral("zelda.q@example.com");
        c.tags = {QStringLiteral("vip")};
        QSignalSpy created(f.service.get(), &ContactService::contactCreated);
        f.service->createContact(c);
        QCOMPARE(f.storedCount(), before); // nothing before GHL answers
        QVERIFY(created.wait(10000));
        const QString id = created.constFirst().at(0).toString();
        QVERIFY(f.box->ghl().contact(id));
        const std::optional<Contact> stored = f.store->contact(id);
        QVERIFY(stored);
        QCOMPARE(stored->email, c.email);
        QCOMPARE(f.storedCount(), before + 1);
    }

    void updatedContactIsStored()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        Contact c = f.store->contacts({f.location(), {}, ContactSort::Name, false, 1, 0}).constFirst();
        c.city = QStringLiteral("Wuppertal");
        f.service->updateContact(c);
        QVERIFY(waitFor(*f.service, &ContactService::contactChanged));
        QCOMPARE(f.store->contact(c.id)->city, QStringLiteral("Wuppertal"));
        QCOMPARE(f.box->ghl().contact(c.id)->city, QStringLiteral("Wuppertal"));
    }

    void deleteRemovesFromStoreOnlyAfterGhlAccepted()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        const QString id = f.contactWithTasks();
        QVERIFY(!id.isEmpty());
        f.service->deleteContact(id);
        QVERIFY(f.store->contact(id)); // still there while GHL has not answered
        QVERIFY(waitFor(*f.service, &ContactService::contactRemoved));
        QVERIFY(!f.store->contact(id));
        QVERIFY(f.store->tasks(id).isEmpty());
        QVERIFY(!f.box->ghl().contact(id));
    }

    void refusedDeleteLeavesStoreAndReportsInPlainLanguage()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        const QString id = f.contactWithTasks();
        f.box->ghl().addFault(sandbox::FaultRule::make(sandbox::FaultKind::ServerError, 503)
                                  .onPath(QStringLiteral("/contacts/") + id));
        ApiError error;
        f.service->deleteContact(id); // answers asynchronously: the spies in waitFor catch it
        QVERIFY(!waitFor(*f.service, &ContactService::contactRemoved, &error));
        QCOMPARE(error.kind, ApiError::Kind::Server);
        QVERIFY2(error.message.contains(QLatin1String("GHL")), qPrintable(error.message));
        QVERIFY(f.store->contact(id));
        QVERIFY(f.box->ghl().contact(id));
    }

    void tagsAreAddedAndRemoved()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        const Contact c = f.store->contacts({f.location(), {}, ContactSort::Name, false, 1, 0}).constFirst();
        f.service->addTags(c.id, {QStringLiteral("gui-test")});
        QVERIFY(waitFor(*f.service, &ContactService::contactChanged));
        QVERIFY(f.store->contact(c.id)->tags.contains(QStringLiteral("gui-test")));
        f.service->removeTags(c.id, {QStringLiteral("gui-test")});
        QVERIFY(waitFor(*f.service, &ContactService::contactChanged));
        QVERIFY(!f.store->contact(c.id)->tags.contains(QStringLiteral("gui-test")));
        QVERIFY(!f.box->ghl().contact(c.id)->tags.contains(QStringLiteral("gui-test")));
    }

    void tasksAreCreatedCompletedEditedAndDeleted()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        const QString contactId = f.store->contacts({f.location(), {}, ContactSort::Name, false, 1, 0}).constFirst().id;
        const int before = int(f.store->tasks(contactId).size());
        Task t;
        t.contactId = contactId;
        t.title = QStringLiteral("Call back about the offer");
        t.dueDate = QDateTime::currentDateTimeUtc().addDays(2);
        f.service->createTask(t);
        QVERIFY(waitFor(*f.service, &ContactService::childrenChanged));
        QCOMPARE(f.store->tasks(contactId).size(), before + 1);
        Task created;
        for (const Task &x : f.store->tasks(contactId))
            if (x.title == t.title)
                created = x;
        QVERIFY(!created.id.isEmpty());

        f.service->setTaskCompleted(contactId, created.id, true);
        QVERIFY(waitFor(*f.service, &ContactService::childrenChanged));
        for (const Task &x : f.store->tasks(contactId))
            if (x.id == created.id)
                QVERIFY(x.completed);

        created.title = QStringLiteral("Call back about the new offer");
        f.service->updateTask(created);
        QVERIFY(waitFor(*f.service, &ContactService::childrenChanged));
        bool renamed = false;
        for (const Task &x : f.store->tasks(contactId))
            renamed = renamed || x.title == created.title;
        QVERIFY(renamed);

        f.service->deleteTask(contactId, created.id);
        QVERIFY(waitFor(*f.service, &ContactService::childrenChanged));
        QCOMPARE(f.store->tasks(contactId).size(), before);
    }

    void notesAreAddedAndEdited()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        const QString contactId = f.store->contacts({f.location(), {}, ContactSort::Name, false, 1, 0}).constFirst().id;
        Note n;
        n.contactId = contactId;
        n.body = QStringLiteral("Prefers email over phone.");
        f.service->createNote(n);
        QVERIFY(waitFor(*f.service, &ContactService::childrenChanged));
        Note created;
        for (const Note &x : f.store->notes(contactId))
            if (x.body == n.body)
                created = x;
        QVERIFY(!created.id.isEmpty());
        created.body = QStringLiteral("Prefers email; never before 10.");
        f.service->updateNote(created);
        QVERIFY(waitFor(*f.service, &ContactService::childrenChanged));
        bool edited = false;
        for (const Note &x : f.store->notes(contactId))
            edited = edited || (x.id == created.id && x.body == created.body);
        QVERIFY(edited);
    }

    void refreshContactBringsInChangesMadeInGhl()
    {
        GuiFixture f(30);
        QVERIFY(f.ok && f.pull());
        const QStringList touched = f.box->ghl().touchContacts(1);
        QCOMPARE(touched.size(), 1);
        const QString id = touched.constFirst();
        QVERIFY(f.store->contact(id)->city != f.box->ghl().contact(id)->city);
        f.service->refreshContact(id);
        QVERIFY(waitFor(*f.service, &ContactService::childrenChanged));
        QCOMPARE(f.store->contact(id)->city, f.box->ghl().contact(id)->city);

        // A contact deleted in GHL leaves the store on refresh.
        QVERIFY(f.box->ghl().deleteContactDirect(id));
        f.service->refreshContact(id);
        QVERIFY(waitFor(*f.service, &ContactService::contactRemoved));
        QVERIFY(!f.store->contact(id));
    }

    void pullCanBeCancelled()
    {
        GuiFixture f(400);
        QVERIFY(f.ok);
        QSignalSpy finished(f.service.get(), &ContactService::pullFinished);
        QVERIFY(f.service->startPull());
        QVERIFY(!f.service->startPull()); // one at a time
        f.service->cancelPull();
        QVERIFY(finished.count() == 1 || finished.wait(10000));
        QCOMPARE(finished.constFirst().at(0).value<ApiError>().kind, ApiError::Kind::Cancelled);
        QVERIFY(!f.service->isPulling());
    }
};

QTEST_GUILESS_MAIN(TestContactService)
#include "tst_contactservice.moc"
