#pragma once

#include "net/ApiError.h"
#include "store/ContactStore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QSet>

#include <deque>
#include <limits>
#include <memory>

namespace lb {

class ApiRequest;
namespace ghl {
class GhlClient;
class SearchContactsRequest;
}

struct PullOptions
{
    /// Ignore the cursor, read every contact and its children again, and remove from the store
    /// the contacts GHL no longer has.
    bool full = false;
    int pageLimit = 500;
    /// GHL's search trails writes by a few seconds: re-read this much before the cursor.
    qint64 overlapMs = 5 * 60 * 1000;
};

struct PullStats
{
    int pages = 0;
    int contactsRead = 0;     ///< contacts on the search pages
    int contactsChanged = 0;  ///< written with fresh child records
    int contactsFailed = 0;   ///< left for the next pull (their reasons are in `problems`)
    int itemsUnreadable = 0;  ///< search items with no id or of the wrong type
    int contactsRemoved = 0;  ///< by a full pull
    int tasks = 0, notes = 0, appointments = 0;
    qint64 requests = 0;
    int responses429 = 0;
    int retries = 0;
    qint64 durationMs = 0;
    QStringList problems;     ///< one sentence per record that failed
};

/// Takes a location's contacts, with their tasks, notes and appointments, from GHL into the store.
/// Incremental by a cursor on dateUpdated (with an overlap window for search lag); child records
/// are fetched only for contacts whose dateUpdated moved (every contact on a full pull). Each page
/// is written with the cursor after it in one transaction, so an interrupted pull resumes where it
/// stopped. A record that fails is reported and left for the next pull; a service that stays
/// unreachable, over quota or refuses the token stops the pull.
class GhlPull final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GhlPull)

public:
    GhlPull(ghl::GhlClient &client, ContactStore &store, PullOptions options, QObject *parent = nullptr);
    ~GhlPull() override;

    void start();
    /// Stops after aborting what is in flight; pages already written stay written.
    void cancel();

    [[nodiscard]] bool isFinished() const { return m_finished; }
    /// The reason the pull stopped early; ok when it ran to the end (records may still have failed).
    [[nodiscard]] const ApiError &error() const { return m_error; }
    [[nodiscard]] const PullStats &stats() const { return m_stats; }
    /// 0 all good, 1 some records failed, 2 store problem, 3 authentication, 4 service unreachable or over quota.
    [[nodiscard]] int exitCode() const;

Q_SIGNALS:
    /// done of total contacts (total -1 while unknown).
    void progress(int done, int total);
    void finished();

private:
    struct Page;

    void fetchCustomFields();
    void requestPage(const QJsonArray &searchAfter);
    void onPage(ghl::SearchContactsRequest *request);
    void fetchChildren(Page &page, const Contact &contact);
    void childDone(Page *page, const QString &contactId, ApiRequest *request);
    void commitReadyPages();
    void complete();
    void fail(ApiError error);
    [[nodiscard]] bool stopsThePull(const ApiError &e) const;

    ghl::GhlClient &m_client;
    ContactStore &m_store;
    PullOptions m_options;
    PullCursor m_cursor;
    QString m_pullId;
    qint64 m_updatedFromMs = 0;
    qint64 m_ceilingMs = std::numeric_limits<qint64>::max(); ///< below the first failed contact
    qint64 m_maxSeenMs = 0;
    int m_total = -1;
    bool m_searchInFlight = false;
    bool m_lastPageSeen = false;
    bool m_finished = false;
    ApiError m_error;
    PullStats m_stats;
    qint64 m_requestsAtStart = 0;
    int m_429AtStart = 0;
    int m_retriesAtStart = 0;
    QElapsedTimer m_clock;
    std::deque<std::unique_ptr<Page>> m_pages;
};

} // namespace lb
