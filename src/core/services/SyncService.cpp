#include "services/SyncService.h"

#include "api/ghl/GhlClient.h"
#include "api/saleshandy/ProspectRequests.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "store/ContactStore.h"
#include "sync/Mapper.h"
#include "sync/MappingFile.h"

#include <QLoggingCategory>

namespace lb {

Q_LOGGING_CATEGORY(lcSyncService, "leadbridge.services.sync")

SyncService::SyncService(ghl::GhlClient &ghl, sh::SaleshandyClient &saleshandy, Database &db,
                         QString locationId, QObject *parent)
    : QObject(parent), m_ghl(ghl), m_sh(saleshandy), m_db(db), m_locationId(std::move(locationId)),
      m_store(db), m_mapping(FieldMapping::defaultMapping())
{
    // The mapping the user saved last is the one every run uses (as the CLI's sync does).
    if (const std::optional<QByteArray> json = m_store.latestMapping(m_locationId)) {
        MappingFileError error;
        if (const std::optional<FieldMapping> saved = MappingFile::fromJson(*json, &error))
            m_mapping = *saved;
        else
            qCWarning(lcSyncService) << "saved mapping unreadable:" << error.toString();
    }
    connect(&m_ghl.scheduler(), &ServiceScheduler::quotaChanged, this,
            [this](int burst, int burstMax, qint64 daily, qint64 dailyMax) {
                Q_EMIT quotaChanged(Service::Ghl, burst, burstMax, daily, dailyMax);
            });
    connect(&m_sh.scheduler(), &ServiceScheduler::quotaChanged, this,
            [this](int burst, int burstMax, qint64 daily, qint64 dailyMax) {
                Q_EMIT quotaChanged(Service::Saleshandy, burst, burstMax, daily, dailyMax);
            });
    m_schedule.setSingleShot(false);
    connect(&m_schedule, &QTimer::timeout, this, [this] {
        if (isRunning())
            return; // the next tick tries again; a queue of missed runs helps nobody
        QString why;
        if (!start(RunKind::Incremental, &why))
            qCInfo(lcSyncService) << "scheduled run not started:" << why;
    });
}

SyncService::~SyncService()
{
    if (m_engine) {
        disconnect(m_engine.get(), nullptr, this, nullptr);
        m_engine->cancel();
    }
}

void SyncService::setMapping(const FieldMapping &mapping)
{
    m_mapping = mapping;
    Q_EMIT mappingChanged();
}

QList<TargetField> SyncService::targetFields() const
{
    QList<TargetField> out;
    for (const sh::SaleshandyField &f : m_fields) {
        TargetField t;
        t.label = f.label;
        t.type = targetFieldTypeFromName(f.fieldType).value_or(TargetFieldType::Text);
        t.system = f.isDefault;
        out << t;
    }
    return out;
}

QStringList SyncService::blockingProblems() const
{
    QStringList out;
    if (!m_mapping.hasEmailRule())
        out << tr("No contact rule writes the Saleshandy field Email. Saleshandy identifies prospects by "
                  "email: map a GHL field (usually “email”) to Email on the Mapping page.");
    ContactStore contacts(m_db);
    const QList<MappingProblem> problems =
        Mapper::validate(m_mapping, targetFields(), contacts.customFields(m_locationId));
    for (const MappingProblem &p : problems) {
        if (p.severity != MappingProblem::Severity::Error)
            continue;
        // The Email finding is already said above, in words that say what to do.
        if (!m_mapping.hasEmailRule() && p.rule < 0 && p.kind == RecordKind::Contact &&
            p.message.contains(QLatin1String("Email")))
            continue;
        out << p.toString();
    }
    return out;
}

bool SyncService::start(RunKind kind, QString *why)
{
    const auto refuse = [this, why](const QString &text) {
        if (why)
            *why = text;
        Q_EMIT refused(text);
        return false;
    };
    if (m_engine)
        return refuse(tr("A sync run is already in progress."));
    const bool dry = kind == RunKind::DryRun || kind == RunKind::FullDryRun;
    if (!dry) {
        const QStringList problems = blockingProblems();
        if (!problems.isEmpty())
            return refuse(tr("The mapping cannot run: %1").arg(problems.join(QLatin1Char(' '))));
    }
    SyncOptions options;
    options.locationId = m_locationId;
    options.mapping = m_mapping;
    options.dryRun = dry;
    options.full = kind == RunKind::Full || kind == RunKind::FullDryRun;
    options.mode = options.full ? QStringLiteral("full") : QStringLiteral("incremental");
    return startEngine(kind, options, why);
}

bool SyncService::retry(qint64 runId, const QSet<QString> &contacts, QString *why)
{
    const auto refuse = [this, why](const QString &text) {
        if (why)
            *why = text;
        Q_EMIT refused(text);
        return false;
    };
    if (m_engine)
        return refuse(tr("A sync run is already in progress."));
    const QStringList problems = blockingProblems();
    if (!problems.isEmpty())
        return refuse(tr("The mapping cannot run: %1").arg(problems.join(QLatin1Char(' '))));
    QSet<QString> only = contacts;
    if (only.isEmpty()) {
        const QStringList failed = m_store.contactsWithFailures(m_locationId, runId);
        only = QSet<QString>(failed.begin(), failed.end());
    }
    if (only.isEmpty())
        return refuse(tr("Run %1 has no failed records to retry.").arg(runId));
    // As `leadbridge-cli retry`: no pull, only these contacts (their tasks and notes come along).
    SyncOptions options;
    options.locationId = m_locationId;
    options.mapping = m_mapping;
    options.pull = false;
    options.mode = QStringLiteral("retry");
    options.onlyContacts = only;
    return startEngine(RunKind::Retry, options, why);
}

bool SyncService::startEngine(RunKind kind, const SyncOptions &options, QString *why)
{
    Q_UNUSED(why)
    m_kind = kind;
    m_engine = std::make_unique<SyncEngine>(m_ghl, m_sh, m_db, options);
    connect(m_engine.get(), &SyncEngine::stageChanged, this, &SyncService::stageChanged);
    connect(m_engine.get(), &SyncEngine::progress, this, &SyncService::progress);
    connect(m_engine.get(), &SyncEngine::finished, this, &SyncService::onEngineFinished,
            Qt::QueuedConnection);
    Q_EMIT runStarted(kind);
    m_engine->start();
    return true;
}

void SyncService::cancel()
{
    if (m_engine)
        m_engine->cancel();
}

void SyncService::onEngineFinished()
{
    if (!m_engine)
        return;
    // The engine goes once it has said everything; the plan stays for the dry-run view and Apply.
    std::unique_ptr<SyncEngine> engine = std::move(m_engine);
    m_lastPlan = engine->plan();
    m_lastDryRun = m_kind == RunKind::DryRun || m_kind == RunKind::FullDryRun;
    m_lastRunId = engine->runId();
    m_lastSummary = engine->summary();
    m_lastExitCode = engine->exitCode();
    m_lastError = engine->errorText();
    disconnect(engine.get(), nullptr, this, nullptr);
    engine.release()->deleteLater();
    Q_EMIT runFinished(m_lastRunId, m_lastExitCode, m_lastError);
}

void SyncService::setScheduleMinutes(int minutes)
{
    minutes = std::max(0, minutes);
    if (minutes == m_scheduleMinutes && (minutes == 0) != m_schedule.isActive())
        return;
    m_scheduleMinutes = minutes;
    if (minutes > 0)
        m_schedule.start(minutes * 60 * 1000);
    else
        m_schedule.stop();
    Q_EMIT scheduleChanged(minutes);
}

void SyncService::refreshSaleshandyFields()
{
    auto *request = new sh::ListFieldsRequest(m_sh, true, this);
    connect(request, &ApiRequest::finished, this, [this, request] {
        request->deleteLater();
        if (!request->error().isOk()) {
            Q_EMIT requestFailed(
                tr("The Saleshandy fields could not be read: %1").arg(request->error().message));
            return;
        }
        m_fields = request->fields();
        m_fieldsLoaded = true;
        Q_EMIT saleshandyFieldsChanged();
    });
    request->start();
}

void SyncService::createSaleshandyField(const QString &label, TargetFieldType type)
{
    sh::FieldSpec spec;
    spec.label = label;
    spec.fieldType = targetFieldTypeName(type);
    auto *request = new sh::CreateFieldRequest(m_sh, spec, this);
    connect(request, &ApiRequest::finished, this, [this, request, label] {
        request->deleteLater();
        if (!request->error().isOk()) {
            Q_EMIT requestFailed(tr("The field “%1” could not be created in Saleshandy: %2")
                                     .arg(label, request->error().message));
            return;
        }
        m_fields << request->field();
        Q_EMIT fieldCreated(label);
        Q_EMIT saleshandyFieldsChanged();
    });
    request->start();
}

} // namespace lb
