// The planner on its own: shared emails, deletions and changes of email, from states and contacts
// built here (no network, no store), for the cases a sync over the sandbox does not reach easily.
#include "sync/Mapper.h"
#include "sync/SyncPlanner.h"

#include <QtTest>

using namespace lb;

namespace {

Contact contact(const QString &id, const QString &email, int addedDay, int updatedDay)
{
    Contact c;
    c.id = id;
    c.locationId = QStringLiteral("loc");
    c.firstName = id;
    c.lastName = QStringLiteral("X");
    c.email = email;
    c.dateAdded = QDateTime(QDate(2024, 1, addedDay), QTime(0, 0), Qt::UTC);
    c.dateUpdated = QDateTime(QDate(2024, 2, updatedDay), QTime(0, 0), Qt::UTC);
    return c;
}

ProspectState state(const QString &contactId, const QString &email, const QString &prospectId)
{
    ProspectState s;
    s.ghlContactId = contactId;
    s.email = email;
    s.prospectId = prospectId;
    s.hash = QStringLiteral("h");
    return s;
}

const ProspectChange *find(const SyncPlan &plan, const QString &contactId)
{
    for (const ProspectChange &p : plan.prospects)
        if (p.ghlContactId == contactId)
            return &p;
    return nullptr;
}

} // namespace

class TestSyncPlanner : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void contactsSharingAnEmailAreOneProspectWithEveryonesTasks();
    void aDeletedMemberDoesNotTagTheProspectALiveContactHas();
    void aProspectIsTaggedOnceHoweverManyOfItsContactsAreGone();
    void aContactLeavingASharedEmailInARetryGetsAProspectOfItsOwn();
    void aContactThatComesBackLosesTheDeletedTag();
    void aRetryPlansNoDeletions();
};

void TestSyncPlanner::contactsSharingAnEmailAreOneProspectWithEveryonesTasks()
{
    const Mapper mapper(FieldMapping::defaultMapping());
    SyncPlanner planner(mapper, {}, {}, {});
    Contact older = contact(QStringLiteral("A"), QStringLiteral("Anna@X.com "), 1, 9);
    older.companyName = QStringLiteral("Old Co");
    older.city = QStringLiteral("Berlin");
    older.tags = {QStringLiteral("vip")};
    Contact newer = contact(QStringLiteral("B"), QStringLiteral("anna@x.com"), 2, 10);
    newer.companyName = QStringLiteral("New Co");
    newer.tags = {QStringLiteral("lead")};
    ContactChildren a, b;
    Task t;
    t.id = QStringLiteral("tA");
    t.contactId = QStringLiteral("A");
    t.title = QStringLiteral("Call");
    a.tasks << t;
    t.id = QStringLiteral("tB");
    t.contactId = QStringLiteral("B");
    b.tasks << t;
    planner.add(older, a);
    planner.add(newer, b);
    const SyncPlan plan = planner.finish();
    const ProspectChange *pb = find(plan, QStringLiteral("B"));
    const ProspectChange *pa = find(plan, QStringLiteral("A"));
    QVERIFY(pa && pb);
    // The most recently updated gives the fields; what it lacks comes from the other.
    QCOMPARE(pb->action, ProspectChange::Action::Create);
    QCOMPARE(pb->mapped.fields.value(QStringLiteral("Company")), QStringLiteral("New Co"));
    QCOMPARE(pb->mapped.fields.value(QStringLiteral("City")), QStringLiteral("Berlin"));
    QCOMPARE(pb->mapped.tags, (QStringList{QStringLiteral("lead"), QStringLiteral("vip")}));
    QCOMPARE(pa->action, ProspectChange::Action::Merged);
    QCOMPARE(pa->mergedWith, QStringList{QStringLiteral("B")});
    // Both tasks go to the one prospect.
    for (const ChildChange &c : plan.children) {
        QCOMPARE(c.action, ChildChange::Action::Create);
        QCOMPARE(c.prospectContactId, QStringLiteral("B"));
    }
    QCOMPARE(plan.children.size(), 2);
}

void TestSyncPlanner::aDeletedMemberDoesNotTagTheProspectALiveContactHas()
{
    // A and D shared x@ (prospect P); D is gone and A changed to y@: A's update keeps P.
    const Mapper mapper(FieldMapping::defaultMapping());
    SyncPlanner planner(
        mapper,
        {{QStringLiteral("A"), state(QStringLiteral("A"), QStringLiteral("x@e.com"), QStringLiteral("P"))},
         {QStringLiteral("D"), state(QStringLiteral("D"), QStringLiteral("x@e.com"), QStringLiteral("P"))}},
        {}, {});
    planner.setComplete(true);
    planner.add(contact(QStringLiteral("A"), QStringLiteral("y@e.com"), 1, 1), {});
    const SyncPlan plan = planner.finish();
    const ProspectChange *d = find(plan, QStringLiteral("D"));
    QVERIFY(d);
    QCOMPARE(d->action, ProspectChange::Action::Deleted);
    QVERIFY2(d->addedTags.isEmpty(), qPrintable(d->addedTags.join(QLatin1Char(','))));
    QVERIFY(d->reason.contains(QLatin1String("stays with contact A")));
}

void TestSyncPlanner::aProspectIsTaggedOnceHoweverManyOfItsContactsAreGone()
{
    const Mapper mapper(FieldMapping::defaultMapping());
    SyncPlanner planner(
        mapper,
        {{QStringLiteral("A"), state(QStringLiteral("A"), QStringLiteral("x@e.com"), QStringLiteral("P"))},
         {QStringLiteral("D"), state(QStringLiteral("D"), QStringLiteral("x@e.com"), QStringLiteral("P"))}},
        {}, {});
    planner.setComplete(true);
    const SyncPlan plan = planner.finish();
    int tagged = 0;
    for (const ProspectChange &p : plan.prospects) {
        QCOMPARE(p.action, ProspectChange::Action::Deleted);
        tagged += p.addedTags.contains(QStringLiteral("ghl-deleted")) ? 1 : 0;
    }
    QCOMPARE(plan.prospects.size(), 2);
    QCOMPARE(tagged, 1);
}

void TestSyncPlanner::aContactLeavingASharedEmailInARetryGetsAProspectOfItsOwn()
{
    // A and B share x@ (prospect P); a retry plans only B, which changed to z@.
    const Mapper mapper(FieldMapping::defaultMapping());
    SyncPlanner planner(
        mapper,
        {{QStringLiteral("A"), state(QStringLiteral("A"), QStringLiteral("x@e.com"), QStringLiteral("P"))},
         {QStringLiteral("B"), state(QStringLiteral("B"), QStringLiteral("x@e.com"), QStringLiteral("P"))}},
        {}, {});
    planner.setComplete(false);
    planner.add(contact(QStringLiteral("B"), QStringLiteral("z@e.com"), 2, 2), {});
    const SyncPlan plan = planner.finish();
    const ProspectChange *b = find(plan, QStringLiteral("B"));
    QVERIFY(b);
    QCOMPARE(b->action, ProspectChange::Action::Create); // not an in-place update of A's P
    QVERIFY(!b->emailChanged());
}

void TestSyncPlanner::aContactThatComesBackLosesTheDeletedTag()
{
    ProspectState d = state(QStringLiteral("D"), QStringLiteral("x@e.com"), QStringLiteral("P"));
    d.hash = QStringLiteral("deleted");
    d.tags = {QStringLiteral("ghl-deleted")};
    const Mapper mapper(FieldMapping::defaultMapping());
    SyncPlanner planner(mapper, {{QStringLiteral("D"), d}}, {}, {});
    planner.setComplete(true);
    planner.add(contact(QStringLiteral("N"), QStringLiteral("x@e.com"), 3, 3), {});
    const SyncPlan plan = planner.finish();
    const ProspectChange *n = find(plan, QStringLiteral("N"));
    QVERIFY(n);
    QCOMPARE(n->action, ProspectChange::Action::Create);
    QCOMPARE(n->removedTags, QStringList{QStringLiteral("ghl-deleted")});
    QVERIFY(!find(plan, QStringLiteral("D"))); // tagged once already
}

void TestSyncPlanner::aRetryPlansNoDeletions()
{
    const Mapper mapper(FieldMapping::defaultMapping());
    SyncPlanner planner(
        mapper,
        {{QStringLiteral("A"), state(QStringLiteral("A"), QStringLiteral("a@e.com"), QStringLiteral("P"))},
         {QStringLiteral("B"), state(QStringLiteral("B"), QStringLiteral("b@e.com"), QStringLiteral("Q"))}},
        {}, {});
    planner.add(contact(QStringLiteral("A"), QStringLiteral("a@e.com"), 1, 1), {});
    const SyncPlan plan = planner.finish();
    QVERIFY(!find(plan, QStringLiteral("B")));
}

QTEST_GUILESS_MAIN(TestSyncPlanner)
#include "tst_syncplanner.moc"
