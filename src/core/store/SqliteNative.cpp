#include "store/SqliteNative.h"

#include <QCborValue>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlQuery>
#include <QVariant>

#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <limits>

namespace lb::store {

namespace {

// Most rows of a batch fit in one chunk many times over; a huge value gets a chunk of its own.
constexpr qsizetype ChunkSize = 64 * 1024;

// Worst cases per UTF-16 code unit: three UTF-8 bytes, or six for an escaped control character.
constexpr qsizetype Utf8PerUnit = 3;
constexpr qsizetype JsonPerUnit = 6;

} // namespace

sqlite3 *nativeSqliteHandle(const QSqlDatabase &db, QString *why)
{
    const QSqlDriver *driver = db.driver();
    const QVariant handle = driver && db.isOpen() ? driver->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0) {
        *why = QStringLiteral("the connection is not an open QSQLITE connection");
        return nullptr;
    }
    sqlite3 *native = *static_cast<sqlite3 *const *>(handle.constData());
    if (!native) {
        *why = QStringLiteral("the QSQLITE connection has no handle");
        return nullptr;
    }
    // The build links the shared libsqlite3 that Debian's QSQLITE plugin loads, so both are one
    // library instance. A Qt built with its bundled SQLite (as Qt's own binaries on Windows and macOS
    // are) shows another source id through its driver: then the handle must not be touched.
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT sqlite_source_id()")) || !q.next()) {
        *why = QStringLiteral("the SQLite version of the QSQLITE driver could not be read");
        return nullptr;
    }
    const QString driverSource = q.value(0).toString();
    const QString linkedSource = QString::fromLatin1(sqlite3_sourceid());
    if (driverSource != linkedSource) {
        *why = QStringLiteral("the QSQLITE driver uses SQLite %1, this build links SQLite %2")
                   .arg(driverSource, linkedSource);
        return nullptr;
    }
    return native;
}

// --- Utf8Arena -------------------------------------------------------------------------------

char *Utf8Arena::space(qsizetype n)
{
    for (;;) {
        if (m_current == m_chunks.size()) {
            const qsizetype size = std::max(ChunkSize, n);
            m_chunks.push_back({std::make_unique<char[]>(size), size});
            m_used = 0;
        }
        Chunk &chunk = m_chunks[m_current];
        if (chunk.size - m_used >= n)
            return chunk.data.get() + m_used;
        if (m_used == 0) {
            // Nothing of this chunk is in use: it can be replaced by a larger one.
            chunk = {std::make_unique<char[]>(n), n};
            return chunk.data.get();
        }
        ++m_current;
        m_used = 0;
    }
}

std::string_view Utf8Arena::commit(char *begin, char *end)
{
    m_used += end - begin;
    return {begin, size_t(end - begin)};
}

void Utf8Arena::clear()
{
    // Keep the regular chunks for the next row; let go of the ones made for a huge value.
    m_chunks.erase(
        std::remove_if(m_chunks.begin(), m_chunks.end(), [](const Chunk &c) { return c.size > ChunkSize; }),
        m_chunks.end());
    m_current = 0;
    m_used = 0;
}

std::string_view Utf8Arena::text(const QString &s)
{
    if (s.isNull())
        return {};
    return nonNullText(s);
}

std::string_view Utf8Arena::nonNullText(QStringView s)
{
    char *begin = space(s.size() * Utf8PerUnit + 1); // + 1: an empty string still gets a non-null pointer
    return commit(begin, m_utf8.appendToBuffer(begin, s));
}

char *Utf8Arena::writeJsonString(char *out, QStringView s)
{
    static const char hex[] = "0123456789abcdef";
    *out++ = '"';
    qsizetype run = 0; // start of the characters that need no escape; escapes are ASCII, so a run
                       // never splits a surrogate pair
    for (qsizetype i = 0; i < s.size(); ++i) {
        const char16_t u = s[i].unicode();
        if (u >= 0x20 && u != u'"' && u != u'\\')
            continue;
        out = m_utf8.appendToBuffer(out, s.sliced(run, i - run));
        *out++ = '\\';
        if (u == u'"' || u == u'\\') {
            *out++ = char(u);
        } else {
            *out++ = 'u';
            *out++ = '0';
            *out++ = '0';
            *out++ = hex[u >> 4];
            *out++ = hex[u & 0xf];
        }
        run = i + 1;
    }
    out = m_utf8.appendToBuffer(out, s.sliced(run));
    *out++ = '"';
    return out;
}

std::string_view Utf8Arena::jsonString(QStringView s)
{
    char *begin = space(2 + s.size() * JsonPerUnit);
    return commit(begin, writeJsonString(begin, s));
}

std::string_view Utf8Arena::jsonStringArray(const QStringList &list)
{
    qsizetype needed = 2;
    for (const QString &s : list)
        needed += 3 + s.size() * JsonPerUnit;
    char *begin = space(needed);
    char *out = begin;
    *out++ = '[';
    for (qsizetype i = 0; i < list.size(); ++i) {
        if (i)
            *out++ = ',';
        out = writeJsonString(out, list.at(i));
    }
    *out++ = ']';
    return commit(begin, out);
}

std::string_view Utf8Arena::bytes(QByteArrayView b)
{
    char *begin = space(b.size() + 1);
    std::copy(b.begin(), b.end(), begin);
    return commit(begin, begin + b.size());
}

void Utf8Arena::appendJsonString(QStringView s)
{
    const size_t start = m_json.size();
    m_json.resize(start + 2 + size_t(s.size()) * JsonPerUnit);
    char *end = writeJsonString(m_json.data() + start, s);
    m_json.resize(size_t(end - m_json.data()));
}

void Utf8Arena::appendJson(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Undefined: // not JSON; QJsonDocument writes it as null inside an array too
    case QJsonValue::Null:
        m_json += "null";
        return;
    case QJsonValue::Bool:
        m_json += v.toBool() ? "true" : "false";
        return;
    case QJsonValue::String:
        appendJsonString(v.toString());
        return;
    case QJsonValue::Double: {
        const QCborValue number = QCborValue::fromJsonValue(v);
        if (number.isInteger()) {
            char digits[24];
            const auto [end, ec] = std::to_chars(digits, digits + sizeof digits, number.toInteger());
            Q_ASSERT(ec == std::errc());
            m_json.append(digits, end);
        } else {
            // Fractions, exponents and non-finite values exactly as Qt writes them.
            const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
            m_json.append(wrapped.constData() + 1, size_t(wrapped.size() - 2));
        }
        return;
    }
    case QJsonValue::Array: {
        const QJsonArray array = v.toArray();
        m_json += '[';
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                m_json += ',';
            appendJson(array.at(i));
        }
        m_json += ']';
        return;
    }
    case QJsonValue::Object: {
        const QJsonObject object = v.toObject();
        m_json += '{';
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (it != object.begin())
                m_json += ',';
            appendJsonString(it.key());
            m_json += ':';
            appendJson(it.value());
        }
        m_json += '}';
        return;
    }
    }
}

std::string_view Utf8Arena::json(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Undefined:
        return {};
    case QJsonValue::String: {
        const QString s = v.toString();
        return jsonString(s);
    }
    default:
        m_json.clear();
        appendJson(v);
        return bytes(QByteArrayView(m_json.data(), qsizetype(m_json.size())));
    }
}

// --- SqliteStatement -------------------------------------------------------------------------

SqliteStatement::~SqliteStatement()
{
    finalize();
}

bool SqliteStatement::prepare(sqlite3 *db, const QString &sql, QString *error)
{
    finalize();
    const QByteArray utf8 = sql.toUtf8();
    const int rc = sqlite3_prepare_v3(db, utf8.constData(), int(utf8.size()) + 1, SQLITE_PREPARE_PERSISTENT,
                                      &m_stmt, nullptr);
    if (rc == SQLITE_OK && m_stmt)
        return true;
    *error = QString::fromUtf8(sqlite3_errmsg(db));
    sqlite3_finalize(m_stmt);
    m_stmt = nullptr;
    return false;
}

void SqliteStatement::finalize()
{
    sqlite3_finalize(m_stmt); // a no-op on null
    m_stmt = nullptr;
    m_bindError = 0;
}

void SqliteStatement::bindText(int index, std::string_view utf8)
{
    int rc;
    if (!utf8.data())
        rc = sqlite3_bind_null(m_stmt, index + 1);
    else if (utf8.size() > size_t(std::numeric_limits<int>::max()))
        rc = SQLITE_TOOBIG;
    else
        rc = sqlite3_bind_text(m_stmt, index + 1, utf8.data(), int(utf8.size()), SQLITE_STATIC);
    if (rc != SQLITE_OK && !m_bindError)
        m_bindError = rc;
}

void SqliteStatement::bindInt(int index, qint64 value)
{
    const int rc = sqlite3_bind_int64(m_stmt, index + 1, value);
    if (rc != SQLITE_OK && !m_bindError)
        m_bindError = rc;
}

void SqliteStatement::bindNull(int index)
{
    const int rc = sqlite3_bind_null(m_stmt, index + 1);
    if (rc != SQLITE_OK && !m_bindError)
        m_bindError = rc;
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    // Bound text points into buffers that are about to be reused or freed.
    sqlite3_clear_bindings(m_stmt);
    m_bindError = 0;
}

bool SqliteStatement::exec(QString *error)
{
    switch (step(error)) {
    case Step::Done:
        return true;
    case Step::Row:
        reset(); // not a statement for exec(); its rows are of no interest
        return true;
    case Step::Failed:
        break;
    }
    return false;
}

SqliteStatement::Step SqliteStatement::step(QString *error)
{
    if (m_bindError) {
        *error = QString::fromUtf8(sqlite3_errstr(m_bindError));
        reset();
        return Step::Failed;
    }
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return Step::Row;
    if (rc == SQLITE_DONE) {
        reset();
        return Step::Done;
    }
    // Read the message before the reset, which may replace it.
    *error = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(m_stmt)));
    reset();
    return Step::Failed;
}

QString SqliteStatement::columnText(int index) const
{
    const auto *text = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, index));
    if (!text)
        return {};
    return QString::fromUtf8(text, sqlite3_column_bytes(m_stmt, index));
}

qint64 SqliteStatement::columnInt(int index) const
{
    return sqlite3_column_int64(m_stmt, index);
}

} // namespace lb::store
