#pragma once

#include <QSqlDatabase>
#include <QString>

#include <memory>

namespace lb {

/// One connection to the local store: SQLite (a file path, the default) or PostgreSQL
/// (`postgresql://user:password@host:port/dbname`, team mode). Same schema on both, with
/// versioned migrations. Not thread-safe: one Database per thread.
class Database final
{
public:
    enum class Kind { SQLite, PostgreSQL };

    ~Database();
    Database(const Database &) = delete;
    Database &operator=(const Database &) = delete;

    /// Opens (creating a SQLite file and its folder if needed) and migrates to the latest schema.
    /// Returns null with a sentence in `error` when it cannot: unreachable server, bad URL,
    /// or a database written by a newer LeadBridge ("... schema version 7, this LeadBridge knows 3 ...").
    [[nodiscard]] static std::unique_ptr<Database> open(const QString &spec, QString *error);
    /// The default SQLite path for a profile, under QStandardPaths::AppDataLocation.
    [[nodiscard]] static QString defaultPath(const QString &profile = QStringLiteral("default"));

    [[nodiscard]] QSqlDatabase &connection() { return m_db; }
    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] int schemaVersion() const;
    [[nodiscard]] static int latestSchemaVersion();
    /// A redacted description for messages and logs: never includes a password.
    [[nodiscard]] QString description() const { return m_description; }

private:
    Database() = default;
    [[nodiscard]] bool migrate(QString *error);

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_description;
    Kind m_kind = Kind::SQLite;
};

} // namespace lb
