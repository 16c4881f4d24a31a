#include "sync/GhlPull.h"

#include "api/ghl/ChildRequests.h"
#include "api/ghl/ContactRequests.h"
#include "domain/Json.h"
#include "net/Logging.h"

#include <QDateTime>
#include <QUuid>

#include <algorithm>

namespace lb {

/// One search page on its way to the store: its contacts, and the children still being fetched.
struct GhlPull::Page
{
    QList<Contact> contacts;       ///< to write (changed ones, or all on a full pull)
    QHash<QString, ContactChildren> children;
    QHash<QString, int> pendingPerContact;
    QSet<QString> failed;          ///< not written: retried by the next pull
    QJsonArray searchAfter;        ///< the cursor after this page
    qint64 maxUpdatedMs = 0;
    int pending = 0;
    int readCount = 0;
};

GhlPull::GhlPull(ghl::GhlClient &client, ContactStore &store, PullOptions options, QObject *parent)
    : QObject(parent), m_client(client), m_store(store), m_options(options)
{
}

GhlPull::~GhlPull() = default;

void GhlPull::start()
{
    m_clock.start();
    m_requestsAtStart = m_client.requestsSent();
    m_429AtStart = m_client.responses429();
    m_retriesAtStart = m_client.retries();

    const QString location = m_client.locationId();
    m_cursor = m_store.pullCursor(location).value_or(PullCursor{});
    if (!m_store.error().isEmpty()) {
        ApiError e;
        e.kind = ApiError::Kind::BadRequest;
        e.message = tr("The local store could not be read: %1").arg(m_store.error());
        fail(e);
        return;
    }
    m_cursor.locationId = location;
    fetchCustomFields();
}

void GhlPull::fetchCustomFields()
{
    auto *request = new ghl::ListCustomFieldsRequest(m_client, this);
    connect(request, &ApiRequest::finished, this, [this, request] {
        request->deleteLater();
        if (m_finished)
            return;
        if (!request->ok()) {
            if (stopsThePull(request->error())) {
                fail(request->error());
                return;
            }
            // Definitions only label values: the contacts are worth pulling without them.
            m_stats.problems << tr("Custom field definitions were not updated: %1").arg(request->error().fullText());
        } else if (!m_store.replaceCustomFields(m_client.locationId(), request->fields())) {
            m_stats.problems << tr("Custom field definitions could not be stored: %1").arg(m_store.error());
        }

        QJsonArray searchAfter;
        if (m_options.full) {
            if (!m_cursor.fullPullId.isEmpty()) {
                m_pullId = m_cursor.fullPullId;
                searchAfter = m_cursor.fullSearchAfter;
                qCInfo(lcPull) << "resuming the full pull" << m_pullId;
            } else {
                m_pullId = QUuid::createUuid().toString(QUuid::WithoutBraces);
                m_cursor.fullPullId = m_pullId;
                m_cursor.fullSearchAfter = {};
            }
        } else {
            m_updatedFromMs = std::max<qint64>(0, m_cursor.updatedUpToMs - m_options.overlapMs);
            if (m_cursor.updatedUpToMs == 0)
                m_updatedFromMs = 0;
        }
        requestPage(searchAfter);
    });
    request->start();
}

void GhlPull::requestPage(const QJsonArray &searchAfter)
{
    ghl::SearchContactsParams params;
    params.pageLimit = m_options.pageLimit;
    params.updatedFromMs = m_updatedFromMs;
    params.searchAfter = searchAfter;
    auto *request = new ghl::SearchContactsRequest(m_client, params, this);
    m_searchInFlight = true;
    connect(request, &ApiRequest::finished, this, [this, request] { onPage(request); });
    request->start();
}

void GhlPull::onPage(ghl::SearchContactsRequest *request)
{
    request->deleteLater();
    m_searchInFlight = false;
    if (m_finished)
        return;
    if (!request->ok()) {
        // A search page that cannot be read leaves no way forward: stop, resumable from the cursor.
        fail(request->error());
        return;
    }
    ++m_stats.pages;
    if (request->total() >= 0 && m_total < 0)
        m_total = request->total();
    for (const QString &why : request->skipped()) {
        ++m_stats.itemsUnreadable;
        m_stats.problems << tr("A contact on search page %1 was skipped: %2").arg(m_stats.pages).arg(why);
    }

    auto page = std::make_unique<Page>();
    Page &p = *page;
    p.searchAfter = request->nextSearchAfter();
    p.readCount = int(request->contacts().size());
    m_stats.contactsRead += p.readCount;

    QStringList ids;
    ids.reserve(request->contacts().size());
    for (const Contact &c : request->contacts())
        ids << c.id;
    const QHash<QString, qint64> stored = m_store.storedDateUpdated(ids);

    for (const Contact &c : request->contacts()) {
        const qint64 updated = json::toMs(c.dateUpdated);
        p.maxUpdatedMs = std::max(p.maxUpdatedMs, updated);
        const auto it = stored.constFind(c.id);
        const bool changed = it == stored.constEnd() || it.value() != updated;
        if (!changed && !m_options.full)
            continue;
        p.contacts.append(c);
        fetchChildren(p, c);
    }
    if (!request->nextSearchAfter().isEmpty() && !request->contacts().isEmpty()) {
        if (m_options.full)
            m_cursor.fullSearchAfter = p.searchAfter;
    } else {
        m_lastPageSeen = true;
    }
    m_pages.push_back(std::move(page));

    // Ask for the next page while this one's children load, so the queue never runs dry;
    // but no further ahead than that, to keep memory flat.
    if (!m_lastPageSeen && m_pages.size() < 2)
        requestPage(m_pages.back()->searchAfter);
    commitReadyPages();
}

void GhlPull::fetchChildren(Page &page, const Contact &contact)
{
    const QString id = contact.id;
    page.children.insert(id, ContactChildren{id, {}, {}, {}});
    page.pendingPerContact.insert(id, 3);
    page.pending += 3;
    Page *p = &page;
    auto *tasks = new ghl::ListTasksRequest(m_client, id, this);
    auto *notes = new ghl::ListNotesRequest(m_client, id, this);
    auto *appointments = new ghl::ListAppointmentsRequest(m_client, id, this);
    for (ApiRequest *r : std::initializer_list<ApiRequest *>{tasks, notes, appointments}) {
        connect(r, &ApiRequest::finished, this, [this, p, id, r] { childDone(p, id, r); });
        r->start();
    }
}

void GhlPull::childDone(Page *page, const QString &contactId, ApiRequest *request)
{
    request->deleteLater();
    if (m_finished)
        return;
    --page->pending;
    --page->pendingPerContact[contactId];
    ContactChildren &children = page->children[contactId];
    if (!request->ok()) {
        if (stopsThePull(request->error())) {
            fail(request->error());
            return;
        }
        if (!page->failed.contains(contactId)) {
            page->failed.insert(contactId);
            if (request->error().kind == ApiError::Kind::NotFound)
                m_stats.problems << tr("Contact %1 disappeared while it was being read; the next pull will see.")
                                        .arg(contactId);
            else
                m_stats.problems << tr("Contact %1 was left for the next pull: %2")
                                        .arg(contactId, request->error().fullText());
        }
    } else if (auto *t = qobject_cast<ghl::ListTasksRequest *>(request)) {
        children.tasks = t->tasks();
    } else if (auto *n = qobject_cast<ghl::ListNotesRequest *>(request)) {
        children.notes = n->notes();
    } else if (auto *a = qobject_cast<ghl::ListAppointmentsRequest *>(request)) {
        children.appointments = a->appointments();
    }
    if (page->pending == 0)
        commitReadyPages();
}

void GhlPull::commitReadyPages()
{
    while (!m_pages.empty() && m_pages.front()->pending == 0) {
        std::unique_ptr<Page> page = std::move(m_pages.front());
        m_pages.pop_front();

        PullBatch batch;
        batch.locationId = m_client.locationId();
        batch.seenByPullId = m_pullId;
        for (const Contact &c : std::as_const(page->contacts)) {
            if (page->failed.contains(c.id)) {
                ++m_stats.contactsFailed;
                // Keep the cursor below it, so that the next pull reads it again.
                m_ceilingMs = std::min(m_ceilingMs, json::toMs(c.dateUpdated) - 1);
                continue;
            }
            batch.contacts.append(c);
            ContactChildren children = page->children.take(c.id);
            m_stats.tasks += int(children.tasks.size());
            m_stats.notes += int(children.notes.size());
            m_stats.appointments += int(children.appointments.size());
            batch.children.append(std::move(children));
        }
        m_stats.contactsChanged += int(batch.contacts.size());
        m_maxSeenMs = std::max(m_maxSeenMs, page->maxUpdatedMs);
        const qint64 upTo = std::min(m_maxSeenMs, m_ceilingMs);
        if (m_options.full)
            m_cursor.updatedUpToMs = std::min(m_cursor.updatedUpToMs, m_ceilingMs);
        else
            m_cursor.updatedUpToMs = std::max<qint64>(0, upTo);
        batch.cursor = m_cursor;
        if (m_options.full)
            batch.cursor->fullSearchAfter = page->searchAfter;
        if (!m_store.writePullBatch(batch)) {
            ApiError e;
            e.kind = ApiError::Kind::BadRequest;
            e.message = tr("The local store could not be written: %1").arg(m_store.error());
            fail(e);
            return;
        }
        Q_EMIT progress(m_stats.contactsRead, m_total);
        qCDebug(lcPull) << "page" << m_stats.pages << "written:" << batch.contacts.size() << "contacts";
        if (!m_lastPageSeen && !m_searchInFlight && m_pages.empty())
            requestPage(page->searchAfter);
    }
    if (m_pages.empty() && m_lastPageSeen && !m_searchInFlight)
        complete();
}

void GhlPull::complete()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (m_options.full) {
        if (m_stats.contactsFailed > 0 || m_stats.itemsUnreadable > 0) {
            // A contact that failed to load was not marked seen: removing the unseen would remove it.
            m_stats.problems << tr("Contacts deleted in GHL were not removed this time, since some contacts could "
                                   "not be read; the next full pull removes them.");
        } else {
            const int removed = m_store.deleteContactsNotSeenBy(m_client.locationId(), m_pullId);
            if (removed < 0)
                m_stats.problems << tr("Contacts deleted in GHL could not be removed: %1").arg(m_store.error());
            else
                m_stats.contactsRemoved = removed;
        }
        m_cursor.fullPullId.clear();
        m_cursor.fullSearchAfter = {};
        m_cursor.updatedUpToMs = std::max<qint64>(0, std::min(m_maxSeenMs, m_ceilingMs));
    }
    m_cursor.lastPullFinishedMs = now;
    if (!m_store.savePullCursor(m_cursor))
        m_stats.problems << tr("The pull cursor could not be saved: %1").arg(m_store.error());
    m_finished = true;
    m_stats.requests = m_client.requestsSent() - m_requestsAtStart;
    m_stats.responses429 = m_client.responses429() - m_429AtStart;
    m_stats.retries = m_client.retries() - m_retriesAtStart;
    m_stats.durationMs = m_clock.elapsed();
    qCInfo(lcPull).noquote() << QStringLiteral("pull finished: %1 contacts read, %2 written, %3 failed, %4 requests in %5 ms")
                                    .arg(m_stats.contactsRead)
                                    .arg(m_stats.contactsChanged)
                                    .arg(m_stats.contactsFailed)
                                    .arg(m_stats.requests)
                                    .arg(m_stats.durationMs);
    Q_EMIT finished();
}

void GhlPull::cancel()
{
    if (m_finished)
        return;
    ApiError e;
    e.kind = ApiError::Kind::Cancelled;
    e.message = tr("The pull was cancelled; what was read so far is kept and the next pull continues from there.");
    fail(e);
}

void GhlPull::fail(ApiError error)
{
    if (m_finished)
        return;
    m_finished = true;
    m_error = std::move(error);
    m_pages.clear();
    // Everything still queued or in flight belongs to this pull (children of this object).
    const auto requests = findChildren<ApiRequest *>(QString(), Qt::FindDirectChildrenOnly);
    for (ApiRequest *r : requests) {
        r->disconnect(this);
        r->abort();
        r->deleteLater();
    }
    m_stats.requests = m_client.requestsSent() - m_requestsAtStart;
    m_stats.responses429 = m_client.responses429() - m_429AtStart;
    m_stats.retries = m_client.retries() - m_retriesAtStart;
    m_stats.durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    qCWarning(lcPull).noquote() << "pull stopped:" << m_error.fullText();
    Q_EMIT finished();
}

bool GhlPull::stopsThePull(const ApiError &e) const
{
    return e.isServiceProblem() || e.kind == ApiError::Kind::Auth || e.kind == ApiError::Kind::Forbidden ||
           e.kind == ApiError::Kind::Cancelled;
}

int GhlPull::exitCode() const
{
    if (!m_error.isOk()) {
        if (m_error.kind == ApiError::Kind::Cancelled)
            return 1;
        const int code = m_error.exitCode();
        return code == 1 ? 2 : code; // a non-API stop here is the store
    }
    return (m_stats.contactsFailed > 0 || m_stats.itemsUnreadable > 0) ? 1 : 0;
}

} // namespace lb
