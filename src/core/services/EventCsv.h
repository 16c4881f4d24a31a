#pragma once

#include "store/SyncStore.h"

class QIODevice;

namespace lb {

/// Writes a run's events (under a filter) as CSV, RFC 4180: CRLF line ends, a header row, fields
/// with a comma, quote or line break quoted and quotes doubled. Streams page by page, so a run of
/// 1,000,000 events never sits in memory.
class EventCsv final
{
public:
    /// The number of events written, or -1 with a sentence in `error`.
    [[nodiscard]] static qint64 write(SyncStore &store, EventQuery query, QIODevice &out, QString *error);
    /// One field as RFC 4180 wants it.
    [[nodiscard]] static QByteArray quote(const QString &field);
};

} // namespace lb
