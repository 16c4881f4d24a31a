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
    /// An empty spec means defaultPath(). A PostgreSQL URL may carry libpq parameters as its query
    /// (`?sslmode=require&connect_timeout=5`) and `schema=NAME`, which keeps LeadBridge's tables in
    /// that schema (created if missing), e.g. for several teams or test runs in one database.
    [[nodiscard]] static std::unique_ptr<Database> open(const QString &spec, QString *error);
    /// The default SQLite path for a profile, under QStandardPaths::AppDataLocation.
    [[nodiscard]] static QString defaultPath(const QString &profile = QStringLiteral("default"));

    [[nodiscard]] QSqlDatabase &connection() { return m_db; }
    [[nodiscard]] Kind kind() const { return m_kind; }
    [[nodiscard]] int schemaVersion() const;
    [[nodiscard]] static int latestSchemaVersion();
    /// A redacted description for messages and logs: never includes a password.
    [[nodiscard]] QString description() const { return m_description; }
    /// `text` (typically a driver's error message) with this connection's password masked.
    [[nodiscard]] QString redact(const QString &text) const;
    /// A database spec with the password of a URL masked; a path is returned as it is.
    [[nodiscard]] static QString redactSpec(const QString &spec);

private:
    Database() = default;
    [[nodiscard]] bool openSqlite(const QString &path, QString *error);
    [[nodiscard]] bool openPostgres(const QString &url, QString *error);
    [[nodiscard]] bool migrate(QString *error);
    [[nodiscard]] bool migrateOneStep(int *reachedVersion, QString *error);

    QSqlDatabase m_db;
    QString m_connectionName;
    QString m_description;
    // Kept only to mask it in messages: drivers may echo connection parameters in their errors.
    QString m_password;
    Kind m_kind = Kind::SQLite;
};

} // namespace lb
