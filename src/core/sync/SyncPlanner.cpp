#include "sync/SyncPlanner.h"

#include "domain/Json.h"

#include <QCoreApplication>

#include <QThread>

#include <algorithm>
#include <thread>

namespace lb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::SyncPlanner", text);
}

} // namespace

QJsonObject ChildChange::payload() const
{
    QJsonObject o{{QStringLiteral("text"), text}};
    if (kind == QLatin1String("task")) {
        o.insert(QStringLiteral("taskType"), taskType);
        o.insert(QStringLiteral("dueDate"), dueDate.toString(Qt::ISODate));
    }
    return o;
}

int SyncPlan::count(ProspectChange::Action action) const
{
    return int(std::count_if(prospects.begin(), prospects.end(),
                             [action](const ProspectChange &c) { return c.action == action; }));
}

int SyncPlan::count(const QString &kind, ChildChange::Action action) const
{
    return int(std::count_if(children.begin(), children.end(),
                             [&](const ChildChange &c) { return c.kind == kind && c.action == action; }));
}

bool SyncPlan::hasWrites() const
{
    for (const ProspectChange &p : prospects)
        if (p.action == ProspectChange::Action::Create || p.action == ProspectChange::Action::Update)
            return true;
    for (const ChildChange &c : children)
        if (c.action != ChildChange::Action::Unchanged && c.action != ChildChange::Action::Invalid)
            return true;
    return false;
}

SyncPlanner::SyncPlanner(const Mapper &mapper, QHash<QString, ProspectState> prospects,
                         QHash<QString, ChildState> tasks, QHash<QString, ChildState> notes)
    : m_mapper(mapper), m_prospects(std::move(prospects)), m_tasks(std::move(tasks)), m_notes(std::move(notes))
{
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it)
        m_tasksByContact[it->ghlContactId].append(it.key());
}

void SyncPlanner::add(Contact contact, ContactChildren children)
{
    m_input.emplace_back(std::move(contact), std::move(children));
}

SyncPlanner::Entry SyncPlanner::plan(const Contact &contact, const ContactChildren &children) const
{
    Entry entry;
    entry.addedMs = json::toMs(contact.dateAdded);
    ProspectChange &p = entry.prospect;
    p.ghlContactId = contact.id;
    p.mapped = m_mapper.map(contact, children);
    p.email = p.mapped.email;
    p.appointments = int(children.appointments.size());
    const auto previous = m_prospects.constFind(contact.id);
    if (previous != m_prospects.constEnd())
        p.previous = *previous;

    if (!p.mapped.valid) {
        p.action = ProspectChange::Action::Invalid;
        p.reason = p.mapped.invalidReason;
    } else if (!p.previous || p.previous->prospectId.isEmpty()) {
        // Never confirmed written (or an import whose outcome was not confirmed): an import
        // keyed by email is safe to repeat, Saleshandy updates the prospect it finds.
        p.action = ProspectChange::Action::Create;
    } else if (p.previous->hash != QString::fromLatin1(p.mapped.hash)) {
        p.action = ProspectChange::Action::Update;
        if (p.emailChanged())
            p.reason = tr("email changed from %1").arg(p.previous->email);
    } else {
        p.action = ProspectChange::Action::Unchanged;
    }

    if (p.action == ProspectChange::Action::Update || p.action == ProspectChange::Action::Create) {
        const QJsonObject before = p.previous ? p.previous->fields : QJsonObject();
        for (auto it = p.mapped.fields.cbegin(); it != p.mapped.fields.cend(); ++it) {
            const QString old = before.value(it.key()).toString();
            if (old != it.value())
                p.changes.append({it.key(), old, it.value()});
        }
        for (auto it = before.begin(); it != before.end(); ++it)
            if (!p.mapped.fields.contains(it.key()) && !it.value().toString().isEmpty())
                p.changes.append({it.key(), it.value().toString(), QString()});
        const QStringList oldTags = p.previous ? p.previous->tags : QStringList();
        for (const QString &t : p.mapped.tags)
            if (!oldTags.contains(t))
                p.addedTags << t;
        for (const QString &t : oldTags)
            if (!p.mapped.tags.contains(t))
                p.removedTags << t;
    }
    planChildren(entry, contact);
    return entry;
}

void SyncPlanner::planChildren(Entry &entry, const Contact &contact) const
{
    const ProspectChange &p = entry.prospect;
    const bool contactSent = p.action != ProspectChange::Action::Invalid;
    QSet<QString> present;

    for (const MappedTask &t : p.mapped.tasks) {
        present.insert(t.ghlTaskId);
        ChildChange c;
        c.kind = QStringLiteral("task");
        c.ghlId = t.ghlTaskId;
        c.ghlContactId = contact.id;
        c.text = t.taskNote;
        c.taskType = t.taskType;
        c.dueDate = QDate::fromString(t.dueDate, Qt::ISODate);
        c.completed = t.completed;
        c.hash = QString::fromLatin1(t.hash);
        const auto prev = m_tasks.constFind(t.ghlTaskId);
        if (prev != m_tasks.constEnd())
            c.previous = *prev;
        if (!contactSent) {
            c.action = ChildChange::Action::Invalid;
            c.reason = tr("its contact is not sent: %1").arg(p.reason);
        } else if (!c.previous) {
            c.action = ChildChange::Action::Create;
        } else if (c.previous->state == QLatin1String("intent") || c.previous->shId.isEmpty()) {
            c.action = ChildChange::Action::ReadBackThenCreate;
        } else if (c.previous->state == QLatin1String("skipped")) {
            c.action = ChildChange::Action::Unchanged;
            c.reason = tr("skipped in Saleshandy earlier");
        } else if (c.completed && c.previous->state != QLatin1String("completed")) {
            c.action = ChildChange::Action::Complete;
        } else if (!c.completed && c.previous->state == QLatin1String("completed")) {
            c.action = ChildChange::Action::Unchanged;
            c.reason = tr("reopened in GHL; Saleshandy cannot reopen a completed task");
        } else if (c.previous->hash != c.hash) {
            c.action = ChildChange::Action::UpdateText;
        } else {
            c.action = ChildChange::Action::Unchanged;
        }
        entry.children.append(std::move(c));
    }
    // Tasks written before whose GHL task is gone: deleted in GHL, skipped in Saleshandy.
    for (const QString &id : m_tasksByContact.value(contact.id)) {
        if (present.contains(id))
            continue;
        const ChildState s = m_tasks.value(id);
        if (s.shId.isEmpty() || s.state == QLatin1String("skipped") || s.state == QLatin1String("completed"))
            continue;
        ChildChange c;
        c.kind = QStringLiteral("task");
        c.ghlId = id;
        c.ghlContactId = contact.id;
        c.previous = s;
        c.hash = s.hash;
        c.action = contactSent ? ChildChange::Action::Skip : ChildChange::Action::Invalid;
        c.reason = tr("deleted in GHL");
        entry.children.append(std::move(c));
    }

    for (const MappedNote &n : p.mapped.notes) {
        ChildChange c;
        c.kind = QStringLiteral("note");
        c.ghlId = n.ghlNoteId;
        c.ghlContactId = contact.id;
        c.text = n.content;
        c.hash = QString::fromLatin1(n.hash);
        const auto prev = m_notes.constFind(n.ghlNoteId);
        if (prev != m_notes.constEnd())
            c.previous = *prev;
        if (!contactSent) {
            c.action = ChildChange::Action::Invalid;
            c.reason = tr("its contact is not sent: %1").arg(p.reason);
        } else if (!c.previous) {
            c.action = ChildChange::Action::Create;
        } else if (c.previous->state == QLatin1String("intent") || c.previous->shId.isEmpty()) {
            c.action = ChildChange::Action::ReadBackThenCreate;
        } else if (c.previous->hash != c.hash) {
            c.action = ChildChange::Action::UpdateText;
        } else {
            c.action = ChildChange::Action::Unchanged;
        }
        entry.children.append(std::move(c));
    }
}

SyncPlan SyncPlanner::finish()
{
    const size_t n = m_input.size();
    std::vector<Entry> entries(n);
    // Mapping is most of the work, and each contact is independent of the others.
    const size_t threads = n < 2000 ? 1 : size_t(std::clamp(QThread::idealThreadCount(), 1, 8));
    auto work = [&](size_t first) {
        for (size_t i = first; i < n; i += threads)
            entries[i] = plan(m_input[i].first, m_input[i].second);
    };
    std::vector<std::thread> pool;
    for (size_t t = 1; t < threads; ++t)
        pool.emplace_back(work, t);
    work(0);
    for (std::thread &t : pool)
        t.join();
    m_input.clear();

    // Oldest first, so that the contact that had an email first keeps it (sorted by index: the
    // entries are large to move).
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&entries](size_t a, size_t b) {
        const Entry &x = entries[a];
        const Entry &y = entries[b];
        return x.addedMs != y.addedMs ? x.addedMs < y.addedMs : x.prospect.ghlContactId < y.prospect.ghlContactId;
    });
    // The owner of an email: whoever was confirmed written with it, else the oldest contact.
    QHash<QString, QString> owner;
    owner.reserve(qsizetype(n));
    for (const Entry &e : entries) {
        const ProspectChange &p = e.prospect;
        if (p.action != ProspectChange::Action::Invalid && p.previous && !p.previous->prospectId.isEmpty() &&
            p.previous->email == p.email)
            owner.insert(p.email, p.ghlContactId);
    }
    SyncPlan result;
    result.prospects.reserve(qsizetype(n));
    qsizetype childCount = 0;
    for (const Entry &e : entries)
        childCount += e.children.size();
    result.children.reserve(childCount);
    for (size_t index : order) {
        Entry &e = entries[index];
        ProspectChange &p = e.prospect;
        if (p.action != ProspectChange::Action::Invalid) {
            const auto it = owner.constFind(p.email);
            if (it == owner.constEnd()) {
                owner.insert(p.email, p.ghlContactId);
            } else if (it.value() != p.ghlContactId) {
                p.action = ProspectChange::Action::Invalid;
                p.reason = tr("duplicate email %1 shared with contact %2").arg(p.email, it.value());
                p.changes.clear();
                for (ChildChange &c : e.children) {
                    c.action = ChildChange::Action::Invalid;
                    c.reason = tr("its contact is not sent: %1").arg(p.reason);
                }
            }
        }
        result.prospects.append(std::move(p));
        for (ChildChange &c : e.children)
            result.children.append(std::move(c));
    }
    return result;
}

} // namespace lb
