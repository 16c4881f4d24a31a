#include "Cli.h"

#include "store/Database.h"
#include "store/SyncStore.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>

namespace lb::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::cli::Log", text);
}

QString when(qint64 ms)
{
    if (ms <= 0)
        return QStringLiteral("-");
    return QLocale::c().toString(QDateTime::fromMSecsSinceEpoch(ms).toLocalTime(),
                                 QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString pad(const QString &text, int width)
{
    return text.size() >= width ? text.left(width - 1) + QLatin1Char(' ') : text.leftJustified(width);
}

QJsonObject runJson(const SyncRunRecord &r)
{
    return QJsonObject{{QStringLiteral("id"), double(r.id)},
                       {QStringLiteral("locationId"), r.locationId},
                       {QStringLiteral("mode"), r.mode},
                       {QStringLiteral("dryRun"), r.dryRun},
                       {QStringLiteral("startedMs"), double(r.startedMs)},
                       {QStringLiteral("finishedMs"), double(r.finishedMs)},
                       {QStringLiteral("status"), r.status},
                       {QStringLiteral("summary"), r.summary},
                       {QStringLiteral("error"), r.error}};
}

} // namespace

int runLog(Context &ctx)
{
    QCommandLineParser parser;
    const QCommandLineOption run(QStringLiteral("run"), tr("Show the records of this run."), tr("id"));
    const QCommandLineOption failed(QStringLiteral("failed"),
                                    tr("Only records that failed or were invalid."));
    const QCommandLineOption warnings(QStringLiteral("warnings"),
                                      tr("Only records sent with a value not exactly as GHL has it."));
    const QCommandLineOption location(QStringLiteral("location"), tr("Only runs of this GHL location."),
                                      tr("id"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   tr("At most this many runs or records (default 50 runs, all records)."),
                                   tr("n"));
    parser.addOptions({run, failed, warnings, location, limit});
    int code = ExitOk;
    if (!ctx.parse(parser, tr("Shows the sync log: the runs, or what happened to each record of one run."),
                   &code))
        return code;
    Database *db = ctx.database();
    if (!db)
        return ExitUsage;
    SyncStore store(*db);
    bool ok = true;
    const int max = parser.isSet(limit) ? parser.value(limit).toInt(&ok) : 0;
    if (!ok || max < 0) {
        Context::err(tr("--limit needs a positive number."));
        return ExitUsage;
    }

    if (!parser.isSet(run)) {
        const QList<SyncRunRecord> runs = store.runs(parser.value(location), max > 0 ? max : 50);
        if (!store.error().isEmpty()) {
            Context::err(store.error());
            return ExitUsage;
        }
        if (ctx.json()) {
            QJsonArray items;
            for (const SyncRunRecord &r : runs)
                items.append(runJson(r));
            Context::outJson(QJsonObject{{QStringLiteral("runs"), items}});
            return ExitOk;
        }
        Context::out(pad(tr("Run"), 6) + pad(tr("Started"), 21) + pad(tr("Mode"), 13) +
                     pad(tr("Status"), 16) + tr("Records"));
        for (const SyncRunRecord &r : runs) {
            QStringList counts;
            const QJsonObject records = r.summary.value(QStringLiteral("records")).toObject();
            for (auto kind = records.begin(); kind != records.end(); ++kind) {
                const QJsonObject outcomes = kind.value().toObject();
                for (auto o = outcomes.begin(); o != outcomes.end(); ++o)
                    if (o.value().toInt() > 0)
                        counts << QStringLiteral("%1 %2 %3").arg(o.value().toInt()).arg(kind.key(), o.key());
            }
            const QString mode = r.mode + (r.dryRun ? tr(" (dry)") : QString());
            Context::out(pad(QString::number(r.id), 6) + pad(when(r.startedMs), 21) + pad(mode, 13) +
                         pad(r.status, 16) + counts.join(QStringLiteral(", ")));
        }
        if (runs.isEmpty())
            Context::out(tr("No sync has run yet."));
        return ExitOk;
    }

    const qint64 runId = parser.value(run).toLongLong(&ok);
    const std::optional<SyncRunRecord> record = ok ? store.run(runId) : std::nullopt;
    if (!record) {
        Context::err(store.error().isEmpty() ? tr("There is no run %1.").arg(parser.value(run))
                                             : store.error());
        return ExitUsage;
    }
    EventQuery query;
    query.runId = runId;
    query.failuresOnly = parser.isSet(failed);
    query.warningsOnly = parser.isSet(warnings);
    query.limit = max > 0 ? max : 1000000;
    const QList<SyncEvent> events = store.events(query);
    if (ctx.json()) {
        QJsonArray items;
        for (const SyncEvent &e : events)
            items.append(QJsonObject{{QStringLiteral("kind"), e.kind},
                                     {QStringLiteral("ghlId"), e.ghlId},
                                     {QStringLiteral("saleshandyId"), e.shId},
                                     {QStringLiteral("outcome"), e.outcome},
                                     {QStringLiteral("reason"), e.reason},
                                     {QStringLiteral("requestIds"), QJsonArray::fromStringList(e.requestIds)},
                                     {QStringLiteral("warnings"), warningsJson(e.warnings)}});
        QJsonObject o = runJson(*record);
        o.insert(QStringLiteral("events"), items);
        Context::outJson(o);
        return ExitOk;
    }
    Context::out(
        tr("Run %1 (%2, %3), started %4, %5")
            .arg(record->id)
            .arg(record->mode, record->status, when(record->startedMs),
                 record->finishedMs ? tr("finished %1").arg(when(record->finishedMs)) : tr("not finished")));
    if (!record->error.isEmpty())
        Context::out(record->error);
    for (const SyncEvent &e : events) {
        Context::out(pad(e.kind, 12) + pad(e.outcome, 16) + pad(e.ghlId, 22) + pad(e.shId, 14) + e.reason +
                     (e.requestIds.isEmpty()
                          ? QString()
                          : QStringLiteral("  [%1]").arg(e.requestIds.join(QLatin1Char(' ')))));
        printWarnings(e.warnings);
    }
    if (events.isEmpty())
        Context::out(query.failuresOnly   ? tr("No record failed in this run.")
                     : query.warningsOnly ? tr("No record of this run was sent with a warning.")
                                          : tr("This run has no records."));
    return ExitOk;
}

} // namespace lb::cli
