#pragma once

#include <QList>

namespace lb::store {

/// One step of the schema: the statements that take a database from `version - 1` to `version`.
/// The SQL is portable between SQLite and PostgreSQL (TEXT, BIGINT, INTEGER; booleans as 0/1),
/// so that team mode shares the exact schema of the desktop store.
struct Migration
{
    int version = 0;
    QList<const char *> statements;
};

/// Every step, in ascending version order without gaps. A released step is never edited:
/// a change to the schema is a new step at the end.
[[nodiscard]] const QList<Migration> &migrations();
/// The version that the last step leaves, i.e. the newest schema this build understands.
[[nodiscard]] int latestSchemaVersion();

} // namespace lb::store
