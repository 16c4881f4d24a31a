// The request layer and every GHL call, over real HTTP against the sandbox on 127.0.0.1.
#include "api/ghl/ChildRequests.h"
#include "api/ghl/ContactRequests.h"
#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthTokenProvider.h"
#include "sandbox/GhlService.h"
#include "sandbox/Sandbox.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <mutex>

using namespace lb;

namespace {

QStringList g_log;
std::mutex g_logMutex;
QtMessageHandler g_previous = nullptr;

void captureLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        std::lock_guard<std::mutex> lock(g_logMutex);
        g_log << QString::fromLatin1(context.category ? context.category : "") + QLatin1Char(' ') + message;
    }
    if (g_previous)
        g_previous(type, context, message);
}

/// Runs a request to its end.
bool run(ApiRequest &request, int timeoutMs = 60000)
{
    QSignalSpy done(&request, &ApiRequest::finished);
    request.start();
    if (!request.isFinished())
        done.wait(timeoutMs);
    return request.ok();
}

} // namespace

class TestRequestLayer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void everyGhlCallIsAcceptedAsTheSpecDescribesIt();
    void retriesServerErrorsWithBackoff();
    void doesNotRepeatACreateAfterAnAmbiguousFailure();
    void retriesAfter429HonouringRetryAfter();
    void timeoutIsRetriedThenTyped();
    void persistentMalformedJsonGivesAReadableError();
    void wrongTokenIsAnAuthErrorWithExitCode3();
    void spentDailyBudgetStopsSendingAndSaysSo();
    void keepsSeveralRequestsInFlight();
    void logLinesCarryRequestIdsAndNeverTheToken();
    void requestsAbortedDuringATokenRefreshDoNotBlockTheOthers();

private:
    std::unique_ptr<sandbox::Sandbox> m_box;
    std::unique_ptr<ghl::GhlClient> m_client;
    std::unique_ptr<StaticTokenProvider> m_token;
};

void TestRequestLayer::init()
{
    sandbox::SandboxOptions o;
    o.contacts = 40;
    m_box = std::make_unique<sandbox::Sandbox>(o);
    QString error;
    QVERIFY2(m_box->start(&error), qPrintable(error));
    m_client = std::make_unique<ghl::GhlClient>(m_box->ghlUrl(), o.locationId);
    m_token = std::make_unique<StaticTokenProvider>(o.ghlToken);
    m_client->setTokenProvider(m_token.get());
    m_client->retryPolicy().backoffBaseMs = 20;
}

void TestRequestLayer::cleanup()
{
    m_client.reset();
    m_token.reset();
    m_box.reset();
}

void TestRequestLayer::everyGhlCallIsAcceptedAsTheSpecDescribesIt()
{
    ghl::GhlClient &c = *m_client;
    Contact draft;
    draft.firstName = QStringLiteral("Zoë");
    draft.lastName = QStringLiteral("O'Brien 🚀");
    draft.email = QStringLiteral("zoe.obrien@example.org");
    draft.phone = QStringLiteral("+4915112345678");
    draft.companyName = QStringLiteral("Ünïcode GmbH");
    draft.tags = {QStringLiteral("vip")};
    ghl::CreateContactRequest create(c, draft);
    QVERIFY2(run(create), qPrintable(create.error().fullText()));
    const QString id = create.contact().id;
    QVERIFY(!id.isEmpty());
    QCOMPARE(create.contact().lastName, draft.lastName);

    ghl::GetContactRequest get(c, id);
    QVERIFY2(run(get), qPrintable(get.error().fullText()));
    QCOMPARE(get.contact().email, draft.email);

    Contact changed = get.contact();
    changed.city = QStringLiteral("Köln");
    ghl::UpdateContactRequest update(c, changed);
    QVERIFY2(run(update), qPrintable(update.error().fullText()));
    QCOMPARE(update.contact().city, QStringLiteral("Köln"));
    QCOMPARE(update.contact().tags, QStringList{QStringLiteral("vip")}); // an update leaves tags alone

    ghl::AddTagsRequest addTags(c, id, {QStringLiteral("newsletter"), QStringLiteral("vip")});
    QVERIFY2(run(addTags), qPrintable(addTags.error().fullText()));
    QVERIFY(addTags.tags().contains(QStringLiteral("newsletter")));
    ghl::RemoveTagsRequest removeTags(c, id, {QStringLiteral("vip")});
    QVERIFY2(run(removeTags), qPrintable(removeTags.error().fullText()));
    QVERIFY(!removeTags.tags().contains(QStringLiteral("vip")));

    Task task;
    task.contactId = id;
    task.title = QStringLiteral("Call back");
    task.dueDate = QDateTime::currentDateTimeUtc().addDays(2);
    ghl::CreateTaskRequest createTask(c, task);
    QVERIFY2(run(createTask), qPrintable(createTask.error().fullText()));
    task = createTask.task();
    task.body = QStringLiteral("About the offer");
    ghl::UpdateTaskRequest updateTask(c, task);
    QVERIFY2(run(updateTask), qPrintable(updateTask.error().fullText()));
    ghl::CompleteTaskRequest complete(c, id, task.id, true);
    QVERIFY2(run(complete), qPrintable(complete.error().fullText()));
    QVERIFY(complete.task().completed);
    ghl::GetTaskRequest getTask(c, id, task.id);
    QVERIFY2(run(getTask), qPrintable(getTask.error().fullText()));
    QCOMPARE(getTask.task().body, task.body);
    ghl::ListTasksRequest tasks(c, id);
    QVERIFY(run(tasks));
    QCOMPARE(tasks.tasks().size(), 1);
    ghl::DeleteTaskRequest deleteTask(c, id, task.id);
    QVERIFY2(run(deleteTask), qPrintable(deleteTask.error().fullText()));

    Note note;
    note.contactId = id;
    note.body = QStringLiteral("Met at the fair — «très intéressé»");
    ghl::CreateNoteRequest createNote(c, note);
    QVERIFY2(run(createNote), qPrintable(createNote.error().fullText()));
    note = createNote.note();
    note.body += QStringLiteral(" (follow-up sent)");
    ghl::UpdateNoteRequest updateNote(c, note);
    QVERIFY2(run(updateNote), qPrintable(updateNote.error().fullText()));
    ghl::GetNoteRequest getNote(c, id, note.id);
    QVERIFY(run(getNote));
    QCOMPARE(getNote.note().body, note.body);
    ghl::ListNotesRequest notes(c, id);
    QVERIFY(run(notes));
    QCOMPARE(notes.notes().size(), 1);
    ghl::DeleteNoteRequest deleteNote(c, id, note.id);
    QVERIFY2(run(deleteNote), qPrintable(deleteNote.error().fullText()));

    ghl::ListAppointmentsRequest appointments(c, m_box->ghl().data().contacts().constFirst().id);
    QVERIFY2(run(appointments), qPrintable(appointments.error().fullText()));
    ghl::ListCustomFieldsRequest fields(c);
    QVERIFY2(run(fields), qPrintable(fields.error().fullText()));
    QVERIFY(!fields.fields().isEmpty());

    Contact again = draft;
    again.city = QStringLiteral("Bonn");
    ghl::UpsertContactRequest upsert(c, again);
    QVERIFY2(run(upsert), qPrintable(upsert.error().fullText()));
    QVERIFY(!upsert.created());
    QCOMPARE(upsert.contact().id, id);

    ghl::ContactsByBusinessRequest business(c, QStringLiteral("no-such-business"));
    QVERIFY2(run(business), qPrintable(business.error().fullText()));
    QCOMPARE(business.count(), 0);

    ghl::DeleteContactRequest remove(c, id);
    QVERIFY2(run(remove), qPrintable(remove.error().fullText()));
    ghl::GetContactRequest gone(c, id);
    QVERIFY(!run(gone));
    QCOMPARE(gone.error().kind, ApiError::Kind::NotFound);
}

void TestRequestLayer::retriesServerErrorsWithBackoff()
{
    QString error;
    QVERIFY(m_box->ghl().setFaults(QStringLiteral("5xx=500@customFields:x2"), &error));
    ghl::ListCustomFieldsRequest r(*m_client);
    QVERIFY2(run(r), qPrintable(r.error().fullText()));
    QCOMPARE(r.attempts(), 3);
    QCOMPARE(m_client->retries(), 2);
}

void TestRequestLayer::doesNotRepeatACreateAfterAnAmbiguousFailure()
{
    QString error;
    QVERIFY(m_box->ghl().setFaults(QStringLiteral("5xx=500@/contacts/:x1"), &error));
    const int before = m_box->ghl().contactCount();
    Contact draft;
    draft.firstName = QStringLiteral("Once");
    draft.email = QStringLiteral("once@example.org");
    ghl::CreateContactRequest create(*m_client, draft);
    QVERIFY(!run(create));
    QCOMPARE(create.attempts(), 1);
    QCOMPARE(create.error().kind, ApiError::Kind::Server);
    QCOMPARE(create.error().exitCode(), 4);
    QCOMPARE(m_box->ghl().contactCount(), before);
}

void TestRequestLayer::retriesAfter429HonouringRetryAfter()
{
    m_box->ghl().setSendRetryAfter(true);
    // A burst of 3 per 60 s: the 4th request gets a 429 whose Retry-After we must wait out.
    m_box->ghl().setRateLimit(3, 1500);
    m_client->scheduler().pauseFor(0);
    QElapsedTimer clock;
    clock.start();
    std::vector<std::unique_ptr<ghl::ListCustomFieldsRequest>> requests;
    for (int i = 0; i < 4; ++i)
        requests.push_back(std::make_unique<ghl::ListCustomFieldsRequest>(*m_client));
    // The client does not know the limit before the first answer, so it sends all four at once.
    for (auto &r : requests)
        r->start();
    for (auto &r : requests) {
        if (!r->isFinished()) {
            QSignalSpy done(r.get(), &ApiRequest::finished);
            QVERIFY(done.wait(30000));
        }
        QVERIFY2(r->ok(), qPrintable(r->error().fullText()));
    }
    QVERIFY(m_client->responses429() >= 1);
    // The Retry-After of the sandbox is at least a second: the retry came after it, not before.
    QVERIFY2(clock.elapsed() >= 900, qPrintable(QString::number(clock.elapsed())));
}

void TestRequestLayer::timeoutIsRetriedThenTyped()
{
    m_client->retryPolicy().transferTimeoutMs = 400;
    QString error;
    QVERIFY(m_box->ghl().setFaults(QStringLiteral("timeout@customFields:x1"), &error));
    ghl::ListCustomFieldsRequest once(*m_client);
    QVERIFY2(run(once), qPrintable(once.error().fullText()));
    QCOMPARE(once.attempts(), 2);

    m_client->retryPolicy().maxAttempts = 2;
    QVERIFY(m_box->ghl().setFaults(QStringLiteral("timeout@customFields"), &error));
    ghl::ListCustomFieldsRequest never(*m_client);
    QVERIFY(!run(never));
    QCOMPARE(never.error().kind, ApiError::Kind::Timeout);
    QCOMPARE(never.error().exitCode(), 4);
    QVERIFY(never.error().message.contains(QLatin1String("did not answer")));
}

void TestRequestLayer::persistentMalformedJsonGivesAReadableError()
{
    QString error;
    QVERIFY(m_box->ghl().setFaults(QStringLiteral("malformed@customFields"), &error));
    ghl::ListCustomFieldsRequest r(*m_client);
    QVERIFY(!run(r));
    QCOMPARE(r.error().kind, ApiError::Kind::Malformed);
    QCOMPARE(r.attempts(), m_client->retryPolicy().maxAttempts);
    QVERIFY2(r.error().message.contains(QLatin1String("could not read")), qPrintable(r.error().message));
    QVERIFY(r.error().message.contains(QLatin1String("GHL")));
}

void TestRequestLayer::wrongTokenIsAnAuthErrorWithExitCode3()
{
    StaticTokenProvider wrong(QStringLiteral("wrong-token"));
    m_client->setTokenProvider(&wrong);
    ghl::ListCustomFieldsRequest r(*m_client);
    QVERIFY(!run(r));
    QCOMPARE(r.error().kind, ApiError::Kind::Auth);
    QCOMPARE(r.error().exitCode(), 3);
    QCOMPARE(r.attempts(), 1);
    QVERIFY(r.error().detail.contains(QLatin1String("Invalid token")));
    m_client->setTokenProvider(m_token.get());
}

void TestRequestLayer::spentDailyBudgetStopsSendingAndSaysSo()
{
    m_box->ghl().setDailyLimit(3);
    for (int i = 0; i < 3; ++i) {
        ghl::ListCustomFieldsRequest r(*m_client);
        QVERIFY2(run(r), qPrintable(r.error().fullText()));
    }
    const int served = m_box->ghl().requestCount();
    ghl::ListCustomFieldsRequest spent(*m_client);
    QVERIFY(!run(spent));
    QCOMPARE(spent.error().kind, ApiError::Kind::QuotaExhausted);
    QCOMPARE(spent.error().exitCode(), 4);
    QCOMPARE(m_box->ghl().requestCount(), served); // known from the headers: not even sent
}

void TestRequestLayer::keepsSeveralRequestsInFlight()
{
    m_box->ghl().setLatency(300);
    std::vector<std::unique_ptr<ghl::ListCustomFieldsRequest>> requests;
    for (int i = 0; i < 12; ++i) {
        requests.push_back(std::make_unique<ghl::ListCustomFieldsRequest>(*m_client));
        requests.back()->start();
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_client->scheduler().inFlight(), m_client->scheduler().policy().maxInFlight, 5000);
    for (auto &r : requests) {
        if (!r->isFinished()) {
            QSignalSpy done(r.get(), &ApiRequest::finished);
            QVERIFY(done.wait(30000));
        }
        QVERIFY(r->ok());
    }
}

void TestRequestLayer::logLinesCarryRequestIdsAndNeverTheToken()
{
    QLoggingCategory::setFilterRules(QStringLiteral("leadbridge.*.debug=true"));
    g_log.clear();
    g_previous = qInstallMessageHandler(captureLog);
    QString error;
    QVERIFY(m_box->ghl().setFaults(QStringLiteral("5xx@customFields:x1,malformed@tasks"), &error));
    ghl::ListCustomFieldsRequest ok(*m_client);
    run(ok);
    ghl::ListTasksRequest bad(*m_client, m_box->ghl().data().contacts().constFirst().id);
    run(bad);
    StaticTokenProvider wrong(QStringLiteral("secret-wrong-token-123"));
    m_client->setTokenProvider(&wrong);
    ghl::ListCustomFieldsRequest denied(*m_client);
    run(denied);
    m_client->setTokenProvider(m_token.get());
    qInstallMessageHandler(g_previous);
    QLoggingCategory::setFilterRules(QString());

    QStringList netLines;
    for (const QString &line : std::as_const(g_log)) {
        QVERIFY2(!line.contains(m_box->options().ghlToken), qPrintable(line));
        QVERIFY2(!line.contains(QLatin1String("secret-wrong-token-123")), qPrintable(line));
        if (line.startsWith(QLatin1String("leadbridge.net")) && !line.contains(QLatin1String("pausing")) &&
            !line.contains(QLatin1String("burst")))
            netLines << line;
    }
    QVERIFY(netLines.size() >= 6);
    const QRegularExpression id(QStringLiteral("\\[[0-9a-f]{4}-\\d{6}\\]"));
    for (const QString &line : std::as_const(netLines))
        QVERIFY2(id.match(line).hasMatch(), qPrintable(line));
}

void TestRequestLayer::requestsAbortedDuringATokenRefreshDoNotBlockTheOthers()
{
    auto &ghl = m_box->ghl();
    const sandbox::GhlService::OAuthTokens issued = ghl.issueOAuthTokens();
    ghl::OAuthTokens tokens;
    tokens.accessToken = issued.accessToken;
    tokens.refreshToken = issued.refreshToken;
    tokens.clientId = m_box->options().oauthClientId;
    tokens.clientSecret = m_box->options().oauthClientSecret;
    tokens.locationId = m_box->options().locationId;
    ghl::OAuthTokenProvider provider(m_box->ghlUrl(), tokens);
    m_client->setTokenProvider(&provider);
    ghl.expireAccessTokens();
    QString error;
    QVERIFY(ghl.setFaults(QStringLiteral("slow=1500@/oauth/token"), &error)); // the refresh takes its time
    std::vector<std::unique_ptr<ghl::ListCustomFieldsRequest>> waiting;
    for (int i = 0; i < 3; ++i) {
        waiting.push_back(std::make_unique<ghl::ListCustomFieldsRequest>(*m_client));
        waiting.back()->start();
    }
    QTRY_VERIFY_WITH_TIMEOUT(provider.isRefreshing(), 5000);
    waiting.clear(); // the user cancelled: every waiting request is gone
    ghl.clearFaults();
    QTRY_VERIFY_WITH_TIMEOUT(!provider.isRefreshing(), 10000);
    ghl::ListCustomFieldsRequest after(*m_client);
    QVERIFY2(run(after, 10000), qPrintable(after.error().fullText()));
    m_client->setTokenProvider(m_token.get());
}

QTEST_GUILESS_MAIN(TestRequestLayer)
#include "tst_requestlayer.moc"
