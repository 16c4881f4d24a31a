#pragma once

#include "domain/Contact.h"

#include <QHash>
#include <QJsonArray>
#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

class QSqlQuery;
class QSqlError;

namespace lb {

class Database;

/// Where the pull of one location stands. Committed in the same transaction as the page it follows.
struct PullCursor
{
    QString locationId;
    /// Every contact with dateUpdated <= this (epoch ms) is in the store: the incremental watermark.
    qint64 updatedUpToMs = 0;
    /// Set while a full pull is under way (for resuming it): its id and the last page's searchAfter.
    QString fullPullId;
    QJsonArray fullSearchAfter;
    /// When the last pull of any kind finished (epoch ms), for "pulled 5 minutes ago".
    qint64 lastPullFinishedMs = 0;
};

/// One page of a pull, written in one transaction: contacts (upserted with their custom field values),
/// the child records of the contacts whose children were fetched (replacing what was stored for them),
/// and the cursor after this page.
struct PullBatch
{
    QString locationId;
    QList<Contact> contacts;
    QList<ContactChildren> children;
    std::optional<PullCursor> cursor;
    /// When non-empty, every contact of this batch is marked as seen by this full pull.
    QString seenByPullId;
};

/// The orders a contact list can be shown in (each ties on the contact id).
enum class ContactSort { Name, Email, Phone, Company, City, DateAdded, DateUpdated };

struct ContactQuery
{
    /// Empty: every location.
    QString locationId;
    /// Matches name, email, phone, company and tags (case-insensitive substring). Empty: all.
    QString search;
    ContactSort sort = ContactSort::Name;
    bool descending = false;
    int limit = 100;
    int offset = 0;
};

/// The contacts of the local cache with their tasks, notes, appointments and custom fields,
/// and the pull cursor. Every method reports failure through its return value and `error()`.
/// Statements are prepared once per store and reused; destroy the store before its Database.
/// On SQLite, the batch writes and lookups of a pull go through SQLite's C API on the Qt
/// connection's handle (Qt's per-value binding costs more than SQLite's work); all else uses Qt Sql.
class ContactStore final
{
public:
    explicit ContactStore(Database &db);
    ~ContactStore();
    ContactStore(const ContactStore &) = delete;
    ContactStore &operator=(const ContactStore &) = delete;

    [[nodiscard]] bool writePullBatch(const PullBatch &batch);
    /// dateUpdated (epoch ms) as stored, for the given ids; ids not stored are absent.
    [[nodiscard]] QHash<QString, qint64> storedDateUpdated(const QStringList &contactIds);
    /// After a completed full pull: removes the location's contacts that it did not see. Returns the count,
    /// -1 on error.
    [[nodiscard]] int deleteContactsNotSeenBy(const QString &locationId, const QString &pullId);

    [[nodiscard]] std::optional<PullCursor> pullCursor(const QString &locationId);
    [[nodiscard]] bool savePullCursor(const PullCursor &cursor);

    [[nodiscard]] bool replaceCustomFields(const QString &locationId, const QList<CustomField> &fields);
    [[nodiscard]] QList<CustomField> customFields(const QString &locationId);

    [[nodiscard]] QList<Contact> contacts(const ContactQuery &query);
    [[nodiscard]] int countContacts(const ContactQuery &query);
    [[nodiscard]] std::optional<Contact> contact(const QString &contactId);
    [[nodiscard]] QList<Task> tasks(const QString &contactId);
    /// The tasks, notes and appointments of many contacts at once (every id is in the result).
    [[nodiscard]] QHash<QString, ContactChildren> children(const QStringList &contactIds);
    [[nodiscard]] QList<Note> notes(const QString &contactId);
    [[nodiscard]] QList<Appointment> appointments(const QString &contactId);

    /// Single-record writes, for changes made through the GHL API from the app. Upserting a contact
    /// replaces its custom values and keeps its children; removing it removes its children too.
    [[nodiscard]] bool upsertContact(const Contact &contact);
    [[nodiscard]] bool removeContact(const QString &contactId);
    [[nodiscard]] bool upsertTask(const Task &task);
    [[nodiscard]] bool removeTask(const QString &taskId);
    [[nodiscard]] bool upsertNote(const Note &note);
    [[nodiscard]] bool removeNote(const QString &noteId);
    [[nodiscard]] bool upsertAppointment(const Appointment &appointment);
    [[nodiscard]] bool removeAppointment(const QString &appointmentId);

    /// The last error as a sentence, empty after a success.
    [[nodiscard]] QString error() const { return m_error; }

private:
    struct Statements;
    struct SqliteStatements;

    /// The prepared statement for `sql`, prepared on first use; null (with error() set) on failure.
    [[nodiscard]] QSqlQuery *statement(const QString &sql);
    /// Runs `sqlPattern`, whose "%1" stands for a list of placeholders, over `ids` in chunks, calling
    /// `eachRow` for every result row of a SELECT. Chunks keep within the drivers' parameter limits.
    [[nodiscard]] bool execForIds(const QString &sqlPattern, const QStringList &ids,
                                  const std::function<void(QSqlQuery &)> &eachRow = {});
    [[nodiscard]] bool execPrepared(QSqlQuery &q, const QString &what);
    bool fail(const QString &what, const QSqlError &error);
    bool fail(const QString &what, const QString &detail);
    [[nodiscard]] bool loadCustomValues(QList<Contact> &contacts);
    [[nodiscard]] bool writeContact(QSqlQuery &upsert, const Contact &contact, const QString &locationId,
                                    const QString &seenByPullId);
    /// Inserts the custom values of `contacts`, whose old values must have been deleted.
    [[nodiscard]] bool insertCustomValues(const QList<Contact> &contacts);

    /// The native statements on SQLite, prepared on first use. Null on PostgreSQL, when Qt's
    /// QSQLITE is not backed by the SQLite this build links (the Qt path is used then), or on
    /// failure, with error() set.
    [[nodiscard]] SqliteStatements *sqliteStatements();
    [[nodiscard]] bool writePullBatchSqlite(SqliteStatements &s, const PullBatch &batch);
    /// The contact's row and its custom values (replacing the old ones), in the open transaction.
    [[nodiscard]] bool writeContactSqlite(SqliteStatements &s, const Contact &c,
                                          std::string_view batchLocation, std::string_view seenByPullId);
    [[nodiscard]] bool writeChildrenSqlite(SqliteStatements &s, const ContactChildren &children);
    [[nodiscard]] bool storedDateUpdatedSqlite(SqliteStatements &s, const QStringList &contactIds,
                                               QHash<QString, qint64> &out);

    Database &m_db;
    QString m_error;
    std::unique_ptr<Statements> m_statements;
};

} // namespace lb
