// The request layer and every GHL call, over real HTTP against the sandbox on 127.0.0.1.
#include "api/ghl/ChildRequests.h"
#include "api/ghl/ContactRequests.h"
#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthTokenProvider.h"
#include "api/saleshandy/ImportRequests.h"
#include "api/saleshandy/NoteRequests.h"
#include "api/saleshandy/ProspectRequests.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "api/saleshandy/SequenceRequests.h"
#include "api/saleshandy/TaskRequests.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QtTest>

#include <functional>
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
    void everyGhlReadIsRetriedAfterAnUnreadableAnswer_data();
    void everyGhlReadIsRetriedAfterAnUnreadableAnswer();
    void everySaleshandyReadIsRetriedAfterAnUnreadableAnswer_data();
    void everySaleshandyReadIsRetriedAfterAnUnreadableAnswer();
    void aPersistentFaultGivesAClearSentence_data();
    void aPersistentFaultGivesAClearSentence();
    void aCreateIsNotRepeatedAfterALostAnswerAndSaysSo();
    void aShort429StormOnOneEndpointIsWaitedOut();

private:
    using Factory = std::function<std::unique_ptr<ApiRequest>()>;
    /// One factory per read (GET, or an idempotent POST such as the contact search) of a client.
    QList<QPair<QString, Factory>> ghlReads();
    QList<QPair<QString, Factory>> saleshandyReads(sh::SaleshandyClient &c);
    std::unique_ptr<sh::SaleshandyClient> saleshandyClient();
    std::unique_ptr<StaticTokenProvider> m_shKey;

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
    m_shKey.reset();
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
    QTRY_COMPARE_WITH_TIMEOUT(m_client->scheduler().inFlight(), m_client->scheduler().policy().maxInFlight,
                              5000);
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

QList<QPair<QString, TestRequestLayer::Factory>> TestRequestLayer::ghlReads()
{
    ghl::GhlClient &c = *m_client;
    // A contact with tasks and notes, so that the single reads have something to read.
    const sandbox::GhlData &data = m_box->ghl().data();
    QString id;
    ContactChildren kids;
    for (const QString &candidate : data.contactIds()) {
        kids = data.children(candidate);
        if (!kids.tasks.isEmpty() && !kids.notes.isEmpty()) {
            id = candidate;
            break;
        }
    }
    const QString taskId = kids.tasks.value(0).id, noteId = kids.notes.value(0).id;
    ghl::SearchContactsParams search;
    search.pageLimit = 10;
    return {
        {QStringLiteral("POST /contacts/search"),
         [&c, search] { return std::make_unique<ghl::SearchContactsRequest>(c, search); }},
        {QStringLiteral("GET /contacts/{id}"),
         [&c, id] { return std::make_unique<ghl::GetContactRequest>(c, id); }},
        {QStringLiteral("GET tasks"), [&c, id] { return std::make_unique<ghl::ListTasksRequest>(c, id); }},
        {QStringLiteral("GET task"),
         [&c, id, taskId] { return std::make_unique<ghl::GetTaskRequest>(c, id, taskId); }},
        {QStringLiteral("GET notes"), [&c, id] { return std::make_unique<ghl::ListNotesRequest>(c, id); }},
        {QStringLiteral("GET note"),
         [&c, id, noteId] { return std::make_unique<ghl::GetNoteRequest>(c, id, noteId); }},
        {QStringLiteral("GET appointments"),
         [&c, id] { return std::make_unique<ghl::ListAppointmentsRequest>(c, id); }},
        {QStringLiteral("GET customFields"),
         [&c] { return std::make_unique<ghl::ListCustomFieldsRequest>(c); }},
        {QStringLiteral("GET business"),
         [&c] {
             return std::make_unique<ghl::ContactsByBusinessRequest>(c, QStringLiteral("no-such-business"));
         }},
    };
}

std::unique_ptr<sh::SaleshandyClient> TestRequestLayer::saleshandyClient()
{
    auto c = std::make_unique<sh::SaleshandyClient>(m_box->saleshandyUrl());
    m_shKey = std::make_unique<StaticTokenProvider>(m_box->options().saleshandyApiKey);
    c->setTokenProvider(m_shKey.get());
    c->retryPolicy().backoffBaseMs = 20;
    m_box->saleshandy().setRateLimit(100000, 1000);
    return c;
}

QList<QPair<QString, TestRequestLayer::Factory>> TestRequestLayer::saleshandyReads(sh::SaleshandyClient &c)
{
    sandbox::SaleshandyService &shs = m_box->saleshandy();
    shs.clearFaults();
    const QString prospect =
        shs.createProspectDirect({{QStringLiteral("Email"), QStringLiteral("read@example.org")}});
    sh::NewTask task;
    task.prospectIds = {prospect};
    sh::CreateTaskRequest createTask(c, task);
    sh::NewNote note;
    note.prospectIds = {prospect};
    note.content = QStringLiteral("A note");
    sh::CreateNoteRequest createNote(c, note);
    sh::ImportParams params;
    params.rows = {{{QStringLiteral("Email"), QStringLiteral("ok@example.org")}},
                   {{QStringLiteral("Email"), QStringLiteral("not an email")}}};
    sh::ImportProspectsRequest import(c, params);
    if (!run(createTask) || !run(createNote) || !run(import))
        return {};
    shs.completeImports();
    sh::ImportStatusRequest status(c, import.importId());
    if (!run(status) || status.status().reportUrl.isEmpty())
        return {};
    const QString taskId = createTask.taskId(), importId = import.importId(),
                  report = status.status().reportUrl;
    const QString sequenceId = shs.sequences().constFirst().id;
    return {
        {QStringLiteral("GET /v1/fields"), [&c] { return std::make_unique<sh::ListFieldsRequest>(c); }},
        {QStringLiteral("GET /v1/prospects"),
         [&c] { return std::make_unique<sh::ListProspectsRequest>(c, sh::ProspectQuery()); }},
        {QStringLiteral("GET /v1/prospects?search"),
         [&c] {
             return std::make_unique<sh::SearchProspectsByEmailRequest>(c,
                                                                        QStringLiteral("read@example.org"));
         }},
        {QStringLiteral("GET /v1/sequences"), [&c] { return std::make_unique<sh::ListSequencesRequest>(c); }},
        {QStringLiteral("GET steps"),
         [&c, sequenceId] { return std::make_unique<sh::ListSequenceStepsRequest>(c, sequenceId); }},
        {QStringLiteral("GET /v1/tasks"),
         [&c] { return std::make_unique<sh::ListTasksRequest>(c, sh::TaskQuery()); }},
        {QStringLiteral("GET task"),
         [&c, taskId] { return std::make_unique<sh::GetTaskRequest>(c, taskId); }},
        {QStringLiteral("GET notes"),
         [&c, prospect] { return std::make_unique<sh::ListProspectNotesRequest>(c, prospect); }},
        {QStringLiteral("GET import-status"),
         [&c, importId] { return std::make_unique<sh::ImportStatusRequest>(c, importId); }},
        {QStringLiteral("GET report CSV"),
         [&c, report] { return std::make_unique<sh::FetchImportReportRequest>(c, report); }},
    };
}

void TestRequestLayer::everyGhlReadIsRetriedAfterAnUnreadableAnswer_data()
{
    QTest::addColumn<QString>("fault");
    QTest::newRow("malformed") << QStringLiteral("malformed:x1");
    QTest::newRow("truncated") << QStringLiteral("truncated:x1");
    QTest::newRow("wrongtypes") << QStringLiteral("wrongtypes:x1");
    QTest::newRow("cut-after") << QStringLiteral("cut-after:x2"); // two: QNAM resends one itself
    QTest::newRow("5xx-after") << QStringLiteral("5xx-after:x1");
}

void TestRequestLayer::everyGhlReadIsRetriedAfterAnUnreadableAnswer()
{
    QFETCH(QString, fault);
    const auto reads = ghlReads();
    QCOMPARE(reads.size(), 9);
    for (const auto &[name, make] : reads) {
        QString error;
        QVERIFY(m_box->ghl().setFaults(fault, &error));
        const std::unique_ptr<ApiRequest> r = make();
        QVERIFY2(run(*r), qPrintable(name + QStringLiteral(": ") + r->error().fullText()));
        QVERIFY2(r->attempts() == 2, qPrintable(name + QStringLiteral(": %1 attempts").arg(r->attempts())));
    }
}

void TestRequestLayer::everySaleshandyReadIsRetriedAfterAnUnreadableAnswer_data()
{
    everyGhlReadIsRetriedAfterAnUnreadableAnswer_data();
}

void TestRequestLayer::everySaleshandyReadIsRetriedAfterAnUnreadableAnswer()
{
    QFETCH(QString, fault);
    const auto c = saleshandyClient();
    const auto reads = saleshandyReads(*c);
    QCOMPARE(reads.size(), 10);
    for (const auto &[name, make] : reads) {
        QString error;
        QVERIFY(m_box->saleshandy().setFaults(fault, &error));
        const std::unique_ptr<ApiRequest> r = make();
        QVERIFY2(run(*r), qPrintable(name + QStringLiteral(": ") + r->error().fullText()));
        QVERIFY2(r->attempts() == 2, qPrintable(name + QStringLiteral(": %1 attempts").arg(r->attempts())));
    }
    // The report really was read after the retry, not taken as empty.
    m_box->saleshandy().clearFaults();
    const std::unique_ptr<ApiRequest> report = reads.constLast().second();
    QVERIFY(run(*report));
    QCOMPARE(static_cast<sh::FetchImportReportRequest &>(*report).failures().size(), 1);
}

void TestRequestLayer::aPersistentFaultGivesAClearSentence_data()
{
    QTest::addColumn<QString>("fault");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("says");
    QTest::newRow("malformed") << QStringLiteral("malformed") << int(ApiError::Kind::Malformed)
                               << QStringLiteral("could not read (5 attempts)");
    QTest::newRow("wrongtypes") << QStringLiteral("wrongtypes") << int(ApiError::Kind::Malformed)
                                << QStringLiteral("could not read (5 attempts)");
    QTest::newRow("truncated") << QStringLiteral("truncated") << int(ApiError::Kind::Unreachable)
                               << QStringLiteral("was cut off (5 attempts)");
    QTest::newRow("cut") << QStringLiteral("cut") << int(ApiError::Kind::Unreachable)
                         << QStringLiteral("closed the connection without answering");
    QTest::newRow("cut-after") << QStringLiteral("cut-after") << int(ApiError::Kind::Unreachable)
                               << QStringLiteral("closed the connection without answering");
    QTest::newRow("5xx-after") << QStringLiteral("5xx-after") << int(ApiError::Kind::Server)
                               << QStringLiteral("did not recover after 5 attempts");
}

void TestRequestLayer::aPersistentFaultGivesAClearSentence()
{
    QFETCH(QString, fault);
    QFETCH(int, kind);
    QFETCH(QString, says);
    const auto c = saleshandyClient();
    QString error;
    QVERIFY(m_box->ghl().setFaults(fault, &error));
    QVERIFY(m_box->saleshandy().setFaults(fault, &error));
    ghl::ListCustomFieldsRequest g(*m_client);
    sh::ListFieldsRequest s(*c);
    for (ApiRequest *r : std::initializer_list<ApiRequest *>{&g, &s}) {
        QVERIFY(!run(*r));
        QCOMPARE(int(r->error().kind), kind);
        QCOMPARE(r->attempts(), 5);
        const QString message = r->error().message;
        QVERIFY2(message.contains(says), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("GHL")) || message.contains(QLatin1String("Saleshandy")),
                 qPrintable(message));
        QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(message));
    }
}

void TestRequestLayer::aCreateIsNotRepeatedAfterALostAnswerAndSaysSo()
{
    const auto c = saleshandyClient();
    const QString prospect = m_box->saleshandy().createProspectDirect(
        {{QStringLiteral("Email"), QStringLiteral("c@example.org")}});
    sh::NewTask task;
    task.prospectIds = {prospect};
    for (const char *fault : {"truncated@/v1/tasks/create:x1", "malformed@/v1/tasks/create:x1",
                              "cut-after@/v1/tasks/create:x1", "5xx-after@/v1/tasks/create:x1"}) {
        QString error;
        QVERIFY(m_box->saleshandy().setFaults(QLatin1String(fault), &error));
        const qsizetype before = m_box->saleshandy().tasks().size();
        sh::CreateTaskRequest create(*c, task);
        QVERIFY(!run(create));
        QCOMPARE(create.attempts(), 1);
        QVERIFY2(create.error().message.contains(QLatin1String("not repeated")),
                 qPrintable(create.error().message));
        QCOMPARE(m_box->saleshandy().tasks().size(), before + 1); // it did happen: the engine reads back
    }
}

void TestRequestLayer::aShort429StormOnOneEndpointIsWaitedOut()
{
    // Five 429s in a row on one endpoint of each service, waits kept short for the test.
    const auto c = saleshandyClient();
    // GHL's injected 429 says "X-RateLimit-Remaining: 0", and the scheduler then waits out the
    // advertised interval: a short one keeps the test short.
    m_box->ghl().setRateLimit(100, 500);
    m_client->retryPolicy().max429WaitMs = 100;
    c->retryPolicy().max429WaitMs = 100;
    QString error;
    QVERIFY(m_box->ghl().setFaults(QStringLiteral("429@customFields:x5"), &error));
    QVERIFY(m_box->saleshandy().setFaults(QStringLiteral("429@/v1/fields:x5"), &error));
    ghl::ListCustomFieldsRequest g(*m_client);
    sh::ListFieldsRequest s(*c);
    QVERIFY2(run(g), qPrintable(g.error().fullText()));
    QVERIFY2(run(s), qPrintable(s.error().fullText()));
    QCOMPARE(m_client->responses429(), 5);
    QCOMPARE(c->responses429(), 5);
    QCOMPARE(g.attempts(), 6);
    QCOMPARE(s.attempts(), 6);
    // Other endpoints were not in the storm.
    ghl::ListTasksRequest other(*m_client, m_box->ghl().data().contactIds().constFirst());
    QVERIFY(run(other));
    QCOMPARE(other.attempts(), 1);
}

QTEST_GUILESS_MAIN(TestRequestLayer)
#include "tst_requestlayer.moc"
