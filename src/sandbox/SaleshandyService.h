#pragma once

#include "sandbox/Faults.h"
#include "sandbox/HttpServerBase.h"
#include "sandbox/RateLimiter.h"
#include "sandbox/Sandbox.h"

#include <QDate>
#include <QHash>
#include <QJsonArray>
#include <QMap>
#include <QObject>
#include <QRandomGenerator>

namespace lb::sandbox {

// The simulated account's records, as the server holds them (not the client's domain types, so that
// the far side stays independent of what the client believes).

struct ShFieldRecord
{
    QString id;
    QString label;
    QString fieldType; ///< text | number | date | long-text | dropdown | currency
    bool isDefault = false;
    QString fallbackText;
    QJsonObject metadata;
};

struct ShStepRecord
{
    QString id;
    QString name;
    int number = 1;
    int type = 1; ///< 1 = email, 2 = LinkedIn (the sandbox's choice for a non-email step)
    int absoluteDays = 1;
};

struct ShSequenceRecord
{
    QString id;
    QString title;
    bool active = true;
    qint64 createdAtMs = 0;
    QList<ShStepRecord> steps;
};

struct ShProspectRecord
{
    QString id;
    QString email;
    qint64 createdAtMs = 0;
    QString verificationStatus = QStringLiteral("valid");
    QMap<QString, QString> attributes; ///< field label → value (Email included)
    QStringList tags;
    QStringList stepIds; ///< sequence steps the prospect is in

    [[nodiscard]] QString value(const QString &label) const { return attributes.value(label); }
};

struct ShTaskRecord
{
    QString id;
    QString prospectId;
    QString taskType; ///< the code, "9" = custom
    QString priority;
    QDate dueDate;
    QString note;
    QString state = QStringLiteral("pending"); ///< pending | completed | skipped
    QString callOutcome;
    qint64 createdAtMs = 0;
    qint64 completedAtMs = 0;
    qint64 skippedAtMs = 0;
};

struct ShNoteRecord
{
    QString id;
    QString prospectId;
    QString content;
    QString visibility; ///< "1" team, "2" private
    QString status = QStringLiteral("1");
    qint64 createdAtMs = 0;
    qint64 updatedAtMs = 0;
    qint64 editedAtMs = 0;
};

struct ShImportFailureRecord
{
    int row = 0; ///< 1-based position in prospectList
    QString email;
    QString reason;
    QJsonObject values;
};

struct ShImportRecord
{
    QString requestId;
    bool intoSequence = false;
    QString stepId;
    QString conflictAction;
    bool verifyProspects = false;
    QStringList tags;
    QJsonArray rows;
    qint64 createdAtMs = 0;
    qint64 dueAtMs = -1; ///< completes on the first status poll from then; -1: only by polls
    int polls = 0;
    bool completed = false;
    int created = 0;
    int updated = 0;
    QList<ShImportFailureRecord> failures;
};

/// The simulated Saleshandy Open API (SALESHANDY.md) over real HTTP on 127.0.0.1: fields, prospects,
/// the asynchronous import by field name with its status and failed-rows CSV, tags, attributes,
/// sequences and steps, tasks and notes; with `x-api-key` auth, the `{message, payload}` envelope,
/// NestJS-style validation errors, numbered errors ("1001: Invalid token"), 406 for a GET with a
/// Content-Type, a configurable rate limit (Saleshandy publishes none) and switchable faults.
///
/// Order of checks per request: route (404) → 406 → auth (401) → rate limit (429) → faults →
/// handler. As in GhlService, 429, 5xx and cut faults reject before processing; 5xx-after,
/// cut-after, timeout, truncated, malformed and wrongtypes happen after it (a lost or garbled
/// answer to a write that succeeded).
/// The failed-rows report (/v1/reports/...) is a plain file download: no key, no rate limit.
class SaleshandyService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaleshandyService)

public:
    /// How GET /v1/prospects/import-status answers: both shapes are reported by clients [?].
    enum class StatusShape {
        PayloadReportUrl,          ///< {message, payload: {isCompleted, reportURL}} (default)
        PayloadFailedProspectsUrl, ///< {message, payload: {isCompleted, failedProspectsURL}}
        BareReportUrl,             ///< {isCompleted, reportURL}
    };

    explicit SaleshandyService(const SandboxOptions &options, QObject *parent = nullptr);
    ~SaleshandyService() override;

    /// Seeds the account and listens. False with a sentence in `error` on failure.
    [[nodiscard]] bool start(QString *error);
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] QString apiKey() const { return m_options.saleshandyApiKey; }

    // --- The truth, read-only.
    [[nodiscard]] QList<ShProspectRecord> prospects() const { return m_prospects; }
    [[nodiscard]] const ShProspectRecord *prospect(const QString &id) const;
    /// Case-insensitive, as Saleshandy matches duplicates.
    [[nodiscard]] const ShProspectRecord *prospectByEmail(const QString &email) const;
    [[nodiscard]] QList<ShTaskRecord> tasks() const { return m_tasks; }
    [[nodiscard]] const ShTaskRecord *task(const QString &id) const;
    [[nodiscard]] QList<ShNoteRecord> notes() const { return m_notes; }
    [[nodiscard]] const ShNoteRecord *note(const QString &id) const;
    [[nodiscard]] QList<ShFieldRecord> fields() const { return m_fields; }
    [[nodiscard]] const ShFieldRecord *fieldByLabel(const QString &label) const;
    [[nodiscard]] QList<ShSequenceRecord> sequences() const { return m_sequences; }
    [[nodiscard]] QList<ShImportRecord> imports() const { return m_imports; }
    [[nodiscard]] const ShImportRecord *importJob(const QString &requestId) const;
    [[nodiscard]] QStringList tags() const { return m_tags; }
    /// Today for due-date statuses (UTC).
    [[nodiscard]] QDate today() const;

    // --- Changes made behind the API's back.
    /// Adds a prospect as if created in Saleshandy's UI; returns its id. `attributes` by label, with "Email".
    QString createProspectDirect(const QMap<QString, QString> &attributes, const QStringList &tags = {});

    // --- Counters, for tests and benchmarks.
    [[nodiscard]] int requestCount() const { return m_requests; }
    /// By route pattern, e.g. "POST /v1/prospects/import-with-field-name", "GET /v1/tasks/{taskId}".
    [[nodiscard]] int requestCount(const QString &route) const { return m_byRoute.value(route); }
    [[nodiscard]] QHash<QString, int> requestCountsByRoute() const { return m_byRoute; }
    /// Requests with any method but GET, whatever the answer.
    [[nodiscard]] int writeRequestCount() const { return m_writes; }
    [[nodiscard]] int tooManyRequestsSent() const { return m_tooMany; } ///< 429s, real and injected
    [[nodiscard]] int unauthorizedSent() const { return m_unauthorized; }
    [[nodiscard]] int notAcceptableSent() const { return m_notAcceptable; } ///< 406s
    [[nodiscard]] int faultsInjected() const { return m_faultsInjected; }
    [[nodiscard]] int connectionsAccepted() const { return m_server->connectionsAccepted(); }
    void resetCounters();

    // --- Behaviour switches.
    /// Replaces the rules; the random decisions restart from the fault seed (see FaultInjector).
    [[nodiscard]] bool setFaults(const QString &spec, QString *error);
    void setFaults(const QList<FaultRule> &rules);
    /// The seed of the random fault decisions; the generator restarts from it.
    void setFaultSeed(quint32 seed) { m_faults.setSeed(seed); }
    void addFault(const FaultRule &rule);
    void clearFaults();
    [[nodiscard]] QList<FaultRule> faults() const { return m_faults.rules(); }
    void setRateLimit(int max, int intervalMs);
    void resetRateLimits() { m_limiter.reset(); }
    /// Off by default: Saleshandy sends no x-ratelimit-* headers that anyone has seen.
    void setSendRateHeaders(bool on) { m_options.saleshandyRateHeaders = on; }
    void setLatency(int ms) { m_options.latencyMs = ms; }
    /// New imports complete this long after they start (negative: only by status polls).
    void setImportDelay(int ms) { m_options.saleshandyImportDelayMs = ms; }
    /// New imports also complete at the Nth status poll (0: off).
    void setImportPollsToComplete(int n) { m_pollsToComplete = n; }
    void setImportStatusShape(StatusShape shape) { m_statusShape = shape; }
    /// Completes every running import now.
    void completeImports();

Q_SIGNALS:
    /// After each answer (or fault), for the GUI's demo log.
    void requestServed(const QString &method, const QString &path, int status);
    void importCompleted(const QString &requestId);

private:
    HttpResponse dispatch(HttpRequest &request);
    void setupRoutes();
    void seed();
    [[nodiscard]] HttpResponse applyFault(const FaultRule &fault, HttpResponse response);
    [[nodiscard]] qint64 nowMs() const;
    [[nodiscard]] QString newId();
    [[nodiscard]] ShProspectRecord *findProspect(const QString &id);
    [[nodiscard]] ShProspectRecord *findProspectByEmail(const QString &email);
    [[nodiscard]] const ShStepRecord *findStep(const QString &stepId, QString *sequenceId = nullptr) const;
    [[nodiscard]] QJsonObject prospectJson(const ShProspectRecord &p, bool includeCustom) const;
    [[nodiscard]] QJsonObject taskJson(const ShTaskRecord &t) const;
    [[nodiscard]] QJsonObject noteJson(const ShNoteRecord &n) const;
    [[nodiscard]] QString reportUrl(const QString &requestId) const;
    void addTag(ShProspectRecord &p, const QString &tag);
    void completeImport(const QString &requestId);

    // Handlers
    HttpResponse listFields(const HttpRequest &r);
    HttpResponse createField(const HttpRequest &r);
    HttpResponse listProspects(const HttpRequest &r);
    HttpResponse importProspects(const HttpRequest &r, bool intoSequence);
    HttpResponse importStatus(const HttpRequest &r);
    HttpResponse importReport(const HttpRequest &r);
    HttpResponse changeTags(const HttpRequest &r, bool assign);
    HttpResponse updateAttributes(const HttpRequest &r);
    HttpResponse listSequences(const HttpRequest &r);
    HttpResponse listSteps(const HttpRequest &r);
    HttpResponse addToSequence(const HttpRequest &r);
    HttpResponse createTask(const HttpRequest &r);
    HttpResponse listTasks(const HttpRequest &r);
    HttpResponse getTask(const HttpRequest &r);
    HttpResponse finishTask(const HttpRequest &r, bool complete);
    HttpResponse updateTaskNote(const HttpRequest &r);
    HttpResponse createNote(const HttpRequest &r);
    HttpResponse updateNote(const HttpRequest &r);
    HttpResponse listNotes(const HttpRequest &r);

    SandboxOptions m_options;
    RateLimiter m_limiter;
    FaultInjector m_faults;
    Router m_router;
    HttpServerBase *m_server = nullptr;
    QRandomGenerator m_ids;

    QList<ShFieldRecord> m_fields;
    QList<ShProspectRecord> m_prospects;
    QList<ShSequenceRecord> m_sequences;
    QList<ShTaskRecord> m_tasks;
    QList<ShNoteRecord> m_notes;
    QList<ShImportRecord> m_imports;
    QStringList m_tags;
    qint64 m_lastCreatedMs = 0;
    int m_pollsToComplete = 0;
    StatusShape m_statusShape = StatusShape::PayloadReportUrl;

    int m_requests = 0;
    int m_writes = 0;
    int m_tooMany = 0;
    int m_unauthorized = 0;
    int m_notAcceptable = 0;
    int m_faultsInjected = 0;
    QHash<QString, int> m_byRoute;
};

} // namespace lb::sandbox
