#pragma once

#include <QByteArrayView>
#include <QJsonValue>
#include <QString>
#include <QStringConverter>
#include <QStringList>

#include <memory>
#include <string_view>
#include <vector>

class QSqlDatabase;
struct sqlite3;
struct sqlite3_stmt;

// The SQLite C API under Qt's QSQLITE driver, for the store's hot batch writes: Qt 6 spends about
// 0.8 µs per bound value in QSqlResult::bindValue, more than SQLite spends writing the row.
namespace lb::store {

/// The sqlite3* of an open QSQLITE connection, or null with the reason in `why`. Only a handle of
/// the very SQLite library this build links is returned: using another library's handle is
/// undefined behaviour, so a Qt with its own bundled SQLite falls back to the Qt path.
[[nodiscard]] sqlite3 *nativeSqliteHandle(const QSqlDatabase &db, QString *why);

/// UTF-8 copies of strings, made for binding with SQLITE_STATIC: the views handed out stay valid
/// until clear(), and the memory is reused from row to row, so that a batch allocates almost nothing.
class Utf8Arena final
{
public:
    Utf8Arena() = default;
    Utf8Arena(const Utf8Arena &) = delete;
    Utf8Arena &operator=(const Utf8Arena &) = delete;

    /// `s` as UTF-8; a null QString gives a view whose data() is null, which binds as SQL NULL.
    [[nodiscard]] std::string_view text(const QString &s);
    /// `s` as UTF-8, never null: for NOT NULL columns, where an empty string is ''.
    [[nodiscard]] std::string_view nonNullText(QStringView s);
    /// `s` as a JSON string, quoted and escaped like ContactStore's JSON columns.
    [[nodiscard]] std::string_view jsonString(QStringView s);
    /// `list` as a JSON array of strings.
    [[nodiscard]] std::string_view jsonStringArray(const QStringList &list);
    /// A copy of bytes that are UTF-8 already.
    [[nodiscard]] std::string_view bytes(QByteArrayView b);
    /// `v` as compact JSON, read back by QJsonDocument as an equal value; undefined gives a null view.
    [[nodiscard]] std::string_view json(const QJsonValue &v);
    /// Invalidates every view handed out; keeps the memory, except for chunks made for huge values.
    void clear();

private:
    /// Room for `n` bytes at the end of the current chunk (or of a new one); commit what was used.
    [[nodiscard]] char *space(qsizetype n);
    [[nodiscard]] std::string_view commit(char *begin, char *end);
    [[nodiscard]] char *writeJsonString(char *out, QStringView s);
    void appendJson(const QJsonValue &v);
    void appendJsonString(QStringView s);

    struct Chunk
    {
        std::unique_ptr<char[]> data;
        qsizetype size = 0;
    };
    std::vector<Chunk> m_chunks;
    size_t m_current = 0;
    qsizetype m_used = 0;
    QStringEncoder m_utf8{QStringEncoder::Utf8, QStringEncoder::Flag::Stateless};
    std::string m_json; // where json() builds a value of unknown length, before copying it here
};

/// One prepared statement of the native API (SQLITE_PREPARE_PERSISTENT), finalized with the object.
/// Parameter and column indexes start at 0, as with QSqlQuery. Text is bound with SQLITE_STATIC:
/// the bytes must stay valid until exec() or the end of the rows has reset the statement.
class SqliteStatement final
{
public:
    enum class Step { Row, Done, Failed };

    SqliteStatement() = default;
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    [[nodiscard]] bool prepare(sqlite3 *db, const QString &sql, QString *error);
    void finalize();

    /// A view with a null data() binds SQL NULL.
    void bindText(int index, std::string_view utf8);
    void bindInt(int index, qint64 value);
    void bindNull(int index);

    /// Runs a statement that returns no rows, then resets it and clears its bindings, whatever the
    /// outcome. On failure, `error` gets SQLite's message.
    [[nodiscard]] bool exec(QString *error);
    /// The next row of a query; at Done or Failed the statement is reset and its bindings cleared.
    [[nodiscard]] Step step(QString *error);
    [[nodiscard]] QString columnText(int index) const;
    [[nodiscard]] qint64 columnInt(int index) const;

private:
    void reset();

    sqlite3_stmt *m_stmt = nullptr;
    int m_bindError = 0; // the first failed bind since the last reset; reported by exec()/step()
};

} // namespace lb::store
