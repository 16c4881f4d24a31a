#include "Cli.h"

#include "api/ghl/GhlClient.h"
#include "store/ContactStore.h"
#include "store/Database.h"
#include "sync/GhlPull.h"

#include <QJsonArray>
#include <QTextStream>

#include <cstdio>
#include <memory>

namespace lb::cli {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("lb::cli::Pull", text);
}
} // namespace

int runPull(Context &ctx)
{
    QCommandLineParser parser;
    const QCommandLineOption location(QStringLiteral("location"), tr("The GHL location (sub-account) id."), tr("id"));
    const QCommandLineOption full(QStringLiteral("full"),
                                  tr("Read every contact again, not only those changed since the last pull, "
                                     "and remove those deleted in GHL."));
    parser.addOptions({location, full});
    int code = ExitOk;
    if (!ctx.parse(parser, tr("Takes a GHL location's contacts, with their tasks, notes and appointments, into the local "
                              "store. Incremental and resumable: an interrupted pull continues where it stopped."),
                   &code))
        return code;
    if (!parser.isSet(location) || parser.value(location).trimmed().isEmpty()) {
        Context::err(tr("Say which GHL location to pull with --location ID (the id is in the GHL address: "
                        "/v2/location/<id>/...)."));
        return ExitUsage;
    }
    Database *db = ctx.database();
    if (!db)
        return ExitUsage;
    ContactStore store(*db);
    PullOptions options;
    options.full = parser.isSet(full);

    std::unique_ptr<GhlPull> pull;
    int exitCode = ExitOk;
    ctx.connectGhl(
        parser.value(location).trimmed(),
        [&](ghl::GhlClient &client) {
            pull = std::make_unique<GhlPull>(client, store, options);
            if (Context::interactive() && !ctx.json()) {
                QObject::connect(pull.get(), &GhlPull::progress, pull.get(), [](int done, int total) {
                    QTextStream e(stderr);
                    if (total > 0)
                        e << '\r' << tr("Pulling contacts: %1 of %2").arg(done).arg(total) << "   ";
                    else
                        e << '\r' << tr("Pulling contacts: %1").arg(done) << "   ";
                    e.flush();
                });
            }
            QObject::connect(pull.get(), &GhlPull::finished, pull.get(), [&] {
                if (Context::interactive() && !ctx.json())
                    QTextStream(stderr) << '\n';
                exitCode = pull->exitCode();
                QCoreApplication::exit(exitCode);
            });
            pull->start();
        },
        [&](int code) {
            exitCode = code;
            QCoreApplication::exit(code);
        });
    const int loop = runEventLoop([&] {
        if (pull)
            pull->cancel();
        else
            QCoreApplication::exit(ExitUsage);
    });
    if (loop == 130)
        return 130;
    if (!pull)
        return exitCode;

    const PullStats &s = pull->stats();
    for (const QString &problem : s.problems)
        Context::err(problem);
    if (!pull->error().isOk())
        Context::err(pull->error().fullText());
    if (ctx.json()) {
        Context::outJson(QJsonObject{
            {QStringLiteral("ok"), pull->error().isOk()},
            {QStringLiteral("mode"), options.full ? QStringLiteral("full") : QStringLiteral("incremental")},
            {QStringLiteral("contactsRead"), s.contactsRead},
            {QStringLiteral("contactsChanged"), s.contactsChanged},
            {QStringLiteral("contactsFailed"), s.contactsFailed},
            {QStringLiteral("itemsUnreadable"), s.itemsUnreadable},
            {QStringLiteral("contactsRemoved"), s.contactsRemoved},
            {QStringLiteral("tasks"), s.tasks},
            {QStringLiteral("notes"), s.notes},
            {QStringLiteral("appointments"), s.appointments},
            {QStringLiteral("requests"), QJsonObject{{QStringLiteral("ghl"), double(s.requests)}}},
            {QStringLiteral("responses429"), s.responses429},
            {QStringLiteral("retries"), s.retries},
            {QStringLiteral("durationMs"), double(s.durationMs)},
            {QStringLiteral("error"), pull->error().isOk() ? QJsonValue() : QJsonValue(pull->error().fullText())},
            {QStringLiteral("exitCode"), pull->exitCode()},
        });
    } else {
        Context::out(tr("%1 contacts read, %2 written (%3 tasks, %4 notes, %5 appointments), %6 failed, %7 removed; "
                        "%8 requests, %9 rate-limit waits, in %10 s.")
                         .arg(s.contactsRead)
                         .arg(s.contactsChanged)
                         .arg(s.tasks)
                         .arg(s.notes)
                         .arg(s.appointments)
                         .arg(s.contactsFailed + s.itemsUnreadable)
                         .arg(s.contactsRemoved)
                         .arg(s.requests)
                         .arg(s.responses429)
                         .arg(double(s.durationMs) / 1000.0, 0, 'f', 1));
    }
    return pull->exitCode();
}

} // namespace lb::cli
