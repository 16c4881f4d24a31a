#include "store/SyncStore.h"

#include "store/Database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <cerrno>
#include <csignal>

namespace lb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::SyncStore", text);
}

qint64 nowMs()
{
    return QDateTime::currentMSecsSinceEpoch();
}

QString warningsToJson(const QList<FieldWarning> &warnings)
{
    QJsonArray a;
    for (const FieldWarning &w : warnings)
        a.append(fieldWarningToJson(w));
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

QList<FieldWarning> warningsFromJson(const QString &text)
{
    QList<FieldWarning> out;
    if (text.isEmpty())
        return out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        out << fieldWarningFromJson(v.toObject());
    return out;
}

QString toJson(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QString toJson(const QStringList &list)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(list)).toJson(QJsonDocument::Compact));
}

QJsonObject objectFrom(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

QStringList listFrom(const QVariant &v)
{
    QStringList out;
    for (const QJsonValue &item : QJsonDocument::fromJson(v.toString().toUtf8()).array())
        out << item.toString();
    return out;
}

/// Escapes LIKE wildcards so that user text matches literally.
QString likePattern(const QString &text)
{
    QString escaped = text;
    escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"));
    escaped.replace(QLatin1Char('%'), QStringLiteral("\\%"));
    escaped.replace(QLatin1Char('_'), QStringLiteral("\\_"));
    return QLatin1Char('%') + escaped + QLatin1Char('%');
}

SyncRunRecord runFrom(const QSqlQuery &q)
{
    SyncRunRecord r;
    r.id = q.value(0).toLongLong();
    r.locationId = q.value(1).toString();
    r.mode = q.value(2).toString();
    r.dryRun = q.value(3).toInt() != 0;
    r.startedMs = q.value(4).toLongLong();
    r.finishedMs = q.value(5).toLongLong();
    r.status = q.value(6).toString();
    r.owner = q.value(7).toString();
    r.summary = objectFrom(q.value(8));
    r.error = q.value(9).toString();
    return r;
}

/// An owner "host:pid" on this host whose process is gone: its lock is stale at once (a crash
/// or kill -9 leaves the lock behind, and waiting out the heartbeat would block the next run).
bool ownerIsGoneHere(const QString &owner)
{
    const qsizetype colon = owner.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0 || owner.left(colon) != QHostInfo::localHostName())
        return false;
    bool ok = false;
    const qint64 pid = owner.mid(colon + 1).toLongLong(&ok);
    if (!ok || pid <= 0)
        return false;
    return ::kill(pid_t(pid), 0) != 0 && errno == ESRCH;
}

const char kRunColumns[] =
    "id, location_id, mode, dry_run, started_ms, finished_ms, status, owner, summary_json, error";

} // namespace

SyncStore::SyncStore(Database &db) : m_db(db) {}

bool SyncStore::fail(const QString &what, const QSqlQuery &query)
{
    m_error = m_db.redact(tr("%1: %2").arg(what, query.lastError().text()));
    return false;
}

bool SyncStore::inTransaction(const std::function<bool()> &work)
{
    QSqlDatabase &c = m_db.connection();
    if (!c.transaction()) {
        m_error = m_db.redact(tr("A transaction could not be started: %1").arg(c.lastError().text()));
        return false;
    }
    if (!work()) {
        c.rollback();
        return false;
    }
    if (!c.commit()) {
        m_error = m_db.redact(tr("A transaction could not be committed: %1").arg(c.lastError().text()));
        c.rollback();
        return false;
    }
    m_error.clear();
    return true;
}

bool SyncStore::tryLock(const QString &locationId, const QString &owner, QString *heldBy, qint64 staleMs)
{
    bool taken = false;
    const bool ok = inTransaction([&] {
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral("SELECT owner, heartbeat_ms FROM sync_locks WHERE location_id = ?"));
        q.addBindValue(locationId);
        if (!q.exec())
            return fail(tr("The sync lock could not be read"), q);
        const qint64 now = nowMs();
        if (q.next()) {
            const QString holder = q.value(0).toString();
            const qint64 beat = q.value(1).toLongLong();
            if (holder != owner && now - beat < staleMs && !ownerIsGoneHere(holder)) {
                if (heldBy)
                    *heldBy = holder;
                return true; // a live owner: not taken, but not an error
            }
        }
        QSqlQuery w(m_db.connection());
        w.prepare(QStringLiteral(
            "INSERT INTO sync_locks (location_id, owner, acquired_ms, heartbeat_ms) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (location_id) DO UPDATE SET owner = excluded.owner, "
            "acquired_ms = excluded.acquired_ms, heartbeat_ms = excluded.heartbeat_ms"));
        w.addBindValue(locationId);
        w.addBindValue(owner);
        w.addBindValue(now);
        w.addBindValue(now);
        if (!w.exec())
            return fail(tr("The sync lock could not be taken"), w);
        taken = true;
        return true;
    });
    return ok && taken;
}

bool SyncStore::heartbeat(const QString &locationId, const QString &owner)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("UPDATE sync_locks SET heartbeat_ms = ? WHERE location_id = ? AND owner = ?"));
    q.addBindValue(nowMs());
    q.addBindValue(locationId);
    q.addBindValue(owner);
    if (!q.exec())
        return fail(tr("The sync lock could not be renewed"), q);
    m_error.clear();
    return q.numRowsAffected() > 0; // 0: the lock is someone else's now
}

bool SyncStore::unlock(const QString &locationId, const QString &owner)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("DELETE FROM sync_locks WHERE location_id = ? AND owner = ?"));
    q.addBindValue(locationId);
    q.addBindValue(owner);
    return q.exec() || fail(tr("The sync lock could not be released"), q);
}

qint64 SyncStore::startRun(const QString &locationId, const QString &mode, bool dryRun, const QString &owner)
{
    qint64 id = 0;
    const bool ok = inTransaction([&] {
        QSqlQuery mark(m_db.connection());
        mark.prepare(QStringLiteral("UPDATE sync_runs SET status = 'interrupted', finished_ms = ? "
                                    "WHERE location_id = ? AND status = 'running'"));
        mark.addBindValue(nowMs());
        mark.addBindValue(locationId);
        if (!mark.exec())
            return fail(tr("Earlier runs could not be closed"), mark);
        QSqlQuery next(m_db.connection());
        if (!next.exec(QStringLiteral("SELECT COALESCE(MAX(id), 0) + 1 FROM sync_runs")) || !next.next())
            return fail(tr("A run number could not be chosen"), next);
        id = next.value(0).toLongLong();
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral(
            "INSERT INTO sync_runs (id, location_id, mode, dry_run, started_ms, status, owner) "
            "VALUES (?, ?, ?, ?, ?, 'running', ?)"));
        q.addBindValue(id);
        q.addBindValue(locationId);
        q.addBindValue(mode);
        q.addBindValue(dryRun ? 1 : 0);
        q.addBindValue(nowMs());
        q.addBindValue(owner);
        return q.exec() || fail(tr("The run could not be recorded"), q);
    });
    return ok ? id : 0;
}

bool SyncStore::finishRun(qint64 runId, const QString &status, const QJsonObject &summary,
                          const QString &error)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral(
        "UPDATE sync_runs SET status = ?, finished_ms = ?, summary_json = ?, error = ? WHERE id = ?"));
    q.addBindValue(status);
    q.addBindValue(nowMs());
    q.addBindValue(toJson(summary));
    q.addBindValue(error);
    q.addBindValue(runId);
    return q.exec() || fail(tr("The end of the run could not be recorded"), q);
}

std::optional<SyncRunRecord> SyncStore::run(qint64 runId)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("SELECT %1 FROM sync_runs WHERE id = ?").arg(QLatin1String(kRunColumns)));
    q.addBindValue(runId);
    if (!q.exec()) {
        fail(tr("The run could not be read"), q);
        return std::nullopt;
    }
    m_error.clear();
    if (!q.next())
        return std::nullopt;
    return runFrom(q);
}

QList<SyncRunRecord> SyncStore::runs(const QString &locationId, int limit)
{
    QSqlQuery q(m_db.connection());
    QString sql = QStringLiteral("SELECT %1 FROM sync_runs").arg(QLatin1String(kRunColumns));
    if (!locationId.isEmpty())
        sql += QStringLiteral(" WHERE location_id = ?");
    sql += QStringLiteral(" ORDER BY id DESC LIMIT %1").arg(limit);
    q.prepare(sql);
    if (!locationId.isEmpty())
        q.addBindValue(locationId);
    QList<SyncRunRecord> out;
    if (!q.exec()) {
        fail(tr("The runs could not be read"), q);
        return out;
    }
    while (q.next())
        out << runFrom(q);
    m_error.clear();
    return out;
}

bool SyncStore::addEvents(const QList<SyncEvent> &events)
{
    if (events.isEmpty())
        return true;
    // Many rows per statement: a run records an event per record, and one statement per row
    // costs more in the driver than in the database.
    constexpr qsizetype RowsPerStatement = 64;
    const QString head = QStringLiteral(
        "INSERT INTO sync_events (run_id, seq, at_ms, kind, ghl_id, sh_id, outcome, reason, request_ids, "
        "warnings_json) VALUES ");
    const QString row = QStringLiteral("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    QSqlQuery full(m_db.connection());
    for (qsizetype from = 0; from < events.size(); from += RowsPerStatement) {
        const qsizetype n = std::min(RowsPerStatement, events.size() - from);
        QSqlQuery partial(m_db.connection());
        QSqlQuery &q = n == RowsPerStatement ? full : partial;
        if (n != RowsPerStatement || from == 0) {
            QStringList rows;
            for (qsizetype i = 0; i < n; ++i)
                rows << row;
            q.prepare(head + rows.join(QStringLiteral(", ")));
        }
        int pos = 0;
        for (qsizetype i = from; i < from + n; ++i) {
            const SyncEvent &e = events.at(i);
            q.bindValue(pos++, e.runId);
            q.bindValue(pos++, e.seq);
            q.bindValue(pos++, e.atMs ? e.atMs : nowMs());
            q.bindValue(pos++, e.kind);
            q.bindValue(pos++, e.ghlId);
            q.bindValue(pos++, e.shId);
            q.bindValue(pos++, e.outcome);
            q.bindValue(pos++, e.reason);
            q.bindValue(pos++, e.requestIds.join(QLatin1Char(' ')));
            q.bindValue(pos++, e.warnings.isEmpty() ? QVariant(QMetaType(QMetaType::QString))
                                                    : QVariant(warningsToJson(e.warnings)));
        }
        if (!q.exec())
            return fail(tr("A sync event could not be recorded"), q);
    }
    m_error.clear();
    return true;
}

namespace {

QString eventWhere(const EventQuery &query, QVariantList *binds)
{
    QStringList where{QStringLiteral("run_id = ?")};
    *binds << query.runId;
    if (!query.kind.isEmpty()) {
        where << QStringLiteral("kind = ?");
        *binds << query.kind;
    }
    if (query.failuresOnly) {
        where << QStringLiteral("outcome IN ('failed', 'invalid')");
    } else if (!query.outcome.isEmpty()) {
        where << QStringLiteral("outcome = ?");
        *binds << query.outcome;
    }
    if (query.warningsOnly)
        where << QStringLiteral("warnings_json IS NOT NULL");
    if (!query.text.isEmpty()) {
        where << QStringLiteral(
            "(ghl_id LIKE ? ESCAPE '\\' OR sh_id LIKE ? ESCAPE '\\' OR reason LIKE ? ESCAPE '\\')");
        const QString pattern = likePattern(query.text);
        *binds << pattern << pattern << pattern;
    }
    return where.join(QStringLiteral(" AND "));
}

} // namespace

namespace {
QList<SyncEvent> readEvents(QSqlQuery &q)
{
    QList<SyncEvent> out;
    while (q.next()) {
        SyncEvent e;
        e.runId = q.value(0).toLongLong();
        e.seq = q.value(1).toInt();
        e.atMs = q.value(2).toLongLong();
        e.kind = q.value(3).toString();
        e.ghlId = q.value(4).toString();
        e.shId = q.value(5).toString();
        e.outcome = q.value(6).toString();
        e.reason = q.value(7).toString();
        e.requestIds = q.value(8).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
        e.warnings = warningsFromJson(q.value(9).toString());
        out << e;
    }
    return out;
}
} // namespace

QList<SyncEvent> SyncStore::events(const EventQuery &query)
{
    QVariantList binds;
    const QString where = eventWhere(query, &binds);
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral(
            "SELECT run_id, seq, at_ms, kind, ghl_id, sh_id, outcome, reason, request_ids, warnings_json "
            "FROM sync_events "
            "WHERE %1 ORDER BY seq LIMIT %2 OFFSET %3")
            .arg(where)
            .arg(query.limit)
            .arg(query.offset));
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    if (!q.exec()) {
        fail(tr("The sync events could not be read"), q);
        return {};
    }
    m_error.clear();
    return readEvents(q);
}

QList<SyncEvent> SyncStore::eventsAfter(const EventQuery &query, int afterSeq)
{
    QVariantList binds;
    const QString where = eventWhere(query, &binds);
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral(
            "SELECT run_id, seq, at_ms, kind, ghl_id, sh_id, outcome, reason, request_ids, warnings_json "
            "FROM sync_events "
            "WHERE %1 AND seq > ? ORDER BY seq LIMIT %2")
            .arg(where)
            .arg(query.limit));
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    q.addBindValue(afterSeq);
    if (!q.exec()) {
        fail(tr("The sync events could not be read"), q);
        return {};
    }
    m_error.clear();
    return readEvents(q);
}

int SyncStore::countEvents(const EventQuery &query)
{
    QVariantList binds;
    const QString where = eventWhere(query, &binds);
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("SELECT COUNT(*) FROM sync_events WHERE %1").arg(where));
    for (const QVariant &b : std::as_const(binds))
        q.addBindValue(b);
    if (!q.exec() || !q.next()) {
        fail(tr("The sync events could not be counted"), q);
        return -1;
    }
    m_error.clear();
    return q.value(0).toInt();
}

QHash<QString, ProspectState> SyncStore::prospects(const QString &locationId)
{
    QHash<QString, ProspectState> out;
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT ghl_contact_id, email, prospect_id, hash, fields_json, tags_json, pending_hash, "
        "pending_since_ms FROM sync_prospects WHERE location_id = ?"));
    q.addBindValue(locationId);
    if (!q.exec()) {
        fail(tr("The prospects written before could not be read"), q);
        return out;
    }
    while (q.next()) {
        ProspectState s;
        s.ghlContactId = q.value(0).toString();
        s.email = q.value(1).toString();
        s.prospectId = q.value(2).toString();
        s.hash = q.value(3).toString();
        s.fields = objectFrom(q.value(4));
        s.tags = listFrom(q.value(5));
        s.pendingHash = q.value(6).toString();
        s.pendingSinceMs = q.value(7).toLongLong();
        out.insert(s.ghlContactId, s);
    }
    m_error.clear();
    return out;
}

bool SyncStore::saveProspects(const QString &locationId, const QList<ProspectState> &states)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral(
        "INSERT INTO sync_prospects (location_id, ghl_contact_id, email, prospect_id, hash, fields_json, "
        "tags_json, "
        "pending_hash, pending_since_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (location_id, ghl_contact_id) DO UPDATE SET email = excluded.email, "
        "prospect_id = excluded.prospect_id, hash = excluded.hash, fields_json = excluded.fields_json, "
        "tags_json = excluded.tags_json, pending_hash = excluded.pending_hash, "
        "pending_since_ms = excluded.pending_since_ms, updated_ms = excluded.updated_ms"));
    const qint64 now = nowMs();
    for (const ProspectState &s : states) {
        q.addBindValue(locationId);
        q.addBindValue(s.ghlContactId);
        q.addBindValue(s.email);
        q.addBindValue(s.prospectId);
        q.addBindValue(s.hash);
        q.addBindValue(toJson(s.fields));
        q.addBindValue(toJson(s.tags));
        q.addBindValue(s.pendingHash);
        q.addBindValue(s.pendingSinceMs);
        q.addBindValue(now);
        if (!q.exec())
            return fail(tr("The state of a prospect could not be saved"), q);
    }
    m_error.clear();
    return true;
}

QHash<QString, ChildState> SyncStore::records(const QString &locationId, const QString &kind)
{
    QHash<QString, ChildState> out;
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    q.prepare(
        QStringLiteral("SELECT ghl_id, ghl_contact_id, sh_id, hash, state, payload_json FROM sync_records "
                       "WHERE location_id = ? AND kind = ?"));
    q.addBindValue(locationId);
    q.addBindValue(kind);
    if (!q.exec()) {
        fail(tr("The records written before could not be read"), q);
        return out;
    }
    while (q.next()) {
        ChildState s;
        s.kind = kind;
        s.ghlId = q.value(0).toString();
        s.ghlContactId = q.value(1).toString();
        s.shId = q.value(2).toString();
        s.hash = q.value(3).toString();
        s.state = q.value(4).toString();
        s.payload = objectFrom(q.value(5));
        out.insert(s.ghlId, s);
    }
    m_error.clear();
    return out;
}

bool SyncStore::saveRecords(const QString &locationId, const QList<ChildState> &states)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral(
        "INSERT INTO sync_records (location_id, kind, ghl_id, ghl_contact_id, sh_id, hash, state, "
        "payload_json, updated_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (location_id, kind, ghl_id) DO UPDATE SET "
        "ghl_contact_id = excluded.ghl_contact_id, sh_id = excluded.sh_id, hash = excluded.hash, "
        "state = excluded.state, payload_json = excluded.payload_json, updated_ms = excluded.updated_ms"));
    const qint64 now = nowMs();
    for (const ChildState &s : states) {
        q.addBindValue(locationId);
        q.addBindValue(s.kind);
        q.addBindValue(s.ghlId);
        q.addBindValue(s.ghlContactId);
        q.addBindValue(s.shId);
        q.addBindValue(s.hash);
        q.addBindValue(s.state);
        q.addBindValue(toJson(s.payload));
        q.addBindValue(now);
        if (!q.exec())
            return fail(tr("The state of a task or note could not be saved"), q);
    }
    m_error.clear();
    return true;
}

QHash<QString, FailureState> SyncStore::failures(const QString &locationId)
{
    QHash<QString, FailureState> out;
    QSqlQuery q(m_db.connection());
    q.prepare(
        QStringLiteral("SELECT kind, ghl_id, run_id, attempts, next_retry_ms, reason FROM sync_failures "
                       "WHERE location_id = ?"));
    q.addBindValue(locationId);
    if (!q.exec()) {
        fail(tr("The failed records could not be read"), q);
        return out;
    }
    while (q.next()) {
        FailureState f;
        f.kind = q.value(0).toString();
        f.ghlId = q.value(1).toString();
        f.runId = q.value(2).toLongLong();
        f.attempts = q.value(3).toInt();
        f.nextRetryMs = q.value(4).toLongLong();
        f.reason = q.value(5).toString();
        out.insert(f.kind + QLatin1Char(':') + f.ghlId, f);
    }
    m_error.clear();
    return out;
}

bool SyncStore::saveFailures(const QString &locationId, const QList<FailureState> &failures)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral(
        "INSERT INTO sync_failures (location_id, kind, ghl_id, run_id, attempts, next_retry_ms, reason) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (location_id, kind, ghl_id) DO UPDATE SET run_id = "
        "excluded.run_id, "
        "attempts = excluded.attempts, next_retry_ms = excluded.next_retry_ms, reason = excluded.reason"));
    for (const FailureState &f : failures) {
        q.addBindValue(locationId);
        q.addBindValue(f.kind);
        q.addBindValue(f.ghlId);
        q.addBindValue(f.runId);
        q.addBindValue(f.attempts);
        q.addBindValue(f.nextRetryMs);
        q.addBindValue(f.reason);
        if (!q.exec())
            return fail(tr("A failed record could not be saved"), q);
    }
    m_error.clear();
    return true;
}

QStringList SyncStore::contactsWithFailures(const QString &locationId, qint64 runId)
{
    QStringList out;
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("SELECT e.ghl_id FROM sync_events e WHERE e.run_id = ? AND e.outcome = 'failed' "
                             "AND e.kind = 'contact' "
                             "AND e.ghl_id <> '' "
                             "UNION SELECT t.contact_id FROM sync_events e JOIN tasks t ON t.id = e.ghl_id "
                             "WHERE e.run_id = ? AND e.outcome = 'failed' AND e.kind = 'task' "
                             "UNION SELECT n.contact_id FROM sync_events e JOIN notes n ON n.id = e.ghl_id "
                             "WHERE e.run_id = ? AND e.outcome = 'failed' AND e.kind = 'note'"));
    q.addBindValue(runId);
    q.addBindValue(runId);
    q.addBindValue(runId);
    if (!q.exec()) {
        fail(tr("The failed records of run %1 could not be read").arg(runId), q);
        return out;
    }
    Q_UNUSED(locationId) // a run belongs to one location already
    while (q.next())
        out << q.value(0).toString();
    m_error.clear();
    return out;
}

bool SyncStore::clearFailures(const QString &locationId, const QString &kind, const QStringList &ghlIds)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("DELETE FROM sync_failures WHERE location_id = ? AND kind = ? AND ghl_id = ?"));
    for (const QString &id : ghlIds) {
        q.addBindValue(locationId);
        q.addBindValue(kind);
        q.addBindValue(id);
        if (!q.exec())
            return fail(tr("A failed record could not be cleared"), q);
    }
    m_error.clear();
    return true;
}

int SyncStore::saveMapping(const QString &location, const QString &name, const QByteArray &json)
{
    // "" (not NULL) is the profile-wide mapping, used when a location has none of its own.
    const QString locationId = location.isNull() ? QStringLiteral("") : location;
    int revision = 0;
    const bool ok = inTransaction([&] {
        QSqlQuery next(m_db.connection());
        next.prepare(
            QStringLiteral("SELECT COALESCE(MAX(revision), 0) + 1 FROM mappings WHERE location_id = ?"));
        next.addBindValue(locationId);
        if (!next.exec() || !next.next())
            return fail(tr("A mapping revision number could not be chosen"), next);
        revision = next.value(0).toInt();
        QSqlQuery q(m_db.connection());
        q.prepare(QStringLiteral(
            "INSERT INTO mappings (location_id, revision, name, saved_ms, json) VALUES (?, ?, ?, ?, ?)"));
        q.addBindValue(locationId);
        q.addBindValue(revision);
        q.addBindValue(name);
        q.addBindValue(nowMs());
        q.addBindValue(QString::fromUtf8(json));
        return q.exec() || fail(tr("The mapping could not be saved"), q);
    });
    return ok ? revision : 0;
}

std::optional<QByteArray> SyncStore::latestMapping(const QString &location, int *revision)
{
    const QString locationId = location.isNull() ? QStringLiteral("") : location;
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral(
        "SELECT revision, json FROM mappings WHERE location_id = ? ORDER BY revision DESC LIMIT 1"));
    q.addBindValue(locationId);
    if (!q.exec()) {
        fail(tr("The saved mapping could not be read"), q);
        return std::nullopt;
    }
    m_error.clear();
    if (!q.next())
        return std::nullopt;
    if (revision)
        *revision = q.value(0).toInt();
    return q.value(1).toString().toUtf8();
}

QList<MappingRevision> SyncStore::mappingRevisions(const QString &locationId)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral(
        "SELECT revision, name, saved_ms FROM mappings WHERE location_id = ? ORDER BY revision DESC"));
    q.addBindValue(locationId);
    QList<MappingRevision> out;
    if (!q.exec()) {
        fail(tr("The saved mappings could not be read"), q);
        return out;
    }
    while (q.next())
        out << MappingRevision{q.value(0).toInt(), q.value(1).toString(), q.value(2).toLongLong()};
    m_error.clear();
    return out;
}

std::optional<QByteArray> SyncStore::mapping(const QString &locationId, int revision)
{
    QSqlQuery q(m_db.connection());
    q.prepare(QStringLiteral("SELECT json FROM mappings WHERE location_id = ? AND revision = ?"));
    q.addBindValue(locationId);
    q.addBindValue(revision);
    if (!q.exec()) {
        fail(tr("The saved mapping could not be read"), q);
        return std::nullopt;
    }
    m_error.clear();
    if (!q.next())
        return std::nullopt;
    return q.value(0).toString().toUtf8();
}

} // namespace lb
