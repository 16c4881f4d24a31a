#pragma once

#include "domain/FieldMapping.h"
#include "domain/Saleshandy.h"
#include "store/SyncStore.h"
#include "sync/SyncEngine.h"

#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <memory>

namespace lb {

class Database;
namespace ghl {
class GhlClient;
}
namespace sh {
class SaleshandyClient;
struct FieldSpec;
} // namespace sh

/// Runs syncs for one location on behalf of the desktop app: owns the SyncEngine of the current
/// run, the schedule timer and the Saleshandy field list the mapping editor shows. Widgets call
/// this and listen to its signals; they never touch the engine or a client (STYLE.md).
class SyncService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncService)

public:
    enum class RunKind { Incremental, Full, DryRun, FullDryRun, Retry };
    Q_ENUM(RunKind)
    enum class Service { Ghl, Saleshandy };
    Q_ENUM(Service)

    SyncService(ghl::GhlClient &ghl, sh::SaleshandyClient &saleshandy, Database &db, QString locationId,
                QObject *parent = nullptr);
    ~SyncService() override;

    [[nodiscard]] QString locationId() const { return m_locationId; }
    [[nodiscard]] SyncStore &store() { return m_store; }
    [[nodiscard]] Database &database() { return m_db; }

    /// The mapping every run uses: the newest saved revision, else the default mapping.
    [[nodiscard]] const FieldMapping &mapping() const { return m_mapping; }
    void setMapping(const FieldMapping &mapping);

    /// Mapping errors that forbid a real run (no Email rule, unknown fields, type mismatches), as
    /// sentences; empty when the mapping can run.
    [[nodiscard]] QStringList blockingProblems() const;

    /// Starts a run; false (with the reason in `why`, and refused() emitted) when one is running
    /// or the mapping cannot run. A dry run is allowed with mapping errors, so a fix can be previewed.
    [[nodiscard]] bool start(RunKind kind, QString *why = nullptr);
    /// Retries the records that failed in `runId`, or only `contacts` when given.
    [[nodiscard]] bool retry(qint64 runId, const QSet<QString> &contacts = {}, QString *why = nullptr);
    /// Stops the current run safely (the engine leaves nothing half-recorded).
    void cancel();
    [[nodiscard]] bool isRunning() const { return m_engine != nullptr; }
    [[nodiscard]] RunKind currentKind() const { return m_kind; }

    /// The last finished run: its plan (a dry run's diff), summary, exit code and error text.
    [[nodiscard]] const SyncPlan &lastPlan() const { return m_lastPlan; }
    [[nodiscard]] bool lastWasDryRun() const { return m_lastDryRun; }
    [[nodiscard]] qint64 lastRunId() const { return m_lastRunId; }
    [[nodiscard]] const QJsonObject &lastSummary() const { return m_lastSummary; }
    [[nodiscard]] int lastExitCode() const { return m_lastExitCode; }
    [[nodiscard]] QString lastError() const { return m_lastError; }

    /// Incremental runs every `minutes` while the app runs; 0 turns the schedule off. A due run
    /// while another runs is skipped, not queued.
    void setScheduleMinutes(int minutes);
    [[nodiscard]] int scheduleMinutes() const { return m_scheduleMinutes; }

    /// Saleshandy's fields (system and custom), read live.
    void refreshSaleshandyFields();
    [[nodiscard]] const QList<sh::SaleshandyField> &saleshandyFields() const { return m_fields; }
    [[nodiscard]] bool saleshandyFieldsLoaded() const { return m_fieldsLoaded; }
    [[nodiscard]] QList<TargetField> targetFields() const;
    /// Creates a custom field in Saleshandy; fieldCreated or requestFailed follows.
    void createSaleshandyField(const QString &label, TargetFieldType type);

    [[nodiscard]] ghl::GhlClient &ghlClient() { return m_ghl; }
    [[nodiscard]] sh::SaleshandyClient &saleshandyClient() { return m_sh; }

Q_SIGNALS:
    void runStarted(lb::SyncService::RunKind kind);
    void stageChanged(lb::SyncEngine::Stage stage);
    void progress(lb::SyncEngine::Stage stage, int done, int total);
    /// A run ended (also when cancelled or stopped early: see exitCode and errorText).
    void runFinished(qint64 runId, int exitCode, const QString &errorText);
    void refused(const QString &why);
    void saleshandyFieldsChanged();
    void fieldCreated(const QString &label);
    void requestFailed(const QString &message);
    void mappingChanged();
    void scheduleChanged(int minutes);
    /// Each service's scheduler, passed on for the quota meters (daily -1 while unknown, max 0: none).
    void quotaChanged(lb::SyncService::Service service, int burstRemaining, int burstMax,
                      qint64 dailyRemaining, qint64 dailyMax);

private:
    [[nodiscard]] bool startEngine(RunKind kind, const SyncOptions &options, QString *why);
    void onEngineFinished();

    ghl::GhlClient &m_ghl;
    sh::SaleshandyClient &m_sh;
    Database &m_db;
    QString m_locationId;
    SyncStore m_store;
    FieldMapping m_mapping;
    std::unique_ptr<SyncEngine> m_engine;
    RunKind m_kind = RunKind::Incremental;
    SyncPlan m_lastPlan;
    bool m_lastDryRun = false;
    qint64 m_lastRunId = 0;
    QJsonObject m_lastSummary;
    int m_lastExitCode = 0;
    QString m_lastError;
    QTimer m_schedule;
    int m_scheduleMinutes = 0;
    QList<sh::SaleshandyField> m_fields;
    bool m_fieldsLoaded = false;
};

} // namespace lb
