// The pull, end to end: the real GHL client over HTTP to the sandbox on 127.0.0.1, into a real
// SQLite store. Faults are switched on in the sandbox where a case needs them.
#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthTokenProvider.h"
#include "domain/Json.h"
#include "sandbox/GhlService.h"
#include "sandbox/Sandbox.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "sync/GhlPull.h"

#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace lb;

namespace {

struct Fixture
{
    explicit Fixture(int contacts, const QString &faults = {})
    {
        sandbox::SandboxOptions o;
        o.contacts = contacts;
        o.faults = faults;
        // A generous limit keeps the cases quick; the case about limits sets its own.
        o.ghlBurstMax = 100000;
        box = std::make_unique<sandbox::Sandbox>(o);
        QString error;
        ok = box->start(&error) && dir.isValid();
        if (!ok)
            qWarning() << error;
        db = Database::open(dir.filePath(QStringLiteral("store.db")), &error);
        if (!db) {
            ok = false;
            qWarning() << error;
            return;
        }
        store = std::make_unique<ContactStore>(*db);
        client = makeClient(box->options().ghlToken);
    }

    std::unique_ptr<ghl::GhlClient> makeClient(const QString &token)
    {
        auto c = std::make_unique<ghl::GhlClient>(box->ghlUrl(), box->options().locationId);
        tokens.push_back(std::make_unique<StaticTokenProvider>(token));
        c->setTokenProvider(tokens.back().get());
        c->retryPolicy().backoffBaseMs = 20; // keep retried cases quick; the logic is the same
        c->retryPolicy().transferTimeoutMs = 3000;
        return c;
    }

    /// Runs a pull to its end and returns it.
    std::unique_ptr<GhlPull> pull(PullOptions options = {}, ghl::GhlClient *with = nullptr)
    {
        auto p = std::make_unique<GhlPull>(with ? *with : *client, *store, options);
        QSignalSpy done(p.get(), &GhlPull::finished);
        p->start();
        if (!p->isFinished())
            done.wait(120000);
        return p;
    }

    int storedCount()
    {
        ContactQuery q;
        q.locationId = box->options().locationId;
        return store->countContacts(q);
    }

    QTemporaryDir dir;
    std::unique_ptr<sandbox::Sandbox> box;
    std::unique_ptr<Database> db;
    std::unique_ptr<ContactStore> store;
    std::vector<std::unique_ptr<TokenProvider>> tokens;
    std::unique_ptr<ghl::GhlClient> client;
    bool ok = false;
};

PullOptions full()
{
    PullOptions o;
    o.full = true;
    return o;
}

} // namespace

class TestGhlPull : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void fullPullStoresEveryContactWithItsChildren();
    void incrementalPullWithNothingChangedMakesAtMostTwoRequests();
    void incrementalPullFetchesChildrenOnlyForChangedContacts();
    void fullPullRemovesContactsDeletedInGhl();
    void fullPullWithAFailedContactRemovesNothing();
    void pullRidesOutMalformedTruncatedAndCutResponses();
    void badRecordIsReportedAndLeftForTheNextPull();
    void wrongTokenFailsWithAuthAndKeepsTheStore();
    void unreachableHostStopsWithExitCode4();
    void stormOf429IsWaitedOut();
    void staysWithinTheBurstLimitAdvertisedInHeaders();
    void interruptedPullResumesWithoutRereadingWrittenPages();
    void expiredOAuthTokenIsRefreshedOnceForAllWaitingRequests();
};

void TestGhlPull::fullPullStoresEveryContactWithItsChildren()
{
    Fixture f(240);
    QVERIFY(f.ok);
    PullOptions o = full();
    o.pageLimit = 100; // several pages
    auto p = f.pull(o);
    QVERIFY2(p->error().isOk(), qPrintable(p->error().fullText()));
    QCOMPARE(p->exitCode(), 0);
    QCOMPARE(f.storedCount(), 240);
    QCOMPARE(p->stats().pages, 3);

    const auto &ghl = f.box->ghl();
    int tasks = 0, notes = 0, appointments = 0;
    for (const Contact &truth : ghl.data().contacts()) {
        const std::optional<Contact> stored = f.store->contact(truth.id);
        QVERIFY2(stored, qPrintable(truth.id));
        Contact expected = truth;
        expected.searchAfter = {};
        Contact actual = *stored;
        actual.searchAfter = {};
        QVERIFY2(actual == expected, qPrintable(QStringLiteral("contact %1 differs").arg(truth.id)));
        const ContactChildren children = ghl.children(truth.id);
        QCOMPARE(f.store->tasks(truth.id).size(), children.tasks.size());
        QCOMPARE(f.store->notes(truth.id).size(), children.notes.size());
        QCOMPARE(f.store->appointments(truth.id).size(), children.appointments.size());
        tasks += int(children.tasks.size());
        notes += int(children.notes.size());
        appointments += int(children.appointments.size());
    }
    QCOMPARE(p->stats().tasks, tasks);
    QCOMPARE(p->stats().notes, notes);
    QCOMPARE(p->stats().appointments, appointments);
    QVERIFY(tasks > 0 && notes > 0 && appointments > 0);
    // One custom-fields call, three search pages, three child lists per contact: nothing more.
    QCOMPARE(p->stats().requests, qint64(1 + 3 + 3 * 240));
    QCOMPARE(f.store->customFields(f.box->options().locationId).size(),
             f.box->ghl().data().customFields().size());
}

void TestGhlPull::incrementalPullWithNothingChangedMakesAtMostTwoRequests()
{
    Fixture f(300);
    QVERIFY(f.ok);
    QVERIFY(f.pull()->error().isOk()); // first pull: everything is new
    QCOMPARE(f.storedCount(), 300);
    auto again = f.pull();
    QVERIFY(again->error().isOk());
    QVERIFY2(again->stats().requests <= 2, qPrintable(QString::number(again->stats().requests)));
    QCOMPARE(again->stats().contactsChanged, 0);
}

void TestGhlPull::incrementalPullFetchesChildrenOnlyForChangedContacts()
{
    Fixture f(200);
    QVERIFY(f.ok);
    QVERIFY(f.pull()->error().isOk());
    const QStringList touched = f.box->ghl().touchContacts(5);
    QCOMPARE(touched.size(), 5);
    auto p = f.pull();
    QVERIFY(p->error().isOk());
    QCOMPARE(p->stats().contactsChanged, 5);
    QCOMPARE(p->stats().requests, qint64(2 + 3 * 5));
    for (const QString &id : touched) {
        Contact truth = *f.box->ghl().contact(id);
        truth.searchAfter = {};
        QCOMPARE(f.store->contact(id)->dateUpdated, truth.dateUpdated);
        QVERIFY(*f.store->contact(id) == truth);
    }
}

void TestGhlPull::fullPullRemovesContactsDeletedInGhl()
{
    Fixture f(120);
    QVERIFY(f.ok);
    QVERIFY(f.pull(full())->error().isOk());
    const QString gone = f.box->ghl().data().contacts().at(7).id;
    QVERIFY(f.box->ghl().deleteContactDirect(gone));
    auto p = f.pull(full());
    QVERIFY(p->error().isOk());
    QCOMPARE(p->stats().contactsRemoved, 1);
    QVERIFY(!f.store->contact(gone));
    QCOMPARE(f.storedCount(), 119);
}

void TestGhlPull::fullPullWithAFailedContactRemovesNothing()
{
    Fixture f(60);
    QVERIFY(f.ok);
    QVERIFY(f.pull(full())->error().isOk());
    // One contact's notes stay unreadable: it is not marked seen, and must not count as deleted.
    const QString victim = f.box->ghl().data().contacts().at(5).id;
    QString error;
    QVERIFY(f.box->ghl().setFaults(QStringLiteral("wrongtypes@/contacts/%1/notes").arg(victim), &error));
    auto p = f.pull(full());
    QVERIFY(p->error().isOk());
    QCOMPARE(p->stats().contactsFailed, 1);
    QCOMPARE(p->stats().contactsRemoved, 0);
    QVERIFY(f.store->contact(victim));
    QCOMPARE(f.storedCount(), 60);
    QVERIFY(f.store->pullCursor(f.box->options().locationId)->fullPullId.isEmpty());
}

void TestGhlPull::pullRidesOutMalformedTruncatedAndCutResponses()
{
    Fixture f(150, QStringLiteral("malformed@/contacts/search:x1,truncated@tasks:x2,cut@notes:x2,"
                                  "5xx=503@appointments:x2,5xx=500@/contacts/search:x1"));
    QVERIFY(f.ok);
    auto p = f.pull(full());
    QVERIFY2(p->error().isOk(), qPrintable(p->error().fullText()));
    QCOMPARE(p->exitCode(), 0);
    QCOMPARE(f.storedCount(), 150);
    // Every fault but a cut costs one retry; QNAM itself resends a request whose connection was
    // cut before any byte of the answer, so cuts may cost none.
    QVERIFY2(p->stats().retries >= 6, qPrintable(QString::number(p->stats().retries)));
    QCOMPARE(f.box->ghl().faultsInjected(), 8);
}

void TestGhlPull::badRecordIsReportedAndLeftForTheNextPull()
{
    Fixture f(100);
    QVERIFY(f.ok);
    // One contact's task list keeps coming back in the wrong shape, past every retry.
    const QString victim = f.box->ghl().data().contacts().at(42).id;
    QString error;
    QVERIFY2(f.box->ghl().setFaults(QStringLiteral("wrongtypes@/contacts/%1/tasks:x20").arg(victim), &error),
             qPrintable(error));
    auto p = f.pull();
    QVERIFY(p->error().isOk()); // the run went on
    QCOMPARE(p->exitCode(), 1);
    QCOMPARE(p->stats().contactsFailed, 1);
    QCOMPARE(f.storedCount(), 99);
    QVERIFY(!f.store->contact(victim));
    QVERIFY(p->stats().problems.join(QLatin1Char('\n')).contains(victim));

    f.box->ghl().clearFaults();
    auto next = f.pull();
    QVERIFY(next->error().isOk());
    QCOMPARE(next->exitCode(), 0);
    QCOMPARE(f.storedCount(), 100);
    QVERIFY(f.store->contact(victim));
}

void TestGhlPull::wrongTokenFailsWithAuthAndKeepsTheStore()
{
    Fixture f(80);
    QVERIFY(f.ok);
    QVERIFY(f.pull()->error().isOk());
    const auto cursorBefore = f.store->pullCursor(f.box->options().locationId);
    f.box->ghl().touchContacts(10);
    auto wrong = f.makeClient(QStringLiteral("not-the-token"));
    auto p = f.pull({}, wrong.get());
    QCOMPARE(p->error().kind, ApiError::Kind::Auth);
    QCOMPARE(p->exitCode(), 3);
    QVERIFY(p->error().message.contains(QLatin1String("401")));
    QCOMPARE(f.storedCount(), 80);
    QCOMPARE(f.store->pullCursor(f.box->options().locationId)->updatedUpToMs, cursorBefore->updatedUpToMs);
}

void TestGhlPull::unreachableHostStopsWithExitCode4()
{
    Fixture f(10);
    QVERIFY(f.ok);
    // A port that was just free: nothing listens there.
    QTcpServer probe;
    QVERIFY(probe.listen(QHostAddress::LocalHost));
    const quint16 port = probe.serverPort();
    probe.close();
    ghl::GhlClient client(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)), f.box->options().locationId);
    StaticTokenProvider token(QStringLiteral("x"));
    client.setTokenProvider(&token);
    client.retryPolicy().backoffBaseMs = 10;
    auto p = f.pull({}, &client);
    QCOMPARE(p->error().kind, ApiError::Kind::Unreachable);
    QCOMPARE(p->exitCode(), 4);
    QCOMPARE(f.storedCount(), 0);
}

void TestGhlPull::stormOf429IsWaitedOut()
{
    Fixture f(60, QStringLiteral("429@/contacts/search:x3"));
    QVERIFY(f.ok);
    auto p = f.pull();
    QVERIFY2(p->error().isOk(), qPrintable(p->error().fullText()));
    QCOMPARE(p->stats().responses429, 3);
    QCOMPARE(f.storedCount(), 60);
}

void TestGhlPull::staysWithinTheBurstLimitAdvertisedInHeaders()
{
    Fixture f(120);
    QVERIFY(f.ok);
    // The server allows far less than the client assumes: the headers must teach it.
    f.box->ghl().setRateLimit(40, 1000);
    auto p = f.pull(full());
    QVERIFY2(p->error().isOk(), qPrintable(p->error().fullText()));
    QCOMPARE(f.storedCount(), 120);
    QCOMPARE(f.box->ghl().tooManyRequestsSent(), 0);
    QCOMPARE(f.client->scheduler().policy().burstMax, 40);
    QCOMPARE(f.client->scheduler().policy().intervalMs, 1000);
}

void TestGhlPull::interruptedPullResumesWithoutRereadingWrittenPages()
{
    Fixture f(300);
    QVERIFY(f.ok);
    PullOptions o = full();
    o.pageLimit = 50;
    {
        GhlPull first(*f.client, *f.store, o);
        QSignalSpy done(&first, &GhlPull::finished);
        // Stop as soon as the second page is in the store: the rest is cut off mid-flight.
        connect(&first, &GhlPull::progress, &first, [&first](int done) {
            if (done >= 100)
                first.cancel();
        });
        first.start();
        QVERIFY(done.wait(60000));
        QCOMPARE(first.error().kind, ApiError::Kind::Cancelled);
    }
    const int afterCancel = f.storedCount();
    QVERIFY2(afterCancel >= 100 && afterCancel < 300, qPrintable(QString::number(afterCancel)));
    QVERIFY(!f.store->pullCursor(f.box->options().locationId)->fullPullId.isEmpty());

    auto second = f.pull(o);
    QVERIFY(second->error().isOk());
    QCOMPARE(f.storedCount(), 300);
    // The resumed pull starts after the last written page.
    QVERIFY2(second->stats().contactsRead <= 300 - afterCancel + 50,
             qPrintable(QString::number(second->stats().contactsRead)));
    QVERIFY(f.store->pullCursor(f.box->options().locationId)->fullPullId.isEmpty());
    QCOMPARE(second->stats().contactsRemoved, 0);
}

void TestGhlPull::expiredOAuthTokenIsRefreshedOnceForAllWaitingRequests()
{
    Fixture f(60);
    QVERIFY(f.ok);
    auto &ghl = f.box->ghl();
    const sandbox::GhlService::OAuthTokens issued = ghl.issueOAuthTokens();
    ghl::OAuthTokens tokens;
    tokens.accessToken = issued.accessToken;
    tokens.refreshToken = issued.refreshToken;
    tokens.clientId = f.box->options().oauthClientId;
    tokens.clientSecret = f.box->options().oauthClientSecret;
    tokens.locationId = f.box->options().locationId;
    ghl::OAuthTokenProvider provider(f.box->ghlUrl(), tokens);
    QSignalSpy changed(&provider, &ghl::OAuthTokenProvider::tokensChanged);
    ghl::GhlClient client(f.box->ghlUrl(), f.box->options().locationId);
    client.setTokenProvider(&provider);

    QVERIFY(f.pull(full(), &client)->error().isOk());
    ghl.expireAccessTokens();
    auto p = f.pull(full(), &client);
    QVERIFY2(p->error().isOk(), qPrintable(p->error().fullText()));
    QCOMPARE(ghl.refreshCount(), 1);
    QCOMPARE(provider.refreshCount(), 1);
    QCOMPARE(changed.size(), 1);
    QVERIFY(provider.tokens().accessToken != issued.accessToken);
    QVERIFY(provider.tokens().refreshToken != issued.refreshToken);
}

QTEST_GUILESS_MAIN(TestGhlPull)
#include "tst_ghlpull.moc"
