#pragma once

#include "domain/FieldMapping.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QSqlQuery;

namespace lb {

class Database;

/// One sync run as logged.
struct SyncRunRecord
{
    qint64 id = 0;
    QString locationId;
    QString mode; ///< "incremental", "full", "retry"
    bool dryRun = false;
    qint64 startedMs = 0;
    qint64 finishedMs = 0; ///< 0 while running
    QString status;        ///< "running", "ok", "failed-records", "stopped", "interrupted"
    QString owner;         ///< host and process that ran it
    QJsonObject summary;   ///< counts per kind and outcome, requests per service, 429s, duration
    QString error;
};

/// What happened to one record in one run.
struct SyncEvent
{
    qint64 runId = 0;
    int seq = 0;
    qint64 atMs = 0;
    QString kind; ///< "contact", "task", "note", "appointment", "field"
    QString ghlId;
    QString shId;
    QString outcome; ///< "created", "updated", "unchanged", "invalid", "failed", "skipped", "completed",
                     ///< "planned-create", ...
    QString reason;
    QStringList requestIds;
    /// Fields of the record not sent exactly as GHL has them (kept as written, cut, left, sent empty).
    QList<FieldWarning> warnings;
};

struct EventQuery
{
    qint64 runId = 0;
    QString kind;              ///< empty: any
    QString outcome;           ///< empty: any
    QString text;              ///< substring of the GHL id, Saleshandy id or reason
    bool failuresOnly = false; ///< outcome "failed" or "invalid"
    bool warningsOnly = false; ///< events with at least one field warning
    int limit = 1000;
    int offset = 0;
};

/// What was last written to Saleshandy for one GHL contact.
struct ProspectState
{
    QString ghlContactId;
    QString email;      ///< normalised, Saleshandy's natural key
    QString prospectId; ///< empty until resolved after an import
    QString hash;       ///< of the mapped fields and tags last confirmed written
    QJsonObject fields; ///< the mapped values last confirmed written (for dry-run diffs)
    QStringList tags;
    /// Set before an import is sent, cleared when confirmed: a crash in between leaves it, and the
    /// next run resolves it by email instead of trusting either side.
    QString pendingHash;
    qint64 pendingSinceMs = 0;
};

/// A task or note as written to Saleshandy, or the intent to write it.
struct ChildState
{
    QString kind; ///< "task" or "note"
    QString ghlId;
    QString ghlContactId;
    QString shId; ///< empty while only intended
    QString hash;
    QString state;       ///< "intent", "synced", "completed", "skipped"
    QJsonObject payload; ///< what was sent, to recognise it when reading back after a crash
};

/// One saved mapping revision, without its JSON (for a list of named versions).
struct MappingRevision
{
    int revision = 0;
    QString name;
    qint64 savedMs = 0;
};

struct FailureState
{
    QString kind;
    QString ghlId;
    qint64 runId = 0;
    int attempts = 0;
    qint64 nextRetryMs = 0;
    QString reason;
};

/// The sync's memory in the store (schema version 2): runs and events, the GHL-to-Saleshandy id
/// map with content hashes, intents, failures, saved mapping revisions and the location lock.
/// Every method reports failure through its return value and error().
class SyncStore final
{
public:
    explicit SyncStore(Database &db);

    /// Runs `work` in one transaction: committed if it returns true, rolled back otherwise.
    [[nodiscard]] bool inTransaction(const std::function<bool()> &work);

    /// Takes the location's lock for `owner` unless a live owner holds it; `heldBy` names that
    /// owner. A lock whose heartbeat is older than `staleMs` (its process died) is taken over.
    [[nodiscard]] bool tryLock(const QString &locationId, const QString &owner, QString *heldBy,
                               qint64 staleMs = 120000);
    /// Renews the lock; false when `owner` no longer holds it (it was taken over as stale).
    bool heartbeat(const QString &locationId, const QString &owner);
    bool unlock(const QString &locationId, const QString &owner);

    /// A new run in status "running"; its id, or 0 on error. Runs still "running" on this
    /// location are marked "interrupted" first (their process is gone: we hold the lock).
    [[nodiscard]] qint64 startRun(const QString &locationId, const QString &mode, bool dryRun,
                                  const QString &owner);
    [[nodiscard]] bool finishRun(qint64 runId, const QString &status, const QJsonObject &summary,
                                 const QString &error);
    [[nodiscard]] std::optional<SyncRunRecord> run(qint64 runId);
    /// Newest first; empty location: all.
    [[nodiscard]] QList<SyncRunRecord> runs(const QString &locationId, int limit = 50);

    [[nodiscard]] bool addEvents(const QList<SyncEvent> &events);
    [[nodiscard]] QList<SyncEvent> events(const EventQuery &query);
    [[nodiscard]] int countEvents(const EventQuery &query);
    /// Like events(), but pages by key: the events after `afterSeq` (query.offset is ignored), so
    /// that a view scrolling through a run of 1,000,000 events never makes the database skip rows.
    [[nodiscard]] QList<SyncEvent> eventsAfter(const EventQuery &query, int afterSeq);

    [[nodiscard]] QHash<QString, ProspectState> prospects(const QString &locationId);
    [[nodiscard]] bool saveProspects(const QString &locationId, const QList<ProspectState> &states);

    [[nodiscard]] QHash<QString, ChildState> records(const QString &locationId, const QString &kind);
    [[nodiscard]] bool saveRecords(const QString &locationId, const QList<ChildState> &states);

    [[nodiscard]] QHash<QString, FailureState> failures(const QString &locationId);
    [[nodiscard]] bool saveFailures(const QString &locationId, const QList<FailureState> &failures);
    /// The GHL contacts with a record that failed in `runId` (a task or note counts for its contact),
    /// for a retry of that run.
    [[nodiscard]] QStringList contactsWithFailures(const QString &locationId, qint64 runId);
    [[nodiscard]] bool clearFailures(const QString &locationId, const QString &kind,
                                     const QStringList &ghlIds);

    /// Saves a mapping revision (the next number) and returns it, 0 on error.
    [[nodiscard]] int saveMapping(const QString &locationId, const QString &name, const QByteArray &json);
    /// The newest saved revision's JSON, or nothing.
    [[nodiscard]] std::optional<QByteArray> latestMapping(const QString &locationId, int *revision = nullptr);
    /// The saved revisions, newest first.
    [[nodiscard]] QList<MappingRevision> mappingRevisions(const QString &locationId);
    /// One saved revision's JSON, or nothing.
    [[nodiscard]] std::optional<QByteArray> mapping(const QString &locationId, int revision);

    [[nodiscard]] QString error() const { return m_error; }

private:
    [[nodiscard]] bool fail(const QString &what, const QSqlQuery &query);

    Database &m_db;
    QString m_error;
};

} // namespace lb
