// The simulated Saleshandy server, driven over real HTTP on 127.0.0.1 with QNetworkAccessManager.

#include "sandbox/Faults.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "sandbox/Sandbox.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace lb;
using namespace lb::sandbox;

namespace {

struct Reply
{
    int status = 0;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names

    [[nodiscard]] QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    [[nodiscard]] QJsonValue payload() const { return json().value(QStringLiteral("payload")); }
    [[nodiscard]] QString message() const { return json().value(QStringLiteral("message")).toString(); }
    [[nodiscard]] QStringList messages() const
    {
        QStringList out;
        for (const QJsonValue &v : json().value(QStringLiteral("message")).toArray())
            out << v.toString();
        return out;
    }
    [[nodiscard]] QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
};

QJsonObject row(const QString &email, const QString &first = {}, const QString &last = {})
{
    QJsonObject o{{QStringLiteral("Email"), email}};
    if (!first.isEmpty())
        o.insert(QStringLiteral("First Name"), first);
    if (!last.isEmpty())
        o.insert(QStringLiteral("Last Name"), last);
    return o;
}

} // namespace

class TestSaleshandySandbox final : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<Sandbox> m_sandbox;
    QNetworkAccessManager m_nam;

    SaleshandyService &sh() { return m_sandbox->saleshandy(); }

    Reply wait(QNetworkReply *reply)
    {
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(30000);
        Reply r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.error = reply->error();
        if (reply->isOpen())
            r.body = reply->readAll();
        for (const auto &h : reply->rawHeaderPairs())
            r.headers.insert(h.first.toLower(), h.second);
        reply->deleteLater();
        return r;
    }

    QNetworkRequest request(const QString &pathAndQuery, const QByteArray &key)
    {
        QUrl url =
            pathAndQuery.startsWith(QLatin1String("http")) ? QUrl(pathAndQuery) : m_sandbox->saleshandyUrl();
        if (!pathAndQuery.startsWith(QLatin1String("http"))) {
            const qsizetype q = pathAndQuery.indexOf(QLatin1Char('?'));
            url.setPath(q < 0 ? pathAndQuery : pathAndQuery.left(q));
            if (q >= 0)
                url.setQuery(pathAndQuery.mid(q + 1));
        }
        QNetworkRequest req(url);
        if (!key.isEmpty())
            req.setRawHeader("x-api-key", key);
        req.setRawHeader("Accept", "application/json");
        return req;
    }

    Reply get(const QString &path, const QByteArray &key = "sandbox-saleshandy-key")
    {
        return wait(m_nam.get(request(path, key)));
    }

    Reply send(const QByteArray &method, const QString &path, const QJsonObject &body,
               const QByteArray &key = "sandbox-saleshandy-key")
    {
        QNetworkRequest req = request(path, key);
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        return wait(m_nam.sendCustomRequest(req, method, QJsonDocument(body).toJson(QJsonDocument::Compact)));
    }

    Reply post(const QString &path, const QJsonObject &body) { return send("POST", path, body); }

    /// Starts an import and returns its requestId.
    QString startImport(const QJsonArray &rows, const QString &action = QStringLiteral("overwrite"),
                        const QStringList &tags = {})
    {
        QJsonObject body{{QStringLiteral("prospectList"), rows},
                         {QStringLiteral("conflictAction"), action},
                         {QStringLiteral("verifyProspects"), false}};
        if (!tags.isEmpty())
            body.insert(QStringLiteral("tags"), QJsonArray::fromStringList(tags));
        const Reply r = post(QStringLiteral("/v1/prospects/import-with-field-name"), body);
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.payload().toObject().value(QStringLiteral("requestId")).toString();
    }

    void importNow(const QJsonArray &rows, const QString &action = QStringLiteral("overwrite"))
    {
        const QString id = startImport(rows, action);
        QVERIFY(!id.isEmpty());
        sh().completeImports();
    }

private Q_SLOTS:
    void init()
    {
        SandboxOptions o;
        o.contacts = 5;
        m_sandbox = std::make_unique<Sandbox>(o);
        QString error;
        QVERIFY2(m_sandbox->start(&error), qPrintable(error));
        sh().setRateLimit(100000, 1000); // the rate test sets its own
    }

    void cleanup()
    {
        m_nam.clearConnectionCache();
        m_sandbox.reset();
    }

    // --- Auth, headers, envelope

    void servesOnItsOwnPortAndConnectionInfoNamesIt()
    {
        QVERIFY(m_sandbox->saleshandyUrl().port() > 0);
        QVERIFY(m_sandbox->saleshandyUrl().port() != m_sandbox->ghlUrl().port());
        const QJsonObject info = m_sandbox->connectionInfo();
        QCOMPARE(info.value(QStringLiteral("saleshandyUrl")).toString(),
                 m_sandbox->saleshandyUrl().toString());
        QCOMPARE(info.value(QStringLiteral("saleshandyApiKey")).toString(),
                 QStringLiteral("sandbox-saleshandy-key"));
        QVERIFY(!info.value(QStringLiteral("ghlUrl")).toString().isEmpty());
    }

    void rejectsMissingOrWrongKeyWith401()
    {
        for (const QByteArray &key : {QByteArray(), QByteArray("wrong-key")}) {
            const Reply r = get(QStringLiteral("/v1/fields"), key);
            QCOMPARE(r.status, 401);
            QCOMPARE(r.json().value(QStringLiteral("statusCode")).toInt(), 401);
            QCOMPARE(r.message(), QStringLiteral("1001: Invalid token"));
        }
        // A bearer token is not Saleshandy's scheme.
        QNetworkRequest req = request(QStringLiteral("/v1/fields"), {});
        req.setRawHeader("Authorization", "Bearer sandbox-saleshandy-key");
        QCOMPARE(wait(m_nam.get(req)).status, 401);
        QCOMPARE(sh().unauthorizedSent(), 3);
    }

    void getWithContentTypeIs406()
    {
        QNetworkRequest req = request(QStringLiteral("/v1/fields"), "sandbox-saleshandy-key");
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        const Reply r = wait(m_nam.get(req));
        QCOMPARE(r.status, 406);
        QCOMPARE(sh().notAcceptableSent(), 1);
        QCOMPARE(get(QStringLiteral("/v1/fields")).status, 200);
    }

    void unknownRouteIs404()
    {
        const Reply r = get(QStringLiteral("/v1/nothing"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.message(), QStringLiteral("Cannot GET /v1/nothing"));
    }

    // --- Fields

    void listsSystemFieldsOnlyWhenAsked()
    {
        Reply r = get(QStringLiteral("/v1/fields?systemFields=true"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.message(), QStringLiteral("Successfully fetched fields of the user"));
        QStringList labels;
        for (const QJsonValue &v : r.payload().toArray()) {
            labels << v.toObject().value(QStringLiteral("label")).toString();
            QVERIFY(!v.toObject().value(QStringLiteral("id")).toString().isEmpty());
            QVERIFY(v.toObject().value(QStringLiteral("isDefault")).toBool());
        }
        for (const char *label : {"First Name", "Last Name", "Email", "Company", "Phone Number", "Job Title",
                                  "City", "Country", "LinkedIn", "State", "Website"})
            QVERIFY2(labels.contains(QLatin1String(label)), label);
        r = get(QStringLiteral("/v1/fields"));
        QCOMPARE(r.payload().toArray().size(), 0);
    }

    void createsCustomFieldsWithUniqueLabelsAndValidTypes()
    {
        Reply r =
            post(QStringLiteral("/v1/fields"), {{QStringLiteral("label"), QStringLiteral("GHL Contact ID")},
                                                {QStringLiteral("fieldType"), QStringLiteral("text")}});
        QCOMPARE(r.status, 201);
        const QJsonObject created = r.payload().toObject();
        QCOMPARE(created.value(QStringLiteral("isDefault")).toBool(true), false);
        QVERIFY(sh().fieldByLabel(QStringLiteral("GHL Contact ID")));
        QCOMPARE(get(QStringLiteral("/v1/fields")).payload().toArray().size(), 1);

        r = post(QStringLiteral("/v1/fields"), {{QStringLiteral("label"), QStringLiteral("ghl contact id")},
                                                {QStringLiteral("fieldType"), QStringLiteral("text")}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.message().startsWith(QLatin1String("4000: ")));

        r = post(QStringLiteral("/v1/fields"), {{QStringLiteral("label"), QStringLiteral("X")},
                                                {QStringLiteral("fieldType"), QStringLiteral("bool")},
                                                {QStringLiteral("colour"), 1}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("Bad Request"));
        QVERIFY(r.messages().contains(QStringLiteral("property colour should not exist")));
        QVERIFY(r.messages().contains(QStringLiteral("fieldType must be one of the following values: text, "
                                                     "number, date, long-text, dropdown, currency")));
    }

    // --- Import

    void importValidatesItsBody()
    {
        const QJsonArray rows{row(QStringLiteral("a@example.org"))};
        Reply r = post(QStringLiteral("/v1/prospects/import-with-field-name"),
                       {{QStringLiteral("prospectList"), rows},
                        {QStringLiteral("conflictAction"), QStringLiteral("overwrite")}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.messages().contains(QStringLiteral("verifyProspects must be a boolean value")));

        r = post(QStringLiteral("/v1/prospects/import-with-field-name"),
                 {{QStringLiteral("prospectList"), rows},
                  {QStringLiteral("conflictAction"), QStringLiteral("replace")},
                  {QStringLiteral("verifyProspects"), QStringLiteral("false")}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.messages().contains(QStringLiteral("verifyProspects must be a boolean value")));
        QVERIFY(r.messages().contains(QStringLiteral("conflictAction must be one of the following values: "
                                                     "overwrite, noUpdate, addMissingFields, upsert")));

        r = post(QStringLiteral("/v1/sequences/prospects/import-with-field-name"),
                 {{QStringLiteral("prospectList"), rows},
                  {QStringLiteral("conflictAction"), QStringLiteral("overwrite")},
                  {QStringLiteral("verifyProspects"), false},
                  {QStringLiteral("sequenceId"), sh().sequences().first().id}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.messages().contains(QStringLiteral("property sequenceId should not exist")));
        QVERIFY(r.messages().contains(QStringLiteral("stepId should not be empty")));

        r = post(QStringLiteral("/v1/prospects/import-with-field-name"),
                 {{QStringLiteral("prospectList"),
                   QJsonArray{QJsonObject{{QStringLiteral("Email"), QStringLiteral("a@b.co")},
                                          {QStringLiteral("Favourite Colour"), QStringLiteral("red")}}}},
                  {QStringLiteral("conflictAction"), QStringLiteral("overwrite")},
                  {QStringLiteral("verifyProspects"), false}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.message().startsWith(QLatin1String("4000: ")));
        QVERIFY(r.message().contains(QLatin1String("Favourite Colour")));
        QVERIFY(sh().imports().isEmpty());
    }

    void importIsAsynchronousAndReportsFailedRows()
    {
        sh().setImportDelay(-1);
        sh().setImportPollsToComplete(2);
        const QJsonArray rows{
            row(QStringLiteral("ann@example.org"), QStringLiteral("Ann"), QStringLiteral("Lee")),
            row(QStringLiteral("not-an-email"), QStringLiteral("Bad"), QStringLiteral("Row")),
            row(QStringLiteral("bob@example.org"), QStringLiteral("Bob"))};
        const Reply started =
            post(QStringLiteral("/v1/prospects/import-with-field-name"),
                 {{QStringLiteral("prospectList"), rows},
                  {QStringLiteral("conflictAction"), QStringLiteral("overwrite")},
                  {QStringLiteral("verifyProspects"), false},
                  {QStringLiteral("tags"), QJsonArray{QStringLiteral("ghl"), QStringLiteral("vip")}}});
        QCOMPARE(started.status, 201);
        QVERIFY(started.message().startsWith(QLatin1String("Prospect import has started successfully")));
        const QString id = started.payload().toObject().value(QStringLiteral("requestId")).toString();
        QVERIFY(!id.isEmpty());
        QVERIFY(!sh().prospectByEmail(QStringLiteral("ann@example.org"))); // not yet

        Reply status = get(QStringLiteral("/v1/prospects/import-status/") + id);
        QCOMPARE(status.status, 200);
        QCOMPARE(status.payload().toObject().value(QStringLiteral("isCompleted")).toBool(true), false);
        status = get(QStringLiteral("/v1/prospects/import-status/") + id);
        QCOMPARE(status.payload().toObject().value(QStringLiteral("isCompleted")).toBool(), true);
        const QString report = status.payload().toObject().value(QStringLiteral("reportURL")).toString();
        QVERIFY(report.startsWith(m_sandbox->saleshandyUrl().toString()));

        const ShProspectRecord *ann = sh().prospectByEmail(QStringLiteral("ANN@example.org"));
        QVERIFY(ann);
        QCOMPARE(ann->value(QStringLiteral("First Name")), QStringLiteral("Ann"));
        QCOMPARE(ann->tags, (QStringList{QStringLiteral("ghl"), QStringLiteral("vip")}));
        QVERIFY(sh().tags().contains(QStringLiteral("vip")));
        QCOMPARE(sh().prospects().size(), 2);

        // The report is a plain download: no key needed.
        const Reply csv = get(report, QByteArray());
        QCOMPARE(csv.status, 200);
        QVERIFY(csv.header("Content-Type").startsWith("text/csv"));
        const QList<QByteArray> lines = csv.body.trimmed().split('\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY(lines.at(0).contains("Email"));
        QVERIFY(lines.at(0).contains("Reason"));
        QVERIFY(lines.at(1).contains("not-an-email"));
        QVERIFY(lines.at(1).contains("Invalid email"));
        QCOMPARE(sh().importJob(id)->failures.size(), 1);
    }

    void importCompletesAfterTheConfiguredDelay()
    {
        sh().setImportDelay(50);
        const QString id = startImport({row(QStringLiteral("late@example.org"))});
        QSignalSpy done(&sh(), &SaleshandyService::importCompleted);
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().first().toString(), id);
        QVERIFY(sh().prospectByEmail(QStringLiteral("late@example.org")));
    }

    void unknownImportIdIs40000()
    {
        const Reply r = get(QStringLiteral("/v1/prospects/import-status/nope"));
        QCOMPARE(r.status, 400);
        QCOMPARE(r.message(), QStringLiteral("40000: Prospect import request not found"));
    }

    void importStatusShapesAreSwitchable()
    {
        const QString id = startImport({row(QStringLiteral("s@example.org"))});
        sh().completeImports();
        sh().setImportStatusShape(SaleshandyService::StatusShape::BareReportUrl);
        Reply r = get(QStringLiteral("/v1/prospects/import-status/") + id);
        QVERIFY(r.json().value(QStringLiteral("isCompleted")).toBool());
        QVERIFY(!r.json().contains(QStringLiteral("payload")));
        sh().setImportStatusShape(SaleshandyService::StatusShape::PayloadFailedProspectsUrl);
        r = get(QStringLiteral("/v1/prospects/import-status/") + id);
        QVERIFY(!r.payload().toObject().value(QStringLiteral("failedProspectsURL")).toString().isEmpty());
    }

    void duplicatesByEmailAreUpdatedPerConflictActionNeverDuplicated()
    {
        importNow({QJsonObject{{QStringLiteral("Email"), QStringLiteral("dup@example.org")},
                               {QStringLiteral("First Name"), QStringLiteral("Dee")},
                               {QStringLiteral("City"), QStringLiteral("Bonn")}}});
        importNow({QJsonObject{{QStringLiteral("Email"), QStringLiteral("DUP@Example.org")},
                               {QStringLiteral("First Name"), QStringLiteral("Never")},
                               {QStringLiteral("Company"), QStringLiteral("Never GmbH")}}},
                  QStringLiteral("noUpdate"));
        const ShProspectRecord *p = sh().prospectByEmail(QStringLiteral("dup@example.org"));
        QVERIFY(p);
        QCOMPARE(p->value(QStringLiteral("First Name")), QStringLiteral("Dee"));
        QVERIFY(p->value(QStringLiteral("Company")).isEmpty());

        importNow({QJsonObject{{QStringLiteral("Email"), QStringLiteral("dup@example.org")},
                               {QStringLiteral("First Name"), QStringLiteral("Other")},
                               {QStringLiteral("Company"), QStringLiteral("Acme")}}},
                  QStringLiteral("addMissingFields"));
        p = sh().prospectByEmail(QStringLiteral("dup@example.org"));
        QCOMPARE(p->value(QStringLiteral("First Name")), QStringLiteral("Dee"));
        QCOMPARE(p->value(QStringLiteral("Company")), QStringLiteral("Acme"));

        importNow({QJsonObject{{QStringLiteral("Email"), QStringLiteral("dup@example.org")},
                               {QStringLiteral("First Name"), QStringLiteral("Delia")},
                               {QStringLiteral("City"), QStringLiteral("Köln")}}},
                  QStringLiteral("overwrite"));
        p = sh().prospectByEmail(QStringLiteral("dup@example.org"));
        QCOMPARE(p->value(QStringLiteral("First Name")), QStringLiteral("Delia"));
        QCOMPARE(p->value(QStringLiteral("City")), QStringLiteral("Köln"));
        QCOMPARE(p->email, QStringLiteral("dup@example.org"));
        QCOMPARE(sh().prospects().size(), 1);
    }

    void importIntoAStepPutsProspectsInTheSequence()
    {
        const ShSequenceRecord seq = sh().sequences().first();
        const Reply r =
            post(QStringLiteral("/v1/sequences/prospects/import-with-field-name"),
                 {{QStringLiteral("prospectList"), QJsonArray{row(QStringLiteral("seq@example.org"))}},
                  {QStringLiteral("conflictAction"), QStringLiteral("upsert")},
                  {QStringLiteral("verifyProspects"), true},
                  {QStringLiteral("stepId"), seq.steps.first().id}});
        QCOMPARE(r.status, 201);
        sh().completeImports();
        QCOMPARE(sh().prospectByEmail(QStringLiteral("seq@example.org"))->stepIds,
                 QStringList{seq.steps.first().id});

        const Reply bad =
            post(QStringLiteral("/v1/sequences/prospects/import-with-field-name"),
                 {{QStringLiteral("prospectList"), QJsonArray{row(QStringLiteral("x@example.org"))}},
                  {QStringLiteral("conflictAction"), QStringLiteral("upsert")},
                  {QStringLiteral("verifyProspects"), true},
                  {QStringLiteral("stepId"), QStringLiteral("noSuchStep")}});
        QCOMPARE(bad.status, 400);
    }

    // --- Prospects

    void listsSearchesAndPagesProspects()
    {
        for (int i = 0; i < 25; ++i)
            sh().createProspectDirect(
                {{QStringLiteral("Email"), QStringLiteral("p%1@example.org").arg(i, 2, 10, QLatin1Char('0'))},
                 {QStringLiteral("First Name"), i == 7 ? QStringLiteral("Zelda") : QStringLiteral("P")}});
        Reply r = get(QStringLiteral(
            "/v1/prospects?pageSize=10&page=3&sort=ASC&sortBy=createdAt&includeCustomFields=true"));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.payload().toArray().size(), 5);
        QCOMPARE(r.payload().toArray().first().toObject().value(QStringLiteral("email")).toString(),
                 QStringLiteral("p20@example.org"));
        const QJsonArray attrs =
            r.payload().toArray().first().toObject().value(QStringLiteral("attributes")).toArray();
        QVERIFY(!attrs.isEmpty());
        QVERIFY(attrs.first().toObject().contains(QStringLiteral("key")));

        r = get(QStringLiteral("/v1/prospects?pageSize=10&page=1&sort=DESC&sortBy=createdAt"));
        QCOMPARE(r.payload().toArray().first().toObject().value(QStringLiteral("email")).toString(),
                 QStringLiteral("p24@example.org"));
        r = get(QStringLiteral("/v1/prospects?pageSize=500&sort=ASC&sortBy=createdAt"));
        QCOMPARE(r.payload().toArray().size(), 25); // capped to 100, not refused
        r = get(QStringLiteral("/v1/prospects?pageSize=15&sort=UP&sortBy=createdAt"));
        QCOMPARE(r.status, 400);
        QVERIFY(r.messages().contains(
            QStringLiteral("pageSize must be one of the following values: 10, 20, 50, 100")));
        QVERIFY(r.messages().contains(QStringLiteral("sort must be one of the following values: ASC, DESC")));

        r = get(QStringLiteral("/v1/prospects?search=zelda&pageSize=100&sort=ASC&sortBy=createdAt"));
        QCOMPARE(r.payload().toArray().size(), 1);
        r = get(QStringLiteral("/v1/prospects?search=p1&pageSize=100&sort=ASC&sortBy=createdAt"));
        QCOMPARE(r.payload().toArray().size(), 10); // p10..p19: a substring search
    }

    void assignsAndUnassignsTags()
    {
        const QString id =
            sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("t@example.org")}});
        Reply r = post(QStringLiteral("/v1/prospects/tags/assign"),
                       {{QStringLiteral("tags"), QJsonArray{QStringLiteral("a")}}});
        QCOMPARE(r.status, 400);
        QVERIFY(r.message().startsWith(QLatin1String("40503: ")));
        r = post(QStringLiteral("/v1/prospects/tags/assign"),
                 {{QStringLiteral("tags"), QJsonArray{QStringLiteral("a")}},
                  {QStringLiteral("prospects"), QJsonArray{QStringLiteral("nope")}}});
        QVERIFY(r.message().startsWith(QLatin1String("40501: ")));
        r = post(QStringLiteral("/v1/prospects/tags/assign"),
                 {{QStringLiteral("tags"), QJsonArray{QStringLiteral("a")}},
                  {QStringLiteral("prospectsEmails"), QJsonArray{QStringLiteral("nobody@example.org")}}});
        QVERIFY(r.message().startsWith(QLatin1String("40502: ")));
        r = post(QStringLiteral("/v1/prospects/tags/assign"),
                 {{QStringLiteral("tags"), QJsonArray{QStringLiteral("a"), QStringLiteral("b")}},
                  {QStringLiteral("prospectsEmails"), QJsonArray{QStringLiteral("T@example.org")}}});
        QCOMPARE(r.status, 201);
        QCOMPARE(sh().prospect(id)->tags, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
        r = post(QStringLiteral("/v1/prospects/tags/un-assign"),
                 {{QStringLiteral("tags"), QJsonArray{QStringLiteral("A")}},
                  {QStringLiteral("prospects"), QJsonArray{id}}});
        QCOMPARE(r.status, 201);
        QCOMPARE(sh().prospect(id)->tags, QStringList{QStringLiteral("b")});
    }

    void repeatedTagChangesAreRefusedAsAlreadyDone()
    {
        const QString id = sh().createProspectDirect(
            {{QStringLiteral("Email"), QStringLiteral("r@example.org")}}, {QStringLiteral("a")});
        // Nothing new to assign: refused (the sandbox's hostile reading of an unconfirmed answer).
        Reply r = post(QStringLiteral("/v1/prospects/tags/assign"),
                       {{QStringLiteral("tags"), QJsonArray{QStringLiteral("A")}},
                        {QStringLiteral("prospects"), QJsonArray{id}}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.message(), QStringLiteral("Tags are already assigned to the prospects"));
        // Something new: accepted, and the known tag stays once.
        r = post(QStringLiteral("/v1/prospects/tags/assign"),
                 {{QStringLiteral("tags"), QJsonArray{QStringLiteral("a"), QStringLiteral("c")}},
                  {QStringLiteral("prospects"), QJsonArray{id}}});
        QCOMPARE(r.status, 201);
        QCOMPARE(sh().prospect(id)->tags, (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
        r = post(QStringLiteral("/v1/prospects/tags/un-assign"),
                 {{QStringLiteral("tags"), QJsonArray{QStringLiteral("zzz")}},
                  {QStringLiteral("prospects"), QJsonArray{id}}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.message(), QStringLiteral("Tags are not assigned to the prospects"));
    }

    void repeatedSkipIsRefusedAsAlreadySkipped()
    {
        const QString p =
            sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("s@example.org")}});
        Reply r =
            post(QStringLiteral("/v1/tasks/create"), {{QStringLiteral("prospectIds"), QJsonArray{p}},
                                                      {QStringLiteral("taskType"), QStringLiteral("9")}});
        QCOMPARE(r.status, 201);
        const QString taskId = sh().tasks().constLast().id;
        QCOMPARE(post(QStringLiteral("/v1/tasks/%1/skip").arg(taskId), {}).status, 201);
        r = post(QStringLiteral("/v1/tasks/%1/skip").arg(taskId), {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.message(), QStringLiteral("Task is already skipped"));
        r = post(QStringLiteral("/v1/tasks/%1/complete").arg(taskId), {});
        QCOMPARE(r.status, 400);
        QCOMPARE(sh().task(taskId)->state, QStringLiteral("skipped"));
    }

    // --- Faults: before or after the server acted

    void cutBeforeActingCreatesNothing()
    {
        // Every attempt is cut: QNAM itself resends once when no byte of the answer came.
        QString error;
        QVERIFY(sh().setFaults(QStringLiteral("cut@/v1/fields"), &error));
        const Reply r =
            post(QStringLiteral("/v1/fields"), {{QStringLiteral("label"), QStringLiteral("Cut Before")},
                                                {QStringLiteral("fieldType"), QStringLiteral("text")}});
        QCOMPARE(r.status, 0);
        QVERIFY(!sh().fieldByLabel(QStringLiteral("Cut Before")));
    }

    void cutAfterActingKeepsTheWrite()
    {
        QString error;
        QVERIFY(sh().setFaults(QStringLiteral("cut-after@/v1/fields"), &error));
        const Reply r =
            post(QStringLiteral("/v1/fields"), {{QStringLiteral("label"), QStringLiteral("Cut After")},
                                                {QStringLiteral("fieldType"), QStringLiteral("text")}});
        QCOMPARE(r.status, 0);
        QCOMPARE(r.error, QNetworkReply::RemoteHostClosedError);
        QVERIFY(sh().fieldByLabel(QStringLiteral("Cut After")));
        int withLabel = 0;
        for (const ShFieldRecord &f : sh().fields())
            withLabel += f.label == QLatin1String("Cut After");
        QCOMPARE(withLabel, 1);
    }

    void serverErrorAfterActingKeepsTheWriteAndBeforeDoesNot()
    {
        const QString p =
            sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("f@example.org")}});
        const QJsonObject body{{QStringLiteral("prospectIds"), QJsonArray{p}},
                               {QStringLiteral("taskType"), QStringLiteral("9")}};
        QString error;
        QVERIFY(sh().setFaults(QStringLiteral("5xx@/v1/tasks/create:x1"), &error));
        QCOMPARE(post(QStringLiteral("/v1/tasks/create"), body).status, 500);
        QCOMPARE(sh().tasks().size(), 0);
        QVERIFY(sh().setFaults(QStringLiteral("5xx-after=503@/v1/tasks/create:x1"), &error));
        const Reply r = post(QStringLiteral("/v1/tasks/create"), body);
        QCOMPARE(r.status, 503);
        QCOMPARE(sh().tasks().size(), 1);
        QCOMPARE(sh().tasks().constFirst().prospectId, p);
        QCOMPARE(post(QStringLiteral("/v1/tasks/create"), body).status, 201); // spent
    }

    void aFaultWithoutAPathHitsEveryEndpoint()
    {
        QString error;
        QVERIFY(sh().setFaults(QStringLiteral("5xx-after"), &error));
        for (const char *path : {"/v1/fields", "/v1/prospects?pageSize=10&sort=ASC&sortBy=createdAt",
                                 "/v1/sequences", "/v1/tasks", "/v1/prospects/import-status/nope"})
            QCOMPARE(get(QLatin1String(path)).status, 500);
        QCOMPARE(post(QStringLiteral("/v1/notes"), {}).status, 500);
    }

    void updatesAttributesPerField()
    {
        const QString id =
            sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("u@example.org")}});
        const QString city = sh().fieldByLabel(QStringLiteral("City"))->id;
        Reply r = post(QStringLiteral("/v1/prospects/%1/attribute").arg(id),
                       {{QStringLiteral("attributes"),
                         QJsonArray{QJsonObject{{QStringLiteral("fieldId"), city},
                                                {QStringLiteral("attributeValue"), QStringLiteral("Graz")}},
                                    QJsonObject{{QStringLiteral("fieldId"), QStringLiteral("nope")},
                                                {QStringLiteral("attributeValue"), QStringLiteral("x")}}}}});
        QCOMPARE(r.status, 201);
        const QJsonArray results = r.payload().toObject().value(QStringLiteral("results")).toArray();
        QCOMPARE(results.size(), 2);
        QVERIFY(results.at(0).toObject().value(QStringLiteral("success")).toBool());
        QVERIFY(!results.at(1).toObject().value(QStringLiteral("success")).toBool());
        QCOMPARE(sh().prospect(id)->value(QStringLiteral("City")), QStringLiteral("Graz"));
        r = post(
            QStringLiteral("/v1/prospects/nope/attribute"),
            {{QStringLiteral("fieldId"), city}, {QStringLiteral("attributeValue"), QStringLiteral("x")}});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.message(), QStringLiteral("1001: Invalid prospect Id"));
    }

    // --- Sequences

    void listsSeededSequencesStepsAndAddsContacts()
    {
        Reply r = get(QStringLiteral("/v1/sequences"));
        QCOMPARE(r.status, 200);
        const QJsonArray list = r.payload().toArray();
        QCOMPARE(list.size(), 3);
        for (const QJsonValue &v : list)
            QVERIFY(!v.toObject().value(QStringLiteral("steps")).toArray().isEmpty());
        const ShSequenceRecord seq = sh().sequences().first();
        r = get(QStringLiteral("/v1/sequences/%1/steps").arg(seq.id));
        QCOMPARE(r.payload().toArray().size(), seq.steps.size());
        QCOMPARE(r.payload().toArray().first().toObject().value(QStringLiteral("number")).toInt(), 1);
        QCOMPARE(r.payload().toArray().first().toObject().value(QStringLiteral("type")).toInt(), 1);
        QCOMPARE(get(QStringLiteral("/v1/sequences/nope/steps")).message(),
                 QStringLiteral("40100: Sequence not found"));

        const QString id =
            sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("c@example.org")}});
        r = post(QStringLiteral("/v1/sequences/%1/contacts").arg(seq.id),
                 {{QStringLiteral("stepId"), seq.steps.at(1).id},
                  {QStringLiteral("contactIds"), QJsonArray{id, QStringLiteral("nope")}}});
        QCOMPARE(r.status, 201);
        const QJsonArray results = r.payload().toObject().value(QStringLiteral("results")).toArray();
        QVERIFY(results.at(0).toObject().value(QStringLiteral("success")).toBool());
        QVERIFY(!results.at(1).toObject().value(QStringLiteral("success")).toBool());
        QCOMPARE(sh().prospect(id)->stepIds, QStringList{seq.steps.at(1).id});
    }

    // --- Tasks

    void tasksLifecycle()
    {
        const QString a =
            sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("task@example.org")},
                                       {QStringLiteral("First Name"), QStringLiteral("Tess")}});
        const QString due = sh().today().addDays(3).toString(Qt::ISODate);
        Reply r = post(QStringLiteral("/v1/tasks/create"),
                       {{QStringLiteral("prospectIds"), QJsonArray{a, QStringLiteral("nope")}},
                        {QStringLiteral("taskType"), QStringLiteral("9")},
                        {QStringLiteral("priority"), QStringLiteral("2")},
                        {QStringLiteral("dueDate"), due},
                        {QStringLiteral("taskNote"), QStringLiteral("Call back\n\nAbout the offer")}});
        QCOMPARE(r.status, 201);
        const QJsonArray results = r.payload().toObject().value(QStringLiteral("results")).toArray();
        QCOMPARE(results.size(), 2);
        const QString taskId = results.at(0).toObject().value(QStringLiteral("taskId")).toString();
        QVERIFY(!taskId.isEmpty());
        QVERIFY(!results.at(1).toObject().value(QStringLiteral("success")).toBool());

        r = post(QStringLiteral("/v1/tasks/create"),
                 {{QStringLiteral("prospectIds"), QJsonArray{a}},
                  {QStringLiteral("taskType"), QStringLiteral("1")},
                  {QStringLiteral("dueDate"), QStringLiteral("2026-01-15T10:00:00Z")}});
        QCOMPARE(r.status, 400);
        QVERIFY(
            r.messages().contains(QStringLiteral("dueDate must be a valid date in the format YYYY-MM-DD")));
        QVERIFY(r.messages().join(QLatin1Char(' ')).contains(QLatin1String("taskType must be one of")));
        r = post(QStringLiteral("/v1/tasks/create"),
                 {{QStringLiteral("prospectIds"), QJsonArray{QStringLiteral("nope")}},
                  {QStringLiteral("taskType"), QStringLiteral("9")}});
        QCOMPARE(r.message(), QStringLiteral("1001: Invalid prospect Id"));

        r = get(QStringLiteral(
            "/v1/tasks?search=task%40example.org&status=upcoming&taskType=custom&page=1&pageSize=10"));
        QCOMPARE(r.status, 200);
        QJsonArray tasks = r.payload().toObject().value(QStringLiteral("tasks")).toArray();
        QCOMPARE(tasks.size(), 1);
        QCOMPARE(tasks.first().toObject().value(QStringLiteral("prospectId")).toString(), a);
        QCOMPARE(tasks.first().toObject().value(QStringLiteral("dueDate")).toString(), due);
        QCOMPARE(get(QStringLiteral("/v1/tasks?search=nobody"))
                     .payload()
                     .toObject()
                     .value(QStringLiteral("tasks"))
                     .toArray()
                     .size(),
                 0);

        r = send("PATCH", QStringLiteral("/v1/tasks/%1/note").arg(taskId),
                 {{QStringLiteral("note"), QStringLiteral("Changed")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(sh().task(taskId)->note, QStringLiteral("Changed"));
        r = post(QStringLiteral("/v1/tasks/%1/complete").arg(taskId), {});
        QCOMPARE(r.status, 201);
        // Again: refused as the live API does, and nothing changes.
        const qint64 completedAt = sh().task(taskId)->completedAtMs;
        r = post(QStringLiteral("/v1/tasks/%1/complete").arg(taskId), {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.message(), QStringLiteral("Task is already completed"));
        QCOMPARE(sh().task(taskId)->completedAtMs, completedAt);
        r = post(QStringLiteral("/v1/tasks/%1/skip").arg(taskId), {});
        QCOMPARE(r.status, 400);
        QCOMPARE(r.message(), QStringLiteral("4000: A completed task cannot be skipped"));
        r = get(QStringLiteral("/v1/tasks/") + taskId);
        QCOMPARE(r.payload().toObject().value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        r = get(QStringLiteral("/v1/tasks/nope"));
        QCOMPARE(r.status, 404);
        QCOMPARE(r.message(), QStringLiteral("The requested task could not be found"));
    }

    // --- Notes

    void notesLifecycle()
    {
        const QString a =
            sh().createProspectDirect({{QStringLiteral("Email"), QStringLiteral("note@example.org")}});
        Reply r = post(QStringLiteral("/v1/notes"), {{QStringLiteral("content"), QStringLiteral("x")},
                                                     {QStringLiteral("visibility"), QStringLiteral("3")},
                                                     {QStringLiteral("prospectIds"), QJsonArray{a}}});
        QCOMPARE(r.status, 400);
        QVERIFY(
            r.messages().contains(QStringLiteral("visibility must be one of the following values: 1, 2")));
        QString noteId;
        for (int i = 0; i < 3; ++i) {
            r = post(QStringLiteral("/v1/notes"),
                     {{QStringLiteral("content"), QStringLiteral("Note %1").arg(i)},
                      {QStringLiteral("visibility"), QStringLiteral("1")},
                      {QStringLiteral("prospectIds"), QJsonArray{a}}});
            QCOMPARE(r.status, 201);
            noteId = r.payload()
                         .toObject()
                         .value(QStringLiteral("results"))
                         .toArray()
                         .first()
                         .toObject()
                         .value(QStringLiteral("noteId"))
                         .toString();
        }
        r = send("PATCH", QStringLiteral("/v1/notes/") + noteId,
                 {{QStringLiteral("content"), QStringLiteral("Edited")}});
        QCOMPARE(r.status, 200);
        QCOMPARE(r.payload().toObject().value(QStringLiteral("content")).toString(),
                 QStringLiteral("Edited"));
        QCOMPARE(send("PATCH", QStringLiteral("/v1/notes/nope"),
                      {{QStringLiteral("content"), QStringLiteral("x")}})
                     .message(),
                 QStringLiteral("1001: Note not found or access denied"));

        r = get(QStringLiteral("/v1/prospects/%1/notes?skip=0&take=2").arg(a));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.payload().toObject().value(QStringLiteral("notes")).toArray().size(), 2);
        QVERIFY(r.payload()
                    .toObject()
                    .value(QStringLiteral("pagination"))
                    .toObject()
                    .value(QStringLiteral("hasMore"))
                    .toBool());
        r = get(QStringLiteral("/v1/prospects/%1/notes?skip=2&take=2").arg(a));
        QCOMPARE(r.payload().toObject().value(QStringLiteral("notes")).toArray().size(), 1);
        QVERIFY(!r.payload()
                     .toObject()
                     .value(QStringLiteral("pagination"))
                     .toObject()
                     .value(QStringLiteral("hasMore"))
                     .toBool(true));
        r = get(QStringLiteral("/v1/prospects/%1/notes?take=101").arg(a));
        QCOMPARE(r.status, 400);
        QVERIFY(r.messages().contains(QStringLiteral("take must not be greater than 100")));
    }

    // --- Rate limit, faults, counters

    void rateLimitAnswers429WithRetryAfterAndNoRateHeaders()
    {
        sh().setRateLimit(3, 60000);
        for (int i = 0; i < 3; ++i) {
            const Reply r = get(QStringLiteral("/v1/sequences"));
            QCOMPARE(r.status, 200);
            QVERIFY(r.header("X-RateLimit-Remaining").isEmpty());
            QVERIFY(r.header("X-RateLimit-Limit").isEmpty());
        }
        const Reply limited = get(QStringLiteral("/v1/sequences"));
        QCOMPARE(limited.status, 429);
        QVERIFY(limited.header("Retry-After").toInt() >= 1);
        QCOMPARE(sh().tooManyRequestsSent(), 1);

        sh().resetRateLimits();
        sh().setSendRateHeaders(true);
        const Reply r = get(QStringLiteral("/v1/sequences"));
        QCOMPARE(r.header("X-RateLimit-Limit"), QByteArray("3"));
        QCOMPARE(r.header("X-RateLimit-Remaining"), QByteArray("2"));
    }

    void faultsArePerServiceAndCountersCountRoutesAndWrites()
    {
        QString error;
        QVERIFY(sh().setFaults(QStringLiteral("5xx@/v1/sequences:x1"), &error));
        Reply r = get(QStringLiteral("/v1/sequences"));
        QCOMPARE(r.status, 500);
        QVERIFY(r.message().startsWith(QLatin1String("5001: ")));
        QCOMPARE(get(QStringLiteral("/v1/sequences")).status, 200);
        QVERIFY(m_sandbox->ghl().faults().isEmpty());
        QCOMPARE(sh().faultsInjected(), 1);

        sh().resetCounters();
        (void)post(QStringLiteral("/v1/fields"), {{QStringLiteral("label"), QStringLiteral("L")},
                                                  {QStringLiteral("fieldType"), QStringLiteral("text")}});
        (void)get(QStringLiteral("/v1/fields"));
        (void)send("PATCH", QStringLiteral("/v1/notes/x"), {});
        QCOMPARE(sh().requestCount(), 3);
        QCOMPARE(sh().writeRequestCount(), 2);
        QCOMPARE(sh().requestCount(QStringLiteral("POST /v1/fields")), 1);
        QCOMPARE(sh().requestCount(QStringLiteral("PATCH /v1/notes/{noteId}")), 1);

        QVERIFY(!sh().setFaults(QStringLiteral("bogus"), &error));
        sh().clearFaults();
        QVERIFY(sh().faults().isEmpty());
    }

    void cliOptionsConfigureSaleshandy()
    {
        QCommandLineParser parser;
        addSandboxOptions(parser);
        QVERIFY(parser.parse({QStringLiteral("sandbox"), QStringLiteral("--saleshandy-faults"),
                              QStringLiteral("429:x1"), QStringLiteral("--saleshandy-rate"),
                              QStringLiteral("7"), QStringLiteral("--saleshandy-key"), QStringLiteral("k"),
                              QStringLiteral("--saleshandy-rate-headers"),
                              QStringLiteral("--saleshandy-import-delay"), QStringLiteral("5")}));
        SandboxOptions o;
        QString error;
        QVERIFY2(sandboxOptionsFromParser(parser, &o, &error), qPrintable(error));
        QCOMPARE(o.saleshandyFaults, QStringLiteral("429:x1"));
        QCOMPARE(o.saleshandyRateMax, 7);
        QCOMPARE(o.saleshandyApiKey, QStringLiteral("k"));
        QVERIFY(o.saleshandyRateHeaders);
        QCOMPARE(o.saleshandyImportDelayMs, 5);
        QVERIFY(o.faults.isEmpty());

        QCommandLineParser bad;
        addSandboxOptions(bad);
        QVERIFY(bad.parse(
            {QStringLiteral("sandbox"), QStringLiteral("--saleshandy-faults"), QStringLiteral("nonsense")}));
        QVERIFY(!sandboxOptionsFromParser(bad, &o, &error));
    }
};

QTEST_GUILESS_MAIN(TestSaleshandySandbox)
#include "tst_saleshandysandbox.moc"
