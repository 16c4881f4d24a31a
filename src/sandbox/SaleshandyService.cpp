#include "sandbox/SaleshandyService.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTimer>

#include <algorithm>
#include <climits>

namespace lb::sandbox {

namespace {

using L = QLatin1StringView;

const char *reasonOf(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 406:
        return "Not Acceptable";
    case 413:
        return "Payload Too Large";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

// Success: Saleshandy's envelope.
HttpResponse ok(const QString &message, const QJsonValue &payload, int status = 200)
{
    return HttpResponse::json(status, QJsonObject{{L("message"), message}, {L("payload"), payload}});
}

// An error in NestJS's HttpException shape; Saleshandy's numbered errors put the code before the
// text in `message` ("1001: Invalid token"), as its API reference lists them.
HttpResponse fail(int status, const QString &message, int code = 0)
{
    const QString text = code ? QStringLiteral("%1: %2").arg(code).arg(message) : message;
    return HttpResponse::json(status, QJsonObject{{L("statusCode"), status},
                                                  {L("message"), text},
                                                  {L("error"), QLatin1String(reasonOf(status))}});
}

// class-validator's answer: `message` is the list of rejected properties.
HttpResponse invalid(const QStringList &messages)
{
    return HttpResponse::json(400, QJsonObject{{L("statusCode"), 400},
                                               {L("message"), QJsonArray::fromStringList(messages)},
                                               {L("error"), QStringLiteral("Bad Request")}});
}

std::optional<QJsonObject> jsonBody(const HttpRequest &r, HttpResponse *error)
{
    if (r.body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = fail(400, QStringLiteral("Unexpected token in JSON at position %1").arg(pe.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = fail(400, QStringLiteral("The request body must be a JSON object"));
        return std::nullopt;
    }
    return doc.object();
}

// forbidNonWhitelisted: every property outside the DTO is an error of its own.
void forbidUnknown(const QJsonObject &body, std::initializer_list<const char *> allowed, QStringList *errs)
{
    for (auto it = body.begin(); it != body.end(); ++it) {
        bool known = false;
        for (const char *a : allowed)
            known = known || it.key() == QLatin1String(a);
        if (!known)
            errs->append(QStringLiteral("property %1 should not exist").arg(it.key()));
    }
}

// A required or optional array of strings.
QStringList stringArray(const QJsonObject &body, const char *key, bool required, QStringList *errs)
{
    const QLatin1String k(key);
    if (!body.contains(k)) {
        if (required)
            errs->append(QStringLiteral("%1 should not be empty").arg(k));
        return {};
    }
    const QJsonValue v = body.value(k);
    if (!v.isArray()) {
        errs->append(QStringLiteral("%1 must be an array").arg(k));
        return {};
    }
    QStringList out;
    for (const QJsonValue &item : v.toArray()) {
        if (!item.isString()) {
            errs->append(QStringLiteral("each value in %1 must be a string").arg(k));
            return {};
        }
        out << item.toString();
    }
    if (required && out.isEmpty())
        errs->append(QStringLiteral("%1 should not be empty").arg(k));
    return out;
}

QString stringField(const QJsonObject &body, const char *key, bool required, QStringList *errs)
{
    const QLatin1String k(key);
    if (!body.contains(k) || body.value(k).isNull()) {
        if (required)
            errs->append(QStringLiteral("%1 should not be empty").arg(k));
        return {};
    }
    if (!body.value(k).isString()) {
        errs->append(QStringLiteral("%1 must be a string").arg(k));
        return {};
    }
    const QString s = body.value(k).toString();
    if (required && s.isEmpty())
        errs->append(QStringLiteral("%1 should not be empty").arg(k));
    return s;
}

void checkEnum(const QString &value, const char *key, const QStringList &allowed, QStringList *errs)
{
    if (!allowed.contains(value))
        errs->append(QStringLiteral("%1 must be one of the following values: %2")
                         .arg(QLatin1String(key), allowed.join(QStringLiteral(", "))));
}

bool isEmail(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[^\\s@,;]+@[^\\s@,;]+\\.[^\\s@,;]+$"));
    return re.match(s).hasMatch();
}

QString iso(qint64 ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs) : QString();
}

QJsonValue isoOrNull(qint64 ms)
{
    return ms > 0 ? QJsonValue(iso(ms)) : QJsonValue(QJsonValue::Null);
}

QByteArray csvField(const QString &s)
{
    QString v = s;
    if (v.contains(QLatin1Char('"')) || v.contains(QLatin1Char(',')) || v.contains(QLatin1Char('\n')) ||
        v.contains(QLatin1Char('\r'))) {
        v.replace(QStringLiteral("\""), QStringLiteral("\"\""));
        v = QLatin1Char('"') + v + QLatin1Char('"');
    }
    return v.toUtf8();
}

const QStringList &taskTypeCodes()
{
    static const QStringList codes = {QStringLiteral("2"),  QStringLiteral("3"),  QStringLiteral("4"),
                                      QStringLiteral("5"),  QStringLiteral("6"),  QStringLiteral("9"),
                                      QStringLiteral("11"), QStringLiteral("12"), QStringLiteral("13"),
                                      QStringLiteral("14"), QStringLiteral("15"), QStringLiteral("16"),
                                      QStringLiteral("17"), QStringLiteral("18")};
    return codes;
}

QString taskCategory(const QString &code)
{
    const int c = code.toInt();
    if (c >= 2 && c <= 6)
        return QStringLiteral("linkedin");
    if (c >= 11 && c <= 15)
        return QStringLiteral("call");
    if (c >= 16 && c <= 18)
        return QStringLiteral("whatsapp");
    return QStringLiteral("custom");
}

const char *const kLastName = "Last Name";
const char *const kFirstName = "First Name";
const char *const kEmail = "Email";

} // namespace

SaleshandyService::SaleshandyService(const SandboxOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_faults(options.faultSeed + 101), m_ids(options.seed ^ 0x5a1e5u)
{
    // The daily budget is effectively off: Saleshandy publishes none.
    m_limiter.setLimits({options.saleshandyRateMax, options.saleshandyRateIntervalMs, INT_MAX});
    m_server = new HttpServerBase([this](HttpRequest &r) { return dispatch(r); }, this);
    setupRoutes();
}

SaleshandyService::~SaleshandyService() = default;

bool SaleshandyService::start(QString *error)
{
    if (!m_options.saleshandyFaults.isEmpty() && !setFaults(m_options.saleshandyFaults, error))
        return false;
    seed();
    return m_server->listenLocal(m_options.saleshandyPort, error) != 0;
}

QUrl SaleshandyService::url() const
{
    return m_server->baseUrl();
}

qint64 SaleshandyService::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

QDate SaleshandyService::today() const
{
    return QDateTime::currentDateTimeUtc().date();
}

QString SaleshandyService::newId()
{
    // Short opaque ids like Saleshandy's "0VOLRwYe82", from the seeded generator.
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QString id;
    for (int i = 0; i < 10; ++i)
        id += QLatin1Char(alphabet[m_ids.bounded(62)]);
    return id;
}

void SaleshandyService::seed()
{
    static const std::pair<const char *, const char *> systemFields[] = {
        {kFirstName, "text"},     {kLastName, "text"},   {kEmail, "text"},    {"Company", "text"},
        {"Phone Number", "text"}, {"Job Title", "text"}, {"City", "text"},    {"Country", "text"},
        {"LinkedIn", "text"},     {"State", "text"},     {"Website", "text"},
    };
    m_fields.clear();
    for (const auto &[label, type] : systemFields)
        m_fields.append({newId(), QLatin1String(label), QLatin1String(type), true, QString(), {}});

    struct StepSeed
    {
        const char *name;
        int type;
        int days;
    };
    struct SequenceSeed
    {
        const char *title;
        bool active;
        std::initializer_list<StepSeed> steps;
    };
    const SequenceSeed sequences[] = {
        {"Welcome Series",
         true,
         {{"Intro email", 1, 1}, {"Follow-up email", 1, 3}, {"LinkedIn connect", 2, 5}}},
        {"Re-engagement", true, {{"Check-in email", 1, 1}, {"Last call email", 1, 4}}},
        {"Q3 Webinar (archived)", false, {{"Invitation", 1, 1}}},
    };
    m_sequences.clear();
    const qint64 base = nowMs() - 30LL * 24 * 3600 * 1000;
    int n = 0;
    for (const SequenceSeed &s : sequences) {
        ShSequenceRecord seq;
        seq.id = newId();
        seq.title = QLatin1String(s.title);
        seq.active = s.active;
        seq.createdAtMs = base + qint64(++n) * 3600 * 1000;
        int number = 0;
        for (const StepSeed &st : s.steps)
            seq.steps.append({newId(), QLatin1String(st.name), ++number, st.type, st.days});
        m_sequences.append(seq);
    }
}

void SaleshandyService::setupRoutes()
{
    auto add = [this](const char *method, const char *pattern,
                      HttpResponse (SaleshandyService::*fn)(const HttpRequest &)) {
        m_router.add(method, QLatin1String(pattern),
                     [this, fn](const HttpRequest &r) { return (this->*fn)(r); });
    };
    auto addWith = [this](const char *method, const char *pattern,
                          std::function<HttpResponse(const HttpRequest &)> f) {
        m_router.add(method, QLatin1String(pattern), std::move(f));
    };
    add("GET", "/v1/fields", &SaleshandyService::listFields);
    add("POST", "/v1/fields", &SaleshandyService::createField);
    add("GET", "/v1/prospects", &SaleshandyService::listProspects);
    // Fixed segments before {prospectId}: the router takes the first pattern that matches.
    addWith("POST", "/v1/prospects/import-with-field-name",
            [this](const HttpRequest &r) { return importProspects(r, false); });
    addWith("POST", "/v1/sequences/prospects/import-with-field-name",
            [this](const HttpRequest &r) { return importProspects(r, true); });
    add("GET", "/v1/prospects/import-status/{requestId}", &SaleshandyService::importStatus);
    add("GET", "/v1/reports/{file}", &SaleshandyService::importReport);
    addWith("POST", "/v1/prospects/tags/assign",
            [this](const HttpRequest &r) { return changeTags(r, true); });
    addWith("POST", "/v1/prospects/tags/un-assign",
            [this](const HttpRequest &r) { return changeTags(r, false); });
    add("POST", "/v1/prospects/{prospectId}/attribute", &SaleshandyService::updateAttributes);
    add("GET", "/v1/prospects/{prospectId}/notes", &SaleshandyService::listNotes);
    add("GET", "/v1/sequences", &SaleshandyService::listSequences);
    add("GET", "/v1/sequences/{sequenceId}/steps", &SaleshandyService::listSteps);
    add("POST", "/v1/sequences/{sequenceId}/contacts", &SaleshandyService::addToSequence);
    add("POST", "/v1/tasks/create", &SaleshandyService::createTask);
    add("GET", "/v1/tasks", &SaleshandyService::listTasks);
    add("GET", "/v1/tasks/{taskId}", &SaleshandyService::getTask);
    addWith("POST", "/v1/tasks/{taskId}/complete",
            [this](const HttpRequest &r) { return finishTask(r, true); });
    addWith("POST", "/v1/tasks/{taskId}/skip", [this](const HttpRequest &r) { return finishTask(r, false); });
    add("PATCH", "/v1/tasks/{taskId}/note", &SaleshandyService::updateTaskNote);
    add("POST", "/v1/notes", &SaleshandyService::createNote);
    add("PATCH", "/v1/notes/{noteId}", &SaleshandyService::updateNote);
}

HttpResponse SaleshandyService::dispatch(HttpRequest &r)
{
    ++m_requests;
    if (r.method != "GET")
        ++m_writes;
    const Router::Handler *handler = m_router.match(r);
    if (!r.route.isEmpty())
        ++m_byRoute[r.route];

    const QString key = QString::fromUtf8(r.header("x-api-key").trimmed());
    const bool isReport = r.route.startsWith(QLatin1String("GET /v1/reports/"));
    const qint64 now = nowMs();
    RateLimiter::State rate = m_limiter.peek(m_options.saleshandyApiKey, now);
    HttpResponse response;
    bool rateCounted = false;

    if (!handler) {
        response = fail(404, QStringLiteral("Cannot %1 %2").arg(QString::fromLatin1(r.method), r.path));
    } else if (r.method == "GET" && !r.header("content-type").isEmpty()) {
        // Reported of the live API [?]: a GET that declares a body type is refused.
        ++m_notAcceptable;
        response = fail(406, QStringLiteral("Not Acceptable"));
    } else if (!isReport && key != m_options.saleshandyApiKey) {
        ++m_unauthorized;
        response = fail(401, QStringLiteral("Invalid token"), 1001);
    } else {
        if (!isReport) {
            rate = m_limiter.acquire(m_options.saleshandyApiKey, now);
            rateCounted = true;
            if (!rate.allowed) {
                response = fail(429, QStringLiteral("ThrottlerException: Too Many Requests"));
                response.setHeader("Retry-After",
                                   QByteArray::number(std::max<qint64>(1, (rate.retryAfterMs + 999) / 1000)));
            }
        }
        if (response.status != 429) {
            const FaultDecision d = m_faults.decide(r.path);
            const std::optional<FaultRule> fault = d.fault;
            if (!fault || faultActsFirst(fault->kind))
                response = (*handler)(r);
            if (fault) {
                ++m_faultsInjected;
                response = applyFault(*fault, response);
            } else if (d.extraDelayMs > 0) {
                ++m_faultsInjected;
            }
            response.delayMs = d.extraDelayMs;
        }
    }
    if (response.status == 429)
        ++m_tooMany;
    if (m_options.saleshandyRateHeaders && rateCounted) {
        const RateLimiter::Limits &l = m_limiter.limits();
        response.setHeader("X-RateLimit-Limit", QByteArray::number(l.burstMax));
        response.setHeader("X-RateLimit-Remaining", QByteArray::number(rate.remaining));
        response.setHeader("X-RateLimit-Reset", QByteArray::number((l.burstIntervalMs + 999) / 1000));
    }
    response.delayMs += std::max(0, m_options.latencyMs);
    emit requestServed(QString::fromLatin1(r.method), r.path,
                       response.delivery == Delivery::Normal ? response.status : 0);
    return response;
}

HttpResponse SaleshandyService::applyFault(const FaultRule &fault, HttpResponse response)
{
    switch (fault.kind) {
    case FaultKind::TooManyRequests: {
        HttpResponse h = fail(429, QStringLiteral("ThrottlerException: Too Many Requests"));
        h.setHeader("Retry-After", "1");
        return h;
    }
    case FaultKind::ServerError:
    case FaultKind::ServerErrorAfter:
        if (fault.param == 502 || fault.param == 504) {
            HttpResponse h;
            h.status = fault.param;
            h.contentType = "text/html";
            const QByteArray title = fault.param == 502 ? "502 Bad Gateway" : "504 Gateway Time-out";
            h.body = "<html><head><title>" + title + "</title></head><body><center><h1>" + title +
                     "</h1></center></body></html>\n";
            return h;
        }
        if (fault.param == 503)
            return fail(503, QStringLiteral("Service Unavailable"));
        return fail(fault.param, QStringLiteral("Internal server error, please try again later"), 5001);
    case FaultKind::Reject:
        return fail(fault.param, QStringLiteral("The request was refused (sandbox fault)"), 4000);
    case FaultKind::Slow:
        return response;
    case FaultKind::Cut:
    case FaultKind::CutAfter:
        response.delivery = Delivery::Cut;
        return response;
    case FaultKind::Timeout:
        response.delivery = Delivery::Never;
        return response;
    case FaultKind::Truncated:
        response.delivery = Delivery::Truncated;
        if (response.body.size() < 2)
            response.body = QByteArrayLiteral("{\"message\":\"ok\",\"payload\":{}}");
        return response;
    case FaultKind::Malformed:
        response.status = 200;
        response.contentType = "application/json";
        response.body =
            response.body.left(std::max<qsizetype>(1, response.body.size() / 2)) + "\x01<html>oops";
        return response;
    case FaultKind::WrongTypes: {
        // The envelope survives, its payload has the wrong type.
        QJsonObject o = QJsonDocument::fromJson(response.body).object();
        const QJsonValue p = o.value(L("payload"));
        o.insert(L("payload"),
                 p.isArray() ? QJsonValue(QJsonObject{{L("count"), QString::number(p.toArray().size())}})
                             : QJsonValue(QStringLiteral("ok")));
        response.status = 200;
        response.contentType = "application/json";
        response.body = QJsonDocument(o).toJson(QJsonDocument::Compact);
        return response;
    }
    }
    return response;
}

// ---------------------------------------------------------------------------------------------
// Lookups

const ShProspectRecord *SaleshandyService::prospect(const QString &id) const
{
    for (const ShProspectRecord &p : m_prospects)
        if (p.id == id)
            return &p;
    return nullptr;
}

const ShProspectRecord *SaleshandyService::prospectByEmail(const QString &email) const
{
    for (const ShProspectRecord &p : m_prospects)
        if (p.email.compare(email.trimmed(), Qt::CaseInsensitive) == 0)
            return &p;
    return nullptr;
}

ShProspectRecord *SaleshandyService::findProspect(const QString &id)
{
    return const_cast<ShProspectRecord *>(prospect(id));
}

ShProspectRecord *SaleshandyService::findProspectByEmail(const QString &email)
{
    return const_cast<ShProspectRecord *>(prospectByEmail(email));
}

const ShTaskRecord *SaleshandyService::task(const QString &id) const
{
    for (const ShTaskRecord &t : m_tasks)
        if (t.id == id)
            return &t;
    return nullptr;
}

const ShNoteRecord *SaleshandyService::note(const QString &id) const
{
    for (const ShNoteRecord &n : m_notes)
        if (n.id == id)
            return &n;
    return nullptr;
}

const ShFieldRecord *SaleshandyService::fieldByLabel(const QString &label) const
{
    for (const ShFieldRecord &f : m_fields)
        if (f.label == label)
            return &f;
    return nullptr;
}

const ShImportRecord *SaleshandyService::importJob(const QString &requestId) const
{
    for (const ShImportRecord &i : m_imports)
        if (i.requestId == requestId)
            return &i;
    return nullptr;
}

const ShStepRecord *SaleshandyService::findStep(const QString &stepId, QString *sequenceId) const
{
    for (const ShSequenceRecord &s : m_sequences) {
        for (const ShStepRecord &st : s.steps) {
            if (st.id == stepId) {
                if (sequenceId)
                    *sequenceId = s.id;
                return &st;
            }
        }
    }
    return nullptr;
}

void SaleshandyService::addTag(ShProspectRecord &p, const QString &tag)
{
    if (!m_tags.contains(tag, Qt::CaseInsensitive))
        m_tags << tag;
    if (!p.tags.contains(tag, Qt::CaseInsensitive))
        p.tags << tag;
}

QString SaleshandyService::createProspectDirect(const QMap<QString, QString> &attributes,
                                                const QStringList &tags)
{
    ShProspectRecord p;
    p.id = newId();
    p.email = attributes.value(QLatin1String(kEmail));
    m_lastCreatedMs = std::max(m_lastCreatedMs + 1, nowMs());
    p.createdAtMs = m_lastCreatedMs;
    p.attributes = attributes;
    for (const QString &t : tags)
        addTag(p, t);
    m_prospects.append(p);
    return p.id;
}

// ---------------------------------------------------------------------------------------------
// JSON of records

QJsonObject SaleshandyService::prospectJson(const ShProspectRecord &p, bool includeCustom) const
{
    QJsonArray attributes;
    for (const ShFieldRecord &f : m_fields) {
        if (!f.isDefault && !includeCustom)
            continue;
        const auto it = p.attributes.constFind(f.label);
        if (it == p.attributes.cend())
            continue;
        attributes.append(QJsonObject{{L("id"), f.id}, {L("key"), f.label}, {L("value"), *it}});
    }
    return QJsonObject{{L("id"), p.id},
                       {L("createdAt"), iso(p.createdAtMs)},
                       {L("email"), p.email},
                       {L("verificationStatus"), p.verificationStatus},
                       {L("attributes"), attributes}};
}

QJsonObject SaleshandyService::taskJson(const ShTaskRecord &t) const
{
    QString status = t.state;
    if (t.state == L("pending")) {
        const QDate day = today();
        status = t.dueDate < day
                     ? QStringLiteral("overdue")
                     : (t.dueDate == day ? QStringLiteral("dueToday") : QStringLiteral("upcoming"));
    }
    QJsonObject prospect{{L("id"), t.prospectId}};
    if (const ShProspectRecord *p = this->prospect(t.prospectId)) {
        prospect.insert(L("email"), p->email);
        prospect.insert(L("firstName"), p->value(QLatin1String(kFirstName)));
        prospect.insert(L("lastName"), p->value(QLatin1String(kLastName)));
    }
    return QJsonObject{{L("id"), t.id},
                       {L("prospectId"), t.prospectId},
                       {L("prospect"), prospect},
                       {L("taskType"), t.taskType},
                       {L("priority"), t.priority},
                       {L("status"), status},
                       {L("dueDate"), t.dueDate.toString(Qt::ISODate)},
                       {L("taskNote"), t.note},
                       {L("callOutcome"), t.callOutcome.isEmpty() ? QJsonValue() : QJsonValue(t.callOutcome)},
                       {L("createdAt"), iso(t.createdAtMs)},
                       {L("completedAt"), isoOrNull(t.completedAtMs)},
                       {L("skippedAt"), isoOrNull(t.skippedAtMs)}};
}

QJsonObject SaleshandyService::noteJson(const ShNoteRecord &n) const
{
    const QJsonObject author{{L("firstName"), QStringLiteral("Sandbox")},
                             {L("lastName"), QStringLiteral("Owner")},
                             {L("email"), QStringLiteral("owner@sandbox.example")}};
    return QJsonObject{{L("id"), n.id},
                       {L("prospectId"), n.prospectId},
                       {L("visibility"), n.visibility},
                       {L("status"), n.status},
                       {L("pinnedAt"), QJsonValue()},
                       {L("createdAt"), iso(n.createdAtMs)},
                       {L("updatedAt"), iso(n.updatedAtMs)},
                       {L("editedAt"), isoOrNull(n.editedAtMs)},
                       {L("author"), author},
                       {L("editedBy"), n.editedAtMs > 0 ? QJsonValue(author) : QJsonValue()},
                       {L("content"), n.content}};
}

QString SaleshandyService::reportUrl(const QString &requestId) const
{
    return url().toString() + QStringLiteral("/v1/reports/") + requestId + QStringLiteral(".csv");
}

// ---------------------------------------------------------------------------------------------
// Fields

HttpResponse SaleshandyService::listFields(const HttpRequest &r)
{
    const bool system = r.query.queryItemValue(QStringLiteral("systemFields")) == L("true");
    QJsonArray out;
    for (const ShFieldRecord &f : m_fields) {
        if (f.isDefault && !system)
            continue;
        QJsonObject o{{L("id"), f.id},
                      {L("label"), f.label},
                      {L("fieldType"), f.fieldType},
                      {L("isDefault"), f.isDefault}};
        if (!f.fallbackText.isEmpty())
            o.insert(L("fallbackText"), f.fallbackText);
        if (!f.metadata.isEmpty())
            o.insert(L("metadata"), f.metadata);
        out.append(o);
    }
    return ok(QStringLiteral("Successfully fetched fields of the user"), out);
}

HttpResponse SaleshandyService::createField(const HttpRequest &r)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"label", "fieldType", "fallbackText", "metadata"}, &errs);
    const QString label = stringField(*body, "label", true, &errs).trimmed();
    const QString type = stringField(*body, "fieldType", true, &errs);
    static const QStringList types = {QStringLiteral("text"),     QStringLiteral("number"),
                                      QStringLiteral("date"),     QStringLiteral("long-text"),
                                      QStringLiteral("dropdown"), QStringLiteral("currency")};
    if (body->contains(L("fieldType")))
        checkEnum(type, "fieldType", types, &errs);
    const QString fallback = stringField(*body, "fallbackText", false, &errs);
    if (body->contains(L("metadata")) && !body->value(L("metadata")).isObject())
        errs << QStringLiteral("metadata must be an object");
    const QJsonObject metadata = body->value(L("metadata")).toObject();
    if (type == L("dropdown")) {
        const QJsonArray options = metadata.value(L("options")).toArray();
        if (options.isEmpty())
            errs << QStringLiteral("metadata.options should not be empty");
        else if (options.size() > 50)
            errs << QStringLiteral("metadata.options must contain no more than 50 elements");
    } else if (type == L("currency")) {
        static const QStringList codes =
            QStringLiteral("USD,EUR,GBP,JPY,CHF,CAD,AUD,CNY,INR,SGD,HKD,NZD,KRW,SEK,AED,BRL,"
                           "MXN,ZAR,SAR")
                .split(QLatin1Char(','));
        checkEnum(metadata.value(L("currencyCode")).toString(), "metadata.currencyCode", codes, &errs);
    }
    if (!errs.isEmpty())
        return invalid(errs);
    for (const ShFieldRecord &f : std::as_const(m_fields))
        if (f.label.compare(label, Qt::CaseInsensitive) == 0)
            return fail(400, QStringLiteral("A field with the label \"%1\" already exists").arg(label), 4000);
    ShFieldRecord f{newId(), label, type, false, fallback, metadata};
    m_fields.append(f);
    QJsonObject payload{
        {L("id"), f.id}, {L("label"), f.label}, {L("isDefault"), false}, {L("fieldType"), f.fieldType}};
    if (!fallback.isEmpty())
        payload.insert(L("fallbackText"), fallback);
    if (!metadata.isEmpty())
        payload.insert(L("metadata"), metadata);
    return ok(QStringLiteral("Custom field created successfully"), payload, 201);
}

// ---------------------------------------------------------------------------------------------
// Prospects

HttpResponse SaleshandyService::listProspects(const HttpRequest &r)
{
    QStringList errs;
    auto item = [&r](const char *key) {
        return r.query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };
    int pageSize = 100;
    if (r.query.hasQueryItem(QStringLiteral("pageSize"))) {
        bool okNumber = false;
        pageSize = item("pageSize").toInt(&okNumber);
        if (!okNumber)
            errs << QStringLiteral("pageSize must be a number conforming to the specified constraints");
        else if (pageSize > 100)
            pageSize = 100; // larger values are capped
        else if (pageSize != 10 && pageSize != 20 && pageSize != 50 && pageSize != 100)
            errs << QStringLiteral("pageSize must be one of the following values: 10, 20, 50, 100");
    }
    int page = 1;
    if (r.query.hasQueryItem(QStringLiteral("page"))) {
        bool okNumber = false;
        page = item("page").toInt(&okNumber);
        if (!okNumber || page < 1)
            errs << QStringLiteral("page must not be less than 1");
    }
    const QString sort = r.query.hasQueryItem(QStringLiteral("sort")) ? item("sort") : QStringLiteral("ASC");
    checkEnum(sort, "sort", {QStringLiteral("ASC"), QStringLiteral("DESC")}, &errs);
    const QString sortBy =
        r.query.hasQueryItem(QStringLiteral("sortBy")) ? item("sortBy") : QStringLiteral("createdAt");
    checkEnum(sortBy, "sortBy", {QStringLiteral("createdAt"), QStringLiteral("owner")}, &errs);
    const QString custom = r.query.hasQueryItem(QStringLiteral("includeCustomFields"))
                               ? item("includeCustomFields")
                               : QStringLiteral("false");
    checkEnum(custom, "includeCustomFields", {QStringLiteral("true"), QStringLiteral("false")}, &errs);
    if (!errs.isEmpty())
        return invalid(errs);

    const QString search = item("search").trimmed();
    QList<const ShProspectRecord *> hits;
    for (const ShProspectRecord &p : m_prospects) {
        if (!search.isEmpty() && !p.email.contains(search, Qt::CaseInsensitive) &&
            !p.value(QLatin1String(kFirstName)).contains(search, Qt::CaseInsensitive) &&
            !p.value(QLatin1String(kLastName)).contains(search, Qt::CaseInsensitive))
            continue;
        hits << &p;
    }
    // One owner in the sandbox: sorting by owner is sorting by creation.
    std::sort(hits.begin(), hits.end(), [](const ShProspectRecord *a, const ShProspectRecord *b) {
        return a->createdAtMs != b->createdAtMs ? a->createdAtMs < b->createdAtMs : a->id < b->id;
    });
    if (sort == L("DESC"))
        std::reverse(hits.begin(), hits.end());
    QJsonArray out;
    const qsizetype from = qsizetype(page - 1) * pageSize;
    for (qsizetype i = from; i < hits.size() && i < from + pageSize; ++i)
        out.append(prospectJson(*hits.at(i), custom == L("true")));
    return ok(QStringLiteral("Prospects fetched successfully"), out);
}

HttpResponse SaleshandyService::importProspects(const HttpRequest &r, bool intoSequence)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"prospectList", "conflictAction", "verifyProspects", "tags", "stepId"}, &errs);
    const QJsonValue list = body->value(L("prospectList"));
    if (!list.isArray()) {
        errs << QStringLiteral("prospectList must be an array");
    } else if (list.toArray().isEmpty()) {
        errs << QStringLiteral("prospectList should not be empty");
    } else {
        for (const QJsonValue &v : list.toArray()) {
            if (!v.isObject()) {
                errs << QStringLiteral("each value in prospectList must be an object");
                break;
            }
        }
    }
    const QString action = stringField(*body, "conflictAction", true, &errs);
    if (body->value(L("conflictAction")).isString())
        checkEnum(action, "conflictAction",
                  {QStringLiteral("overwrite"), QStringLiteral("noUpdate"),
                   QStringLiteral("addMissingFields"), QStringLiteral("upsert")},
                  &errs);
    // Documented as optional, but the live API refused a request without it.
    if (!body->value(L("verifyProspects")).isBool())
        errs << QStringLiteral("verifyProspects must be a boolean value");
    const QStringList tags = stringArray(*body, "tags", false, &errs);
    const QString stepId = stringField(*body, "stepId", intoSequence, &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    const QJsonArray rows = list.toArray();
    if (rows.size() > 100000)
        return fail(413, QStringLiteral("At most 100000 prospects can be imported at once"));

    QSet<QString> labels;
    for (const ShFieldRecord &f : std::as_const(m_fields))
        labels.insert(f.label);
    for (const QJsonValue &v : rows) {
        const QJsonObject row = v.toObject();
        for (auto it = row.begin(); it != row.end(); ++it)
            if (!labels.contains(it.key()))
                return fail(400,
                            QStringLiteral("Failed to import prospects: the field \"%1\" does not exist")
                                .arg(it.key()),
                            4000);
    }
    if (!stepId.isEmpty() && !findStep(stepId))
        return fail(400, QStringLiteral("Sequence step not found"), 40100);

    ShImportRecord job;
    job.requestId = QString::number(m_ids.bounded(0x1000000, 0x10000000), 16);
    job.intoSequence = intoSequence;
    job.stepId = stepId;
    job.conflictAction = action;
    job.verifyProspects = body->value(L("verifyProspects")).toBool();
    job.tags = tags;
    job.rows = rows;
    job.createdAtMs = nowMs();
    const int delay = m_options.saleshandyImportDelayMs;
    job.dueAtMs = delay >= 0 ? job.createdAtMs + delay : -1;
    m_imports.append(job);
    if (delay >= 0) {
        const QString id = job.requestId;
        QTimer::singleShot(delay, this, [this, id] { completeImport(id); });
    }
    return ok(QStringLiteral(
                  "Prospect import has started successfully. You can check the status using the requestId."),
              QJsonObject{{L("requestId"), job.requestId}}, 201);
}

void SaleshandyService::completeImports()
{
    QStringList ids;
    for (const ShImportRecord &job : std::as_const(m_imports))
        if (!job.completed)
            ids << job.requestId;
    for (const QString &id : std::as_const(ids))
        completeImport(id);
}

void SaleshandyService::completeImport(const QString &requestId)
{
    ShImportRecord *job = nullptr;
    for (ShImportRecord &j : m_imports)
        if (j.requestId == requestId)
            job = &j;
    if (!job || job->completed)
        return;
    QString sequenceId;
    if (!job->stepId.isEmpty())
        (void)findStep(job->stepId, &sequenceId);
    QStringList stepsOfSequence;
    for (const ShSequenceRecord &s : std::as_const(m_sequences))
        if (s.id == sequenceId)
            for (const ShStepRecord &st : s.steps)
                stepsOfSequence << st.id;

    for (qsizetype i = 0; i < job->rows.size(); ++i) {
        const QJsonObject row = job->rows.at(i).toObject();
        QMap<QString, QString> values;
        for (auto it = row.begin(); it != row.end(); ++it)
            values.insert(it.key(), it.value().isDouble() ? QString::number(it.value().toDouble(), 'g', 15)
                                                          : it.value().toString());
        const QString email = values.value(QLatin1String(kEmail)).trimmed();
        auto failRow = [&](const QString &reason) { job->failures.append({int(i + 1), email, reason, row}); };
        if (email.isEmpty()) {
            failRow(QStringLiteral("Email is required"));
            continue;
        }
        if (!isEmail(email)) {
            failRow(QStringLiteral("Invalid email"));
            continue;
        }
        values.remove(QLatin1String(kEmail));
        ShProspectRecord *existing = findProspectByEmail(email);
        if (existing && !job->stepId.isEmpty() && !existing->stepIds.contains(job->stepId)) {
            bool inOtherStep = false;
            for (const QString &s : std::as_const(existing->stepIds))
                inOtherStep = inOtherStep || stepsOfSequence.contains(s);
            if (inOtherStep) {
                failRow(QStringLiteral("Prospect already exists in another step of this sequence"));
                continue;
            }
        }
        if (!existing) {
            ShProspectRecord p;
            p.id = newId();
            p.email = email;
            m_lastCreatedMs = std::max(m_lastCreatedMs + 1, nowMs());
            p.createdAtMs = m_lastCreatedMs;
            p.attributes.insert(QLatin1String(kEmail), email);
            for (auto it = values.begin(); it != values.end(); ++it)
                if (!it.value().isEmpty())
                    p.attributes.insert(it.key(), it.value());
            p.verificationStatus = job->verifyProspects ? QStringLiteral("valid") : QStringLiteral("skip");
            m_prospects.append(p);
            existing = &m_prospects.last();
            ++job->created;
        } else {
            // The email is the identity: its spelling stays as first imported.
            if (job->conflictAction == L("overwrite") || job->conflictAction == L("upsert")) {
                for (auto it = values.begin(); it != values.end(); ++it) {
                    if (it.value().isEmpty())
                        existing->attributes.remove(it.key());
                    else
                        existing->attributes.insert(it.key(), it.value());
                }
            } else if (job->conflictAction == L("addMissingFields")) {
                for (auto it = values.begin(); it != values.end(); ++it)
                    if (!it.value().isEmpty() && existing->value(it.key()).isEmpty())
                        existing->attributes.insert(it.key(), it.value());
            } // noUpdate: fields stay; tags and the step are still added
            ++job->updated;
        }
        for (const QString &t : std::as_const(job->tags))
            addTag(*existing, t);
        if (!job->stepId.isEmpty() && !existing->stepIds.contains(job->stepId))
            existing->stepIds << job->stepId;
    }
    job->completed = true;
    emit importCompleted(requestId);
}

HttpResponse SaleshandyService::importStatus(const HttpRequest &r)
{
    const QString id = r.param(QStringLiteral("requestId"));
    ShImportRecord *job = nullptr;
    for (ShImportRecord &j : m_imports)
        if (j.requestId == id)
            job = &j;
    if (!job)
        return fail(400, QStringLiteral("Prospect import request not found"), 40000);
    ++job->polls;
    if (!job->completed && ((job->dueAtMs >= 0 && nowMs() >= job->dueAtMs) ||
                            (m_pollsToComplete > 0 && job->polls >= m_pollsToComplete)))
        completeImport(id);
    job = nullptr; // completeImport may not move m_imports, but do not rely on it
    const ShImportRecord *done = importJob(id);
    const QJsonValue link = done->completed ? QJsonValue(reportUrl(id)) : QJsonValue(QJsonValue::Null);
    QJsonObject status{{L("isCompleted"), done->completed}};
    status.insert(m_statusShape == StatusShape::PayloadFailedProspectsUrl ? L("failedProspectsURL")
                                                                          : L("reportURL"),
                  link);
    if (m_statusShape == StatusShape::BareReportUrl)
        return HttpResponse::json(200, status);
    return ok(QStringLiteral("Import status fetched successfully"), status);
}

HttpResponse SaleshandyService::importReport(const HttpRequest &r)
{
    QString file = r.param(QStringLiteral("file"));
    if (!file.endsWith(QLatin1String(".csv")))
        return fail(404, QStringLiteral("Report not found"));
    file.chop(4);
    const ShImportRecord *job = importJob(file);
    if (!job || !job->completed)
        return fail(404, QStringLiteral("Report not found"));
    // Columns: the row number, Email first, the other labels of the failed rows, the reason.
    QStringList labels{QLatin1String(kEmail)};
    for (const ShImportFailureRecord &f : job->failures)
        for (auto it = f.values.begin(); it != f.values.end(); ++it)
            if (!labels.contains(it.key()))
                labels << it.key();
    QByteArray csv;
    QStringList header{QStringLiteral("Row Number")};
    header << labels << QStringLiteral("Reason");
    QByteArrayList cells;
    for (const QString &h : std::as_const(header))
        cells << csvField(h);
    csv += cells.join(',') + "\r\n";
    for (const ShImportFailureRecord &f : job->failures) {
        cells.clear();
        cells << QByteArray::number(f.row);
        for (const QString &label : std::as_const(labels))
            cells << csvField(f.values.value(label).toVariant().toString());
        cells << csvField(f.reason);
        csv += cells.join(',') + "\r\n";
    }
    HttpResponse response;
    response.status = 200;
    response.contentType = "text/csv; charset=utf-8";
    response.body = csv;
    return response;
}

HttpResponse SaleshandyService::changeTags(const HttpRequest &r, bool assign)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"tags", "prospects", "prospectsEmails"}, &errs);
    const QStringList tags = stringArray(*body, "tags", true, &errs);
    const QStringList ids = stringArray(*body, "prospects", false, &errs);
    const QStringList emails = stringArray(*body, "prospectsEmails", false, &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    if (ids.isEmpty() && emails.isEmpty())
        return fail(400, QStringLiteral("Either prospects or prospectsEmails must be provided"), 40503);
    QList<ShProspectRecord *> targets;
    for (const QString &id : ids) {
        ShProspectRecord *p = findProspect(id);
        if (!p)
            return fail(400, QStringLiteral("Invalid prospects"), 40501);
        targets << p;
    }
    for (const QString &email : emails) {
        ShProspectRecord *p = findProspectByEmail(email);
        if (!p)
            return fail(400, QStringLiteral("Invalid prospect emails"), 40502);
        targets << p;
    }
    // Saleshandy's answer to a repeat is unconfirmed [?]; the sandbox takes the hostile reading:
    // when nothing would change (every tag already on every prospect, or none of them there to
    // remove) it refuses with 400, as it does for a repeated complete or skip.
    bool changes = false;
    for (const ShProspectRecord *p : std::as_const(targets))
        for (const QString &t : tags)
            changes = changes || (p->tags.contains(t, Qt::CaseInsensitive) != assign);
    if (!changes)
        return fail(400, assign ? QStringLiteral("Tags are already assigned to the prospects")
                                : QStringLiteral("Tags are not assigned to the prospects"));
    for (ShProspectRecord *p : std::as_const(targets)) {
        for (const QString &t : tags) {
            if (assign) {
                addTag(*p, t);
            } else {
                p->tags.erase(
                    std::remove_if(p->tags.begin(), p->tags.end(),
                                   [&t](const QString &x) { return x.compare(t, Qt::CaseInsensitive) == 0; }),
                    p->tags.end());
            }
        }
    }
    return ok(assign ? QStringLiteral("Tags assigned successfully")
                     : QStringLiteral("Tags removed successfully"),
              QJsonObject{{L("prospectCount"), int(targets.size())}}, 201);
}

HttpResponse SaleshandyService::updateAttributes(const HttpRequest &r)
{
    ShProspectRecord *p = findProspect(r.param(QStringLiteral("prospectId")));
    if (!p)
        return fail(400, QStringLiteral("Invalid prospect Id"), 1001);
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"fieldId", "attributeValue", "attributes"}, &errs);
    QList<QPair<QString, QString>> updates;
    if (body->contains(L("attributes"))) {
        // With the list, the single form is ignored.
        if (!body->value(L("attributes")).isArray())
            errs << QStringLiteral("attributes must be an array");
        for (const QJsonValue &v : body->value(L("attributes")).toArray()) {
            const QJsonObject a = v.toObject();
            const QString fieldId = stringField(a, "fieldId", true, &errs);
            const QString value = stringField(a, "attributeValue", false, &errs);
            updates.append({fieldId, value});
        }
    } else {
        const QString fieldId = stringField(*body, "fieldId", true, &errs);
        updates.append({fieldId, stringField(*body, "attributeValue", false, &errs)});
    }
    if (!errs.isEmpty())
        return invalid(errs);
    QJsonArray results;
    for (const auto &[fieldId, value] : std::as_const(updates)) {
        const ShFieldRecord *field = nullptr;
        for (const ShFieldRecord &f : std::as_const(m_fields))
            if (f.id == fieldId)
                field = &f;
        bool success = field != nullptr;
        if (field && field->label == QLatin1String(kEmail)) {
            const ShProspectRecord *other = prospectByEmail(value);
            success = isEmail(value) && (!other || other == p);
            if (success)
                p->email = value;
        }
        if (success) {
            if (value.isEmpty())
                p->attributes.remove(field->label);
            else
                p->attributes.insert(field->label, value);
        }
        results.append(QJsonObject{{L("fieldId"), fieldId}, {L("success"), success}});
    }
    return ok(QStringLiteral("Prospect attributes updated successfully"),
              QJsonObject{{L("results"), results}}, 201);
}

// ---------------------------------------------------------------------------------------------
// Sequences

HttpResponse SaleshandyService::listSequences(const HttpRequest &r)
{
    QStringList errs;
    auto item = [&r](const char *key) {
        return r.query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };
    bool okNumber = true;
    const int pageSize =
        r.query.hasQueryItem(QStringLiteral("pageSize")) ? item("pageSize").toInt(&okNumber) : 100;
    if (!okNumber || pageSize < 1 || pageSize > 1000)
        errs << QStringLiteral("pageSize must not be greater than 1000");
    const int page = r.query.hasQueryItem(QStringLiteral("page")) ? item("page").toInt(&okNumber) : 1;
    if (!okNumber || page < 1)
        errs << QStringLiteral("page must not be less than 1");
    const QString sort = r.query.hasQueryItem(QStringLiteral("sort")) ? item("sort") : QStringLiteral("DESC");
    checkEnum(sort, "sort", {QStringLiteral("ASC"), QStringLiteral("DESC")}, &errs);
    const QString sortBy = r.query.hasQueryItem(QStringLiteral("sortBy"))
                               ? item("sortBy")
                               : QStringLiteral("sequence.createdAt");
    checkEnum(sortBy, "sortBy", {QStringLiteral("sequence.createdAt"), QStringLiteral("sequence.title")},
              &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    const QString name = item("sequenceName");
    QList<const ShSequenceRecord *> hits;
    for (const ShSequenceRecord &s : m_sequences)
        if (name.isEmpty() || s.title.contains(name, Qt::CaseInsensitive))
            hits << &s;
    std::sort(hits.begin(), hits.end(), [&sortBy](const ShSequenceRecord *a, const ShSequenceRecord *b) {
        return sortBy == L("sequence.title") ? a->title < b->title : a->createdAtMs < b->createdAtMs;
    });
    if (sort == L("DESC"))
        std::reverse(hits.begin(), hits.end());
    QJsonArray out;
    const qsizetype from = qsizetype(page - 1) * pageSize;
    for (qsizetype i = from; i < hits.size() && i < from + pageSize; ++i) {
        const ShSequenceRecord &s = *hits.at(i);
        QJsonArray steps;
        for (const ShStepRecord &st : s.steps)
            steps.append(QJsonObject{{L("id"), st.id}, {L("name"), st.name}});
        out.append(QJsonObject{
            {L("id"), s.id}, {L("title"), s.title}, {L("active"), s.active}, {L("steps"), steps}});
    }
    return ok(QStringLiteral("Successfully fetched all sequences and their associated steps"), out);
}

HttpResponse SaleshandyService::listSteps(const HttpRequest &r)
{
    for (const ShSequenceRecord &s : std::as_const(m_sequences)) {
        if (s.id != r.param(QStringLiteral("sequenceId")))
            continue;
        QJsonArray steps;
        for (const ShStepRecord &st : s.steps)
            steps.append(QJsonObject{
                {L("id"), st.id},
                {L("name"), st.name},
                {L("number"), st.number},
                {L("type"), st.type},
                {L("absoluteDays"), st.absoluteDays},
                {L("variants"),
                 QJsonArray{QJsonObject{{L("id"), st.id + QStringLiteral("v1")}, {L("subject"), st.name}}}}});
        return ok(QStringLiteral("Successfully fetched steps of the sequence"), steps);
    }
    return fail(400, QStringLiteral("Sequence not found"), 40100);
}

HttpResponse SaleshandyService::addToSequence(const HttpRequest &r)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"stepId", "contactIds"}, &errs);
    const QString stepId = stringField(*body, "stepId", true, &errs);
    const QStringList contactIds = stringArray(*body, "contactIds", true, &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    const ShSequenceRecord *sequence = nullptr;
    for (const ShSequenceRecord &s : std::as_const(m_sequences))
        if (s.id == r.param(QStringLiteral("sequenceId")))
            sequence = &s;
    if (!sequence)
        return fail(400, QStringLiteral("Sequence not found"), 40100);
    QStringList steps;
    for (const ShStepRecord &st : sequence->steps)
        steps << st.id;
    if (!steps.contains(stepId))
        return fail(400, QStringLiteral("Failed to add contacts to sequence"), 4000);
    QJsonArray results;
    for (const QString &id : contactIds) {
        ShProspectRecord *p = findProspect(id);
        QJsonObject result{{L("contactId"), id}};
        bool otherStep = false;
        if (p)
            for (const QString &s : std::as_const(p->stepIds))
                otherStep = otherStep || (s != stepId && steps.contains(s));
        if (!p) {
            result.insert(L("success"), false);
            result.insert(L("message"), QStringLiteral("Invalid prospect Id"));
        } else if (otherStep) {
            result.insert(L("success"), false);
            result.insert(L("message"),
                          QStringLiteral("Prospect already exists in another step of this sequence"));
        } else {
            if (!p->stepIds.contains(stepId))
                p->stepIds << stepId;
            result.insert(L("success"), true);
        }
        results.append(result);
    }
    return ok(QStringLiteral("Contacts added to sequence successfully"), QJsonObject{{L("results"), results}},
              201);
}

// ---------------------------------------------------------------------------------------------
// Tasks

HttpResponse SaleshandyService::createTask(const HttpRequest &r)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"prospectIds", "taskType", "priority", "dueDate", "taskNote", "assigneeId"}, &errs);
    const QStringList ids = stringArray(*body, "prospectIds", true, &errs);
    const QString type = stringField(*body, "taskType", true, &errs);
    if (body->value(L("taskType")).isString())
        checkEnum(type, "taskType", taskTypeCodes(), &errs);
    QString priority = stringField(*body, "priority", false, &errs);
    if (body->value(L("priority")).isString())
        checkEnum(priority, "priority",
                  {QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"), QStringLiteral("4")},
                  &errs);
    const QString due = stringField(*body, "dueDate", false, &errs);
    QDate dueDate = today();
    if (!due.isEmpty()) {
        static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
        dueDate = QDate::fromString(due, Qt::ISODate);
        if (!dateOnly.match(due).hasMatch() || !dueDate.isValid())
            errs << QStringLiteral("dueDate must be a valid date in the format YYYY-MM-DD");
    }
    const QString note = stringField(*body, "taskNote", false, &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    if (priority.isEmpty())
        priority = QStringLiteral("3");
    bool anyValid = false;
    for (const QString &id : ids)
        anyValid = anyValid || prospect(id);
    if (!anyValid)
        return fail(400, QStringLiteral("Invalid prospect Id"), 1001);
    QJsonArray results;
    for (const QString &id : ids) {
        if (!prospect(id)) {
            results.append(QJsonObject{{L("prospectId"), id},
                                       {L("success"), false},
                                       {L("message"), QStringLiteral("Invalid prospect Id")}});
            continue;
        }
        ShTaskRecord t;
        t.id = newId();
        t.prospectId = id;
        t.taskType = type;
        t.priority = priority;
        t.dueDate = dueDate;
        t.note = note;
        t.createdAtMs = nowMs();
        m_tasks.append(t);
        results.append(QJsonObject{{L("prospectId"), id}, {L("success"), true}, {L("taskId"), t.id}});
    }
    return ok(QStringLiteral("Task created successfully"), QJsonObject{{L("results"), results}}, 201);
}

HttpResponse SaleshandyService::listTasks(const HttpRequest &r)
{
    QStringList errs;
    auto item = [&r](const char *key) {
        return r.query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };
    bool okNumber = true;
    const int page = r.query.hasQueryItem(QStringLiteral("page")) ? item("page").toInt(&okNumber) : 1;
    if (!okNumber || page < 1)
        errs << QStringLiteral("page must not be less than 1");
    const int pageSize =
        r.query.hasQueryItem(QStringLiteral("pageSize")) ? item("pageSize").toInt(&okNumber) : 25;
    if (!okNumber || pageSize < 1 || pageSize > 100)
        errs << QStringLiteral("pageSize must not be greater than 100");
    const QString sortOrder =
        r.query.hasQueryItem(QStringLiteral("sortOrder")) ? item("sortOrder") : QStringLiteral("ASC");
    checkEnum(sortOrder, "sortOrder", {QStringLiteral("ASC"), QStringLiteral("DESC")}, &errs);
    const QString sortBy =
        r.query.hasQueryItem(QStringLiteral("sortBy")) ? item("sortBy") : QStringLiteral("dueDate");
    checkEnum(sortBy, "sortBy",
              {QStringLiteral("priority"), QStringLiteral("completedAt"), QStringLiteral("skippedAt"),
               QStringLiteral("dueDate")},
              &errs);
    const QStringList statuses = item("status").split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &s : statuses)
        checkEnum(s, "status",
                  {QStringLiteral("upcoming"), QStringLiteral("dueToday"), QStringLiteral("completed"),
                   QStringLiteral("skipped"), QStringLiteral("overdue")},
                  &errs);
    const QStringList types = item("taskType").split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString &t : types)
        checkEnum(t, "taskType",
                  {QStringLiteral("linkedin"), QStringLiteral("call"), QStringLiteral("whatsapp"),
                   QStringLiteral("custom")},
                  &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    const QString search = item("search").trimmed();
    const QString sequenceId = item("sequenceId");
    QStringList stepsOfSequence;
    for (const ShSequenceRecord &s : std::as_const(m_sequences))
        if (s.id == sequenceId)
            for (const ShStepRecord &st : s.steps)
                stepsOfSequence << st.id;

    QList<QPair<const ShTaskRecord *, QJsonObject>> hits;
    for (const ShTaskRecord &t : m_tasks) {
        const QJsonObject json = taskJson(t);
        if (!statuses.isEmpty() && !statuses.contains(json.value(L("status")).toString()))
            continue;
        if (!types.isEmpty() && !types.contains(taskCategory(t.taskType)))
            continue;
        const ShProspectRecord *p = prospect(t.prospectId);
        if (!sequenceId.isEmpty()) {
            bool in = false;
            if (p)
                for (const QString &s : p->stepIds)
                    in = in || stepsOfSequence.contains(s);
            if (!in)
                continue;
        }
        if (!search.isEmpty()) {
            const bool match =
                t.note.contains(search, Qt::CaseInsensitive) ||
                (p && (p->email.contains(search, Qt::CaseInsensitive) ||
                       p->value(QLatin1String(kFirstName)).contains(search, Qt::CaseInsensitive) ||
                       p->value(QLatin1String(kLastName)).contains(search, Qt::CaseInsensitive)));
            if (!match)
                continue;
        }
        hits.append({&t, json});
    }
    std::stable_sort(hits.begin(), hits.end(), [&sortBy](const auto &a, const auto &b) {
        const ShTaskRecord &x = *a.first, &y = *b.first;
        if (sortBy == L("priority"))
            return x.priority.toInt() < y.priority.toInt();
        if (sortBy == L("completedAt"))
            return x.completedAtMs < y.completedAtMs;
        if (sortBy == L("skippedAt"))
            return x.skippedAtMs < y.skippedAtMs;
        return x.dueDate < y.dueDate;
    });
    if (sortOrder == L("DESC"))
        std::reverse(hits.begin(), hits.end());
    QJsonArray out;
    const qsizetype from = qsizetype(page - 1) * pageSize;
    for (qsizetype i = from; i < hits.size() && i < from + pageSize; ++i)
        out.append(hits.at(i).second);
    return ok(QStringLiteral("Tasks fetched successfully"),
              QJsonObject{{L("tasks"), out}, {L("total"), int(hits.size())}});
}

HttpResponse SaleshandyService::getTask(const HttpRequest &r)
{
    const ShTaskRecord *t = task(r.param(QStringLiteral("taskId")));
    if (!t)
        return fail(404, QStringLiteral("The requested task could not be found"));
    return ok(QStringLiteral("Task fetched successfully"), taskJson(*t));
}

HttpResponse SaleshandyService::finishTask(const HttpRequest &r, bool complete)
{
    ShTaskRecord *t = nullptr;
    for (ShTaskRecord &x : m_tasks)
        if (x.id == r.param(QStringLiteral("taskId")))
            t = &x;
    if (!t)
        return fail(404, QStringLiteral("The requested task could not be found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    QString outcome;
    if (complete) {
        forbidUnknown(*body, {"callOutcome"}, &errs);
        outcome = stringField(*body, "callOutcome", false, &errs);
        if (!outcome.isEmpty())
            checkEnum(
                outcome, "callOutcome",
                QStringLiteral("Interested,Callback Later,Followup,Not Interested,Wrong Number,No Answer,"
                               "Left Voicemail,Not In Service")
                    .split(QLatin1Char(',')),
                &errs);
    } else {
        forbidUnknown(*body, {}, &errs);
    }
    if (!errs.isEmpty())
        return invalid(errs);
    const QString target = complete ? QStringLiteral("completed") : QStringLiteral("skipped");
    // As the live API: a repeat is refused, not quietly accepted (a client must read "already
    // completed" as done); the other final state cannot be reached.
    if (t->state == target)
        return fail(400, complete ? QStringLiteral("Task is already completed")
                                  : QStringLiteral("Task is already skipped"));
    if (t->state != L("pending"))
        return fail(400,
                    complete ? QStringLiteral("A skipped task cannot be completed")
                             : QStringLiteral("A completed task cannot be skipped"),
                    4000);
    t->state = target;
    (complete ? t->completedAtMs : t->skippedAtMs) = nowMs();
    t->callOutcome = outcome;
    return ok(complete ? QStringLiteral("Task completed successfully")
                       : QStringLiteral("Task skipped successfully"),
              taskJson(*t), 201);
}

HttpResponse SaleshandyService::updateTaskNote(const HttpRequest &r)
{
    ShTaskRecord *t = nullptr;
    for (ShTaskRecord &x : m_tasks)
        if (x.id == r.param(QStringLiteral("taskId")))
            t = &x;
    if (!t)
        return fail(404, QStringLiteral("The requested task could not be found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"note"}, &errs);
    const QString note = stringField(*body, "note", true, &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    t->note = note;
    return ok(QStringLiteral("Task note updated successfully"), taskJson(*t));
}

// ---------------------------------------------------------------------------------------------
// Notes

HttpResponse SaleshandyService::createNote(const HttpRequest &r)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"content", "visibility", "prospectIds", "status", "attachmentIds"}, &errs);
    const QString content = stringField(*body, "content", true, &errs);
    const QString visibility = stringField(*body, "visibility", true, &errs);
    if (body->value(L("visibility")).isString())
        checkEnum(visibility, "visibility", {QStringLiteral("1"), QStringLiteral("2")}, &errs);
    const QStringList ids = stringArray(*body, "prospectIds", true, &errs);
    QString status = stringField(*body, "status", false, &errs);
    if (body->value(L("status")).isString())
        checkEnum(status, "status", {QStringLiteral("0"), QStringLiteral("1")}, &errs);
    if (!errs.isEmpty())
        return invalid(errs);
    if (status.isEmpty())
        status = QStringLiteral("1");
    bool anyValid = false;
    for (const QString &id : ids)
        anyValid = anyValid || prospect(id);
    if (!anyValid)
        return fail(400, QStringLiteral("Invalid prospect Id"), 1001);
    QJsonArray results;
    for (const QString &id : ids) {
        if (!prospect(id)) {
            results.append(QJsonObject{{L("prospectId"), id},
                                       {L("success"), false},
                                       {L("message"), QStringLiteral("Invalid prospect Id")}});
            continue;
        }
        ShNoteRecord n;
        n.id = newId();
        n.prospectId = id;
        n.content = content;
        n.visibility = visibility;
        n.status = status;
        m_lastCreatedMs = std::max(m_lastCreatedMs + 1, nowMs());
        n.createdAtMs = n.updatedAtMs = m_lastCreatedMs;
        m_notes.append(n);
        results.append(QJsonObject{
            {L("prospectId"), id}, {L("success"), true}, {L("noteId"), n.id}, {L("note"), noteJson(n)}});
    }
    return ok(QStringLiteral("Note created successfully"), QJsonObject{{L("results"), results}}, 201);
}

HttpResponse SaleshandyService::updateNote(const HttpRequest &r)
{
    ShNoteRecord *n = nullptr;
    for (ShNoteRecord &x : m_notes)
        if (x.id == r.param(QStringLiteral("noteId")))
            n = &x;
    if (!n)
        return fail(400, QStringLiteral("Note not found or access denied"), 1001);
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    forbidUnknown(*body, {"content", "visibility", "status", "attachmentIds"}, &errs);
    const QString content = stringField(*body, "content", false, &errs);
    const QString visibility = stringField(*body, "visibility", false, &errs);
    if (!visibility.isEmpty())
        checkEnum(visibility, "visibility", {QStringLiteral("1"), QStringLiteral("2")}, &errs);
    const QString status = stringField(*body, "status", false, &errs);
    if (!status.isEmpty())
        checkEnum(status, "status", {QStringLiteral("0"), QStringLiteral("1")}, &errs);
    if (body->contains(L("content")) && content.isEmpty())
        errs << QStringLiteral("content should not be empty");
    if (!errs.isEmpty())
        return invalid(errs);
    if (body->contains(L("content")))
        n->content = content;
    if (!visibility.isEmpty())
        n->visibility = visibility;
    if (!status.isEmpty())
        n->status = status;
    n->updatedAtMs = n->editedAtMs = std::max(nowMs(), n->createdAtMs + 1);
    return ok(QStringLiteral("Note updated successfully"), noteJson(*n));
}

HttpResponse SaleshandyService::listNotes(const HttpRequest &r)
{
    const QString pid = r.param(QStringLiteral("prospectId"));
    if (!prospect(pid))
        return fail(400, QStringLiteral("Invalid prospect Id"), 1001);
    QStringList errs;
    auto item = [&r](const char *key) {
        return r.query.queryItemValue(QLatin1String(key), QUrl::FullyDecoded);
    };
    bool okNumber = true;
    const int skip = r.query.hasQueryItem(QStringLiteral("skip")) ? item("skip").toInt(&okNumber) : 0;
    if (!okNumber || skip < 0)
        errs << QStringLiteral("skip must not be less than 0");
    const int take = r.query.hasQueryItem(QStringLiteral("take")) ? item("take").toInt(&okNumber) : 20;
    if (!okNumber || take < 1)
        errs << QStringLiteral("take must not be less than 1");
    else if (take > 100)
        errs << QStringLiteral("take must not be greater than 100");
    if (!errs.isEmpty())
        return invalid(errs);
    QList<const ShNoteRecord *> mine;
    for (const ShNoteRecord &n : m_notes)
        if (n.prospectId == pid && n.status == L("1"))
            mine << &n;
    // Newest first, as Saleshandy's notes panel shows them.
    std::stable_sort(mine.begin(), mine.end(), [](const ShNoteRecord *a, const ShNoteRecord *b) {
        return a->createdAtMs > b->createdAtMs;
    });
    QJsonArray out;
    for (qsizetype i = skip; i < mine.size() && i < qsizetype(skip) + take; ++i)
        out.append(noteJson(*mine.at(i)));
    const bool hasMore = qsizetype(skip) + take < mine.size();
    return ok(QStringLiteral("Notes fetched successfully"),
              QJsonObject{{L("notes"), out},
                          {L("draftNote"), QJsonValue()},
                          {L("pagination"),
                           QJsonObject{{L("skip"), skip}, {L("take"), take}, {L("hasMore"), hasMore}}}});
}

// ---------------------------------------------------------------------------------------------
// Switches

void SaleshandyService::resetCounters()
{
    m_requests = m_writes = m_tooMany = m_unauthorized = m_notAcceptable = m_faultsInjected = 0;
    m_byRoute.clear();
}

bool SaleshandyService::setFaults(const QString &spec, QString *error)
{
    const std::optional<QList<FaultRule>> rules = parseFaultSpec(spec, error);
    if (!rules)
        return false;
    m_faults.setRules(*rules);
    return true;
}

void SaleshandyService::setFaults(const QList<FaultRule> &rules)
{
    m_faults.setRules(rules);
}

void SaleshandyService::addFault(const FaultRule &rule)
{
    m_faults.addRule(rule);
}

void SaleshandyService::clearFaults()
{
    m_faults.clear();
}

void SaleshandyService::setRateLimit(int max, int intervalMs)
{
    RateLimiter::Limits l = m_limiter.limits();
    l.burstMax = max;
    l.burstIntervalMs = intervalMs;
    m_limiter.setLimits(l);
}

} // namespace lb::sandbox
