#include "services/EventCsv.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QIODevice>
#include <QTimeZone>

namespace lb {

QByteArray EventCsv::quote(const QString &field)
{
    QByteArray bytes = field.toUtf8();
    if (!bytes.contains(',') && !bytes.contains('"') && !bytes.contains('\n') && !bytes.contains('\r'))
        return bytes;
    bytes.replace("\"", "\"\"");
    return '"' + bytes + '"';
}

qint64 EventCsv::write(SyncStore &store, EventQuery query, QIODevice &out, QString *error)
{
    constexpr int kPage = 5000;
    const auto failed = [error](const QString &text) {
        if (error)
            *error = text;
        return qint64(-1);
    };
    // Column names are a file format, read by scripts: not translated.
    if (out.write("run,seq,time,kind,ghl_id,saleshandy_id,outcome,reason,request_ids\r\n") < 0)
        return failed(out.errorString());
    query.limit = kPage;
    qint64 written = 0;
    int after = -1;
    for (;;) {
        const QList<SyncEvent> page = store.eventsAfter(query, after);
        if (!store.error().isEmpty())
            return failed(store.error());
        QByteArray chunk;
        for (const SyncEvent &e : page) {
            const QString time = QDateTime::fromMSecsSinceEpoch(e.atMs, Qt::UTC).toString(Qt::ISODateWithMs);
            const QStringList fields{QString::number(e.runId),
                                     QString::number(e.seq),
                                     time,
                                     e.kind,
                                     e.ghlId,
                                     e.shId,
                                     e.outcome,
                                     e.reason,
                                     e.requestIds.join(QLatin1Char(' '))};
            for (int i = 0; i < fields.size(); ++i) {
                if (i)
                    chunk += ',';
                chunk += quote(fields[i]);
            }
            chunk += "\r\n";
            after = e.seq;
        }
        if (!chunk.isEmpty() && out.write(chunk) != chunk.size())
            return failed(out.errorString());
        written += page.size();
        if (page.size() < kPage)
            break;
    }
    return written;
}

} // namespace lb
