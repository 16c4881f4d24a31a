#include "Cli.h"

#include "api/ghl/GhlClient.h"
#include "api/saleshandy/SaleshandyClient.h"
#include "net/ServiceScheduler.h"
#include "store/Database.h"
#include "store/SyncStore.h"
#include "sync/MappingFile.h"
#include "sync/SyncEngine.h"

#include <QFile>
#include <QSaveFile>
#include <QTextStream>

#include <algorithm>

#include <memory>

namespace lb::cli {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::cli::Sync", text);
}

/// The mapping of a run: the file given, else the newest saved in the store, else the default.
bool loadMapping(SyncStore &store, const QString &locationId, const QString &path, FieldMapping *mapping)
{
    QByteArray json;
    QString source;
    if (!path.isEmpty()) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            Context::err(tr("The mapping file %1 could not be read: %2").arg(path, file.errorString()));
            return false;
        }
        json = file.readAll();
        source = path;
    } else if (const auto saved = store.latestMapping(locationId)) {
        json = *saved;
        source = tr("the saved mapping");
    } else if (const auto shared = store.latestMapping(QString())) {
        json = *shared;
        source = tr("the saved mapping");
    } else {
        *mapping = FieldMapping::defaultMapping();
        return true;
    }
    MappingFileError error;
    const std::optional<FieldMapping> parsed = MappingFile::fromJson(json, &error);
    if (!parsed) {
        Context::err(tr("%1 is not a usable mapping: %2").arg(source, error.toString()));
        return false;
    }
    *mapping = *parsed;
    return true;
}

QString pad(const QString &text, int width)
{
    return text.size() >= width ? text.left(width - 1) + QLatin1Char(' ') : text.leftJustified(width);
}

void printPlan(const SyncPlan &plan)
{
    for (const ProspectChange &p : plan.prospects) {
        switch (p.action) {
        case ProspectChange::Action::Unchanged:
            continue;
        case ProspectChange::Action::Invalid:
            Context::out(pad(tr("invalid"), 10) + pad(p.ghlContactId, 22) + p.reason);
            continue;
        case ProspectChange::Action::Merged:
            Context::out(pad(tr("merged"), 10) + pad(p.ghlContactId, 22) + p.email + QStringLiteral("  (") +
                         p.reason + QLatin1Char(')'));
            continue;
        case ProspectChange::Action::Deleted:
            Context::out(pad(tr("deleted"), 10) + pad(p.ghlContactId, 22) + p.email + QStringLiteral("  (") +
                         p.reason + QLatin1Char(')'));
            continue;
        case ProspectChange::Action::Create:
        case ProspectChange::Action::Update:
            break;
        }
        const bool create = p.action == ProspectChange::Action::Create && !p.previous;
        Context::out(pad(create ? tr("create") : tr("update"), 10) + pad(p.ghlContactId, 22) + p.email +
                     (p.reason.isEmpty() ? QString() : QStringLiteral("  (") + p.reason + QLatin1Char(')')));
        for (const FieldChange &c : p.changes)
            Context::out(QStringLiteral("            %1: %2 -> %3")
                             .arg(c.label,
                                  c.before.isEmpty() ? tr("(empty)")
                                                     : QLatin1Char('\'') + c.before + QLatin1Char('\''),
                                  c.after.isEmpty() ? tr("(empty)")
                                                    : QLatin1Char('\'') + c.after + QLatin1Char('\'')));
        if (!p.addedTags.isEmpty())
            Context::out(QStringLiteral("            ") +
                         tr("tags added: %1").arg(p.addedTags.join(QStringLiteral(", "))));
        if (!p.removedTags.isEmpty())
            Context::out(QStringLiteral("            ") +
                         tr("tags removed: %1").arg(p.removedTags.join(QStringLiteral(", "))));
        printWarnings(p.mapped.warnings);
    }
    for (const ChildChange &c : plan.children) {
        if (c.action == ChildChange::Action::Unchanged || c.action == ChildChange::Action::Invalid)
            continue;
        QString what;
        switch (c.action) {
        case ChildChange::Action::Create:
        case ChildChange::Action::ReadBackThenCreate:
            what = tr("create");
            break;
        case ChildChange::Action::UpdateText:
            what = tr("update");
            break;
        case ChildChange::Action::Complete:
            what = tr("complete");
            break;
        case ChildChange::Action::Skip:
            what = tr("skip");
            break;
        case ChildChange::Action::MarkDeleted:
            what = tr("mark deleted");
            break;
        default:
            break;
        }
        QString text = c.text;
        text.replace(QLatin1Char('\n'), QLatin1Char(' '));
        if (text.size() > 60)
            text = text.left(59) + QChar(0x2026);
        Context::out(pad(what, 10) + pad(c.kind, 6) + pad(c.ghlId, 22) + text);
        if (c.action == ChildChange::Action::Create || c.action == ChildChange::Action::ReadBackThenCreate ||
            c.action == ChildChange::Action::UpdateText)
            printWarnings(c.warnings);
    }
}

/// Runs one engine to its end and prints what the contract says.
int execute(Context &ctx, SyncOptions options, const QString &mappingPath, int saleshandyRate)
{
    Database *db = ctx.database();
    if (!db)
        return ExitUsage;
    {
        SyncStore store(*db);
        if (!loadMapping(store, options.locationId, mappingPath, &options.mapping))
            return ExitUsage;
    }
    std::unique_ptr<SyncEngine> engine;
    int exitCode = ExitOk;
    auto start = [&] {
        if (saleshandyRate > 0) {
            // Saleshandy publishes no limits: the account owner may know theirs.
            ServiceScheduler::Policy policy = ctx.saleshandyClient()->scheduler().policy();
            policy.burstMax = saleshandyRate;
            policy.intervalMs = 1000;
            policy.maxInFlight = std::clamp(saleshandyRate, 1, 6);
            ctx.saleshandyClient()->scheduler().setPolicy(policy);
        }
        engine = std::make_unique<SyncEngine>(*ctx.ghlClient(), *ctx.saleshandyClient(), *db, options);
        if (Context::interactive() && !ctx.json()) {
            QObject::connect(engine.get(), &SyncEngine::progress, engine.get(),
                             [](SyncEngine::Stage stage, int done, int total) {
                                 static const char *names[] = {"starting", "pull",    "fields", "plan",
                                                               "apply",    "confirm", "record", "done"};
                                 QTextStream e(stderr);
                                 e << '\r' << QString::fromLatin1(names[int(stage)]) << ": " << done;
                                 if (total > 0)
                                     e << " / " << total;
                                 e << "        ";
                                 e.flush();
                             });
        }
        QObject::connect(engine.get(), &SyncEngine::finished, engine.get(), [&] {
            if (Context::interactive() && !ctx.json())
                QTextStream(stderr) << '\n';
            exitCode = engine->exitCode();
            QCoreApplication::exit(exitCode);
        });
        engine->start();
    };
    ctx.connectGhl(
        options.locationId,
        [&](ghl::GhlClient &) {
            ctx.connectSaleshandy([&](sh::SaleshandyClient &) { start(); },
                                  [&](int c) {
                                      exitCode = c;
                                      QCoreApplication::exit(c);
                                  });
        },
        [&](int c) {
            exitCode = c;
            QCoreApplication::exit(c);
        });
    const int loop = runEventLoop([&] {
        if (engine)
            engine->cancel();
        else
            QCoreApplication::exit(ExitUsage);
    });
    if (loop == 130)
        return 130;
    if (!engine)
        return exitCode;
    if (!engine->errorText().isEmpty())
        Context::err(engine->errorText());
    if (options.dryRun && !ctx.json())
        printPlan(engine->plan());
    const QJsonObject summary = engine->summary();
    if (ctx.json()) {
        Context::outJson(summary);
    } else {
        const QJsonObject records = summary.value(QStringLiteral("records")).toObject();
        QStringList parts;
        for (const char *kind : {"contact", "task", "note"}) {
            const QJsonObject o = records.value(QLatin1String(kind)).toObject();
            QStringList counts;
            for (auto it = o.begin(); it != o.end(); ++it)
                if (it.value().toInt() > 0)
                    counts << QStringLiteral("%1 %2").arg(it.value().toInt()).arg(it.key());
            if (!counts.isEmpty())
                parts << QStringLiteral("%1s: %2").arg(QLatin1String(kind),
                                                       counts.join(QStringLiteral(", ")));
        }
        const QJsonObject requests = summary.value(QStringLiteral("requests")).toObject();
        Context::out(tr("Run %1%2: %3. Requests: %4 to GHL, %5 to Saleshandy; %6 s.")
                         .arg(engine->runId())
                         .arg(options.dryRun ? tr(" (dry run, nothing written)") : QString())
                         .arg(parts.isEmpty() ? tr("nothing to do") : parts.join(QStringLiteral("; ")))
                         .arg(requests.value(QStringLiteral("ghl")).toInt())
                         .arg(requests.value(QStringLiteral("saleshandy")).toInt())
                         .arg(summary.value(QStringLiteral("durationMs")).toDouble() / 1000.0, 0, 'f', 1));
        if (engine->exitCode() == ExitRecordsFailed)
            Context::out(tr("Some records failed: 'leadbridge-cli log --run %1 --failed' says why, "
                            "'leadbridge-cli retry --run %1' tries them again.")
                             .arg(engine->runId()));
    }
    return engine->exitCode();
}

} // namespace

int runSync(Context &ctx)
{
    QCommandLineParser parser;
    const QCommandLineOption location(QStringLiteral("location"), tr("The GHL location (sub-account) id."),
                                      tr("id"));
    const QCommandLineOption full(QStringLiteral("full"),
                                  tr("Pull every contact again first (finds deletions too)."));
    const QCommandLineOption dryRun(
        QStringLiteral("dry-run"),
        tr("Show what would change in Saleshandy, field by field, and write nothing."));
    const QCommandLineOption mapping(QStringLiteral("mapping"),
                                     tr("Use this mapping file instead of the saved mapping."), tr("file"));
    const QCommandLineOption step(QStringLiteral("sequence-step"),
                                  tr("Add new and changed prospects to this Saleshandy sequence step."),
                                  tr("id"));
    const QCommandLineOption rate(
        QStringLiteral("saleshandy-rate"),
        tr("Requests per second to allow Saleshandy (default 5; it publishes no limit)."), tr("n"));
    parser.addOptions({location, full, dryRun, mapping, step, rate});
    int code = ExitOk;
    if (!ctx.parse(parser,
                   tr("Pulls the location's contacts from GHL and brings Saleshandy in step: prospects, "
                      "tasks, notes "
                      "and appointment fields. Incremental, idempotent and resumable."),
                   &code))
        return code;
    if (!parser.isSet(location) || parser.value(location).trimmed().isEmpty()) {
        Context::err(tr("Say which GHL location to sync with --location ID."));
        return ExitUsage;
    }
    SyncOptions options;
    options.locationId = parser.value(location).trimmed();
    options.full = parser.isSet(full);
    options.dryRun = parser.isSet(dryRun);
    options.sequenceStepId = parser.value(step);
    bool ok = true;
    const int perSecond = parser.isSet(rate) ? parser.value(rate).toInt(&ok) : 0;
    if (!ok || perSecond < 0) {
        Context::err(tr("--saleshandy-rate needs a number of requests per second."));
        return ExitUsage;
    }
    return execute(ctx, options, parser.value(mapping), perSecond);
}

int runRetry(Context &ctx)
{
    QCommandLineParser parser;
    const QCommandLineOption run(QStringLiteral("run"), tr("The run whose failed records to try again."),
                                 tr("id"));
    parser.addOption(run);
    int code = ExitOk;
    if (!ctx.parse(parser,
                   tr("Tries again the records that failed in a run, without pulling from GHL first."),
                   &code))
        return code;
    bool ok = false;
    const qint64 runId = parser.value(run).toLongLong(&ok);
    if (!ok) {
        Context::err(tr("Say which run with --run ID ('leadbridge-cli log' lists them)."));
        return ExitUsage;
    }
    Database *db = ctx.database();
    if (!db)
        return ExitUsage;
    SyncOptions options;
    {
        SyncStore store(*db);
        const auto record = store.run(runId);
        if (!record) {
            Context::err(store.error().isEmpty() ? tr("There is no run %1.").arg(runId) : store.error());
            return ExitUsage;
        }
        options.locationId = record->locationId;
        const QStringList contacts = store.contactsWithFailures(record->locationId, runId);
        if (contacts.isEmpty()) {
            Context::out(tr("No record of run %1 is waiting for a retry.").arg(runId));
            return ExitOk;
        }
        options.onlyContacts = QSet<QString>(contacts.begin(), contacts.end());
    }
    options.pull = false;
    options.mode = QStringLiteral("retry");
    return execute(ctx, options, QString(), 0);
}

int runMapping(Context &ctx)
{
    QCommandLineParser parser;
    const QCommandLineOption location(QStringLiteral("location"),
                                      tr("The GHL location whose mapping to use (default: the profile's)."),
                                      tr("id"));
    parser.addOption(location);
    parser.addPositionalArgument(QStringLiteral("action"), tr("export FILE or import FILE"));
    int code = ExitOk;
    if (!ctx.parse(
            parser,
            tr("Writes the field mapping to a JSON file, or checks a file and saves it as a new revision."),
            &code, QStringLiteral(" export|import FILE")))
        return code;
    const QStringList pos = parser.positionalArguments();
    if (pos.size() != 2 || (pos.at(0) != QLatin1String("export") && pos.at(0) != QLatin1String("import"))) {
        Context::err(tr("Use 'mapping export FILE' or 'mapping import FILE'."));
        return ExitUsage;
    }
    Database *db = ctx.database();
    if (!db)
        return ExitUsage;
    SyncStore store(*db);
    const QString loc = parser.value(location);
    if (pos.at(0) == QLatin1String("export")) {
        FieldMapping mapping;
        if (!loadMapping(store, loc, QString(), &mapping))
            return ExitUsage;
        QSaveFile file(pos.at(1));
        if (!file.open(QIODevice::WriteOnly) || file.write(MappingFile::toJson(mapping)) < 0 ||
            !file.commit()) {
            Context::err(tr("The mapping could not be written to %1: %2").arg(pos.at(1), file.errorString()));
            return ExitUsage;
        }
        Context::out(tr("The mapping (%1 rules) is in %2.").arg(mapping.ruleCount()).arg(pos.at(1)));
        return ExitOk;
    }
    QFile file(pos.at(1));
    if (!file.open(QIODevice::ReadOnly)) {
        Context::err(tr("%1 could not be read: %2").arg(pos.at(1), file.errorString()));
        return ExitUsage;
    }
    const QByteArray json = file.readAll();
    MappingFileError error;
    const std::optional<FieldMapping> mapping = MappingFile::fromJson(json, &error);
    if (!mapping) {
        Context::err(tr("%1 is not a usable mapping: %2").arg(pos.at(1), error.toString()));
        return ExitUsage;
    }
    if (!mapping->hasEmailRule()) {
        Context::err(
            tr("%1 maps nothing to the Saleshandy field Email, which every prospect needs.").arg(pos.at(1)));
        return ExitUsage;
    }
    const int revision = store.saveMapping(loc, mapping->name(), MappingFile::toJson(*mapping));
    if (revision == 0) {
        Context::err(store.error());
        return ExitUsage;
    }
    Context::out(
        tr("Saved the mapping from %1 as revision %2; the next sync uses it.").arg(pos.at(1)).arg(revision));
    return ExitOk;
}

} // namespace lb::cli
