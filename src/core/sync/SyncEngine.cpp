#include "sync/SyncEngine.h"

#include "api/ghl/GhlClient.h"
#include "api/saleshandy/ImportRequests.h"
#include "api/saleshandy/NoteRequests.h"
#include "api/saleshandy/ProspectRequests.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "api/saleshandy/TaskRequests.h"
#include "domain/Json.h"
#include "net/Logging.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "sync/GhlPull.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostInfo>
#include <QJsonArray>
#include <QScopeGuard>

#include <algorithm>

namespace lb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::SyncEngine", text);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

/// Failed records are retried by every run; the time says when a scheduled run should try again.
qint64 nextRetryMs(int attempts)
{
    static const qint64 steps[] = {60'000, 5 * 60'000, 30 * 60'000, 2 * 3600'000, 12 * 3600'000};
    return nowMs() + steps[std::clamp(attempts - 1, 0, 4)];
}

QJsonObject toObject(const QMap<QString, QString> &map)
{
    QJsonObject o;
    for (auto it = map.cbegin(); it != map.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QString actionName(ProspectChange::Action a)
{
    switch (a) {
    case ProspectChange::Action::Create:
        return QStringLiteral("create");
    case ProspectChange::Action::Update:
        return QStringLiteral("update");
    case ProspectChange::Action::Unchanged:
        return QStringLiteral("unchanged");
    case ProspectChange::Action::Invalid:
        return QStringLiteral("invalid");
    case ProspectChange::Action::Merged:
        return QStringLiteral("merged");
    case ProspectChange::Action::Deleted:
        return QStringLiteral("deleted");
    }
    return {};
}

QString actionName(ChildChange::Action a)
{
    switch (a) {
    case ChildChange::Action::Create:
    case ChildChange::Action::ReadBackThenCreate:
        return QStringLiteral("create");
    case ChildChange::Action::UpdateText:
        return QStringLiteral("update");
    case ChildChange::Action::Complete:
        return QStringLiteral("complete");
    case ChildChange::Action::Skip:
        return QStringLiteral("skip");
    case ChildChange::Action::MarkDeleted:
        return QStringLiteral("mark-deleted");
    case ChildChange::Action::Unchanged:
        return QStringLiteral("unchanged");
    case ChildChange::Action::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

} // namespace

/// One import request with the contacts it carries.
struct SyncEngine::ImportChunk
{
    QList<const ProspectChange *> changes;
    QString importId;                     ///< Saleshandy's requestId
    QString requestId;                    ///< ours, for the log
    QHash<QString, QString> failedEmails; ///< email → reason, from the report
    bool failed = false;
    QString failure;
};

/// One task or note operation, with what it needs to run.
struct SyncEngine::ChildOp
{
    ChildChange change;
    QString prospectId;
    QString prospectEmail;
    QStringList requestIds;
    int creates = 0;       ///< create requests sent in this run
    bool deleting = false; ///< a Skip or MarkDeleted of a record whose create was never confirmed
    QStringList wanted;    ///< the texts a read-back looks for
    QString lastError;     ///< of the last create whose outcome was unknown
};

SyncEngine::SyncEngine(ghl::GhlClient &ghl, sh::SaleshandyClient &saleshandy, Database &db,
                       SyncOptions options, QObject *parent)
    : QObject(parent), m_ghl(ghl), m_sh(saleshandy), m_db(db), m_options(std::move(options)),
      m_contacts(std::make_unique<ContactStore>(db)), m_state(db)
{
    if (m_options.owner.isEmpty())
        m_options.owner = QHostInfo::localHostName() + QLatin1Char(':') +
                          QString::number(QCoreApplication::applicationPid());
    if (m_options.mode.isEmpty())
        m_options.mode = m_options.full ? QStringLiteral("full") : QStringLiteral("incremental");
    m_heartbeat.setInterval(20000);
    connect(&m_heartbeat, &QTimer::timeout, this, [this] {
        if (!m_state.heartbeat(m_options.locationId, m_options.owner))
            stop(2, tr("Another process took over the sync of location %1; this run stopped.")
                        .arg(m_options.locationId));
    });
}

SyncEngine::~SyncEngine()
{
    if (m_locked)
        m_state.unlock(m_options.locationId, m_options.owner);
}

void SyncEngine::setStage(Stage stage)
{
    m_stage = stage;
    Q_EMIT stageChanged(stage);
}

void SyncEngine::start()
{
    m_clock.start();
    m_ghlRequestsAtStart = m_ghl.requestsSent();
    m_shRequestsAtStart = m_sh.requestsSent();
    m_ghl429AtStart = m_ghl.responses429();
    m_sh429AtStart = m_sh.responses429();

    if (!m_options.mapping.hasEmailRule()) {
        stop(2, tr("The mapping sends no GHL field to the Saleshandy field Email, which Saleshandy needs to "
                   "identify a prospect. Map a field to Email and run again."));
        return;
    }
    QString heldBy;
    if (!m_state.tryLock(m_options.locationId, m_options.owner, &heldBy)) {
        stop(2,
             m_state.error().isEmpty()
                 ? tr("Another sync of location %1 is running (%2). Wait for it to finish, then run again.")
                       .arg(m_options.locationId, heldBy)
                 : m_state.error());
        return;
    }
    m_locked = true;
    m_heartbeat.start();
    m_runId = m_state.startRun(m_options.locationId, m_options.mode, m_options.dryRun, m_options.owner);
    if (m_runId == 0) {
        stop(2, m_state.error());
        return;
    }
    m_previousFailures = m_state.failures(m_options.locationId);
    qCInfo(lcSync) << "run" << m_runId << "started:" << m_options.mode
                   << (m_options.dryRun ? "(dry run)" : "");
    if (m_options.pull)
        startPull();
    else
        fetchFields();
}

void SyncEngine::startPull()
{
    setStage(Stage::Pull);
    PullOptions po;
    po.full = m_options.full;
    m_pull = std::make_unique<GhlPull>(m_ghl, *m_contacts, po);
    connect(m_pull.get(), &GhlPull::progress, this,
            [this](int done, int total) { Q_EMIT progress(Stage::Pull, done, total); });
    connect(m_pull.get(), &GhlPull::finished, this, [this] {
        const ApiError &e = m_pull->error();
        for (const QString &problem : m_pull->stats().problems)
            addEvent(QStringLiteral("contact"), QString(), QString(), QStringLiteral("failed"),
                     tr("Not read from GHL: %1").arg(problem));
        if (m_pull->stats().contactsFailed + m_pull->stats().itemsUnreadable > 0)
            count(QStringLiteral("contact"), QStringLiteral("failed"),
                  m_pull->stats().contactsFailed + m_pull->stats().itemsUnreadable);
        if (!e.isOk()) {
            stop(m_pull->exitCode(), e.fullText());
            return;
        }
        fetchFields();
    });
    m_pull->start();
}

void SyncEngine::fetchFields()
{
    setStage(Stage::Fields);
    m_ghlFields = m_contacts->customFields(m_options.locationId);
    readFieldList(0);
}

void SyncEngine::readFieldList(int attempt)
{
    send(new sh::ListFieldsRequest(m_sh, true, this), [this, attempt](ApiRequest *r) {
        if (!r->ok()) {
            // A preparatory call: two more tries after a pause before it may stop the run.
            const bool transient =
                r->error().isServiceProblem() || r->error().kind == ApiError::Kind::Malformed;
            if (transient && attempt < 2) {
                QTimer::singleShot(2000 * (attempt + 1), this, [this, attempt] {
                    if (!m_finished)
                        readFieldList(attempt + 1);
                });
                return;
            }
            // Without the account's fields the plan would be made against the wrong targets.
            stop(r->error().exitCode() == 1 ? 2 : r->error().exitCode(),
                 tr("Saleshandy's field list could not be read, so nothing was written: %1 Run again when "
                    "Saleshandy answers; if this persists, check the API key and Saleshandy's status.")
                     .arg(r->error().fullText()));
            return;
        }
        m_fields.clear();
        m_targets.clear();
        adoptFields(static_cast<sh::ListFieldsRequest *>(r)->fields());
        createMissingFields(m_options.mapping.missingFields(m_targets));
    });
}

void SyncEngine::adoptFields(const QList<sh::SaleshandyField> &fields)
{
    for (const sh::SaleshandyField &f : fields) {
        if (sh::fieldByLabel(m_fields, f.label))
            continue;
        m_fields << f;
        TargetField t;
        t.label = f.label;
        t.type = targetFieldTypeFromName(f.fieldType).value_or(TargetFieldType::Text);
        t.system = f.isDefault;
        m_targets << t;
    }
}

void SyncEngine::createMissingFields(QList<TargetField> missing)
{
    if (missing.isEmpty()) {
        buildPlan();
        return;
    }
    const TargetField field = missing.takeFirst();
    if (m_options.dryRun) {
        addEvent(QStringLiteral("field"), QString(), QString(), QStringLiteral("planned-create"),
                 tr("The Saleshandy field '%1' (%2) would be created.")
                     .arg(field.label, targetFieldTypeName(field.type)));
        createMissingFields(missing);
        return;
    }
    createField(field, missing, 1);
}

void SyncEngine::createField(const TargetField &field, const QList<TargetField> &rest, int attempt)
{
    // A field's label is its natural key: the "intent" is the mapping's list of required fields,
    // and an unknown outcome is resolved by reading the list back.
    sh::FieldSpec spec;
    spec.label = field.label;
    spec.fieldType = targetFieldTypeName(field.type);
    spec.options = field.options;
    spec.currencyCode = field.currencyCode;
    send(new sh::CreateFieldRequest(m_sh, spec, this), [this, field, rest, attempt](ApiRequest *r) {
        if (!r->ok()) {
            const ApiError &e = r->error();
            const bool unknownOutcome = e.isServiceProblem() || e.kind == ApiError::Kind::Malformed ||
                                        e.kind == ApiError::Kind::Conflict; // "already exists": adopt it
            if (unknownOutcome) {
                readBackField(field, rest, attempt, e.fullText());
                return;
            }
            stop(e.exitCode() == 1 ? 2 : e.exitCode(),
                 tr("The Saleshandy field '%1' that the mapping needs could not be created: %2 Create it in "
                    "Saleshandy (type %3) or change the mapping, then run again.")
                     .arg(field.label, e.fullText(), targetFieldTypeName(field.type)));
            return;
        }
        const sh::SaleshandyField created = static_cast<sh::CreateFieldRequest *>(r)->field();
        adoptFields({created});
        addEvent(QStringLiteral("field"), QString(), created.id, QStringLiteral("created"),
                 tr("Created the Saleshandy field '%1' (%2), which the mapping needs.")
                     .arg(field.label, targetFieldTypeName(field.type)),
                 {r->requestId()});
        createMissingFields(rest);
    });
}

void SyncEngine::readBackField(const TargetField &field, const QList<TargetField> &rest, int attempt,
                               const QString &why)
{
    send(new sh::ListFieldsRequest(m_sh, true, this), [this, field, rest, attempt, why](ApiRequest *r) {
        if (r->ok()) {
            const QList<sh::SaleshandyField> fields = static_cast<sh::ListFieldsRequest *>(r)->fields();
            if (const auto found = sh::fieldByLabel(fields, field.label)) {
                adoptFields({*found});
                addEvent(QStringLiteral("field"), QString(), found->id, QStringLiteral("created"),
                         tr("The Saleshandy field '%1' that the mapping needs exists (found after: %2).")
                             .arg(field.label, why),
                         {r->requestId()});
                createMissingFields(rest);
                return;
            }
        }
        if (attempt < MaxCreateAttempts) {
            QTimer::singleShot(1000 * attempt, this, [this, field, rest, attempt] {
                if (!m_finished)
                    createField(field, rest, attempt + 1);
            });
            return;
        }
        stop(4, tr("The Saleshandy field '%1' that the mapping needs could not be created after %2 attempts "
                   "(%3). "
                   "Nothing was written. Run again later, or create the field in Saleshandy (type %4).")
                    .arg(field.label)
                    .arg(attempt)
                    .arg(why, targetFieldTypeName(field.type)));
    });
}

void SyncEngine::buildPlan()
{
    setStage(Stage::Plan);
    QElapsedTimer timer;
    timer.start();
    MapperContext context;
    context.customFields = m_ghlFields;
    context.saleshandyFields = m_targets;
    const Mapper mapper(m_options.mapping, context);
    QHash<QString, ChildState> tasks = m_state.records(m_options.locationId, QStringLiteral("task"));
    QHash<QString, ChildState> notes = m_state.records(m_options.locationId, QStringLiteral("note"));
    if (!m_state.error().isEmpty()) {
        stop(2, m_state.error());
        return;
    }
    for (const auto *states : {&tasks, &notes})
        for (const ChildState &c : *states)
            if (!c.shId.isEmpty())
                m_knownShIds.insert(c.shId);
    SyncPlanner planner(mapper, m_state.prospects(m_options.locationId), std::move(tasks), std::move(notes));
    if (!m_state.error().isEmpty()) {
        stop(2, m_state.error());
        return;
    }
    planner.setComplete(m_options.onlyContacts.isEmpty());
    qCDebug(lcSync) << "plan: states read in" << timer.restart() << "ms";
    ContactQuery q;
    q.locationId = m_options.locationId;
    q.sort = ContactSort::DateAdded;
    q.limit = 2000;
    const int total = m_contacts->countContacts(q);
    int done = 0;
    if (!m_options.onlyContacts.isEmpty()) {
        // Contacts that share an email are one prospect: a retry of one of them plans the group.
        QHash<QString, QStringList> idsByEmail;
        QSet<QString> emails;
        for (q.offset = 0;; q.offset += q.limit) {
            const QList<Contact> page = m_contacts->contacts(q);
            for (const Contact &c : page) {
                const QString email = transforms::normalisedEmail(c.email);
                if (email.isEmpty())
                    continue;
                idsByEmail[email] << c.id;
                if (m_options.onlyContacts.contains(c.id))
                    emails.insert(email);
            }
            if (page.size() < q.limit)
                break;
        }
        for (const QString &email : std::as_const(emails))
            for (const QString &id : idsByEmail.value(email))
                m_options.onlyContacts.insert(id);
    }
    for (q.offset = 0;; q.offset += q.limit) {
        QList<Contact> page = m_contacts->contacts(q);
        if (!m_contacts->error().isEmpty()) {
            stop(2, m_contacts->error());
            return;
        }
        QStringList ids;
        ids.reserve(page.size());
        for (const Contact &c : page)
            if (m_options.onlyContacts.isEmpty() || m_options.onlyContacts.contains(c.id))
                ids << c.id;
        QHash<QString, ContactChildren> children = m_contacts->children(ids);
        if (!m_contacts->error().isEmpty()) {
            stop(2, m_contacts->error());
            return;
        }
        for (Contact &c : page)
            if (m_options.onlyContacts.isEmpty() || m_options.onlyContacts.contains(c.id)) {
                ContactChildren own = children.take(c.id);
                planner.add(std::move(c), std::move(own));
            }
        done += int(page.size());
        Q_EMIT progress(Stage::Plan, done, total);
        // Planning holds the event loop: keep the lock alive, and stop if someone took it over.
        if (!m_state.heartbeat(m_options.locationId, m_options.owner)) {
            stop(2, tr("Another process took over the sync of location %1; this run stopped without writing.")
                        .arg(m_options.locationId));
            return;
        }
        if (page.size() < q.limit)
            break;
    }
    qCDebug(lcSync) << "plan: contacts read in" << timer.restart() << "ms";
    m_plan = planner.finish();
    qCDebug(lcSync) << "plan: mapped and compared in" << timer.restart() << "ms";
    qCInfo(lcSync) << "plan:" << m_plan.count(ProspectChange::Action::Create) << "to create,"
                   << m_plan.count(ProspectChange::Action::Update) << "to update,"
                   << m_plan.count(ProspectChange::Action::Unchanged) << "unchanged,"
                   << m_plan.count(ProspectChange::Action::Invalid) << "invalid";
    if (m_options.dryRun) {
        recordDryRun();
        return;
    }
    // Records that need no request are recorded now.
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        if (p.action == ProspectChange::Action::Invalid) {
            addEvent(QStringLiteral("contact"), p.ghlContactId, QString(), QStringLiteral("invalid"),
                     p.reason);
            count(QStringLiteral("contact"), QStringLiteral("invalid"));
            count(QStringLiteral("appointment"), QStringLiteral("invalid"), p.appointments);
        } else if (p.action == ProspectChange::Action::Unchanged) {
            addEvent(QStringLiteral("contact"), p.ghlContactId, p.previous->prospectId,
                     QStringLiteral("unchanged"), p.reason);
            count(QStringLiteral("contact"), QStringLiteral("unchanged"));
            count(QStringLiteral("appointment"), QStringLiteral("unchanged"), p.appointments);
            ProspectState s = *p.previous;
            s.ghlContactId = p.ghlContactId;
            m_written.insert(p.ghlContactId, s);
        } else if (p.action == ProspectChange::Action::Deleted) {
            m_written.insert(p.ghlContactId, *p.previous); // for its tasks and notes
        }
    }
    applyProspects();
}

void SyncEngine::recordDryRun()
{
    QElapsedTimer timer;
    timer.start();
    const auto logTime =
        qScopeGuard([&timer] { qCDebug(lcSync) << "dry run: recorded in" << timer.elapsed() << "ms"; });
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        QString reason = p.reason;
        if (p.action == ProspectChange::Action::Create && !p.previous) {
            reason = QCoreApplication::translate("lb::SyncEngine", "would be created with %n field(s)",
                                                 nullptr, int(p.mapped.fields.size()));
        } else if (p.action == ProspectChange::Action::Update || p.action == ProspectChange::Action::Create) {
            QStringList parts;
            for (const FieldChange &c : p.changes)
                parts << QStringLiteral("%1: '%2' -> '%3'").arg(c.label, c.before, c.after);
            if (!p.addedTags.isEmpty())
                parts << tr("tags added: %1").arg(p.addedTags.join(QStringLiteral(", ")));
            if (!p.removedTags.isEmpty())
                parts << tr("tags removed: %1").arg(p.removedTags.join(QStringLiteral(", ")));
            reason = parts.join(QStringLiteral("; "));
        }
        const bool write = p.action == ProspectChange::Action::Create ||
                           p.action == ProspectChange::Action::Update ||
                           (p.action == ProspectChange::Action::Deleted && !p.addedTags.isEmpty());
        const QString outcome =
            write ? QStringLiteral("planned-") + actionName(p.action) : actionName(p.action);
        count(QStringLiteral("contact"), outcome);
        const bool sends =
            p.action == ProspectChange::Action::Create || p.action == ProspectChange::Action::Update;
        if (sends)
            countWarnings(QStringLiteral("contact"), p.mapped.warnings);
        if (p.action == ProspectChange::Action::Merged && !p.reason.isEmpty())
            reason = p.reason;
        // A dry run logs what it would do; what it would leave alone is only counted.
        if (p.action != ProspectChange::Action::Unchanged)
            addEvent(QStringLiteral("contact"), p.ghlContactId,
                     p.previous ? p.previous->prospectId : QString(), outcome, reason, {},
                     sends ? p.mapped.warnings : QList<FieldWarning>());
    }
    for (const ChildChange &c : std::as_const(m_plan.children)) {
        const bool write = c.action != ChildChange::Action::Unchanged &&
                           c.action != ChildChange::Action::Invalid &&
                           !(c.action == ChildChange::Action::MarkDeleted && c.text.isEmpty());
        const QString outcome =
            write ? QStringLiteral("planned-") + actionName(c.action) : actionName(c.action);
        count(c.kind, outcome);
        const bool sendsText = c.action == ChildChange::Action::Create ||
                               c.action == ChildChange::Action::ReadBackThenCreate ||
                               c.action == ChildChange::Action::UpdateText;
        if (sendsText)
            countWarnings(c.kind, c.warnings);
        // New tasks and notes of new prospects, and those of invalid contacts, follow from their
        // contact's event; only changes to what Saleshandy has, and values not sent as GHL has
        // them, are worth a line of their own.
        const bool change = c.previous && c.action != ChildChange::Action::Unchanged &&
                            c.action != ChildChange::Action::Invalid;
        if (change || (sendsText && !c.warnings.isEmpty()))
            addEvent(c.kind, c.ghlId, c.previous ? c.previous->shId : QString(), outcome, c.reason, {},
                     sendsText ? c.warnings : QList<FieldWarning>());
    }
    complete();
}

void SyncEngine::applyProspects()
{
    setStage(Stage::Apply);
    // One import per few thousand prospects, whatever their tags: tags are assigned afterwards,
    // one request per tag, which stays a handful where grouping by tag set would not.
    std::shared_ptr<ImportChunk> chunk;
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        if (p.action != ProspectChange::Action::Create && p.action != ProspectChange::Action::Update)
            continue;
        if (p.emailChanged())
            continue; // an import would make a second prospect: updated in place below
        if (!chunk || chunk->changes.size() >= m_options.importChunk) {
            chunk = std::make_shared<ImportChunk>();
            m_chunks << chunk;
        }
        chunk->changes << &p;
    }
    m_nextChunk = 0;
    sendNextChunk();
}

void SyncEngine::sendNextChunk()
{
    if (m_finished)
        return;
    if (m_nextChunk >= m_chunks.size()) {
        updateChangedEmails();
        return;
    }
    auto chunk = m_chunks.at(m_nextChunk++);
    // The intent first: a crash after this point leaves the contacts pending, and the next run
    // imports them again (an import keyed by email updates, it does not duplicate).
    QList<ProspectState> pending;
    for (const ProspectChange *p : std::as_const(chunk->changes)) {
        ProspectState s = p->previous.value_or(ProspectState{});
        s.ghlContactId = p->ghlContactId;
        if (s.email.isEmpty())
            s.email = p->email;
        s.pendingHash = QString::fromLatin1(p->mapped.hash);
        s.pendingSinceMs = nowMs();
        pending << s;
    }
    if (!m_state.inTransaction([&] { return m_state.saveProspects(m_options.locationId, pending); })) {
        stop(2, m_state.error());
        return;
    }
    sh::ImportParams params;
    params.conflictAction = sh::ConflictAction::Overwrite;
    params.verifyProspects = false;
    params.stepId = m_options.sequenceStepId;
    params.rows.reserve(chunk->changes.size());
    for (const ProspectChange *p : std::as_const(chunk->changes))
        params.rows << p->mapped.fields;
    auto *request = new sh::ImportProspectsRequest(m_sh, params, this);
    chunk->requestId = static_cast<ApiRequest *>(request)->requestId();
    send(request, [this, chunk](ApiRequest *r) {
        auto *import = static_cast<sh::ImportProspectsRequest *>(r);
        if (!r->ok()) {
            chunk->failed = true;
            chunk->failure = r->error().fullText();
            sendNextChunk();
            return;
        }
        chunk->importId = import->importId();
        setStage(Stage::Confirm);
        pollChunk(chunk, 0);
    });
}

void SyncEngine::pollChunk(const std::shared_ptr<ImportChunk> &chunk, int attempt)
{
    if (attempt >= m_options.maxPolls) {
        chunk->failed = true;
        chunk->failure =
            tr("Saleshandy did not finish import %1 in time; the next run imports these prospects again.")
                .arg(chunk->importId);
        sendNextChunk();
        return;
    }
    QTimer::singleShot(
        attempt == 0 ? m_options.pollIntervalMs / 4 : m_options.pollIntervalMs, this, [this, chunk, attempt] {
            if (m_finished)
                return;
            send(new sh::ImportStatusRequest(m_sh, chunk->importId, this),
                 [this, chunk, attempt](ApiRequest *r) {
                     if (!r->ok()) {
                         chunk->failed = true;
                         chunk->failure = r->error().fullText();
                         sendNextChunk();
                         return;
                     }
                     const sh::ImportStatus &s = static_cast<sh::ImportStatusRequest *>(r)->status();
                     if (!s.completed) {
                         pollChunk(chunk, attempt + 1);
                         return;
                     }
                     if (s.reportUrl.isEmpty()) {
                         sendNextChunk();
                         return;
                     }
                     readReportAt(chunk, s.reportUrl);
                 });
        });
}

void SyncEngine::readReportAt(const std::shared_ptr<ImportChunk> &chunk, const QString &url)
{
    send(new sh::FetchImportReportRequest(m_sh, url, this), [this, chunk](ApiRequest *r) {
        if (r->ok()) {
            for (const sh::ImportFailure &f : static_cast<sh::FetchImportReportRequest *>(r)->failures())
                chunk->failedEmails.insert(f.email.trimmed().toLower(), f.reason);
        } else {
            // Without the report we cannot tell which rows failed: the id lookup decides.
            qCWarning(lcSync) << "the failed-rows report of import" << chunk->importId
                              << "could not be read:" << r->error().fullText();
        }
        sendNextChunk();
    });
}

void SyncEngine::updateChangedEmails()
{
    // A prospect whose email changed in GHL is updated in place through its id, field by field.
    QList<const ProspectChange *> changed;
    for (const ProspectChange &p : std::as_const(m_plan.prospects))
        if ((p.action == ProspectChange::Action::Update) && p.emailChanged())
            changed << &p;
    if (changed.isEmpty()) {
        resolveProspectIds();
        return;
    }
    auto remaining = std::make_shared<int>(int(changed.size()));
    for (const ProspectChange *p : std::as_const(changed)) {
        QList<sh::AttributeValue> values;
        for (auto it = p->mapped.fields.cbegin(); it != p->mapped.fields.cend(); ++it)
            if (const auto field = sh::fieldByLabel(m_fields, it.key()))
                values.append({field->id, it.value()});
        send(new sh::UpdateProspectAttributesRequest(m_sh, p->previous->prospectId, values, this),
             [this, p, remaining](ApiRequest *r) {
                 if (r->ok() && static_cast<sh::UpdateProspectAttributesRequest *>(r)->allSucceeded()) {
                     ProspectState s = *p->previous;
                     s.email = p->email;
                     s.hash = QString::fromLatin1(p->mapped.hash);
                     s.fields = toObject(p->mapped.fields);
                     s.tags = p->mapped.tags; // the tags added are assigned below, those removed taken off
                     s.pendingHash.clear();
                     m_written.insert(p->ghlContactId, s);
                     m_requestOf.insert(p->ghlContactId, r->requestId());
                 } else {
                     markFailed(QStringLiteral("contact"), p->ghlContactId,
                                r->ok() ? tr("Saleshandy did not accept every field of the prospect")
                                        : r->error().fullText());
                 }
                 if (--*remaining == 0)
                     resolveProspectIds();
             });
    }
}

void SyncEngine::resolveProspectIds()
{
    if (m_finished)
        return;
    // What each import did: failed rows fail; the others are written, and new prospects need
    // their Saleshandy id, found by email.
    for (const auto &chunk : std::as_const(m_chunks)) {
        for (const ProspectChange *p : std::as_const(chunk->changes)) {
            if (chunk->failed) {
                markFailed(QStringLiteral("contact"), p->ghlContactId, chunk->failure);
                continue;
            }
            const auto failed = chunk->failedEmails.constFind(p->email);
            if (failed != chunk->failedEmails.constEnd()) {
                markFailed(QStringLiteral("contact"), p->ghlContactId,
                           tr("Saleshandy rejected the row: %1").arg(failed.value()));
                continue;
            }
            ProspectState s = p->previous.value_or(ProspectState{});
            s.ghlContactId = p->ghlContactId;
            s.email = p->email;
            s.hash = QString::fromLatin1(p->mapped.hash);
            s.fields = toObject(p->mapped.fields);
            // The import added its tags; removals follow (removeTags), so this is the set after the run.
            s.tags = p->mapped.tags;
            s.pendingHash.clear();
            s.pendingSinceMs = 0;
            m_written.insert(p->ghlContactId, s);
            m_requestOf.insert(p->ghlContactId, chunk->requestId);
            if (s.prospectId.isEmpty())
                m_needIdByEmail.insert(s.email, s.ghlContactId);
        }
    }
    if (m_needIdByEmail.isEmpty()) {
        assignTags();
        return;
    }
    // Newest prospects first: those just imported are on the first pages.
    resolvePage(1);
}

void SyncEngine::resolvePage(int page)
{
    sh::ProspectQuery q;
    q.page = page;
    q.pageSize = 100;
    q.ascending = false;
    q.sortBy = QStringLiteral("createdAt");
    q.includeCustomFields = false;
    send(new sh::ListProspectsRequest(m_sh, q, this), [this, page](ApiRequest *r) {
        auto *list = static_cast<sh::ListProspectsRequest *>(r);
        if (!r->ok()) {
            searchRemaining();
            return;
        }
        for (const sh::Prospect &p : list->prospects()) {
            const auto it = m_needIdByEmail.constFind(p.email.trimmed().toLower());
            if (it == m_needIdByEmail.constEnd())
                continue;
            m_written[it.value()].prospectId = p.id;
            m_needIdByEmail.erase(it);
        }
        Q_EMIT progress(Stage::Confirm, page, -1);
        if (m_needIdByEmail.isEmpty() || list->isLastPage())
            searchRemaining();
        else
            resolvePage(page + 1);
    });
}

void SyncEngine::searchRemaining()
{
    // Prospects that existed before (an import updated them) are further back: look each up.
    if (m_needIdByEmail.isEmpty()) {
        assignTags();
        return;
    }
    auto remaining = std::make_shared<int>(int(m_needIdByEmail.size()));
    const auto pending = m_needIdByEmail;
    for (auto it = pending.cbegin(); it != pending.cend(); ++it) {
        const QString email = it.key();
        const QString contactId = it.value();
        send(new sh::SearchProspectsByEmailRequest(m_sh, email, this), [this, email, contactId,
                                                                        remaining](ApiRequest *r) {
            auto *search = static_cast<sh::SearchProspectsByEmailRequest *>(r);
            if (r->ok() && search->found()) {
                m_written[contactId].prospectId = search->prospect().id;
                m_needIdByEmail.remove(email);
            } else {
                m_written.remove(contactId);
                markFailed(QStringLiteral("contact"), contactId,
                           r->ok()
                               ? tr("Imported, but Saleshandy has no prospect with the email %1").arg(email)
                               : r->error().fullText());
            }
            if (--*remaining == 0)
                assignTags();
        });
    }
}

void SyncEngine::assignTags()
{
    if (m_finished)
        return;
    // Tags added in GHL (all of them for a new prospect), one request per tag, by email.
    QMap<QString, QStringList> emailsByTag;
    QMap<QString, QStringList> contactsByTag;
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        if (p.addedTags.isEmpty() || m_failedContacts.contains(p.ghlContactId) ||
            !m_written.contains(p.ghlContactId))
            continue;
        for (const QString &tag : p.addedTags) {
            emailsByTag[tag] << p.email;
            contactsByTag[tag] << p.ghlContactId;
        }
    }
    if (emailsByTag.isEmpty()) {
        removeTags();
        return;
    }
    auto remaining = std::make_shared<int>(int(emailsByTag.size()));
    for (auto it = emailsByTag.cbegin(); it != emailsByTag.cend(); ++it) {
        const QString tag = it.key();
        const QStringList contacts = contactsByTag.value(tag);
        send(new sh::AssignTagsRequest(m_sh, {tag}, {}, it.value(), this), [this, tag, contacts,
                                                                            remaining](ApiRequest *r) {
            if (!r->ok()) {
                // Not committed: the next run sends these prospects, and so the tag, again.
                for (const QString &id : contacts)
                    if (!m_failedContacts.contains(id))
                        markFailed(
                            QStringLiteral("contact"), id,
                            tr("The tag '%1' could not be assigned: %2").arg(tag, r->error().fullText()));
            } else {
                for (const QString &id : contacts)
                    m_requestOf[id] += QLatin1Char(' ') + r->requestId();
            }
            if (--*remaining == 0)
                removeTags();
        });
    }
}

void SyncEngine::commitProspects()
{
    if (m_finished)
        return;
    setStage(Stage::Record);
    QList<ProspectState> states;
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        if (p.action != ProspectChange::Action::Create && p.action != ProspectChange::Action::Update)
            continue;
        const auto it = m_written.constFind(p.ghlContactId);
        if (it == m_written.constEnd() || m_failedContacts.contains(p.ghlContactId))
            continue;
        states << *it;
        const QString outcome = p.action == ProspectChange::Action::Create && !p.previous
                                    ? QStringLiteral("created")
                                    : QStringLiteral("updated");
        // What the mapping had to leave out (a phone that is no number, an empty note) is said here.
        QStringList reasons = p.mapped.problems;
        if (!p.reason.isEmpty())
            reasons.prepend(p.reason);
        addEvent(QStringLiteral("contact"), p.ghlContactId, it->prospectId, outcome,
                 reasons.join(QStringLiteral("; ")),
                 m_requestOf.value(p.ghlContactId).split(QLatin1Char(' '), Qt::SkipEmptyParts),
                 p.mapped.warnings);
        count(QStringLiteral("contact"), outcome);
        count(QStringLiteral("appointment"), outcome, p.appointments);
        countWarnings(QStringLiteral("contact"), p.mapped.warnings);
    }
    // The other contacts of a shared email: the same prospect, remembered under each of them.
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        if (p.action != ProspectChange::Action::Merged || p.mergedWith.isEmpty())
            continue;
        const QString owner = p.mergedWith.constFirst();
        const auto it = m_written.constFind(owner);
        if (it == m_written.constEnd() || m_failedContacts.contains(owner)) {
            addEvent(QStringLiteral("contact"), p.ghlContactId, QString(), QStringLiteral("merged"),
                     p.reason + QStringLiteral("; ") + tr("that prospect was not written in this run"));
            count(QStringLiteral("contact"), QStringLiteral("merged"));
            continue;
        }
        ProspectState s = *it;
        s.ghlContactId = p.ghlContactId;
        m_written.insert(p.ghlContactId, s);
        states << s;
        addEvent(QStringLiteral("contact"), p.ghlContactId, s.prospectId, QStringLiteral("merged"), p.reason);
        count(QStringLiteral("contact"), QStringLiteral("merged"));
    }
    QStringList succeeded;
    for (const ProspectState &s : std::as_const(states))
        succeeded << s.ghlContactId;
    const bool ok = m_state.inTransaction([&] {
        return m_state.saveProspects(m_options.locationId, states) &&
               m_state.clearFailures(m_options.locationId, QStringLiteral("contact"), succeeded) &&
               flushEvents();
    });
    if (!ok) {
        stop(2, m_state.error());
        return;
    }
    applyChildren();
}

void SyncEngine::removeTags()
{
    if (m_finished)
        return;
    // Imports only add tags: those removed in GHL are taken off, grouped by the set removed,
    // before anything is committed, so that a failure leaves the contact to the next run.
    QMap<QString, QStringList> byTags;
    QMap<QString, QStringList> contactsOf;
    QMap<QString, QStringList> tagsOf;
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        if (p.removedTags.isEmpty() || m_failedContacts.contains(p.ghlContactId))
            continue;
        const QString id = m_written.value(p.ghlContactId).prospectId;
        if (id.isEmpty())
            continue;
        const QString key = p.removedTags.join(QChar(0x1f));
        byTags[key] << id;
        contactsOf[key] << p.ghlContactId;
        tagsOf[key] = p.removedTags;
    }
    if (byTags.isEmpty()) {
        tagDeleted();
        return;
    }
    auto remaining = std::make_shared<int>(int(byTags.size()));
    for (auto it = byTags.cbegin(); it != byTags.cend(); ++it) {
        const QStringList tags = tagsOf.value(it.key());
        const QStringList contacts = contactsOf.value(it.key());
        send(new sh::UnassignTagsRequest(m_sh, tags, it.value(), {}, this),
             [this, tags, contacts, remaining](ApiRequest *r) {
                 if (!r->ok()) {
                     for (const QString &id : contacts)
                         if (!m_failedContacts.contains(id))
                             markFailed(QStringLiteral("contact"), id,
                                        tr("Tags %1 could not be removed: %2")
                                            .arg(tags.join(QStringLiteral(", ")), r->error().fullText()));
                 } else {
                     for (const QString &id : contacts)
                         m_requestOf[id] += QLatin1Char(' ') + r->requestId();
                 }
                 if (--*remaining == 0)
                     tagDeleted();
             });
    }
}

void SyncEngine::tagDeleted()
{
    if (m_finished)
        return;
    // Contacts deleted in GHL: Saleshandy's Open API cannot delete a prospect, so it is tagged (by
    // the mapping's policy), once; the state remembers it.
    QMap<QString, QStringList> idsByTag;
    QMap<QString, QStringList> contactsByTag;
    QList<ProspectState> done;
    for (const ProspectChange &p : std::as_const(m_plan.prospects)) {
        if (p.action != ProspectChange::Action::Deleted)
            continue;
        if (p.addedTags.isEmpty()) {
            ProspectState s = *p.previous;
            s.hash = QStringLiteral("deleted");
            done << s;
            addEvent(QStringLiteral("contact"), p.ghlContactId, s.prospectId, QStringLiteral("deleted"),
                     p.reason);
            count(QStringLiteral("contact"), QStringLiteral("deleted"));
            continue;
        }
        idsByTag[p.addedTags.constFirst()] << p.previous->prospectId;
        contactsByTag[p.addedTags.constFirst()] << p.ghlContactId;
    }
    if (!done.isEmpty() &&
        !m_state.inTransaction([&] { return m_state.saveProspects(m_options.locationId, done); })) {
        stop(2, m_state.error());
        return;
    }
    if (idsByTag.isEmpty()) {
        commitProspects();
        return;
    }
    auto remaining = std::make_shared<int>(int(idsByTag.size()));
    for (auto it = idsByTag.cbegin(); it != idsByTag.cend(); ++it) {
        const QString tag = it.key();
        const QStringList contacts = contactsByTag.value(tag);
        send(new sh::AssignTagsRequest(m_sh, {tag}, it.value(), {}, this), [this, tag, contacts,
                                                                            remaining](ApiRequest *r) {
            QList<ProspectState> tagged;
            for (const QString &id : contacts) {
                if (!r->ok()) {
                    markFailed(QStringLiteral("contact"), id,
                               tr("Deleted in GHL, but the tag '%1' could not be assigned: %2")
                                   .arg(tag, r->error().fullText()));
                    continue;
                }
                ProspectState s = m_written.value(id);
                s.hash = QStringLiteral("deleted");
                if (!s.tags.contains(tag))
                    s.tags << tag;
                tagged << s;
                addEvent(QStringLiteral("contact"), id, s.prospectId, QStringLiteral("deleted"),
                         tr("deleted in GHL: the prospect is tagged %1").arg(tag), {r->requestId()});
                count(QStringLiteral("contact"), QStringLiteral("deleted"));
            }
            QStringList taggedIds;
            for (const ProspectState &s : std::as_const(tagged))
                taggedIds << s.ghlContactId;
            if (!tagged.isEmpty() && !m_state.inTransaction([&] {
                    return m_state.saveProspects(m_options.locationId, tagged) &&
                           m_state.clearFailures(m_options.locationId, QStringLiteral("contact"), taggedIds);
                })) {
                stop(2, m_state.error());
                return;
            }
            if (--*remaining == 0)
                commitProspects();
        });
    }
}

void SyncEngine::applyChildren()
{
    if (m_finished)
        return;
    setStage(Stage::Apply);
    QList<std::shared_ptr<ChildOp>> ops;
    for (const ChildChange &c : std::as_const(m_plan.children)) {
        if (c.action == ChildChange::Action::Invalid) {
            addEvent(c.kind, c.ghlId, QString(), QStringLiteral("invalid"), c.reason);
            count(c.kind, QStringLiteral("invalid"));
            continue;
        }
        if (c.action == ChildChange::Action::Unchanged) {
            addEvent(c.kind, c.ghlId, c.previous ? c.previous->shId : QString(), QStringLiteral("unchanged"),
                     c.reason);
            count(c.kind, QStringLiteral("unchanged"));
            continue;
        }
        const QString owner = c.prospectContactId.isEmpty() ? c.ghlContactId : c.prospectContactId;
        const ProspectState prospect = m_written.value(owner);
        if (prospect.prospectId.isEmpty() || m_failedContacts.contains(owner)) {
            markFailed(c.kind, c.ghlId, tr("its prospect was not written to Saleshandy in this run"));
            continue;
        }
        auto op = std::make_shared<ChildOp>();
        op->change = c;
        op->prospectId = prospect.prospectId;
        op->prospectEmail = prospect.email;
        ops << op;
    }
    m_childTotal = int(ops.size());
    m_childPending = m_childTotal;
    if (ops.isEmpty()) {
        complete();
        return;
    }
    // One prospect's tasks and notes one after another, prospects side by side: a read-back
    // after a lost answer then cannot take a record another create of the same prospect is
    // making (two GHL tasks may have the same text).
    for (const auto &op : std::as_const(ops))
        m_childQueues[op->prospectId].append(op);
    const auto queues = m_childQueues;
    for (auto it = queues.cbegin(); it != queues.cend(); ++it)
        runChildOp(it.value().constFirst());
}

void SyncEngine::startNextChildOf(const QString &prospectId)
{
    auto it = m_childQueues.find(prospectId);
    if (it == m_childQueues.end())
        return;
    if (!it->isEmpty())
        it->removeFirst();
    if (it->isEmpty()) {
        m_childQueues.erase(it);
        return;
    }
    const std::shared_ptr<ChildOp> next = it->constFirst();
    // Queued, so that a prospect with many records does not nest one call in the other.
    QMetaObject::invokeMethod(
        this,
        [this, next] {
            if (!m_finished)
                runChildOp(next);
        },
        Qt::QueuedConnection);
}

void SyncEngine::runChildOp(const std::shared_ptr<ChildOp> &op)
{
    const ChildChange &c = op->change;
    const bool isTask = c.kind == QLatin1String("task");
    ChildState next = c.previous.value_or(ChildState{});
    next.kind = c.kind;
    next.ghlId = c.ghlId;
    next.ghlContactId = c.ghlContactId;

    switch (c.action) {
    case ChildChange::Action::Create:
        createChild(op);
        return;
    case ChildChange::Action::ReadBackThenCreate:
        // An earlier run recorded the intent but not the result: the create may have succeeded.
        readBackChild(op);
        return;
    case ChildChange::Action::UpdateText: {
        ApiRequest *request =
            isTask ? static_cast<ApiRequest *>(new sh::UpdateTaskNoteRequest(m_sh, next.shId, c.text, this))
                   : new sh::UpdateNoteRequest(m_sh, next.shId, c.text, std::nullopt, this);
        send(request, [this, op, next](ApiRequest *r) mutable {
            op->requestIds << r->requestId();
            if (!r->ok()) {
                childDone(op, QStringLiteral("failed"), r->error().fullText(), std::nullopt);
                return;
            }
            next.hash = op->change.hash;
            next.payload = op->change.payload();
            childDone(op, QStringLiteral("updated"), {}, next);
        });
        return;
    }
    case ChildChange::Action::Complete: {
        auto finishComplete = [this, op, next]() mutable {
            send(new sh::CompleteTaskRequest(m_sh, next.shId, {}, this), [this, op,
                                                                          next](ApiRequest *r) mutable {
                op->requestIds << r->requestId();
                if (!r->ok() && static_cast<sh::CompleteTaskRequest *>(r)->endedOtherwise()) {
                    // Skipped in Saleshandy meanwhile; Saleshandy cannot complete it now.
                    next.state = QStringLiteral("skipped");
                    childDone(op, QStringLiteral("unchanged"),
                              tr("completed in GHL; skipped in Saleshandy, which cannot complete it now"),
                              next);
                    return;
                }
                if (!r->ok()) {
                    childDone(op, QStringLiteral("failed"), r->error().fullText(), std::nullopt);
                    return;
                }
                next.state = QStringLiteral("completed");
                next.hash = op->change.hash;
                next.payload = op->change.payload();
                if (op->creates > 0)
                    childDone(op, QStringLiteral("created"),
                              tr("created, then completed (it is done in GHL)"), next);
                else
                    childDone(op, QStringLiteral("completed"), {}, next);
            });
        };
        if (c.previous && c.previous->payload.value(QStringLiteral("text")).toString() != c.text) {
            send(new sh::UpdateTaskNoteRequest(m_sh, next.shId, c.text, this),
                 [this, op, finishComplete](ApiRequest *r) mutable {
                     op->requestIds << r->requestId();
                     if (!r->ok()) {
                         childDone(op, QStringLiteral("failed"), r->error().fullText(), std::nullopt);
                         return;
                     }
                     finishComplete();
                 });
        } else {
            finishComplete();
        }
        return;
    }
    case ChildChange::Action::Skip:
        if (next.shId.isEmpty()) {
            // Deleted in GHL before its create was confirmed: find it, then skip it.
            op->deleting = true;
            readBackChild(op);
            return;
        }
        send(new sh::SkipTaskRequest(m_sh, next.shId, this), [this, op, next](ApiRequest *r) mutable {
            op->requestIds << r->requestId();
            if (!r->ok() && static_cast<sh::SkipTaskRequest *>(r)->endedOtherwise()) {
                // Completed in Saleshandy meanwhile: it is done there, which is as far as it goes.
                next.state = QStringLiteral("completed");
                childDone(op, QStringLiteral("unchanged"),
                          tr("deleted in GHL; already completed in Saleshandy, so it stays completed"), next);
                return;
            }
            if (!r->ok()) {
                childDone(op, QStringLiteral("failed"), r->error().fullText(), std::nullopt);
                return;
            }
            next.state = QStringLiteral("skipped");
            childDone(op, QStringLiteral("skipped"), tr("deleted in GHL"), next);
        });
        return;
    case ChildChange::Action::MarkDeleted: {
        next.state = QStringLiteral("deleted");
        if (next.shId.isEmpty() && !c.text.isEmpty()) {
            op->deleting = true;
            readBackChild(op);
            return;
        }
        if (c.text.isEmpty()) {
            // Saleshandy cannot delete a note: left as it is, said once.
            childDone(op, QStringLiteral("left"), c.reason, next);
            return;
        }
        send(new sh::UpdateNoteRequest(m_sh, next.shId, c.text, std::nullopt, this),
             [this, op, next](ApiRequest *r) mutable {
                 op->requestIds << r->requestId();
                 if (!r->ok()) {
                     childDone(op, QStringLiteral("failed"), r->error().fullText(), std::nullopt);
                     return;
                 }
                 next.payload = op->change.payload();
                 childDone(op, QStringLiteral("marked-deleted"), op->change.reason, next);
             });
        return;
    }
    case ChildChange::Action::Unchanged:
    case ChildChange::Action::Invalid:
        break;
    }
    childDone(op, QStringLiteral("unchanged"), {}, std::nullopt);
}

void SyncEngine::readBackChild(const std::shared_ptr<ChildOp> &op)
{
    const ChildChange &c = op->change;
    // What the unconfirmed create sent: this run's text, or the intent an earlier run recorded.
    op->wanted.clear();
    if (!c.text.isEmpty() && !op->deleting)
        op->wanted << c.text;
    if (c.previous && c.previous->state == QLatin1String("intent")) {
        const QString earlier = c.previous->payload.value(QStringLiteral("text")).toString();
        if (!earlier.isEmpty() && !op->wanted.contains(earlier))
            op->wanted << earlier;
    }
    readBackPage(op, c.kind == QLatin1String("task") ? 1 : 0);
}

void SyncEngine::readBackPage(const std::shared_ptr<ChildOp> &op, int page)
{
    // Every page is read: a prospect may have many tasks or notes. A record already mapped to
    // another GHL record is never adopted (two GHL tasks may have the same text).
    if (op->change.kind == QLatin1String("task")) {
        sh::TaskQuery q;
        q.search = op->prospectEmail;
        q.pageSize = 100;
        q.page = page;
        send(new sh::ListTasksRequest(m_sh, q, this), [this, op, page](ApiRequest *r) {
            op->requestIds << r->requestId();
            if (!r->ok()) {
                childDone(op, QStringLiteral("failed"), r->error().fullText(), std::nullopt);
                return;
            }
            auto *list = static_cast<sh::ListTasksRequest *>(r);
            for (const sh::ShTask &t : list->tasks())
                if (t.prospectId == op->prospectId && op->wanted.contains(t.note) &&
                    !m_knownShIds.contains(t.id)) {
                    adoptChild(op, t.id, t.note);
                    return;
                }
            if (list->isLastPage() || list->tasks().isEmpty())
                childNotFound(op);
            else
                readBackPage(op, page + 1);
        });
        return;
    }
    send(new sh::ListProspectNotesRequest(m_sh, op->prospectId, page, 100, this), [this, op](ApiRequest *r) {
        op->requestIds << r->requestId();
        if (!r->ok()) {
            childDone(op, QStringLiteral("failed"), r->error().fullText(), std::nullopt);
            return;
        }
        auto *list = static_cast<sh::ListProspectNotesRequest *>(r);
        for (const sh::ShNote &n : list->notes())
            if (op->wanted.contains(n.content) && !m_knownShIds.contains(n.id)) {
                adoptChild(op, n.id, n.content);
                return;
            }
        if (!list->hasMore() || list->notes().isEmpty())
            childNotFound(op);
        else
            readBackPage(op, list->nextSkip());
    });
}

void SyncEngine::adoptChild(const std::shared_ptr<ChildOp> &op, const QString &shId, const QString &text)
{
    m_knownShIds.insert(shId);
    ChildState next = op->change.previous.value_or(ChildState{});
    next.kind = op->change.kind;
    next.ghlId = op->change.ghlId;
    next.ghlContactId = op->change.ghlContactId;
    next.shId = shId;
    next.state = QStringLiteral("synced");
    const bool sameText = text == op->change.text;
    next.hash = sameText ? op->change.hash : QString();
    next.payload = QJsonObject{{QStringLiteral("text"), text}};
    if (op->deleting) {
        // Found: now skip or mark it, as the deletion policy says.
        op->deleting = false;
        next.state = op->change.previous ? op->change.previous->state : QString();
        op->change.previous = next;
        runChildOp(op);
        return;
    }
    if (!sameText || op->change.completed) {
        // Found, but it differs from what GHL has now: go on as an update of the found record.
        if (!m_state.saveRecords(m_options.locationId, {next})) {
            childDone(op, QStringLiteral("failed"), m_state.error(), std::nullopt);
            return;
        }
        op->change.previous = next;
        op->change.action =
            op->change.completed ? ChildChange::Action::Complete : ChildChange::Action::UpdateText;
        runChildOp(op);
        return;
    }
    childDone(op, QStringLiteral("created"),
              op->creates > 0 ? tr("found in Saleshandy after an answer was lost (%1)").arg(op->lastError)
                              : tr("found in Saleshandy after an interrupted run"),
              next);
}

void SyncEngine::childNotFound(const std::shared_ptr<ChildOp> &op)
{
    if (!op->deleting) {
        createChild(op);
        return;
    }
    // Never created: nothing to skip or mark; remembered so that it is not looked for again.
    ChildState gone = op->change.previous.value_or(ChildState{});
    gone.state =
        op->change.kind == QLatin1String("task") ? QStringLiteral("skipped") : QStringLiteral("deleted");
    childDone(op, QStringLiteral("unchanged"),
              tr("deleted in GHL before its create was confirmed; Saleshandy does not have it"), gone);
}

void SyncEngine::createChild(const std::shared_ptr<ChildOp> &op)
{
    const ChildChange &c = op->change;
    ChildState intent;
    intent.kind = c.kind;
    intent.ghlId = c.ghlId;
    intent.ghlContactId = c.ghlContactId;
    intent.state = QStringLiteral("intent");
    intent.hash = c.hash;
    intent.payload = c.payload();
    // Saleshandy's creates carry no idempotency key: the intent is on disk before the request leaves.
    if (!m_state.saveRecords(m_options.locationId, {intent})) {
        childDone(op, QStringLiteral("failed"), m_state.error(), std::nullopt);
        return;
    }
    ApiRequest *request = nullptr;
    if (c.kind == QLatin1String("task")) {
        sh::NewTask t;
        t.prospectIds = {op->prospectId};
        t.taskType = c.taskType.isEmpty() ? QString::fromLatin1(sh::taskType::kCustom) : c.taskType;
        t.dueDate = c.dueDate;
        t.taskNote = c.text;
        request = new sh::CreateTaskRequest(m_sh, t, this);
    } else {
        sh::NewNote n;
        n.prospectIds = {op->prospectId};
        n.content = c.text;
        n.visibility = sh::NoteVisibility::Team;
        request = new sh::CreateNoteRequest(m_sh, n, this);
    }
    ++op->creates;
    send(request, [this, op, intent](ApiRequest *r) mutable {
        op->requestIds << r->requestId();
        if (!r->ok()) {
            const ApiError &e = r->error();
            const bool unknownOutcome = e.isServiceProblem() || e.kind == ApiError::Kind::Malformed;
            if (unknownOutcome && op->creates < MaxCreateAttempts) {
                // It may have been created: look before creating again.
                op->lastError = e.fullText();
                QTimer::singleShot(500 * op->creates, this, [this, op] {
                    if (!m_finished)
                        readBackChild(op);
                });
                return;
            }
            // The intent stays: if the create did reach Saleshandy, the next run finds it.
            childDone(op, QStringLiteral("failed"), e.fullText(), std::nullopt);
            return;
        }
        const QString shId = op->change.kind == QLatin1String("task")
                                 ? static_cast<sh::CreateTaskRequest *>(r)->taskId(op->prospectId)
                                 : static_cast<sh::CreateNoteRequest *>(r)->noteId(op->prospectId);
        if (shId.isEmpty()) {
            // The record may exist: the next run reads back before creating again.
            childDone(op, QStringLiteral("failed"),
                      tr("Saleshandy answered without the id of the new record"), std::nullopt);
            return;
        }
        m_knownShIds.insert(shId);
        intent.shId = shId;
        intent.state = QStringLiteral("synced");
        if (op->change.kind == QLatin1String("task") && op->change.completed) {
            // Completed in GHL before it was ever sent: create, then complete.
            op->change.previous = intent;
            op->change.action = ChildChange::Action::Complete;
            if (!m_state.saveRecords(m_options.locationId, {intent})) {
                childDone(op, QStringLiteral("failed"), m_state.error(), std::nullopt);
                return;
            }
            runChildOp(op);
            return;
        }
        childDone(op, QStringLiteral("created"), {}, intent);
    });
}

void SyncEngine::childDone(const std::shared_ptr<ChildOp> &op, const QString &outcome, const QString &reason,
                           std::optional<ChildState> state)
{
    const ChildChange &c = op->change;
    if (state) {
        if (!m_state.saveRecords(m_options.locationId, {*state}) ||
            !m_state.clearFailures(m_options.locationId, c.kind, {c.ghlId})) {
            stop(2, m_state.error());
            return;
        }
    }
    if (outcome == QLatin1String("failed")) {
        markFailed(c.kind, c.ghlId, reason);
        m_events.last().requestIds = op->requestIds;
    } else {
        const bool wroteText = outcome == QLatin1String("created") || outcome == QLatin1String("updated");
        addEvent(c.kind, c.ghlId, state ? state->shId : QString(), outcome, reason, op->requestIds,
                 wroteText ? c.warnings : QList<FieldWarning>());
        count(c.kind, outcome);
        if (wroteText)
            countWarnings(c.kind, c.warnings);
    }
    ++m_childDone;
    Q_EMIT progress(Stage::Apply, m_childDone, m_childTotal);
    if (m_events.size() >= 500 && !m_state.inTransaction([this] { return flushEvents(); })) {
        stop(2, m_state.error());
        return;
    }
    startNextChildOf(op->prospectId);
    if (--m_childPending == 0)
        complete();
}

void SyncEngine::complete()
{
    if (m_finished)
        return;
    const bool ok = m_state.inTransaction(
        [this] { return m_state.saveFailures(m_options.locationId, m_failures) && flushEvents(); });
    if (!ok) {
        stop(2, m_state.error());
        return;
    }
    int failed = 0;
    for (auto kind = m_counts.begin(); kind != m_counts.end(); ++kind)
        failed += kind.value().toObject().value(QStringLiteral("failed")).toInt();
    m_exitCode = failed > 0 ? 1 : 0;
    setStage(Stage::Done);
    m_finished = true;
    m_heartbeat.stop();
    if (!m_state.finishRun(m_runId, failed > 0 ? QStringLiteral("failed-records") : QStringLiteral("ok"),
                           summary(), {}))
        qCWarning(lcSync) << "the end of run" << m_runId << "could not be recorded:" << m_state.error();
    if (m_locked && m_state.unlock(m_options.locationId, m_options.owner))
        m_locked = false;
    qCInfo(lcSync) << "run" << m_runId << "finished in" << m_clock.elapsed() << "ms";
    Q_EMIT finished();
}

void SyncEngine::cancel()
{
    stop(1, tr("The run was cancelled. What was confirmed is recorded; the next run finishes the rest."));
}

void SyncEngine::stop(int exitCode, const QString &why)
{
    if (m_finished)
        return;
    m_finished = true;
    m_exitCode = exitCode;
    m_errorText = why;
    m_heartbeat.stop();
    if (m_pull)
        m_pull->cancel();
    const auto requests = findChildren<ApiRequest *>(QString(), Qt::FindDirectChildrenOnly);
    for (ApiRequest *r : requests) {
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
    if (m_runId) {
        // What was confirmed is already committed; the events tell what happened so far.
        if (!m_state.inTransaction(
                [this] { return m_state.saveFailures(m_options.locationId, m_failures) && flushEvents(); }))
            qCWarning(lcSync) << "the events of run" << m_runId
                              << "could not be recorded:" << m_state.error();
        m_state.finishRun(m_runId, QStringLiteral("stopped"), summary(), why);
    }
    if (m_locked && m_state.unlock(m_options.locationId, m_options.owner))
        m_locked = false;
    qCWarning(lcSync).noquote() << "run" << m_runId << "stopped:" << why;
    Q_EMIT finished();
}

void SyncEngine::send(ApiRequest *request, std::function<void(ApiRequest *)> done)
{
    connect(request, &ApiRequest::finished, this, [this, request, done = std::move(done)] {
        request->deleteLater();
        if (m_finished)
            return;
        if (request->ok())
            m_serviceFailuresInARow = 0;
        else if (stopsTheRun(*request)) {
            stop(request->error().exitCode(), request->error().fullText());
            return;
        }
        done(request);
    });
    request->start();
}

bool SyncEngine::stopsTheRun(const ApiRequest &request)
{
    const ApiError &e = request.error();
    if (e.kind == ApiError::Kind::Auth || e.kind == ApiError::Kind::Forbidden ||
        e.kind == ApiError::Kind::QuotaExhausted || e.kind == ApiError::Kind::RateLimited)
        return true; // nothing else can succeed either
    if (!e.isServiceProblem()) {
        m_serviceFailuresInARow = 0;
        return false;
    }
    // One create that got a 500 or lost its answer is that record's failure (it is not repeated);
    // a service that keeps failing after the retries, request after request, stops the run.
    return ++m_serviceFailuresInARow >= 10;
}

void SyncEngine::countWarnings(const QString &kind, const QList<FieldWarning> &warnings)
{
    if (warnings.isEmpty())
        return;
    count(kind, QStringLiteral("warnings"));
    for (const FieldWarning &w : warnings) {
        const QString name = warningKindName(w.kind);
        m_warningsByKind.insert(name, m_warningsByKind.value(name).toInt() + 1);
    }
}

void SyncEngine::addEvent(const QString &kind, const QString &ghlId, const QString &shId,
                          const QString &outcome, const QString &reason, const QStringList &requestIds,
                          const QList<FieldWarning> &warnings)
{
    SyncEvent e;
    e.runId = m_runId;
    e.seq = ++m_seq;
    e.atMs = nowMs();
    e.kind = kind;
    e.ghlId = ghlId;
    e.shId = shId;
    e.outcome = outcome;
    e.reason = reason;
    e.requestIds = requestIds;
    e.requestIds.removeAll(QString());
    e.warnings = warnings;
    m_events << e;
}

void SyncEngine::count(const QString &kind, const QString &outcome, int n)
{
    if (n <= 0)
        return;
    QJsonObject perKind = m_counts.value(kind).toObject();
    perKind.insert(outcome, perKind.value(outcome).toInt() + n);
    m_counts.insert(kind, perKind);
}

void SyncEngine::markFailed(const QString &kind, const QString &ghlId, const QString &reason)
{
    if (kind == QLatin1String("contact"))
        m_failedContacts.insert(ghlId);
    FailureState f = m_previousFailures.value(kind + QLatin1Char(':') + ghlId);
    f.kind = kind;
    f.ghlId = ghlId;
    f.runId = m_runId;
    f.attempts += 1;
    f.nextRetryMs = nextRetryMs(f.attempts);
    f.reason = reason;
    m_failures << f;
    addEvent(kind, ghlId, QString(), QStringLiteral("failed"), reason);
    count(kind, QStringLiteral("failed"));
}

bool SyncEngine::flushEvents()
{
    if (m_events.isEmpty())
        return true;
    if (!m_state.addEvents(m_events))
        return false;
    m_events.clear();
    return true;
}

QJsonObject SyncEngine::summary() const
{
    QJsonObject records;
    for (const char *kind : {"contact", "task", "note", "appointment"}) {
        QJsonObject perKind = m_counts.value(QLatin1String(kind)).toObject();
        for (const char *outcome : {"created", "updated", "unchanged", "invalid", "failed", "warnings"})
            if (!perKind.contains(QLatin1String(outcome)))
                perKind.insert(QLatin1String(outcome), 0);
        records.insert(QLatin1String(kind), perKind);
    }
    QJsonObject contact = records.value(QStringLiteral("contact")).toObject();
    for (const char *outcome : {"merged", "deleted"})
        if (!contact.contains(QLatin1String(outcome)))
            contact.insert(QLatin1String(outcome), 0);
    records.insert(QStringLiteral("contact"), contact);
    QJsonObject warningsByKind = m_warningsByKind;
    for (WarningKind k : {WarningKind::KeptAsWritten, WarningKind::Cut, WarningKind::LeftUnchanged,
                          WarningKind::SentEmpty, WarningKind::NotSent})
        if (!warningsByKind.contains(warningKindName(k)))
            warningsByKind.insert(warningKindName(k), 0);
    return QJsonObject{
        {QStringLiteral("runId"), double(m_runId)},
        {QStringLiteral("locationId"), m_options.locationId},
        {QStringLiteral("mode"), m_options.mode},
        {QStringLiteral("dryRun"), m_options.dryRun},
        {QStringLiteral("records"), records},
        {QStringLiteral("warningsByKind"), warningsByKind},
        {QStringLiteral("requests"),
         QJsonObject{{QStringLiteral("ghl"), double(m_ghl.requestsSent() - m_ghlRequestsAtStart)},
                     {QStringLiteral("saleshandy"), double(m_sh.requestsSent() - m_shRequestsAtStart)}}},
        {QStringLiteral("responses429"),
         QJsonObject{{QStringLiteral("ghl"), m_ghl.responses429() - m_ghl429AtStart},
                     {QStringLiteral("saleshandy"), m_sh.responses429() - m_sh429AtStart}}},
        {QStringLiteral("durationMs"), double(m_clock.isValid() ? m_clock.elapsed() : 0)},
        {QStringLiteral("exitCode"), m_exitCode},
        {QStringLiteral("error"), m_errorText.isEmpty() ? QJsonValue() : QJsonValue(m_errorText)},
    };
}

} // namespace lb
