// Every Saleshandy call, over real HTTP against the Saleshandy sandbox on 127.0.0.1.
#include "api/saleshandy/ImportRequests.h"
#include "api/saleshandy/NoteRequests.h"
#include "api/saleshandy/ProspectRequests.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "api/saleshandy/SequenceRequests.h"
#include "api/saleshandy/TaskRequests.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"

#include <QNetworkReply>
#include <QSignalSpy>
#include <QtTest>

#include <memory>

using namespace lb;
using namespace lb::sh;

namespace {

/// Runs a request to its end.
bool run(ApiRequest &request, int timeoutMs = 60000)
{
    QSignalSpy done(&request, &ApiRequest::finished);
    request.start();
    if (!request.isFinished())
        done.wait(timeoutMs);
    return request.ok();
}

ProspectRow prospectRow(const QString &email, const QString &first = {}, const QString &last = {})
{
    ProspectRow r{{QStringLiteral("Email"), email}};
    if (!first.isEmpty())
        r.insert(QStringLiteral("First Name"), first);
    if (!last.isEmpty())
        r.insert(QStringLiteral("Last Name"), last);
    return r;
}

} // namespace

class TestSaleshandyClient : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void everyCallIsAcceptedAsTheSandboxDescribesIt();
    void importsPollTheStatusAndReadFailedRowsFromTheReport();
    void importStatusAcceptsBareAndFailedProspectsUrlShapes();
    void searchByEmailKeepsOnlyTheExactEmail();
    void pagesThroughProspectsUntilAShortPage();
    void retriesAfter429HonouringRetryAfter();
    void retriesServerErrorsForGets();
    void importIsRetriedAfter5xxAfterAndCutAfterWithoutADuplicateProspect();
    void completingOrSkippingTwiceIsASuccessMarkedAlreadyDone();
    void aCompleteWhoseAnswerWasLostIsRetriedAndTheRepeatCountsAsDone();
    void repeatedTagChangesAreSuccessesMarkedAlreadyDone();
    void aFieldThatExistsIsAConflictToReadBack();
    void wrongKeyIsAnAuthErrorWithExitCode3();
    void sendsNoContentTypeOnGets();
    void errorCodesBecomeTypedErrors();
    void reportLinksOnAnotherHostGetNoApiKey();
    void readsQuotedCsv();

private:
    /// Imports `rows` (waiting for the job) and returns the requestId.
    QString importAndWait(const ImportParams &params);
    sandbox::SaleshandyService &sh() { return m_box->saleshandy(); }

    std::unique_ptr<sandbox::Sandbox> m_box;
    std::unique_ptr<SaleshandyClient> m_client;
    std::unique_ptr<StaticTokenProvider> m_key;
};

void TestSaleshandyClient::init()
{
    sandbox::SandboxOptions o;
    o.contacts = 5;
    o.saleshandyImportDelayMs = 20;
    m_box = std::make_unique<sandbox::Sandbox>(o);
    QString error;
    QVERIFY2(m_box->start(&error), qPrintable(error));
    sh().setRateLimit(100000, 1000); // the 429 test sets its own
    m_client = std::make_unique<SaleshandyClient>(m_box->saleshandyUrl());
    m_key = std::make_unique<StaticTokenProvider>(o.saleshandyApiKey);
    m_client->setTokenProvider(m_key.get());
    m_client->retryPolicy().backoffBaseMs = 20;
}

void TestSaleshandyClient::cleanup()
{
    m_client.reset();
    m_key.reset();
    m_box.reset();
}

QString TestSaleshandyClient::importAndWait(const ImportParams &params)
{
    ImportProspectsRequest import(*m_client, params);
    if (!run(import)) {
        qWarning() << import.error().fullText();
        return {};
    }
    for (int poll = 0; poll < 200; ++poll) {
        ImportStatusRequest status(*m_client, import.importId());
        if (!run(status)) {
            qWarning() << status.error().fullText();
            return {};
        }
        if (status.status().completed)
            return import.importId();
        QTest::qWait(20);
    }
    return {};
}

void TestSaleshandyClient::everyCallIsAcceptedAsTheSandboxDescribesIt()
{
    SaleshandyClient &c = *m_client;

    // Fields
    ListFieldsRequest fields(c);
    QVERIFY2(run(fields), qPrintable(fields.error().fullText()));
    QVERIFY(fieldByLabel(fields.fields(), QStringLiteral("first name")));
    QVERIFY(fieldByLabel(fields.fields(), QStringLiteral("Email"))->isDefault);
    FieldSpec spec;
    spec.label = QStringLiteral("GHL Contact ID");
    CreateFieldRequest createField(c, spec);
    QVERIFY2(run(createField), qPrintable(createField.error().fullText()));
    QCOMPARE(createField.field().label, spec.label);
    QVERIFY(!createField.field().isDefault);
    ListFieldsRequest custom(c, false);
    QVERIFY(run(custom));
    QCOMPARE(custom.fields().size(), 1);

    // Import (account only) and read back
    ImportParams params;
    params.rows = {
        prospectRow(QStringLiteral("zoe@example.org"), QStringLiteral("Zoë"), QStringLiteral("O'Brien 🚀")),
        prospectRow(QStringLiteral("max@example.org"), QStringLiteral("Max"))};
    params.rows[0].insert(QStringLiteral("GHL Contact ID"), QStringLiteral("ghl-1"));
    params.tags = {QStringLiteral("ghl")};
    QVERIFY(!importAndWait(params).isEmpty());
    SearchProspectsByEmailRequest zoe(c, QStringLiteral("ZOE@example.org"));
    QVERIFY2(run(zoe), qPrintable(zoe.error().fullText()));
    QVERIFY(zoe.found());
    const Prospect p = zoe.prospect();
    QCOMPARE(p.value(QStringLiteral("Last Name")), QStringLiteral("O'Brien 🚀"));
    QCOMPARE(p.value(QStringLiteral("GHL Contact ID")), QStringLiteral("ghl-1"));
    QVERIFY(p.createdAt.isValid());
    QCOMPARE(sh().prospectByEmail(p.email)->tags, QStringList{QStringLiteral("ghl")});

    // Tags and attributes
    AssignTagsRequest assign(c, {QStringLiteral("vip")}, {p.id});
    QVERIFY2(run(assign), qPrintable(assign.error().fullText()));
    UnassignTagsRequest unassign(c, {QStringLiteral("ghl")}, {}, {p.email});
    QVERIFY2(run(unassign), qPrintable(unassign.error().fullText()));
    QCOMPARE(sh().prospect(p.id)->tags, QStringList{QStringLiteral("vip")});
    const QString cityId = fieldByLabel(fields.fields(), QStringLiteral("City"))->id;
    UpdateProspectAttributesRequest attrs(
        c, p.id, {{cityId, QStringLiteral("Köln")}, {QStringLiteral("nope"), QStringLiteral("x")}});
    QVERIFY2(run(attrs), qPrintable(attrs.error().fullText()));
    QVERIFY(!attrs.allSucceeded());
    QCOMPARE(attrs.failedFieldIds(), QStringList{QStringLiteral("nope")});
    QCOMPARE(sh().prospect(p.id)->value(QStringLiteral("City")), QStringLiteral("Köln"));

    // Sequences
    ListSequencesRequest sequences(c);
    QVERIFY2(run(sequences), qPrintable(sequences.error().fullText()));
    QCOMPARE(sequences.sequences().size(), 3);
    const Sequence seq = sequences.sequences().constFirst();
    QVERIFY(!seq.steps.isEmpty());
    ListSequenceStepsRequest steps(c, seq.id);
    QVERIFY2(run(steps), qPrintable(steps.error().fullText()));
    QCOMPARE(steps.steps().size(), seq.steps.size());
    QCOMPARE(steps.steps().constFirst().number, 1);
    QCOMPARE(steps.steps().constFirst().type, 1);
    ImportParams intoStep;
    intoStep.rows = {prospectRow(QStringLiteral("seq@example.org"))};
    intoStep.stepId = steps.steps().constFirst().id;
    intoStep.conflictAction = ConflictAction::Upsert;
    QVERIFY(!importAndWait(intoStep).isEmpty());
    QCOMPARE(sh().prospectByEmail(QStringLiteral("seq@example.org"))->stepIds, QStringList{intoStep.stepId});
    QCOMPARE(sh().requestCount(QStringLiteral("POST /v1/sequences/prospects/import-with-field-name")), 1);
    AddToSequenceRequest add(c, seq.id, steps.steps().constFirst().id, {p.id});
    QVERIFY2(run(add), qPrintable(add.error().fullText()));
    QVERIFY(add.failures().isEmpty());
    QVERIFY(sh().prospect(p.id)->stepIds.contains(steps.steps().constFirst().id));

    // Tasks
    NewTask nt;
    nt.prospectIds = {p.id};
    nt.dueDate = sh().today().addDays(2);
    nt.taskNote = QStringLiteral("Call back\n\nAbout the offer");
    CreateTaskRequest createTask(c, nt);
    QVERIFY2(run(createTask), qPrintable(createTask.error().fullText()));
    const QString taskId = createTask.taskId(p.id);
    QVERIFY(!taskId.isEmpty());
    TaskQuery tq;
    tq.search = p.email;
    ListTasksRequest tasks(c, tq);
    QVERIFY2(run(tasks), qPrintable(tasks.error().fullText()));
    QCOMPARE(tasks.tasks().size(), 1);
    QCOMPARE(tasks.tasks().constFirst().prospectId, p.id);
    QCOMPARE(tasks.tasks().constFirst().dueDate, nt.dueDate);
    QCOMPARE(tasks.tasks().constFirst().note, nt.taskNote);
    QCOMPARE(tasks.total(), 1);
    QVERIFY(tasks.isLastPage());
    UpdateTaskNoteRequest taskNote(c, taskId, QStringLiteral("Changed"));
    QVERIFY2(run(taskNote), qPrintable(taskNote.error().fullText()));
    CompleteTaskRequest complete(c, taskId);
    QVERIFY2(run(complete), qPrintable(complete.error().fullText()));
    GetTaskRequest getTask(c, taskId);
    QVERIFY2(run(getTask), qPrintable(getTask.error().fullText()));
    QCOMPARE(getTask.task().status, QStringLiteral("completed"));
    QVERIFY(getTask.task().isDone());
    QCOMPARE(getTask.task().note, QStringLiteral("Changed"));
    QCOMPARE(getTask.task().taskType, QStringLiteral("9"));
    CreateTaskRequest second(c, nt);
    QVERIFY(run(second));
    SkipTaskRequest skip(c, second.taskId());
    QVERIFY2(run(skip), qPrintable(skip.error().fullText()));
    QCOMPARE(sh().task(second.taskId())->state, QStringLiteral("skipped"));
    GetTaskRequest missing(c, QStringLiteral("nope"));
    QVERIFY(!run(missing));
    QCOMPARE(missing.error().kind, ApiError::Kind::NotFound);

    // Notes
    NewNote nn;
    nn.prospectIds = {p.id};
    nn.content = QStringLiteral("Met at the fair — «très intéressé»");
    CreateNoteRequest createNote(c, nn);
    QVERIFY2(run(createNote), qPrintable(createNote.error().fullText()));
    const QString noteId = createNote.noteId(p.id);
    QVERIFY(!noteId.isEmpty());
    UpdateNoteRequest updateNote(c, noteId, nn.content + QStringLiteral(" (follow-up sent)"),
                                 NoteVisibility::Private);
    QVERIFY2(run(updateNote), qPrintable(updateNote.error().fullText()));
    QCOMPARE(updateNote.note().visibility, QStringLiteral("2"));
    ListProspectNotesRequest notes(c, p.id);
    QVERIFY2(run(notes), qPrintable(notes.error().fullText()));
    QCOMPARE(notes.notes().size(), 1);
    QCOMPARE(notes.notes().constFirst().content, nn.content + QStringLiteral(" (follow-up sent)"));
    QCOMPARE(notes.notes().constFirst().prospectId, p.id);
    QVERIFY(!notes.hasMore());
}

void TestSaleshandyClient::importsPollTheStatusAndReadFailedRowsFromTheReport()
{
    sh().setImportDelay(-1);
    sh().setImportPollsToComplete(3);
    ImportParams params;
    params.rows = {
        prospectRow(QStringLiteral("good@example.org"), QStringLiteral("Good")),
        prospectRow(QStringLiteral("broken-at-example.org"), QStringLiteral("Broken, \"quoted\""))};
    ImportProspectsRequest import(*m_client, params);
    QVERIFY2(run(import), qPrintable(import.error().fullText()));
    QVERIFY(!import.importId().isEmpty());
    QVERIFY(import.serverMessage().startsWith(QLatin1String("Prospect import has started")));

    ImportStatus status;
    int polls = 0;
    while (!status.completed && polls < 10) {
        ImportStatusRequest poll(*m_client, import.importId());
        QVERIFY2(run(poll), qPrintable(poll.error().fullText()));
        status = poll.status();
        ++polls;
    }
    QCOMPARE(polls, 3);
    QVERIFY(!status.reportUrl.isEmpty());

    FetchImportReportRequest report(*m_client, status.reportUrl);
    QVERIFY2(run(report), qPrintable(report.error().fullText()));
    QCOMPARE(report.failures().size(), 1);
    QCOMPARE(report.failures().constFirst().email, QStringLiteral("broken-at-example.org"));
    QCOMPARE(report.failures().constFirst().reason, QStringLiteral("Invalid email"));
    QCOMPARE(report.rows().constFirst().value(QStringLiteral("First Name")),
             QStringLiteral("Broken, \"quoted\""));
    QVERIFY(sh().prospectByEmail(QStringLiteral("good@example.org")));
}

void TestSaleshandyClient::importStatusAcceptsBareAndFailedProspectsUrlShapes()
{
    ImportParams params;
    params.rows = {prospectRow(QStringLiteral("shape@example.org"))};
    ImportProspectsRequest import(*m_client, params);
    QVERIFY(run(import));
    sh().completeImports();
    using Shape = sandbox::SaleshandyService::StatusShape;
    for (Shape shape : {Shape::PayloadReportUrl, Shape::PayloadFailedProspectsUrl, Shape::BareReportUrl}) {
        sh().setImportStatusShape(shape);
        ImportStatusRequest status(*m_client, import.importId());
        QVERIFY2(run(status), qPrintable(status.error().fullText()));
        QVERIFY(status.status().completed);
        QVERIFY(status.status().reportUrl.endsWith(QLatin1String(".csv")));
        FetchImportReportRequest report(*m_client, status.status().reportUrl);
        QVERIFY2(run(report), qPrintable(report.error().fullText()));
        QVERIFY(report.failures().isEmpty());
    }
}

void TestSaleshandyClient::searchByEmailKeepsOnlyTheExactEmail()
{
    sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("ann@example.org")}});
    sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("joann@example.org")}});
    sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("x@example.org")},
                               {QStringLiteral("First Name"), QStringLiteral("ann@example.org")}});
    SearchProspectsByEmailRequest search(*m_client, QStringLiteral("Ann@Example.org"));
    QVERIFY2(run(search), qPrintable(search.error().fullText()));
    QCOMPARE(search.matches().size(), 1);
    QCOMPARE(search.prospect().email, QStringLiteral("ann@example.org"));
    SearchProspectsByEmailRequest none(*m_client, QStringLiteral("nobody@example.org"));
    QVERIFY(run(none));
    QVERIFY(!none.found());
}

void TestSaleshandyClient::pagesThroughProspectsUntilAShortPage()
{
    for (int i = 0; i < 23; ++i)
        sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("page%1@example.org").arg(i)}});
    QStringList emails;
    ProspectQuery q;
    q.pageSize = 10;
    for (q.page = 1; q.page < 10; ++q.page) {
        ListProspectsRequest page(*m_client, q);
        QVERIFY2(run(page), qPrintable(page.error().fullText()));
        for (const Prospect &p : page.prospects())
            emails << p.email;
        if (page.isLastPage())
            break;
    }
    QCOMPARE(q.page, 3);
    QCOMPARE(emails.size(), 23);
    QCOMPARE(emails.constFirst(), QStringLiteral("page0@example.org"));
    emails.removeDuplicates();
    QCOMPARE(emails.size(), 23);
}

void TestSaleshandyClient::retriesAfter429HonouringRetryAfter()
{
    // The sandbox allows 2 per 1.5 s, below the client's own pace (5 per second), which knows
    // nothing of it: the third request meets a 429 with a Retry-After.
    sh().setRateLimit(2, 1500);
    std::vector<std::unique_ptr<ListSequencesRequest>> requests;
    SaleshandyClient *client = m_client.get();
    for (int i = 0; i < 5; ++i)
        requests.push_back(std::make_unique<ListSequencesRequest>(*client));
    for (auto &r : requests)
        r->start();
    for (auto &r : requests) {
        if (!r->isFinished()) {
            QSignalSpy done(r.get(), &ApiRequest::finished);
            QVERIFY(done.wait(60000));
        }
        QVERIFY2(r->ok(), qPrintable(r->error().fullText()));
    }
    QVERIFY(client->responses429() >= 1);
    QCOMPARE(client->responses429(), sh().tooManyRequestsSent());
    // Each wait lasted the Retry-After: no request was refused twice in a row for sending early.
    for (auto &r : requests)
        QVERIFY2(r->attempts() <= 3, qPrintable(QString::number(r->attempts())));
    QVERIFY(sh().tooManyRequestsSent() <= 5);
}

void TestSaleshandyClient::retriesServerErrorsForGets()
{
    QString error;
    QVERIFY(sh().setFaults(QStringLiteral("5xx@/v1/fields:x2"), &error));
    ListFieldsRequest r(*m_client);
    QVERIFY2(run(r), qPrintable(r.error().fullText()));
    QCOMPARE(r.attempts(), 3);
    QCOMPARE(m_client->retries(), 2);
}

void TestSaleshandyClient::importIsRetriedAfter5xxAfterAndCutAfterWithoutADuplicateProspect()
{
    const QString route = QStringLiteral("POST /v1/prospects/import-with-field-name");
    ImportParams params;
    params.rows = {prospectRow(QStringLiteral("once@example.org"), QStringLiteral("Once")),
                   prospectRow(QStringLiteral("twice@example.org"), QStringLiteral("Twice"))};
    params.tags = {QStringLiteral("ghl")};

    // The job was accepted, then the answer was a 500: the import is sent again.
    QString error;
    QVERIFY(sh().setFaults(QStringLiteral("5xx-after=500@import-with-field-name:x1"), &error));
    ImportProspectsRequest afterServerError(*m_client, params);
    QVERIFY2(run(afterServerError), qPrintable(afterServerError.error().fullText()));
    QCOMPARE(afterServerError.attempts(), 2);
    QCOMPARE(sh().requestCount(route), 2);
    QCOMPARE(sh().imports().size(), 2);

    // Accepted, and the connection dropped before the answer: sent again too.
    QVERIFY(sh().setFaults(QStringLiteral("cut-after@import-with-field-name:x1"), &error));
    ImportProspectsRequest afterCut(*m_client, params);
    QVERIFY2(run(afterCut), qPrintable(afterCut.error().fullText()));
    QCOMPARE(sh().requestCount(route), 4);
    QCOMPARE(sh().imports().size(), 4);

    // Before acting: nothing ran, and the repeat is the only job.
    QVERIFY(sh().setFaults(QStringLiteral("5xx=503@import-with-field-name:x1"), &error));
    ImportProspectsRequest beforeServerError(*m_client, params);
    QVERIFY2(run(beforeServerError), qPrintable(beforeServerError.error().fullText()));
    QCOMPARE(sh().imports().size(), 5);

    // Every job keyed by email: one prospect per email, whatever ran twice.
    sh().completeImports();
    QCOMPARE(sh().prospects().size(), 2);
    QCOMPARE(sh().prospectByEmail(QStringLiteral("once@example.org"))->value(QStringLiteral("First Name")),
             QStringLiteral("Once"));
    QCOMPARE(sh().prospectByEmail(QStringLiteral("twice@example.org"))->tags,
             QStringList{QStringLiteral("ghl")});

    // When every attempt fails, the error says so in one sentence.
    QVERIFY(sh().setFaults(QStringLiteral("5xx-after@import-with-field-name"), &error));
    ImportProspectsRequest gaveUp(*m_client, params);
    QVERIFY(!run(gaveUp));
    QCOMPARE(gaveUp.error().kind, ApiError::Kind::Server);
    QCOMPARE(gaveUp.attempts(), m_client->retryPolicy().maxAttempts);
    QVERIFY2(gaveUp.error().message.contains(QLatin1String("did not recover after 5 attempts")),
             qPrintable(gaveUp.error().message));
}

void TestSaleshandyClient::completingOrSkippingTwiceIsASuccessMarkedAlreadyDone()
{
    const QString p = sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("t@example.org")}});
    NewTask nt;
    nt.prospectIds = {p};
    CreateTaskRequest a(*m_client, nt), b(*m_client, nt);
    QVERIFY(run(a) && run(b));

    CompleteTaskRequest complete(*m_client, a.taskId());
    QVERIFY2(run(complete), qPrintable(complete.error().fullText()));
    QVERIFY(!complete.alreadyDone());
    CompleteTaskRequest again(*m_client, a.taskId());
    QVERIFY2(run(again), qPrintable(again.error().fullText()));
    QVERIFY(again.alreadyDone());
    QCOMPARE(again.attempts(), 1);

    SkipTaskRequest skip(*m_client, b.taskId());
    QVERIFY2(run(skip), qPrintable(skip.error().fullText()));
    QVERIFY(!skip.alreadyDone());
    SkipTaskRequest skipAgain(*m_client, b.taskId());
    QVERIFY2(run(skipAgain), qPrintable(skipAgain.error().fullText()));
    QVERIFY(skipAgain.alreadyDone());

    // The other final state is not "already done": a skipped task cannot be completed.
    CompleteTaskRequest wrong(*m_client, b.taskId());
    QVERIFY(!run(wrong));
    QCOMPARE(wrong.error().kind, ApiError::Kind::BadRequest);
    QVERIFY(!wrong.alreadyDone());
    QVERIFY(wrong.endedOtherwise());
    SkipTaskRequest wrongSkip(*m_client, a.taskId());
    QVERIFY(!run(wrongSkip));
    QVERIFY(wrongSkip.endedOtherwise());
    QVERIFY(!again.endedOtherwise());
    QCOMPARE(sh().task(a.taskId())->state, QStringLiteral("completed"));
    QCOMPARE(sh().task(b.taskId())->state, QStringLiteral("skipped"));
}

void TestSaleshandyClient::aCompleteWhoseAnswerWasLostIsRetriedAndTheRepeatCountsAsDone()
{
    const QString p = sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("l@example.org")}});
    NewTask nt;
    nt.prospectIds = {p};
    CreateTaskRequest a(*m_client, nt), b(*m_client, nt);
    QVERIFY(run(a) && run(b));
    QString error;
    // Completed, then a 500: the retry meets "Task is already completed" — a success.
    QVERIFY(sh().setFaults(QStringLiteral("5xx-after@complete:x1"), &error));
    CompleteTaskRequest complete(*m_client, a.taskId());
    QVERIFY2(run(complete), qPrintable(complete.error().fullText()));
    QCOMPARE(complete.attempts(), 2);
    QVERIFY(complete.alreadyDone());
    // Skipped, then a garbled 200: the same.
    QVERIFY(sh().setFaults(QStringLiteral("malformed@skip:x1"), &error));
    SkipTaskRequest skip(*m_client, b.taskId());
    QVERIFY2(run(skip), qPrintable(skip.error().fullText()));
    QCOMPARE(skip.attempts(), 2);
    QVERIFY(skip.alreadyDone());
    QCOMPARE(sh().task(a.taskId())->state, QStringLiteral("completed"));
    QCOMPARE(sh().task(b.taskId())->state, QStringLiteral("skipped"));
}

void TestSaleshandyClient::repeatedTagChangesAreSuccessesMarkedAlreadyDone()
{
    const QString p = sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("g@example.org")}},
                                                {QStringLiteral("vip")});
    AssignTagsRequest assign(*m_client, {QStringLiteral("vip")}, {p});
    QVERIFY2(run(assign), qPrintable(assign.error().fullText()));
    QVERIFY(assign.alreadyDone());
    AssignTagsRequest fresh(*m_client, {QStringLiteral("vip"), QStringLiteral("new")}, {p});
    QVERIFY2(run(fresh), qPrintable(fresh.error().fullText()));
    QVERIFY(!fresh.alreadyDone());
    UnassignTagsRequest unassign(*m_client, {QStringLiteral("absent")}, {p});
    QVERIFY2(run(unassign), qPrintable(unassign.error().fullText()));
    QVERIFY(unassign.alreadyDone());
    QCOMPARE(sh().prospect(p)->tags, (QStringList{QStringLiteral("vip"), QStringLiteral("new")}));
}

void TestSaleshandyClient::aFieldThatExistsIsAConflictToReadBack()
{
    FieldSpec spec;
    spec.label = QStringLiteral("GHL Contact ID");
    QString error;
    // Created, then the answer was a 500: not repeated (a create), but the field is there...
    QVERIFY(sh().setFaults(QStringLiteral("5xx-after@/v1/fields:x1"), &error));
    CreateFieldRequest lost(*m_client, spec);
    QVERIFY(!run(lost));
    QCOMPARE(lost.attempts(), 1);
    QCOMPARE(lost.error().kind, ApiError::Kind::Server);
    QVERIFY(!lost.alreadyExists());
    QVERIFY2(lost.error().message.contains(QLatin1String("not repeated")), qPrintable(lost.error().message));
    QVERIFY(sh().fieldByLabel(spec.label));
    // ...so the next create says "already exists", distinguishably, and a read-back finds it.
    CreateFieldRequest again(*m_client, spec);
    QVERIFY(!run(again));
    QVERIFY(again.alreadyExists());
    QCOMPARE(again.error().kind, ApiError::Kind::Conflict);
    QCOMPARE(again.error().exitCode(), 1);
    QCOMPARE(again.label(), spec.label);
    QVERIFY2(again.error().message.contains(QLatin1String("already has")), qPrintable(again.error().message));
    ListFieldsRequest fields(*m_client);
    QVERIFY(run(fields));
    QVERIFY(fieldByLabel(fields.fields(), spec.label));
    int withLabel = 0;
    for (const sandbox::ShFieldRecord &f : sh().fields())
        withLabel += f.label == spec.label;
    QCOMPARE(withLabel, 1);
}

void TestSaleshandyClient::wrongKeyIsAnAuthErrorWithExitCode3()
{
    StaticTokenProvider wrong(QStringLiteral("wrong-key"));
    m_client->setTokenProvider(&wrong);
    ListFieldsRequest r(*m_client);
    QVERIFY(!run(r));
    QCOMPARE(r.error().kind, ApiError::Kind::Auth);
    QCOMPARE(r.error().exitCode(), 3);
    QCOMPARE(r.attempts(), 1);
    QCOMPARE(r.error().serviceCode, 1001);
    QVERIFY(r.error().detail.contains(QLatin1String("Invalid token")));
    QVERIFY(!r.error().fullText().contains(QLatin1String("wrong-key")));
    m_client->setTokenProvider(m_key.get());
}

void TestSaleshandyClient::sendsNoContentTypeOnGets()
{
    // The sandbox answers 406 to a GET with a Content-Type; first prove that it would.
    QNetworkAccessManager nam;
    QUrl url = m_box->saleshandyUrl();
    url.setPath(QStringLiteral("/v1/sequences"));
    QNetworkRequest raw(url);
    raw.setRawHeader("x-api-key", m_key->token().toUtf8());
    raw.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam.get(raw);
    QSignalSpy done(reply, &QNetworkReply::finished);
    QVERIFY(done.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 406);
    delete reply;
    QCOMPARE(sh().notAcceptableSent(), 1);

    const QString prospect =
        sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("g@example.org")}});
    ListFieldsRequest fields(*m_client);
    ListProspectsRequest prospects(*m_client, ProspectQuery{});
    ListSequencesRequest sequences(*m_client);
    ListTasksRequest tasks(*m_client, TaskQuery{});
    ListProspectNotesRequest notes(*m_client, prospect);
    SkipTaskRequest bodiless(*m_client,
                             QStringLiteral("nope")); // a POST without a body: no Content-Type either
    for (ApiRequest *r : std::initializer_list<ApiRequest *>{&fields, &prospects, &sequences, &tasks, &notes})
        QVERIFY2(run(*r), qPrintable(r->error().fullText()));
    QVERIFY(!run(bodiless));
    QCOMPARE(bodiless.error().kind, ApiError::Kind::NotFound);
    QCOMPARE(sh().notAcceptableSent(), 1);
}

void TestSaleshandyClient::errorCodesBecomeTypedErrors()
{
    FieldSpec bad;
    bad.label = QStringLiteral("X");
    bad.fieldType = QStringLiteral("boolean");
    CreateFieldRequest invalid(*m_client, bad);
    QVERIFY(!run(invalid));
    QCOMPARE(invalid.error().kind, ApiError::Kind::Validation);
    QVERIFY2(invalid.error().message.contains(QLatin1String("fieldType must be one of")),
             qPrintable(invalid.error().message));

    FieldSpec dup;
    dup.label = QStringLiteral("Email");
    CreateFieldRequest duplicate(*m_client, dup);
    QVERIFY(!run(duplicate));
    QCOMPARE(duplicate.error().kind, ApiError::Kind::Conflict);
    QVERIFY(duplicate.alreadyExists());
    QCOMPARE(duplicate.error().serviceCode, 4000);

    ImportStatusRequest unknown(*m_client, QStringLiteral("nope"));
    QVERIFY(!run(unknown));
    QCOMPARE(unknown.error().kind, ApiError::Kind::NotFound);
    QCOMPARE(unknown.error().serviceCode, 40000);
    QCOMPARE(unknown.attempts(), 1);

    // 1001 also means "no such prospect" and "no such note": not an auth problem.
    NewNote nn;
    nn.prospectIds = {QStringLiteral("nope")};
    nn.content = QStringLiteral("x");
    CreateNoteRequest note(*m_client, nn);
    QVERIFY(!run(note));
    QCOMPARE(note.error().kind, ApiError::Kind::NotFound);
    QCOMPARE(note.error().serviceCode, 1001);
    QCOMPARE(note.error().exitCode(), 1);
    UpdateNoteRequest update(*m_client, QStringLiteral("nope"), QStringLiteral("x"));
    QVERIFY(!run(update));
    QCOMPARE(update.error().kind, ApiError::Kind::NotFound);
    QVERIFY(update.error().detail.contains(QLatin1String("Note not found")));

    ImportParams params; // verifyProspects is always sent, so only the unknown label fails
    params.rows = {ProspectRow{{QStringLiteral("Email"), QStringLiteral("a@example.org")},
                               {QStringLiteral("Shoe Size"), QStringLiteral("9")}}};
    ImportProspectsRequest unknownLabel(*m_client, params);
    QVERIFY(!run(unknownLabel));
    QCOMPARE(unknownLabel.error().serviceCode, 4000);
    QVERIFY(unknownLabel.error().detail.contains(QLatin1String("Shoe Size")));
}

void TestSaleshandyClient::reportLinksOnAnotherHostGetNoApiKey()
{
    FetchImportReportRequest foreign(*m_client, QStringLiteral("https://files.example.com/reports/1.csv"));
    QVERIFY(!foreign.needsAuthorization());
    QCOMPARE(foreign.requestUrl().host(), QStringLiteral("files.example.com"));
    FetchImportReportRequest relative(*m_client, QStringLiteral("/v1/reports/1.csv"));
    QVERIFY(relative.needsAuthorization());
    QCOMPARE(relative.requestUrl().port(), m_box->saleshandyUrl().port());
}

void TestSaleshandyClient::readsQuotedCsv()
{
    const QList<QStringList> rows =
        parseCsv("\xEF\xBB\xBF"
                 "Email,Reason\r\n\"a@b.co\",\"Bad, \"\"very\"\"\nbad\"\r\nc@d.co,\r\n");
    QCOMPARE(rows.size(), 3);
    QCOMPARE(rows.at(0), (QStringList{QStringLiteral("Email"), QStringLiteral("Reason")}));
    QCOMPARE(rows.at(1).at(1), QStringLiteral("Bad, \"very\"\nbad"));
    QCOMPARE(rows.at(2), (QStringList{QStringLiteral("c@d.co"), QString()}));
}

QTEST_GUILESS_MAIN(TestSaleshandyClient)
#include "tst_saleshandyclient.moc"
