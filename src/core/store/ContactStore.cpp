#include "store/ContactStore.h"

#include "domain/Json.h"
#include "store/Database.h"
#include "store/SqliteNative.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>
#include <limits>
#include <unordered_map>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace lb {

/// The statements of the native SQLite path (see sqliteStatements()), with the buffer that holds
/// the UTF-8 of the values bound to them.
struct ContactStore::SqliteStatements
{
    store::SqliteStatement upsertContact;
    store::SqliteStatement clearValues;
    store::SqliteStatement insertValue;
    store::SqliteStatement clearTasks;
    store::SqliteStatement clearNotes;
    store::SqliteStatement clearAppointments;
    store::SqliteStatement upsertTask;
    store::SqliteStatement upsertNote;
    store::SqliteStatement upsertAppointment;
    store::SqliteStatement upsertCursor;
    store::SqliteStatement lookupSmall;
    store::SqliteStatement lookupLarge;
    store::Utf8Arena arena;
};

struct ContactStore::Statements
{
    // unique_ptr: QSqlQuery objects must not move once handed out, whatever the map does.
    std::unordered_map<QString, std::unique_ptr<QSqlQuery>> bySql;
    std::unique_ptr<SqliteStatements> sqlite;
    bool sqliteUnavailable = false; // QSQLITE is not backed by our libsqlite3: the Qt path is used
};

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::Database", text);
}

// Chunk sizes for id lists: SQLite allows 32,766 parameters and PostgreSQL 65,535, but long lists
// cost parsing on every execution; small lookups use the small statement, padded with NULLs.
constexpr int SmallChunk = 50;
constexpr int LargeChunk = 500;
// Sort keys are indexed; PostgreSQL refuses index entries over ~2.7 kB, and nobody sorts by the
// 201st character of a name.
constexpr int SortKeyLength = 200;
const QChar SearchSeparator(0x1f); // cannot be typed into a search box, so no match spans two fields

// Qt 6 binds a variant holding a null QString as '' on some drivers; a typed, valueless variant is
// NULL on all of them.
const QVariant NullValue{QMetaType::fromType<QString>()};
const QString EmptyText = QStringLiteral("");

/// Columns read back into a Contact, in the order readContact expects.
const char *const ContactColumns =
    "id, location_id, first_name, last_name, name, email, phone, company_name, "
    "address1, city, state, postal_code, country, website, timezone, source, "
    "type, assigned_to, business_id, date_of_birth, dnd, tags_json, "
    "date_added_ms, date_updated_ms";
const QStringList WrittenContactColumns =
    QString::fromLatin1(ContactColumns).split(QStringLiteral(", ")) +
    QStringList{QStringLiteral("last_seen_pull"), QStringLiteral("sort_last"), QStringLiteral("sort_first"),
                QStringLiteral("search_text")};

QString placeholders(int count)
{
    QString out;
    out.reserve(count * 2);
    for (int i = 0; i < count; ++i)
        out += i ? QLatin1String(",?") : QLatin1String("?");
    return out;
}

/// INSERT ... ON CONFLICT (key) DO UPDATE SET every other column, which SQLite (3.24+) and
/// PostgreSQL (9.5+) both understand. `overrides` replaces the update expression of some columns.
QString upsertSql(const char *table, const QStringList &columns, const char *key,
                  const QHash<QString, QString> &overrides = {})
{
    const QStringList keyColumns = QString::fromLatin1(key).split(QStringLiteral(", "));
    QStringList sets;
    for (const QString &c : columns) {
        if (!keyColumns.contains(c))
            sets << c + QStringLiteral(" = ") + overrides.value(c, QStringLiteral("excluded.") + c);
    }
    return QStringLiteral("INSERT INTO %1 (%2) VALUES (%3) ON CONFLICT (%4) DO UPDATE SET %5")
        .arg(QLatin1String(table), columns.join(QStringLiteral(", ")), placeholders(columns.size()),
             QLatin1String(key), sets.join(QStringLiteral(", ")));
}

QStringList cols(const char *list)
{
    return QString::fromLatin1(list).split(QStringLiteral(", "));
}

const char *const TaskColumns = "id, contact_id, title, body, assigned_to, due_date_ms, completed";
const char *const NoteColumns = "id, contact_id, title, body, user_id, date_added_ms";
const char *const AppointmentColumns =
    "id, contact_id, calendar_id, title, status, appointment_status, address, "
    "notes, assigned_user_id, start_ms, end_ms, date_added_ms, date_updated_ms";
const char *const CustomFieldColumns =
    "location_id, id, name, field_key, data_type, model, position, picklist_json";
const char *const CursorColumns =
    "location_id, updated_up_to_ms, full_pull_id, full_search_after_json, last_pull_finished_ms";

/// A value for a NOT NULL text column: Qt binds a null QString as SQL NULL.
const QString &nonNull(const QString &s)
{
    return s.isNull() ? EmptyText : s;
}

QString compactJson(const QJsonArray &a)
{
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

/// Appends `s` as a JSON string. Hand-written because strings (tags, most custom values) are the
/// bulk of what a pull writes, and going through QJsonDocument costs more than the SQL itself.
void appendJsonString(QString &out, const QString &s)
{
    out += QLatin1Char('"');
    for (const QChar ch : s) {
        const char16_t u = ch.unicode();
        if (u == u'"' || u == u'\\') {
            out += QLatin1Char('\\');
            out += ch;
        } else if (u < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out += QLatin1String("\\u00");
            out += QLatin1Char(hex[u >> 4]);
            out += QLatin1Char(hex[u & 0xf]);
        } else {
            out += ch;
        }
    }
    out += QLatin1Char('"');
}

QString jsonStringArray(const QStringList &list)
{
    QString out;
    out.reserve(2 + list.size() * 16);
    out += QLatin1Char('[');
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i)
            out += QLatin1Char(',');
        appendJsonString(out, list.at(i));
    }
    out += QLatin1Char(']');
    return out;
}

QJsonArray arrayFromJson(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).array();
}

QStringList stringsFromJson(const QString &text)
{
    QStringList out;
    for (const QJsonValue &v : arrayFromJson(text))
        out << v.toString();
    return out;
}

/// Any JSON value as text (QJsonDocument only writes arrays and objects, so wrap and unwrap);
/// SQL NULL stands for "undefined", which JSON cannot spell.
QVariant customValueToColumn(const QJsonValue &v)
{
    if (v.isUndefined())
        return NullValue;
    if (v.isString()) {
        QString out;
        appendJsonString(out, v.toString());
        return out;
    }
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.constData() + 1, wrapped.size() - 2);
}

QJsonValue customValueFromColumn(const QVariant &column)
{
    if (column.isNull())
        return QJsonValue(QJsonValue::Undefined);
    const QByteArray text = column.toString().toUtf8();
    QByteArray wrapped;
    wrapped.reserve(text.size() + 2);
    wrapped.append('[').append(text).append(']');
    return QJsonDocument::fromJson(wrapped).array().at(0);
}

/// QString::toLower(), with the same result, without Qt's per-character case tables for ASCII:
/// search and sort keys are lowercased for every contact of every pull. Characters that Qt maps
/// to more than one (U+0130) or that lie outside the BMP are left to Qt.
QString lowercase(const QString &s)
{
    QString out = s; // shares the data until a character changes
    char16_t *d = nullptr;
    const char16_t *in = reinterpret_cast<const char16_t *>(s.constData());
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = in[i];
        char16_t lower;
        if (u < 0x80) {
            lower = u >= u'A' && u <= u'Z' ? char16_t(u + 0x20) : u;
        } else {
            if (QChar::isSurrogate(u))
                return s.toLower();
            lower = char16_t(QChar::toLower(char32_t(u)));
            if (lower == u) {
                const QChar::Category category = QChar::category(char32_t(u));
                if (category == QChar::Letter_Uppercase || category == QChar::Letter_Titlecase)
                    return s.toLower(); // a mapping that QChar cannot give, such as "İ" to "i̇"
            }
        }
        if (lower != u) {
            if (!d)
                d = reinterpret_cast<char16_t *>(out.data());
            d[i] = lower;
        }
    }
    return out;
}

/// Whether `name` is exactly "first last", without building that string.
bool isFirstSpaceLast(const QString &name, const QString &first, const QString &last)
{
    return name.size() == first.size() + 1 + last.size() && name.startsWith(first) &&
           name.at(first.size()) == QLatin1Char(' ') && name.endsWith(last);
}

/// What a search matches, lowercase, the fields separated by SearchSeparator. Built in one buffer
/// and lowercased once: it is written for every contact of every pull.
QString searchText(const Contact &c)
{
    qsizetype size = c.firstName.size() * 2 + c.lastName.size() * 2 + c.name.size() + c.email.size() +
                     c.phone.size() * 2 + c.companyName.size() + 12;
    for (const QString &tag : c.tags)
        size += tag.size() + 1;
    QString out;
    out.reserve(size);
    auto add = [&out](QStringView s) {
        if (s.isEmpty())
            return;
        if (!out.isEmpty())
            out += SearchSeparator;
        out += s;
    };
    add(c.firstName);
    add(c.lastName);
    if (!c.firstName.isEmpty() && !c.lastName.isEmpty()) {
        // "jane doe" typed as one phrase
        out += SearchSeparator;
        out += c.firstName;
        out += QLatin1Char(' ');
        out += c.lastName;
    }
    if (!isFirstSpaceLast(c.name, c.firstName, c.lastName))
        add(c.name);
    add(c.email);
    add(c.phone);
    // People type phone numbers as digits, whatever the formatting stored in GHL.
    QString digits;
    digits.reserve(c.phone.size());
    for (const QChar ch : c.phone)
        if (ch.isDigit())
            digits += ch;
    if (digits != c.phone)
        add(digits);
    add(c.companyName);
    for (const QString &tag : c.tags)
        add(tag);
    return lowercase(out);
}

/// A sort key: the first SortKeyLength characters, without splitting a surrogate pair.
QStringView sortKey(const QString &lowercase)
{
    QStringView key(lowercase);
    if (key.size() > SortKeyLength) {
        key = key.left(SortKeyLength);
        if (key.back().isHighSurrogate())
            key.chop(1);
    }
    return key;
}

/// The LIKE pattern for a substring search, with LIKE's own wildcards taken literally.
Task readTask(const QSqlQuery &q)
{
    Task t;
    t.id = q.value(0).toString();
    t.contactId = q.value(1).toString();
    t.title = q.value(2).toString();
    t.body = q.value(3).toString();
    t.assignedTo = q.value(4).toString();
    t.dueDate = json::fromMs(q.value(5).toLongLong());
    t.completed = q.value(6).toLongLong() != 0;
    return t;
}

Note readNote(const QSqlQuery &q)
{
    Note n;
    n.id = q.value(0).toString();
    n.contactId = q.value(1).toString();
    n.title = q.value(2).toString();
    n.body = q.value(3).toString();
    n.userId = q.value(4).toString();
    n.dateAdded = json::fromMs(q.value(5).toLongLong());
    return n;
}

Appointment readAppointment(const QSqlQuery &q)
{
    Appointment a;
    a.id = q.value(0).toString();
    a.contactId = q.value(1).toString();
    a.calendarId = q.value(2).toString();
    a.title = q.value(3).toString();
    a.status = q.value(4).toString();
    a.appointmentStatus = q.value(5).toString();
    a.address = q.value(6).toString();
    a.notes = q.value(7).toString();
    a.assignedUserId = q.value(8).toString();
    a.startTime = json::fromMs(q.value(9).toLongLong());
    a.endTime = json::fromMs(q.value(10).toLongLong());
    a.dateAdded = json::fromMs(q.value(11).toLongLong());
    a.dateUpdated = json::fromMs(q.value(12).toLongLong());
    return a;
}

Contact readContact(const QSqlQuery &q)
{
    Contact c;
    c.id = q.value(0).toString();
    c.locationId = q.value(1).toString();
    c.firstName = q.value(2).toString();
    c.lastName = q.value(3).toString();
    c.name = q.value(4).toString();
    c.email = q.value(5).toString();
    c.phone = q.value(6).toString();
    c.companyName = q.value(7).toString();
    c.address1 = q.value(8).toString();
    c.city = q.value(9).toString();
    c.state = q.value(10).toString();
    c.postalCode = q.value(11).toString();
    c.country = q.value(12).toString();
    c.website = q.value(13).toString();
    c.timezone = q.value(14).toString();
    c.source = q.value(15).toString();
    c.type = q.value(16).toString();
    c.assignedTo = q.value(17).toString();
    c.businessId = q.value(18).toString();
    c.dateOfBirth = q.value(19).toString();
    c.dnd = q.value(20).toLongLong() != 0;
    c.tags = stringsFromJson(q.value(21).toString());
    c.dateAdded = json::fromMs(q.value(22).toLongLong());
    c.dateUpdated = json::fromMs(q.value(23).toLongLong());
    return c;
}

void bindTask(QSqlQuery &q, const Task &t, const QString &contactId)
{
    q.bindValue(0, t.id);
    q.bindValue(1, contactId);
    q.bindValue(2, t.title);
    q.bindValue(3, t.body);
    q.bindValue(4, t.assignedTo);
    q.bindValue(5, json::toMs(t.dueDate));
    q.bindValue(6, t.completed ? 1 : 0);
}

void bindNote(QSqlQuery &q, const Note &n, const QString &contactId)
{
    q.bindValue(0, n.id);
    q.bindValue(1, contactId);
    q.bindValue(2, n.title);
    q.bindValue(3, n.body);
    q.bindValue(4, n.userId);
    q.bindValue(5, json::toMs(n.dateAdded));
}

void bindAppointment(QSqlQuery &q, const Appointment &a, const QString &contactId)
{
    q.bindValue(0, a.id);
    q.bindValue(1, contactId);
    q.bindValue(2, a.calendarId);
    q.bindValue(3, a.title);
    q.bindValue(4, a.status);
    q.bindValue(5, a.appointmentStatus);
    q.bindValue(6, a.address);
    q.bindValue(7, a.notes);
    q.bindValue(8, a.assignedUserId);
    q.bindValue(9, json::toMs(a.startTime));
    q.bindValue(10, json::toMs(a.endTime));
    q.bindValue(11, json::toMs(a.dateAdded));
    q.bindValue(12, json::toMs(a.dateUpdated));
}

void bindCursor(QSqlQuery &q, const PullCursor &c, const QString &locationId)
{
    q.bindValue(0, locationId);
    q.bindValue(1, c.updatedUpToMs);
    q.bindValue(2, c.fullPullId);
    q.bindValue(3, c.fullSearchAfter.isEmpty() ? NullValue : QVariant(compactJson(c.fullSearchAfter)));
    q.bindValue(4, c.lastPullFinishedMs);
}

/// Rolls back unless committed, so that every early return leaves the store as it was.
class Transaction final
{
public:
    explicit Transaction(QSqlDatabase &db) : m_db(db), m_open(db.transaction()) {}
    ~Transaction()
    {
        if (m_open)
            m_db.rollback();
    }
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    [[nodiscard]] bool isOpen() const { return m_open; }
    [[nodiscard]] bool commit()
    {
        if (!m_db.commit())
            return false;
        m_open = false;
        return true;
    }

private:
    QSqlDatabase &m_db;
    bool m_open;
};

const QString UpsertContactSql =
    upsertSql("contacts", WrittenContactColumns, "id",
              // A write outside a full pull (an incremental page, an edit in the app) must not erase
              // the mark of a full pull that is under way.
              {{QStringLiteral("last_seen_pull"),
                QStringLiteral("COALESCE(excluded.last_seen_pull, contacts.last_seen_pull)")}});
const QString UpsertTaskSql = upsertSql("tasks", cols(TaskColumns), "id");
const QString UpsertNoteSql = upsertSql("notes", cols(NoteColumns), "id");
const QString UpsertAppointmentSql = upsertSql("appointments", cols(AppointmentColumns), "id");
const QString UpsertCursorSql = upsertSql("pull_cursors", cols(CursorColumns), "location_id");
const QString UpsertCustomFieldSql = upsertSql("custom_fields", cols(CustomFieldColumns), "location_id, id");

} // namespace

ContactStore::ContactStore(Database &db) : m_db(db), m_statements(std::make_unique<Statements>()) {}

ContactStore::~ContactStore() = default;

bool ContactStore::fail(const QString &what, const QSqlError &error)
{
    const QString detail = error.databaseText().simplified();
    return fail(what, detail.isEmpty() ? error.driverText() : detail);
}

bool ContactStore::fail(const QString &what, const QString &driverDetail)
{
    QString detail = driverDetail.simplified();
    while (detail.endsWith(QLatin1Char('.')))
        detail.chop(1);
    m_error =
        detail.isEmpty() ? what + QLatin1Char('.') : QStringLiteral("%1: %2.").arg(what, m_db.redact(detail));
    return false;
}

QSqlQuery *ContactStore::statement(const QString &sql)
{
    auto it = m_statements->bySql.find(sql);
    if (it != m_statements->bySql.end())
        return it->second.get();
    auto q = std::make_unique<QSqlQuery>(m_db.connection());
    q->setForwardOnly(true); // Qt would otherwise keep every row it has read
    if (!q->prepare(sql)) {
        fail(tr("The local database could not prepare a query"), q->lastError());
        return nullptr;
    }
    return m_statements->bySql.emplace(sql, std::move(q)).first->second.get();
}

bool ContactStore::execPrepared(QSqlQuery &q, const QString &what)
{
    if (q.exec())
        return true;
    return fail(what, q.lastError());
}

bool ContactStore::execForIds(const QString &sqlPattern, const QStringList &ids,
                              const std::function<void(QSqlQuery &)> &eachRow)
{
    for (qsizetype start = 0; start < ids.size();) {
        const int chunk = ids.size() - start <= SmallChunk ? SmallChunk : LargeChunk;
        QSqlQuery *q = statement(sqlPattern.arg(placeholders(chunk)));
        if (!q)
            return false;
        for (int i = 0; i < chunk; ++i)
            q->bindValue(i, start + i < ids.size() ? QVariant(ids.at(start + i))
                                                   : NullValue); // NULL matches nothing
        if (!execPrepared(*q, tr("The local database could not read or update records")))
            return false;
        if (eachRow) {
            while (q->next())
                eachRow(*q);
            q->finish();
        }
        start += chunk;
    }
    return true;
}

bool ContactStore::writeContact(QSqlQuery &upsert, const Contact &c, const QString &locationId,
                                const QString &seenByPullId)
{
    QString sortLast = lowercase(c.lastName);
    QString sortFirst = lowercase(c.firstName);
    if (sortLast.isEmpty() && sortFirst.isEmpty())
        sortLast = lowercase(c.displayName()); // nameless contacts sort by name or email, not all first
    upsert.bindValue(0, c.id);
    upsert.bindValue(1, nonNull(c.locationId.isEmpty() ? locationId : c.locationId));
    upsert.bindValue(2, c.firstName);
    upsert.bindValue(3, c.lastName);
    upsert.bindValue(4, c.name);
    upsert.bindValue(5, c.email);
    upsert.bindValue(6, c.phone);
    upsert.bindValue(7, c.companyName);
    upsert.bindValue(8, c.address1);
    upsert.bindValue(9, c.city);
    upsert.bindValue(10, c.state);
    upsert.bindValue(11, c.postalCode);
    upsert.bindValue(12, c.country);
    upsert.bindValue(13, c.website);
    upsert.bindValue(14, c.timezone);
    upsert.bindValue(15, c.source);
    upsert.bindValue(16, c.type);
    upsert.bindValue(17, c.assignedTo);
    upsert.bindValue(18, c.businessId);
    upsert.bindValue(19, c.dateOfBirth);
    upsert.bindValue(20, c.dnd ? 1 : 0);
    upsert.bindValue(21, jsonStringArray(c.tags));
    upsert.bindValue(22, json::toMs(c.dateAdded));
    upsert.bindValue(23, json::toMs(c.dateUpdated));
    upsert.bindValue(24, seenByPullId.isEmpty() ? NullValue : QVariant(seenByPullId));
    upsert.bindValue(25, nonNull(sortKey(sortLast).toString()));
    upsert.bindValue(26, nonNull(sortKey(sortFirst).toString()));
    upsert.bindValue(27, nonNull(searchText(c)));
    return execPrepared(upsert, tr("Could not save the contact %1").arg(c.id));
}

bool ContactStore::insertCustomValues(const QList<Contact> &contacts)
{
    // The last occurrence of a contact (and of a field within it) wins, as it would with one upsert
    // per row; duplicates must go before a multi-row INSERT, where they would violate the key.
    QHash<QString, qsizetype> lastOccurrence;
    lastOccurrence.reserve(contacts.size());
    for (qsizetype i = 0; i < contacts.size(); ++i)
        lastOccurrence.insert(contacts.at(i).id, i);
    struct Row
    {
        const QString *contactId;
        const QString *fieldId;
        int position;
        QVariant value;
    };
    QList<Row> rows;
    rows.reserve(contacts.size() * 4);
    for (qsizetype i = 0; i < contacts.size(); ++i) {
        const Contact &c = contacts.at(i);
        if (lastOccurrence.value(c.id) != i)
            continue;
        for (int f = 0; f < c.customFields.size(); ++f) {
            const CustomFieldValue &v = c.customFields.at(f);
            bool repeated = false;
            for (int later = f + 1; later < c.customFields.size() && !repeated; ++later)
                repeated = c.customFields.at(later).fieldId == v.fieldId;
            if (!repeated)
                rows.append({&c.id, &v.fieldId, f, customValueToColumn(v.value)});
        }
    }
    // Several rows per statement: Qt's per-execution overhead is larger than SQLite's per-row work.
    // Statement sizes are powers of two so that a handful of prepared statements cover any count.
    for (qsizetype start = 0; start < rows.size();) {
        int chunk = 64;
        while (chunk > rows.size() - start)
            chunk /= 2;
        QSqlQuery *q =
            statement(QStringLiteral("INSERT INTO contact_custom_values (contact_id, field_id, position, "
                                     "value_json) VALUES %1")
                          .arg(QStringList(chunk, QStringLiteral("(?,?,?,?)")).join(QLatin1Char(','))));
        if (!q)
            return false;
        for (int i = 0; i < chunk; ++i) {
            const Row &r = rows.at(start + i);
            q->bindValue(4 * i, *r.contactId);
            q->bindValue(4 * i + 1, nonNull(*r.fieldId));
            q->bindValue(4 * i + 2, r.position);
            q->bindValue(4 * i + 3, r.value);
        }
        if (!execPrepared(*q, tr("Could not save the custom field values of the contact %1")
                                  .arg(*rows.at(start).contactId)))
            return false;
        start += chunk;
    }
    return true;
}

bool ContactStore::writePullBatch(const PullBatch &batch)
{
    m_error.clear();
    for (const Contact &c : batch.contacts) {
        if (c.id.isEmpty()) {
            m_error = tr("A contact without an id cannot be stored; nothing of this page was saved.");
            return false;
        }
    }
    if (SqliteStatements *native = sqliteStatements())
        return writePullBatchSqlite(*native, batch);
    if (!m_error.isEmpty())
        return false;

    QStringList contactIds;
    contactIds.reserve(batch.contacts.size());
    for (const Contact &c : batch.contacts)
        contactIds << c.id;
    QStringList parentIds;
    for (const ContactChildren &ch : batch.children)
        parentIds << ch.contactId;

    QSqlQuery *upsert = statement(UpsertContactSql);
    QSqlQuery *upsertTask = statement(UpsertTaskSql);
    QSqlQuery *upsertNote = statement(UpsertNoteSql);
    QSqlQuery *upsertAppointment = statement(UpsertAppointmentSql);
    QSqlQuery *upsertCursor = statement(UpsertCursorSql);
    if (!upsert || !upsertTask || !upsertNote || !upsertAppointment || !upsertCursor)
        return false;

    Transaction tx(m_db.connection());
    if (!tx.isOpen())
        return fail(tr("Could not start writing to the local database"), m_db.connection().lastError());

    // Custom values and children are replaced wholesale: whatever GHL no longer has must go.
    if (!execForIds(QStringLiteral("DELETE FROM contact_custom_values WHERE contact_id IN (%1)"), contactIds))
        return false;
    for (const Contact &c : batch.contacts)
        if (!writeContact(*upsert, c, batch.locationId, batch.seenByPullId))
            return false;
    if (!insertCustomValues(batch.contacts))
        return false;

    if (!parentIds.isEmpty()) {
        for (const char *table : {"tasks", "notes", "appointments"}) {
            const QString sql = QLatin1String("DELETE FROM ") + QLatin1String(table) +
                                QLatin1String(" WHERE contact_id IN (%1)");
            if (!execForIds(sql, parentIds))
                return false;
        }
    }
    for (const ContactChildren &ch : batch.children) {
        for (const Task &t : ch.tasks) {
            bindTask(*upsertTask, t, ch.contactId);
            if (!execPrepared(*upsertTask,
                              tr("Could not save the task %1 of the contact %2").arg(t.id, ch.contactId)))
                return false;
        }
        for (const Note &n : ch.notes) {
            bindNote(*upsertNote, n, ch.contactId);
            if (!execPrepared(*upsertNote,
                              tr("Could not save the note %1 of the contact %2").arg(n.id, ch.contactId)))
                return false;
        }
        for (const Appointment &a : ch.appointments) {
            bindAppointment(*upsertAppointment, a, ch.contactId);
            if (!execPrepared(
                    *upsertAppointment,
                    tr("Could not save the appointment %1 of the contact %2").arg(a.id, ch.contactId)))
                return false;
        }
    }

    if (batch.cursor) {
        const QString location =
            batch.cursor->locationId.isEmpty() ? batch.locationId : batch.cursor->locationId;
        bindCursor(*upsertCursor, *batch.cursor, location);
        if (!execPrepared(*upsertCursor,
                          tr("Could not save where the pull of location %1 stands").arg(location)))
            return false;
    }

    if (!tx.commit())
        return fail(tr("Could not commit the pulled contacts to the local database"),
                    m_db.connection().lastError());
    return true;
}

QHash<QString, qint64> ContactStore::storedDateUpdated(const QStringList &contactIds)
{
    m_error.clear();
    QHash<QString, qint64> out;
    out.reserve(contactIds.size());
    if (SqliteStatements *native = sqliteStatements())
        return storedDateUpdatedSqlite(*native, contactIds, out) ? out : QHash<QString, qint64>();
    if (!m_error.isEmpty())
        return {};
    const bool ok =
        execForIds(QStringLiteral("SELECT id, date_updated_ms FROM contacts WHERE id IN (%1)"), contactIds,
                   [&out](QSqlQuery &q) { out.insert(q.value(0).toString(), q.value(1).toLongLong()); });
    return ok ? out : QHash<QString, qint64>();
}

int ContactStore::deleteContactsNotSeenBy(const QString &locationId, const QString &pullId)
{
    m_error.clear();
    if (pullId.isEmpty()) {
        m_error = tr("Cannot remove the contacts missed by a full pull without the id of that pull.");
        return -1;
    }
    QSqlQuery *q = statement(QStringLiteral(
        "DELETE FROM contacts WHERE location_id = ? AND (last_seen_pull IS NULL OR last_seen_pull <> ?)"));
    if (!q)
        return -1;
    q->bindValue(0, locationId);
    q->bindValue(1, pullId);
    // One statement: the cascades to children happen atomically with it.
    if (!execPrepared(*q, tr("Could not remove the contacts deleted in GHL from the local database")))
        return -1;
    return q->numRowsAffected();
}

std::optional<PullCursor> ContactStore::pullCursor(const QString &locationId)
{
    m_error.clear();
    QSqlQuery *q = statement(QStringLiteral("SELECT %1 FROM pull_cursors WHERE location_id = ?")
                                 .arg(QLatin1String(CursorColumns)));
    if (!q)
        return std::nullopt;
    q->bindValue(0, locationId);
    if (!execPrepared(*q, tr("Could not read where the pull of location %1 stands").arg(locationId)))
        return std::nullopt;
    std::optional<PullCursor> out;
    if (q->next()) {
        PullCursor c;
        c.locationId = q->value(0).toString();
        c.updatedUpToMs = q->value(1).toLongLong();
        c.fullPullId = q->value(2).toString();
        c.fullSearchAfter = arrayFromJson(q->value(3).toString());
        c.lastPullFinishedMs = q->value(4).toLongLong();
        out = c;
    }
    q->finish();
    return out;
}

bool ContactStore::savePullCursor(const PullCursor &cursor)
{
    m_error.clear();
    QSqlQuery *q = statement(UpsertCursorSql);
    if (!q)
        return false;
    bindCursor(*q, cursor, cursor.locationId);
    return execPrepared(*q, tr("Could not save where the pull of location %1 stands").arg(cursor.locationId));
}

bool ContactStore::replaceCustomFields(const QString &locationId, const QList<CustomField> &fields)
{
    m_error.clear();
    QSqlQuery *clear = statement(QStringLiteral("DELETE FROM custom_fields WHERE location_id = ?"));
    QSqlQuery *insert = statement(UpsertCustomFieldSql);
    if (!clear || !insert)
        return false;
    Transaction tx(m_db.connection());
    if (!tx.isOpen())
        return fail(tr("Could not start writing to the local database"), m_db.connection().lastError());
    const QString what = tr("Could not save the custom field definitions of location %1").arg(locationId);
    clear->bindValue(0, locationId);
    if (!execPrepared(*clear, what))
        return false;
    for (const CustomField &f : fields) {
        insert->bindValue(0, locationId);
        insert->bindValue(1, nonNull(f.id));
        insert->bindValue(2, f.name);
        insert->bindValue(3, f.fieldKey);
        insert->bindValue(4, f.dataType);
        insert->bindValue(5, f.model);
        insert->bindValue(6, f.position);
        insert->bindValue(7, jsonStringArray(f.picklistOptions));
        if (!execPrepared(*insert, what))
            return false;
    }
    if (!tx.commit())
        return fail(what, m_db.connection().lastError());
    return true;
}

QList<CustomField> ContactStore::customFields(const QString &locationId)
{
    m_error.clear();
    QList<CustomField> out;
    QSqlQuery *q =
        statement(QStringLiteral("SELECT %1 FROM custom_fields WHERE location_id = ? ORDER BY position, id")
                      .arg(QLatin1String(CustomFieldColumns)));
    if (!q)
        return out;
    q->bindValue(0, locationId);
    if (!execPrepared(*q, tr("Could not read the custom field definitions of location %1").arg(locationId)))
        return out;
    while (q->next()) {
        CustomField f;
        f.locationId = q->value(0).toString();
        f.id = q->value(1).toString();
        f.name = q->value(2).toString();
        f.fieldKey = q->value(3).toString();
        f.dataType = q->value(4).toString();
        f.model = q->value(5).toString();
        f.position = q->value(6).toInt();
        f.picklistOptions = stringsFromJson(q->value(7).toString());
        out << f;
    }
    q->finish();
    return out;
}

bool ContactStore::loadCustomValues(QList<Contact> &contacts)
{
    if (contacts.isEmpty())
        return true;
    QHash<QString, qsizetype> index;
    QStringList ids;
    for (qsizetype i = 0; i < contacts.size(); ++i) {
        index.insert(contacts.at(i).id, i);
        ids << contacts.at(i).id;
    }
    return execForIds(
        QStringLiteral("SELECT contact_id, field_id, value_json FROM contact_custom_values "
                       "WHERE contact_id IN (%1) ORDER BY contact_id, position"),
        ids, [&](QSqlQuery &q) {
            const qsizetype i = index.value(q.value(0).toString(), -1);
            if (i >= 0)
                contacts[i].customFields.append({q.value(1).toString(), customValueFromColumn(q.value(2))});
        });
}

namespace {

QString contactFilter(const ContactQuery &query, Database::Kind kind)
{
    QStringList where;
    if (!query.locationId.isEmpty())
        where << QStringLiteral("location_id = ?");
    // search_text is lower-case already: a plain substring test is enough, and several times
    // cheaper per row than LIKE, which folds case and parses the pattern for every row.
    if (!query.search.trimmed().isEmpty())
        where << (kind == Database::Kind::SQLite ? QStringLiteral("instr(search_text, ?) > 0")
                                                 : QStringLiteral("strpos(search_text, ?) > 0"));
    return where.isEmpty() ? QString() : QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
}

int bindFilter(QSqlQuery &q, const ContactQuery &query)
{
    int pos = 0;
    if (!query.locationId.isEmpty())
        q.bindValue(pos++, query.locationId);
    if (!query.search.trimmed().isEmpty())
        q.bindValue(pos++, query.search.trimmed().toLower());
    return pos;
}

/// The ORDER BY of a contact list. Each order has an index (schema version 3) whose expressions
/// match these exactly, so a page is read in index order; ids break ties so paging is stable.
QString orderBy(const ContactQuery &query, bool searching)
{
    QStringList keys;
    switch (query.sort) {
    case ContactSort::Name: keys = {QStringLiteral("sort_last"), QStringLiteral("sort_first")}; break;
    case ContactSort::Email: keys = {QStringLiteral("LOWER(email)")}; break;
    case ContactSort::Phone: keys = {QStringLiteral("phone")}; break;
    case ContactSort::Company: keys = {QStringLiteral("LOWER(company_name)")}; break;
    case ContactSort::City: keys = {QStringLiteral("LOWER(city)")}; break;
    case ContactSort::DateAdded: keys = {QStringLiteral("date_added_ms")}; break;
    case ContactSort::DateUpdated: keys = {QStringLiteral("date_updated_ms")}; break;
    }
    keys << QStringLiteral("id");
    if (searching) // see contacts(): keeps the index out of a search
        keys.first() += QStringLiteral(" || ''");
    if (query.descending)
        for (QString &k : keys)
            k += QStringLiteral(" DESC");
    return keys.join(QStringLiteral(", "));
}

} // namespace

QList<Contact> ContactStore::contacts(const ContactQuery &query)
{
    m_error.clear();
    QList<Contact> out;
    // Without a search, the ORDER BY matches the index (location_id, sort_last, sort_first, id), so a
    // page is read in index order instead of sorting the location. With a search, walking that index
    // would visit the rows in random order until enough match (slow for a rare term); `|| ''` hides
    // the index from the ORDER BY so that SQLite scans the table in order and sorts only the matches.
    const bool searching = !query.search.trimmed().isEmpty();
    QSqlQuery *q = statement(QStringLiteral("SELECT %1 FROM contacts%2 ORDER BY %3 LIMIT ? OFFSET ?")
                                 .arg(QLatin1String(ContactColumns), contactFilter(query, m_db.kind()), orderBy(query, searching)));
    if (!q)
        return out;
    const int pos = bindFilter(*q, query);
    q->bindValue(pos, query.limit > 0 ? qint64(query.limit) : std::numeric_limits<qint64>::max());
    q->bindValue(pos + 1, qint64(std::max(0, query.offset)));
    if (!execPrepared(*q, tr("Could not read the contacts from the local database")))
        return out;
    while (q->next())
        out << readContact(*q);
    q->finish();
    if (!loadCustomValues(out))
        return {};
    return out;
}

int ContactStore::countContacts(const ContactQuery &query)
{
    m_error.clear();
    QSqlQuery *q = statement(QStringLiteral("SELECT COUNT(*) FROM contacts%1").arg(contactFilter(query, m_db.kind())));
    if (!q)
        return -1;
    bindFilter(*q, query);
    if (!execPrepared(*q, tr("Could not count the contacts in the local database")))
        return -1;
    const int n = q->next() ? q->value(0).toInt() : 0;
    q->finish();
    return n;
}

std::optional<Contact> ContactStore::contact(const QString &contactId)
{
    m_error.clear();
    QSqlQuery *q =
        statement(QStringLiteral("SELECT %1 FROM contacts WHERE id = ?").arg(QLatin1String(ContactColumns)));
    if (!q)
        return std::nullopt;
    q->bindValue(0, contactId);
    if (!execPrepared(*q, tr("Could not read the contact %1 from the local database").arg(contactId)))
        return std::nullopt;
    QList<Contact> found;
    if (q->next())
        found << readContact(*q);
    q->finish();
    if (found.isEmpty() || !loadCustomValues(found))
        return std::nullopt;
    return found.constFirst();
}

QHash<QString, ContactChildren> ContactStore::children(const QStringList &contactIds)
{
    m_error.clear();
    QHash<QString, ContactChildren> out;
    out.reserve(contactIds.size());
    for (const QString &id : contactIds)
        out.insert(id, ContactChildren{id, {}, {}, {}});
    // A few queries per chunk of ids instead of three per contact: planning a location reads
    // the children of every contact.
    constexpr qsizetype Chunk = 500;
    for (qsizetype from = 0; from < contactIds.size(); from += Chunk) {
        const QStringList ids = contactIds.mid(from, Chunk);
        QStringList marks;
        marks.reserve(ids.size());
        for (qsizetype i = 0; i < ids.size(); ++i)
            marks << QStringLiteral("?");
        const QString in = marks.join(QLatin1Char(','));
        struct Part
        {
            const char *columns;
            const char *table;
            const char *order;
        };
        for (const Part &part : {Part{TaskColumns, "tasks", "due_date_ms, id"},
                                 Part{NoteColumns, "notes", "date_added_ms DESC, id"},
                                 Part{AppointmentColumns, "appointments", "start_ms, id"}}) {
            QSqlQuery q(m_db.connection());
            q.setForwardOnly(true);
            q.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE contact_id IN (%3) ORDER BY contact_id, %4")
                          .arg(QLatin1String(part.columns), QLatin1String(part.table), in, QLatin1String(part.order)));
            for (qsizetype i = 0; i < ids.size(); ++i)
                q.bindValue(int(i), ids.at(i));
            if (!execPrepared(q, tr("Could not read the tasks, notes and appointments of the contacts")))
                return {};
            while (q.next()) {
                const QString contactId = q.value(1).toString();
                ContactChildren &c = out[contactId];
                if (part.table[0] == 't')
                    c.tasks << readTask(q);
                else if (part.table[0] == 'n')
                    c.notes << readNote(q);
                else
                    c.appointments << readAppointment(q);
            }
        }
    }
    return out;
}

QList<Task> ContactStore::tasks(const QString &contactId)
{
    m_error.clear();
    QList<Task> out;
    QSqlQuery *q =
        statement(QStringLiteral("SELECT %1 FROM tasks WHERE contact_id = ? ORDER BY due_date_ms, id")
                      .arg(QLatin1String(TaskColumns)));
    if (!q)
        return out;
    q->bindValue(0, contactId);
    if (!execPrepared(*q, tr("Could not read the tasks of the contact %1").arg(contactId)))
        return out;
    while (q->next()) {
        out << readTask(*q);
    }
    q->finish();
    return out;
}

QList<Note> ContactStore::notes(const QString &contactId)
{
    m_error.clear();
    QList<Note> out;
    // Newest first, as GHL and the app show notes.
    QSqlQuery *q =
        statement(QStringLiteral("SELECT %1 FROM notes WHERE contact_id = ? ORDER BY date_added_ms DESC, id")
                      .arg(QLatin1String(NoteColumns)));
    if (!q)
        return out;
    q->bindValue(0, contactId);
    if (!execPrepared(*q, tr("Could not read the notes of the contact %1").arg(contactId)))
        return out;
    while (q->next()) {
        out << readNote(*q);
    }
    q->finish();
    return out;
}

QList<Appointment> ContactStore::appointments(const QString &contactId)
{
    m_error.clear();
    QList<Appointment> out;
    QSqlQuery *q =
        statement(QStringLiteral("SELECT %1 FROM appointments WHERE contact_id = ? ORDER BY start_ms, id")
                      .arg(QLatin1String(AppointmentColumns)));
    if (!q)
        return out;
    q->bindValue(0, contactId);
    if (!execPrepared(*q, tr("Could not read the appointments of the contact %1").arg(contactId)))
        return out;
    while (q->next()) {
        out << readAppointment(*q);
    }
    q->finish();
    return out;
}

bool ContactStore::upsertContact(const Contact &contact)
{
    m_error.clear();
    if (contact.id.isEmpty()) {
        m_error = tr("A contact without an id cannot be stored.");
        return false;
    }
    QSqlQuery *upsert = statement(UpsertContactSql);
    QSqlQuery *clearValues =
        statement(QStringLiteral("DELETE FROM contact_custom_values WHERE contact_id = ?"));
    if (!upsert || !clearValues)
        return false;
    Transaction tx(m_db.connection());
    if (!tx.isOpen())
        return fail(tr("Could not start writing to the local database"), m_db.connection().lastError());
    clearValues->bindValue(0, contact.id);
    if (!execPrepared(*clearValues, tr("Could not save the contact %1").arg(contact.id)) ||
        !writeContact(*upsert, contact, contact.locationId, QString()) || !insertCustomValues({contact}))
        return false;
    if (!tx.commit())
        return fail(tr("Could not save the contact %1").arg(contact.id), m_db.connection().lastError());
    return true;
}

bool ContactStore::removeContact(const QString &contactId)
{
    m_error.clear();
    QSqlQuery *q = statement(QStringLiteral("DELETE FROM contacts WHERE id = ?"));
    if (!q)
        return false;
    q->bindValue(0, contactId);
    return execPrepared(*q, tr("Could not remove the contact %1 from the local database").arg(contactId));
}

bool ContactStore::upsertTask(const Task &task)
{
    m_error.clear();
    QSqlQuery *q = statement(UpsertTaskSql);
    if (!q)
        return false;
    bindTask(*q, task, task.contactId);
    return execPrepared(*q, tr("Could not save the task %1 of the contact %2").arg(task.id, task.contactId));
}

bool ContactStore::removeTask(const QString &taskId)
{
    m_error.clear();
    QSqlQuery *q = statement(QStringLiteral("DELETE FROM tasks WHERE id = ?"));
    if (!q)
        return false;
    q->bindValue(0, taskId);
    return execPrepared(*q, tr("Could not remove the task %1 from the local database").arg(taskId));
}

bool ContactStore::upsertNote(const Note &note)
{
    m_error.clear();
    QSqlQuery *q = statement(UpsertNoteSql);
    if (!q)
        return false;
    bindNote(*q, note, note.contactId);
    return execPrepared(*q, tr("Could not save the note %1 of the contact %2").arg(note.id, note.contactId));
}

bool ContactStore::removeNote(const QString &noteId)
{
    m_error.clear();
    QSqlQuery *q = statement(QStringLiteral("DELETE FROM notes WHERE id = ?"));
    if (!q)
        return false;
    q->bindValue(0, noteId);
    return execPrepared(*q, tr("Could not remove the note %1 from the local database").arg(noteId));
}

bool ContactStore::upsertAppointment(const Appointment &appointment)
{
    m_error.clear();
    QSqlQuery *q = statement(UpsertAppointmentSql);
    if (!q)
        return false;
    bindAppointment(*q, appointment, appointment.contactId);
    return execPrepared(
        *q,
        tr("Could not save the appointment %1 of the contact %2").arg(appointment.id, appointment.contactId));
}

bool ContactStore::removeAppointment(const QString &appointmentId)
{
    m_error.clear();
    QSqlQuery *q = statement(QStringLiteral("DELETE FROM appointments WHERE id = ?"));
    if (!q)
        return false;
    q->bindValue(0, appointmentId);
    return execPrepared(*q,
                        tr("Could not remove the appointment %1 from the local database").arg(appointmentId));
}

// --- The native SQLite path ------------------------------------------------------------------

namespace {

/// Whether another value of the same field follows the one at `index` (the last one wins).
bool repeatedLater(const QList<CustomFieldValue> &values, qsizetype index)
{
    for (qsizetype later = index + 1; later < values.size(); ++later)
        if (values.at(later).fieldId == values.at(index).fieldId)
            return true;
    return false;
}

std::string_view view(const QByteArray &utf8)
{
    return {utf8.constData(), size_t(utf8.size())};
}

} // namespace

ContactStore::SqliteStatements *ContactStore::sqliteStatements()
{
    if (m_statements->sqlite)
        return m_statements->sqlite.get();
    if (m_db.kind() != Database::Kind::SQLite || m_statements->sqliteUnavailable)
        return nullptr;
    QString why;
    sqlite3 *db = store::nativeSqliteHandle(m_db.connection(), &why);
    if (!db) {
        qCWarning(lcStore) << "Pull batches go through Qt Sql, which is slower:" << why;
        m_statements->sqliteUnavailable = true;
        return nullptr;
    }
    auto s = std::make_unique<SqliteStatements>();
    const QString insertValueSql = QStringLiteral(
        "INSERT INTO contact_custom_values (contact_id, field_id, position, value_json) VALUES (?,?,?,?)");
    const QString lookupSql = QStringLiteral("SELECT id, date_updated_ms FROM contacts WHERE id IN (%1)");
    const std::pair<store::SqliteStatement *, QString> all[] = {
        {&s->upsertContact, UpsertContactSql},
        {&s->clearValues, QStringLiteral("DELETE FROM contact_custom_values WHERE contact_id = ?")},
        {&s->insertValue, insertValueSql},
        {&s->clearTasks, QStringLiteral("DELETE FROM tasks WHERE contact_id = ?")},
        {&s->clearNotes, QStringLiteral("DELETE FROM notes WHERE contact_id = ?")},
        {&s->clearAppointments, QStringLiteral("DELETE FROM appointments WHERE contact_id = ?")},
        {&s->upsertTask, UpsertTaskSql},
        {&s->upsertNote, UpsertNoteSql},
        {&s->upsertAppointment, UpsertAppointmentSql},
        {&s->upsertCursor, UpsertCursorSql},
        {&s->lookupSmall, lookupSql.arg(placeholders(SmallChunk))},
        {&s->lookupLarge, lookupSql.arg(placeholders(LargeChunk))},
    };
    for (const auto &[statement, sql] : all) {
        QString detail;
        if (!statement->prepare(db, sql, &detail)) {
            fail(tr("The local database could not prepare a query"), detail);
            return nullptr;
        }
    }
    m_statements->sqlite = std::move(s);
    return m_statements->sqlite.get();
}

bool ContactStore::writePullBatchSqlite(SqliteStatements &s, const PullBatch &batch)
{
    // The same steps as the Qt path, in the transaction that Qt opens on this very connection.
    Transaction tx(m_db.connection());
    if (!tx.isOpen())
        return fail(tr("Could not start writing to the local database"), m_db.connection().lastError());

    const QByteArray location = batch.locationId.toUtf8(); // non-null: binds '' for a null location
    const QByteArray seenBy = batch.seenByPullId.toUtf8();
    for (const Contact &c : batch.contacts)
        if (!writeContactSqlite(s, c, view(location), seenBy.isEmpty() ? std::string_view() : view(seenBy)))
            return false;

    // Children are replaced wholesale: first every old child of the fetched contacts, then the new ones.
    store::Utf8Arena &arena = s.arena;
    QString detail;
    for (const ContactChildren &ch : batch.children) {
        arena.clear();
        const std::string_view contactId = arena.text(ch.contactId);
        for (store::SqliteStatement *clear : {&s.clearTasks, &s.clearNotes, &s.clearAppointments}) {
            clear->bindText(0, contactId);
            if (!clear->exec(&detail))
                return fail(tr("Could not replace the tasks, notes and appointments of the contact %1")
                                .arg(ch.contactId),
                            detail);
        }
    }
    for (const ContactChildren &ch : batch.children)
        if (!writeChildrenSqlite(s, ch))
            return false;

    if (batch.cursor) {
        const PullCursor &c = *batch.cursor;
        const QString &cursorLocation = c.locationId.isEmpty() ? batch.locationId : c.locationId;
        arena.clear();
        store::SqliteStatement &q = s.upsertCursor;
        q.bindText(0, arena.text(cursorLocation));
        q.bindInt(1, c.updatedUpToMs);
        q.bindText(2, arena.text(c.fullPullId));
        q.bindText(3, c.fullSearchAfter.isEmpty()
                          ? std::string_view()
                          : arena.bytes(QJsonDocument(c.fullSearchAfter).toJson(QJsonDocument::Compact)));
        q.bindInt(4, c.lastPullFinishedMs);
        if (!q.exec(&detail))
            return fail(tr("Could not save where the pull of location %1 stands").arg(cursorLocation),
                        detail);
    }

    if (!tx.commit())
        return fail(tr("Could not commit the pulled contacts to the local database"),
                    m_db.connection().lastError());
    return true;
}

bool ContactStore::writeContactSqlite(SqliteStatements &s, const Contact &c, std::string_view batchLocation,
                                      std::string_view seenByPullId)
{
    // Every string of the contact is converted to UTF-8 once, into the arena, and bound from there.
    store::Utf8Arena &a = s.arena;
    a.clear();
    QString detail;
    const std::string_view id = a.text(c.id);

    // Custom values are replaced wholesale: whatever GHL no longer has must go.
    s.clearValues.bindText(0, id);
    if (!s.clearValues.exec(&detail))
        return fail(tr("Could not save the custom field values of the contact %1").arg(c.id), detail);

    QString sortLast = lowercase(c.lastName);
    const QString sortFirst = lowercase(c.firstName);
    if (sortLast.isEmpty() && sortFirst.isEmpty())
        sortLast = lowercase(c.displayName()); // nameless contacts sort by name or email, not all first
    store::SqliteStatement &q = s.upsertContact;
    q.bindText(0, id);
    q.bindText(1, c.locationId.isEmpty() ? batchLocation : a.nonNullText(c.locationId));
    q.bindText(2, a.text(c.firstName));
    q.bindText(3, a.text(c.lastName));
    q.bindText(4, a.text(c.name));
    q.bindText(5, a.text(c.email));
    q.bindText(6, a.text(c.phone));
    q.bindText(7, a.text(c.companyName));
    q.bindText(8, a.text(c.address1));
    q.bindText(9, a.text(c.city));
    q.bindText(10, a.text(c.state));
    q.bindText(11, a.text(c.postalCode));
    q.bindText(12, a.text(c.country));
    q.bindText(13, a.text(c.website));
    q.bindText(14, a.text(c.timezone));
    q.bindText(15, a.text(c.source));
    q.bindText(16, a.text(c.type));
    q.bindText(17, a.text(c.assignedTo));
    q.bindText(18, a.text(c.businessId));
    q.bindText(19, a.text(c.dateOfBirth));
    q.bindInt(20, c.dnd ? 1 : 0);
    q.bindText(21, a.jsonStringArray(c.tags));
    q.bindInt(22, json::toMs(c.dateAdded));
    q.bindInt(23, json::toMs(c.dateUpdated));
    q.bindText(24, seenByPullId); // NULL keeps the mark of a full pull under way
    q.bindText(25, a.nonNullText(sortKey(sortLast)));
    q.bindText(26, a.nonNullText(sortKey(sortFirst)));
    q.bindText(27, a.nonNullText(searchText(c)));
    if (!q.exec(&detail))
        return fail(tr("Could not save the contact %1").arg(c.id), detail);

    // One row per statement: without Qt in between, an execution costs less than a multi-row INSERT's
    // parsing. A contact that comes twice in a batch has its values replaced by the later copy.
    store::SqliteStatement &v = s.insertValue;
    for (qsizetype f = 0; f < c.customFields.size(); ++f) {
        const CustomFieldValue &value = c.customFields.at(f);
        if (repeatedLater(c.customFields, f))
            continue;
        v.bindText(0, id);
        v.bindText(1, a.nonNullText(value.fieldId));
        v.bindInt(2, f);
        v.bindText(3, a.json(value.value)); // NULL for undefined, as customValueToColumn
        if (!v.exec(&detail))
            return fail(tr("Could not save the custom field values of the contact %1").arg(c.id), detail);
    }
    return true;
}

bool ContactStore::writeChildrenSqlite(SqliteStatements &s, const ContactChildren &ch)
{
    store::Utf8Arena &a = s.arena;
    a.clear(); // holds the children of this contact until the next one
    QString detail;
    const std::string_view contactId = a.text(ch.contactId);
    for (const Task &t : ch.tasks) {
        store::SqliteStatement &q = s.upsertTask;
        q.bindText(0, a.text(t.id));
        q.bindText(1, contactId);
        q.bindText(2, a.text(t.title));
        q.bindText(3, a.text(t.body));
        q.bindText(4, a.text(t.assignedTo));
        q.bindInt(5, json::toMs(t.dueDate));
        q.bindInt(6, t.completed ? 1 : 0);
        if (!q.exec(&detail))
            return fail(tr("Could not save the task %1 of the contact %2").arg(t.id, ch.contactId), detail);
    }
    for (const Note &n : ch.notes) {
        store::SqliteStatement &q = s.upsertNote;
        q.bindText(0, a.text(n.id));
        q.bindText(1, contactId);
        q.bindText(2, a.text(n.title));
        q.bindText(3, a.text(n.body));
        q.bindText(4, a.text(n.userId));
        q.bindInt(5, json::toMs(n.dateAdded));
        if (!q.exec(&detail))
            return fail(tr("Could not save the note %1 of the contact %2").arg(n.id, ch.contactId), detail);
    }
    for (const Appointment &ap : ch.appointments) {
        store::SqliteStatement &q = s.upsertAppointment;
        q.bindText(0, a.text(ap.id));
        q.bindText(1, contactId);
        q.bindText(2, a.text(ap.calendarId));
        q.bindText(3, a.text(ap.title));
        q.bindText(4, a.text(ap.status));
        q.bindText(5, a.text(ap.appointmentStatus));
        q.bindText(6, a.text(ap.address));
        q.bindText(7, a.text(ap.notes));
        q.bindText(8, a.text(ap.assignedUserId));
        q.bindInt(9, json::toMs(ap.startTime));
        q.bindInt(10, json::toMs(ap.endTime));
        q.bindInt(11, json::toMs(ap.dateAdded));
        q.bindInt(12, json::toMs(ap.dateUpdated));
        if (!q.exec(&detail))
            return fail(tr("Could not save the appointment %1 of the contact %2").arg(ap.id, ch.contactId),
                        detail);
    }
    return true;
}

bool ContactStore::storedDateUpdatedSqlite(SqliteStatements &s, const QStringList &contactIds,
                                           QHash<QString, qint64> &out)
{
    QString detail;
    for (qsizetype start = 0; start < contactIds.size();) {
        const bool small = contactIds.size() - start <= SmallChunk;
        const int chunk = small ? SmallChunk : LargeChunk;
        store::SqliteStatement &q = small ? s.lookupSmall : s.lookupLarge;
        s.arena.clear();
        for (int i = 0; i < chunk; ++i) {
            if (start + i < contactIds.size())
                q.bindText(i, s.arena.text(contactIds.at(start + i)));
            else
                q.bindNull(i); // NULL matches nothing
        }
        for (;;) {
            const store::SqliteStatement::Step step = q.step(&detail);
            if (step == store::SqliteStatement::Step::Done)
                break;
            if (step == store::SqliteStatement::Step::Failed)
                return fail(tr("The local database could not read or update records"), detail);
            out.insert(q.columnText(0), q.columnInt(1));
        }
        start += chunk;
    }
    return true;
}

} // namespace lb
