#pragma once

#include "domain/FieldMapping.h"
#include "domain/Saleshandy.h"
#include "net/ApiError.h"
#include "store/SyncStore.h"
#include "sync/SyncPlanner.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <functional>
#include <memory>

namespace lb {

class ApiRequest;
class ContactStore;
class Database;
class GhlPull;
namespace ghl {
class GhlClient;
}
namespace sh {
class SaleshandyClient;
}

struct SyncOptions
{
    QString locationId;
    bool full = false;      ///< a full pull first (also finds contacts deleted in GHL)
    bool dryRun = false;    ///< plan and report; write nothing to Saleshandy
    bool pull = true;       ///< pull from GHL first (off for a retry of failed records)
    QString mode;           ///< for the log: "incremental", "full", "retry"; derived when empty
    QString sequenceStepId; ///< import new and changed prospects into this sequence step
    FieldMapping mapping = FieldMapping::defaultMapping();
    /// Only these contacts (and their tasks and notes); empty: all. For retries.
    QSet<QString> onlyContacts;
    int importChunk = 5000; ///< prospects per import request (Saleshandy takes up to 100,000)
    int pollIntervalMs = 1000;
    int maxPolls = 1800;
    QString owner; ///< for the lock and the log; default host:pid
};

/// One sync run: pull, plan, apply, confirm, record (DESIGN.md). Writes each record exactly once
/// however often it is interrupted: prospects go by imports keyed by email (repeatable), tasks and
/// notes are created only after their intent is recorded, and an unconfirmed create is looked
/// for before it is repeated. Hashes, ids and the cursor are committed after confirmation.
class SyncEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncEngine)

public:
    enum class Stage { Starting, Pull, Fields, Plan, Apply, Confirm, Record, Done };
    Q_ENUM(Stage)

    SyncEngine(ghl::GhlClient &ghl, sh::SaleshandyClient &saleshandy, Database &db, SyncOptions options,
               QObject *parent = nullptr);
    ~SyncEngine() override;

    void start();
    /// Stops safely: nothing half-recorded; the next run finishes the work.
    void cancel();

    [[nodiscard]] bool isFinished() const { return m_finished; }
    [[nodiscard]] qint64 runId() const { return m_runId; }
    [[nodiscard]] const SyncPlan &plan() const { return m_plan; }
    /// The one-object summary of DESIGN.md: run id, counts per kind and outcome, requests per
    /// service, 429s, duration.
    [[nodiscard]] QJsonObject summary() const;
    /// 0 all ok; 1 some records failed; 2 configuration (lock held, mapping, store); 3 authentication;
    /// 4 a service unreachable or over quota.
    [[nodiscard]] int exitCode() const { return m_exitCode; }
    /// Why the run stopped early; empty when it ran to the end.
    [[nodiscard]] QString errorText() const { return m_errorText; }
    [[nodiscard]] Stage stage() const { return m_stage; }

Q_SIGNALS:
    void stageChanged(lb::SyncEngine::Stage stage);
    void progress(lb::SyncEngine::Stage stage, int done, int total);
    void finished();

private:
    static constexpr int MaxCreateAttempts = 3;
    struct ImportChunk;
    struct ChildOp;

    void setStage(Stage stage);
    void startPull();
    void fetchFields();
    void readFieldList(int attempt);
    void createMissingFields(QList<TargetField> missing);
    void createField(const TargetField &field, const QList<TargetField> &rest, int attempt);
    /// After a create whose outcome is unknown: reads the field list back and adopts the field if
    /// it is there, else creates it again (at most MaxCreateAttempts in all).
    void readBackField(const TargetField &field, const QList<TargetField> &rest, int attempt,
                       const QString &why);
    void adoptFields(const QList<sh::SaleshandyField> &fields);
    void buildPlan();
    void recordDryRun();
    void applyProspects();
    void sendNextChunk();
    void pollChunk(const std::shared_ptr<ImportChunk> &chunk, int attempt);
    void readReportAt(const std::shared_ptr<ImportChunk> &chunk, const QString &url);
    void updateChangedEmails();
    void resolveProspectIds();
    void resolvePage(int page);
    void searchRemaining();
    void assignTags();
    void commitProspects();
    void removeTags();
    void tagDeleted();
    void applyChildren();
    void runChildOp(const std::shared_ptr<ChildOp> &op);
    /// Starts the next task or note of the prospect whose op just finished.
    void startNextChildOf(const QString &prospectId);
    void createChild(const std::shared_ptr<ChildOp> &op);
    /// Looks for the record among the prospect's tasks or notes in Saleshandy (an earlier create
    /// may have succeeded without our knowing): adopts it, or creates it.
    void readBackChild(const std::shared_ptr<ChildOp> &op);
    /// One page of the prospect's tasks (page from 1) or notes (page = skip, from 0).
    void readBackPage(const std::shared_ptr<ChildOp> &op, int page);
    void adoptChild(const std::shared_ptr<ChildOp> &op, const QString &shId, const QString &text);
    void childNotFound(const std::shared_ptr<ChildOp> &op);
    void childDone(const std::shared_ptr<ChildOp> &op, const QString &outcome, const QString &reason,
                   std::optional<ChildState> state);
    void complete();
    void stop(int exitCode, const QString &why);
    /// Runs `request`, keeps it as a child for cancel, and calls `done` unless the run stopped.
    void send(ApiRequest *request, std::function<void(ApiRequest *)> done);
    /// Whether a failed request stops the run (the service, not the record, is the problem).
    [[nodiscard]] bool stopsTheRun(const ApiRequest &request);
    void addEvent(const QString &kind, const QString &ghlId, const QString &shId, const QString &outcome,
                  const QString &reason, const QStringList &requestIds = {},
                  const QList<FieldWarning> &warnings = {});
    /// Counts a record written (or planned) with warnings, and its warnings by kind.
    void countWarnings(const QString &kind, const QList<FieldWarning> &warnings);
    void count(const QString &kind, const QString &outcome, int n = 1);
    void markFailed(const QString &kind, const QString &ghlId, const QString &reason);
    [[nodiscard]] bool flushEvents();

    ghl::GhlClient &m_ghl;
    sh::SaleshandyClient &m_sh;
    Database &m_db;
    SyncOptions m_options;
    std::unique_ptr<ContactStore> m_contacts;
    SyncStore m_state;
    std::unique_ptr<GhlPull> m_pull;
    QTimer m_heartbeat;
    QElapsedTimer m_clock;
    Stage m_stage = Stage::Starting;
    qint64 m_runId = 0;
    bool m_locked = false;
    bool m_finished = false;
    int m_exitCode = 0;
    QString m_errorText;

    QList<sh::SaleshandyField> m_fields;
    QList<CustomField> m_ghlFields;
    QList<TargetField> m_targets; ///< the Saleshandy fields as the mapper sees them
    SyncPlan m_plan;
    QHash<QString, ProspectState> m_written; ///< ghl contact id → state to commit after confirmation
    QHash<QString, QString> m_requestOf;     ///< ghl contact id → the request id that wrote it
    QSet<QString> m_failedContacts;
    QHash<QString, QString> m_needIdByEmail; ///< email → ghl contact id, after import, until resolved
    QList<std::shared_ptr<ImportChunk>> m_chunks;
    int m_nextChunk = 0;
    int m_serviceFailuresInARow = 0;
    int m_childPending = 0;
    int m_childDone = 0;
    int m_childTotal = 0;

    QHash<QString, QList<std::shared_ptr<ChildOp>>> m_childQueues; ///< by Saleshandy prospect id
    QSet<QString> m_knownShIds; ///< Saleshandy task and note ids already mapped to a GHL record
    QJsonObject m_warningsByKind;
    QList<SyncEvent> m_events;
    int m_seq = 0;
    QJsonObject m_counts; ///< kind → outcome → n
    QList<FailureState> m_failures;
    QHash<QString, FailureState> m_previousFailures;
    qint64 m_ghlRequestsAtStart = 0;
    qint64 m_shRequestsAtStart = 0;
    int m_ghl429AtStart = 0;
    int m_sh429AtStart = 0;
};

} // namespace lb
