#include "store/Database.h"

#include "store/Migrations.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

#include <atomic>

Q_LOGGING_CATEGORY(lcStore, "lb.store")

namespace lb {

namespace {

constexpr int BusyTimeoutMs = 5000;
// Any constant will do; it only has to be the same for every LeadBridge, so that two processes
// opening one PostgreSQL database at the same moment do not both run the same migration.
constexpr qint64 MigrationLockKey = 0x4c42'4d49'4752; // "LBMIGR"

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::Database", text);
}

bool isPostgresUrl(const QString &spec)
{
    return spec.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
           spec.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

/// The driver's message as one line without the trailing "Unable to connect"-style boilerplate
/// that Qt appends, so it reads as the end of our sentence.
QString driverMessage(const QSqlError &e)
{
    QString text = e.databaseText().simplified();
    if (text.isEmpty())
        text = e.driverText().simplified();
    while (text.endsWith(QLatin1Char('.')))
        text.chop(1);
    return text;
}

QString quoteConnectOption(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('\''), QLatin1String("\\'"));
    return QLatin1Char('\'') + v + QLatin1Char('\'');
}

} // namespace

Database::~Database()
{
    if (m_connectionName.isEmpty())
        return;
    m_db.close();
    m_db = QSqlDatabase(); // the last handle must go before removeDatabase, or Qt warns and leaks it
    QSqlDatabase::removeDatabase(m_connectionName);
}

QString Database::defaultPath(const QString &profile)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(dir).filePath(QStringLiteral("profiles/%1/leadbridge.sqlite").arg(profile));
}

int Database::latestSchemaVersion()
{
    return store::latestSchemaVersion();
}

std::unique_ptr<Database> Database::open(const QString &spec, QString *error)
{
    static std::atomic<int> serial{0};
    std::unique_ptr<Database> db(new Database);
    db->m_connectionName = QStringLiteral("leadbridge-store-%1").arg(++serial);

    const QString trimmed = spec.trimmed();
    const bool ok = isPostgresUrl(trimmed)
                        ? db->openPostgres(trimmed, error)
                        : db->openSqlite(trimmed.isEmpty() ? defaultPath() : trimmed, error);
    if (!ok || !db->migrate(error))
        return nullptr;
    return db;
}

bool Database::openSqlite(const QString &path, QString *error)
{
    m_kind = Kind::SQLite;
    m_description = path;
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QSQLITE"))) {
        *error = tr("SQLite support is missing from this installation (Qt's QSQLITE driver); "
                    "install the package libqt6sql6-sqlite.");
        return false;
    }
    const bool inMemory = path == QLatin1String(":memory:");
    if (!inMemory) {
        const QFileInfo info(path);
        if (!QDir().mkpath(info.absolutePath())) {
            *error = tr("Could not create the folder %1 for the local database.")
                         .arg(QDir::toNativeSeparators(info.absolutePath()));
            return false;
        }
        m_description = QDir::toNativeSeparators(info.absoluteFilePath());
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    m_db.setDatabaseName(path);
    m_db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
    if (!m_db.open()) {
        *error = tr("Could not open the local database %1: %2.")
                     .arg(m_description, driverMessage(m_db.lastError()));
        return false;
    }
    // WAL lets the GUI read while a sync writes; NORMAL is durable enough with WAL (a power cut can
    // lose the last commits but never corrupts), and much faster than FULL for batch writes.
    // SQLite leaves foreign keys off unless each connection asks, and the cascades rely on them.
    const char *pragmas[] = {"PRAGMA journal_mode=WAL",  "PRAGMA synchronous=NORMAL",
                             "PRAGMA foreign_keys=ON",   "PRAGMA busy_timeout=5000",
                             "PRAGMA cache_size=-32000", "PRAGMA temp_store=MEMORY"};
    for (const char *pragma : pragmas) {
        QSqlQuery q(m_db);
        if (!q.exec(QLatin1String(pragma))) {
            *error = tr("The file %1 is not a usable SQLite database (%2). Choose another file or move this "
                        "one away.")
                         .arg(m_description, driverMessage(q.lastError()));
            return false;
        }
    }
    return true;
}

bool Database::openPostgres(const QString &spec, QString *error)
{
    m_kind = Kind::PostgreSQL;
    m_description = redactSpec(spec);
    const QUrl url(spec, QUrl::StrictMode);
    const QString dbName = url.path(QUrl::FullyDecoded).mid(1);
    if (!url.isValid() || dbName.isEmpty() || dbName.contains(QLatin1Char('/'))) {
        *error = tr("The database address %1 is not a valid PostgreSQL URL; expected "
                    "postgresql://user:password@host:port/database.")
                     .arg(m_description);
        return false;
    }
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL"))) {
        *error = tr("PostgreSQL support is missing from this installation (Qt's QPSQL driver); "
                    "install the package libqt6sql6-psql.");
        return false;
    }
    m_password = url.password(QUrl::FullyDecoded);

    QString schema;
    QStringList options;
    bool hasTimeout = false;
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("schema")) {
            schema = value;
            continue;
        }
        if (!QRegularExpression(QStringLiteral("^[a-z_]+$")).match(key).hasMatch()) {
            *error = tr("The database address %1 has an unknown parameter \"%2\".").arg(m_description, key);
            return false;
        }
        hasTimeout = hasTimeout || key == QLatin1String("connect_timeout");
        options << key + QLatin1Char('=') + quoteConnectOption(value);
    }
    if (!hasTimeout)
        options << QStringLiteral("connect_timeout=10"); // libpq would otherwise wait for the OS (minutes)
    if (!schema.isEmpty() &&
        !QRegularExpression(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]{0,62}$")).match(schema).hasMatch()) {
        *error = tr("The schema name \"%1\" in the database address is not valid: use letters, digits and "
                    "underscores.")
                     .arg(schema);
        return false;
    }

    m_db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    m_db.setHostName(url.host(QUrl::FullyDecoded));
    m_db.setPort(url.port(5432));
    m_db.setDatabaseName(dbName);
    m_db.setUserName(url.userName(QUrl::FullyDecoded));
    m_db.setPassword(m_password);
    m_db.setConnectOptions(options.join(QLatin1Char(';')));
    if (!m_db.open()) {
        *error = tr("Could not connect to the PostgreSQL database %1: %2.")
                     .arg(m_description, redact(driverMessage(m_db.lastError())));
        return false;
    }
    QStringList setup{QStringLiteral("SET client_min_messages TO warning")};
    if (!schema.isEmpty()) {
        setup << QStringLiteral("CREATE SCHEMA IF NOT EXISTS \"%1\"").arg(schema)
              << QStringLiteral("SET search_path TO \"%1\"").arg(schema);
    }
    for (const QString &sql : std::as_const(setup)) {
        QSqlQuery q(m_db);
        if (!q.exec(sql)) {
            *error = tr("Could not prepare the PostgreSQL database %1: %2.")
                         .arg(m_description, redact(driverMessage(q.lastError())));
            return false;
        }
    }
    return true;
}

QString Database::redact(const QString &text) const
{
    QString out = text;
    if (!m_password.isEmpty())
        out.replace(m_password, QStringLiteral("***"));
    return out;
}

QString Database::redactSpec(const QString &spec)
{
    if (!isPostgresUrl(spec.trimmed()))
        return spec;
    QString s = spec.trimmed();
    const int authority = s.indexOf(QLatin1String("://")) + 3;
    // The last '@' ends the user info even when an unencoded '@' sits in the password.
    const int at = s.lastIndexOf(QLatin1Char('@'));
    if (at < authority)
        return s;
    const int colon = s.indexOf(QLatin1Char(':'), authority);
    if (colon < 0 || colon > at)
        return s;
    return s.left(colon) + s.mid(at); // drop ":password", keep the user
}

int Database::schemaVersion() const
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT version FROM schema_version WHERE id = 1")) || !q.next())
        return 0;
    return q.value(0).toInt();
}

bool Database::migrate(QString *error)
{
    // One transaction per step, so an interrupted upgrade leaves a consistent, older version.
    for (;;) {
        int reached = 0;
        if (!migrateOneStep(&reached, error))
            return false;
        if (reached >= latestSchemaVersion())
            return true;
    }
}

bool Database::migrateOneStep(int *reachedVersion, QString *error)
{
    auto run = [](QSqlQuery &q, const QString &sql) { return q.exec(sql); };
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    // Sentences take %1 = the database, %2 = the driver's message, %3 = the version being applied.
    auto fail = [&](const QString &sentence, int version = 0) {
        *error = sentence.arg(m_description, redact(driverMessage(q.lastError())), QString::number(version));
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        return false;
    };

    // SQLite: IMMEDIATE takes the write lock up front, so that the version read below cannot go
    // stale before we write (a deferred transaction would fail to upgrade instead of waiting).
    // PostgreSQL: the advisory lock serialises concurrent migrations, released at commit.
    const bool sqlite = m_kind == Kind::SQLite;
    if (!run(q, sqlite ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("BEGIN")))
        return fail(tr("Could not start updating the database %1: %2."));
    if (!sqlite && !run(q, QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(MigrationLockKey)))
        return fail(tr("Could not lock the database %1 for its update: %2."));
    if (!run(q, QStringLiteral("CREATE TABLE IF NOT EXISTS schema_version (id INTEGER NOT NULL PRIMARY KEY, "
                               "version INTEGER NOT NULL, updated_ms BIGINT NOT NULL)")))
        return fail(tr("Could not read the schema version of the database %1: %2."));
    if (!run(q, QStringLiteral("SELECT version FROM schema_version WHERE id = 1")))
        return fail(tr("Could not read the schema version of the database %1: %2."));
    const int current = q.next() ? q.value(0).toInt() : 0;
    q.finish();

    const int latest = latestSchemaVersion();
    if (current > latest) {
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
        *error =
            tr("The database %1 has schema version %2, but this LeadBridge knows schema version %3 at most: "
               "it was written by a newer LeadBridge. Update LeadBridge to open it.")
                .arg(m_description, QString::number(current), QString::number(latest));
        return false;
    }
    if (current == latest) {
        *reachedVersion = current;
        if (!run(q, QStringLiteral("COMMIT")))
            return fail(tr("Could not finish checking the database %1: %2."));
        return true;
    }

    const store::Migration &step = store::migrations().at(current); // versions are 1, 2, ... without gaps
    Q_ASSERT(step.version == current + 1);
    qCInfo(lcStore) << "Updating" << m_description << "from schema version" << current << "to"
                    << step.version;
    for (const char *sql : step.statements) {
        if (!run(q, QString::fromUtf8(sql)))
            return fail(tr("Could not update the database %1 to schema version %3: %2."), step.version);
    }
    q.prepare(current == 0
                  ? QStringLiteral("INSERT INTO schema_version (id, version, updated_ms) VALUES (1, ?, ?)")
                  : QStringLiteral("UPDATE schema_version SET version = ?, updated_ms = ? WHERE id = 1"));
    q.addBindValue(step.version);
    q.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!q.exec())
        return fail(tr("Could not record schema version %3 in the database %1: %2."), step.version);
    if (!run(q, QStringLiteral("COMMIT")))
        return fail(tr("Could not update the database %1 to schema version %3: %2."), step.version);
    *reachedVersion = step.version;
    return true;
}

} // namespace lb
