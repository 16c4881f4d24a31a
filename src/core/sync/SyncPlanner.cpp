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
    : m_mapper(mapper), m_prospects(std::move(prospects)), m_tasks(std::move(tasks)),
      m_notes(std::move(notes))
{
    for (auto it = m_tasks.cbegin(); it != m_tasks.cend(); ++it)
        m_tasksByContact[it->ghlContactId].append(it.key());
    for (auto it = m_notes.cbegin(); it != m_notes.cend(); ++it)
        m_notesByContact[it->ghlContactId].append(it.key());
}

void SyncPlanner::add(Contact contact, ContactChildren children)
{
    m_input.emplace_back(std::move(contact), std::move(children));
}

namespace {

QString displayName(const Contact &c)
{
    QString name = (c.firstName.trimmed() + QLatin1Char(' ') + c.lastName.trimmed()).trimmed();
    if (name.isEmpty())
        name = c.email.trimmed();
    return name.isEmpty() ? c.id : name;
}

constexpr QLatin1StringView kDeletedHash("deleted");

} // namespace

void SyncPlanner::decide(ProspectChange &p) const
{
    p.changes.clear();
    p.addedTags.clear();
    p.removedTags.clear();
    if (!p.mapped.valid) {
        p.action = ProspectChange::Action::Invalid;
        p.reason = p.mapped.invalidReason;
        return;
    }
    if (!p.previous || p.previous->prospectId.isEmpty()) {
        // Never confirmed written (or an import whose outcome was not confirmed): an import
        // keyed by email is safe to repeat, Saleshandy updates the prospect it finds.
        p.action = ProspectChange::Action::Create;
    } else if (p.previous->hash != QString::fromLatin1(p.mapped.hash)) {
        p.action = ProspectChange::Action::Update;
        if (p.emailChanged())
            p.reason = tr("email changed from %1").arg(p.previous->email);
    } else {
        p.action = ProspectChange::Action::Unchanged;
        return;
    }
    // A tag rule whose value could not be taken and that chose to leave Saleshandy as it is: the
    // tags written before stay, so that nothing is un-assigned for a value we could not read.
    if (p.previous &&
        std::any_of(p.mapped.warnings.cbegin(), p.mapped.warnings.cend(), [](const FieldWarning &w) {
            return w.target == target::Tags && w.kind != WarningKind::KeptAsWritten &&
                   w.kind != WarningKind::Cut;
        })) {
        for (const QString &t : p.previous->tags)
            if (!p.mapped.tags.contains(t))
                p.mapped.tags << t;
        std::sort(p.mapped.tags.begin(), p.mapped.tags.end());
        p.mapped.hash = Mapper::prospectHash(p.mapped.email, p.mapped.fields, p.mapped.tags);
        if (p.action == ProspectChange::Action::Update &&
            p.previous->hash == QString::fromLatin1(p.mapped.hash)) {
            p.action = ProspectChange::Action::Unchanged;
            return;
        }
    }
    const QJsonObject before = p.previous ? p.previous->fields : QJsonObject();
    for (auto it = p.mapped.fields.cbegin(); it != p.mapped.fields.cend(); ++it) {
        const QString old = before.value(it.key()).toString();
        if (old != it.value())
            p.changes.append({it.key(), old, it.value()});
    }
    // A field no longer mapped is not sent, so Saleshandy keeps it: not a change.
    const QStringList oldTags = p.previous ? p.previous->tags : QStringList();
    for (const QString &t : p.mapped.tags)
        if (!oldTags.contains(t))
            p.addedTags << t;
    for (const QString &t : oldTags)
        if (!p.mapped.tags.contains(t))
            p.removedTags << t;
}

SyncPlanner::Entry SyncPlanner::plan(const Contact &contact, const ContactChildren &children) const
{
    Entry entry;
    entry.addedMs = json::toMs(contact.dateAdded);
    entry.updatedMs = json::toMs(contact.dateUpdated);
    entry.name = displayName(contact);
    ProspectChange &p = entry.prospect;
    p.ghlContactId = contact.id;
    p.mapped = m_mapper.map(contact, children);
    p.email = p.mapped.email;
    p.appointments = int(children.appointments.size());
    const auto previous = m_prospects.constFind(contact.id);
    if (previous != m_prospects.constEnd() && previous->hash != kDeletedHash)
        p.previous = *previous;
    decide(p);
    planChildren(entry, children);
    return entry;
}

void SyncPlanner::planChildren(Entry &entry, const ContactChildren &children) const
{
    const ProspectChange &p = entry.prospect;
    const QString &contactId = p.ghlContactId;
    const bool contactSent = p.action != ProspectChange::Action::Invalid;

    for (const MappedTask &t : p.mapped.tasks) {
        ChildChange c;
        c.kind = QStringLiteral("task");
        c.ghlId = t.ghlTaskId;
        c.ghlContactId = contactId;
        c.prospectContactId = contactId;
        c.text = t.taskNote;
        c.taskType = t.taskType;
        c.dueDate = QDate::fromString(t.dueDate, Qt::ISODate);
        c.completed = t.completed;
        c.hash = QString::fromLatin1(t.hash);
        c.warnings = t.warnings;
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

    for (const MappedNote &n : p.mapped.notes) {
        ChildChange c;
        c.kind = QStringLiteral("note");
        c.ghlId = n.ghlNoteId;
        c.ghlContactId = contactId;
        c.prospectContactId = contactId;
        c.text = n.content;
        c.hash = QString::fromLatin1(n.hash);
        c.warnings = n.warnings;
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
        } else if (c.previous->state == QLatin1String("deleted")) {
            c.action = ChildChange::Action::Unchanged;
            c.reason = tr("marked deleted in Saleshandy earlier");
        } else if (c.previous->hash != c.hash) {
            c.action = ChildChange::Action::UpdateText;
        } else {
            c.action = ChildChange::Action::Unchanged;
        }
        entry.children.append(std::move(c));
    }

    // What GHL still has, whatever the mapping sends (a note that maps to nothing is not deleted).
    QSet<QString> presentTasks, presentNotes;
    for (const Task &t : children.tasks)
        presentTasks.insert(t.id);
    for (const Note &n : children.notes)
        presentNotes.insert(n.id);
    planDeletedChildren(contactId, presentTasks, presentNotes, contactSent, entry.children);
}

void SyncPlanner::planDeletedChildren(const QString &contactId, const QSet<QString> &presentTasks,
                                      const QSet<QString> &presentNotes, bool contactSent,
                                      QList<ChildChange> &out) const
{
    // One policy for deletions, in every kind of run: a task deleted in GHL is skipped in
    // Saleshandy (it cannot delete tasks); a note is left as it is or marked (it cannot delete notes).
    auto deleted = [&](const QString &kind, const QString &id, const ChildState &s,
                       ChildChange::Action action) {
        ChildChange c;
        c.kind = kind;
        c.ghlId = id;
        c.ghlContactId = contactId;
        c.prospectContactId = contactId;
        c.previous = s;
        c.hash = s.hash;
        c.action = contactSent ? action : ChildChange::Action::Invalid;
        return c;
    };
    for (const QString &id : m_tasksByContact.value(contactId)) {
        if (presentTasks.contains(id))
            continue;
        const ChildState s = m_tasks.value(id);
        // An intent (a create never confirmed) is looked for first: the task may exist.
        const bool intent = s.state == QLatin1String("intent");
        if ((s.shId.isEmpty() && !intent) || s.state == QLatin1String("skipped") ||
            s.state == QLatin1String("completed"))
            continue;
        ChildChange c = deleted(QStringLiteral("task"), id, s, ChildChange::Action::Skip);
        c.reason = tr("deleted in GHL");
        out.append(std::move(c));
    }
    const DeletedNotePolicy notePolicy = m_mapper.mapping().policy().deletedNotes;
    for (const QString &id : m_notesByContact.value(contactId)) {
        if (presentNotes.contains(id))
            continue;
        const ChildState s = m_notes.value(id);
        if ((s.shId.isEmpty() && s.state != QLatin1String("intent")) || s.state == QLatin1String("deleted"))
            continue;
        ChildChange c = deleted(QStringLiteral("note"), id, s, ChildChange::Action::MarkDeleted);
        if (notePolicy == DeletedNotePolicy::MarkDeleted) {
            // Data, not interface: the same prefix whatever language the app runs in.
            c.text = QStringLiteral("[Deleted in GHL] ") + s.payload.value(QStringLiteral("text")).toString();
            c.reason = tr("deleted in GHL: marked \"[Deleted in GHL]\" in Saleshandy");
        } else {
            // No request: Saleshandy cannot delete a note. Said once, then remembered.
            c.reason = tr("deleted in GHL; Saleshandy cannot delete notes, so it is left as it is");
        }
        out.append(std::move(c));
    }
}

void SyncPlanner::merge(std::vector<Entry> &entries, const std::vector<size_t> &group) const
{
    const SyncPolicy &policy = m_mapper.mapping().policy();
    Entry &first = entries[group.front()];
    ProspectChange &p = first.prospect;
    MappedProspect &mapped = p.mapped;

    // Fields: the chosen contact's, then what it lacks from the others in the same order.
    QStringList names;
    for (size_t k = 1; k < group.size(); ++k) {
        const Entry &other = entries[group[k]];
        names << QStringLiteral("%1 (%2)").arg(other.name, other.prospect.ghlContactId);
        const MappedProspect &m = other.prospect.mapped;
        for (auto it = m.fields.cbegin(); it != m.fields.cend(); ++it) {
            if (mapped.fields.contains(it.key()))
                continue;
            mapped.fields.insert(it.key(), it.value());
            for (const FieldWarning &w : m.warnings)
                if (w.target == it.key())
                    mapped.warnings << w;
        }
        if (policy.sharedEmailTags == SharedEmailTags::Union) {
            mapped.tags << m.tags;
            for (const FieldWarning &w : m.warnings)
                if (w.target == target::Tags)
                    mapped.warnings << w;
        }
    }
    std::sort(mapped.tags.begin(), mapped.tags.end());
    mapped.tags.erase(std::unique(mapped.tags.begin(), mapped.tags.end()), mapped.tags.end());
    mapped.hash = Mapper::prospectHash(mapped.email, mapped.fields, mapped.tags);
    p.appointments = 0;
    for (size_t index : group)
        p.appointments += entries[index].prospect.appointments;

    // The prospect the group already has in Saleshandy: one written with this email first.
    std::optional<ProspectState> previous;
    for (size_t index : group) {
        const auto &prev = entries[index].prospect.previous;
        if (prev && !prev->prospectId.isEmpty() && prev->email == p.email) {
            previous = prev;
            break;
        }
    }
    if (!previous)
        previous = p.previous;
    p.previous = previous;
    p.mergedWith.clear();
    for (size_t k = 1; k < group.size(); ++k)
        p.mergedWith << entries[group[k]].prospect.ghlContactId;
    decide(p);
    const QString why =
        policy.sharedEmailFields == SharedEmailFields::Oldest
            ? tr("shares the email %1 with %2; its fields come from the oldest contact, this one")
            : tr("shares the email %1 with %2; its fields come from the most recently updated "
                 "contact, this one");
    p.reason = (p.reason.isEmpty() ? QString() : p.reason + QStringLiteral("; ")) +
               why.arg(p.email, names.join(QStringLiteral(", ")));
    if (p.action == ProspectChange::Action::Invalid)
        return;

    for (size_t k = 1; k < group.size(); ++k) {
        Entry &other = entries[group[k]];
        ProspectChange &o = other.prospect;
        o.action = ProspectChange::Action::Merged;
        o.mergedWith = {p.ghlContactId};
        o.changes.clear();
        o.addedTags.clear();
        o.removedTags.clear();
        o.reason = tr("shares the email %1 with %2 (%3): one prospect, which has this contact's tasks, notes "
                      "and tags")
                       .arg(p.email, first.name, p.ghlContactId);
        for (ChildChange &c : other.children)
            c.prospectContactId = p.ghlContactId;
    }
}

void SyncPlanner::planDeletions(const QSet<QString> &seen, const QHash<QString, QString> &liveEmails,
                                const QHash<QString, QString> &liveProspects, SyncPlan &plan) const
{
    const SyncPolicy &policy = m_mapper.mapping().policy();
    QSet<QString> tagged; // a prospect is tagged once, however many of its contacts are gone
    for (auto it = m_prospects.cbegin(); it != m_prospects.cend(); ++it) {
        const ProspectState &s = it.value();
        if (seen.contains(it.key()) || s.prospectId.isEmpty() || s.hash == kDeletedHash)
            continue;
        // Its tasks and notes are gone with it.
        QList<ChildChange> children;
        planDeletedChildren(it.key(), {}, {}, true, children);
        // Another contact still has the prospect (it shares the email, or had it before a change of
        // email): only this contact is gone, and the prospect is not tagged.
        QString owner = liveEmails.value(s.email);
        if (owner.isEmpty())
            owner = liveProspects.value(s.prospectId);
        ProspectChange p;
        if (!owner.isEmpty() || tagged.contains(s.prospectId)) {
            for (ChildChange &c : children)
                c.prospectContactId = owner.isEmpty() ? it.key() : owner;
            p.action = ProspectChange::Action::Deleted;
            p.ghlContactId = it.key();
            p.email = s.email;
            p.previous = s;
            p.mapped.email = s.email;
            p.mapped.valid = true;
            p.reason = owner.isEmpty()
                           ? tr("deleted in GHL; its prospect is tagged for another deleted contact")
                           : tr("deleted in GHL; its prospect stays with contact %1").arg(owner);
            plan.prospects.append(std::move(p));
            plan.children << children;
            continue;
        }
        tagged.insert(s.prospectId);
        p.action = ProspectChange::Action::Deleted;
        p.ghlContactId = it.key();
        p.email = s.email;
        p.previous = s;
        p.mapped.email = s.email;
        p.mapped.valid = true;
        if (policy.deletedContacts == DeletedContactPolicy::Tag &&
            !policy.deletedContactTag.trimmed().isEmpty()) {
            p.addedTags = {policy.deletedContactTag.trimmed()};
            p.reason = tr("deleted in GHL: the prospect is tagged %1").arg(p.addedTags.constFirst());
        } else {
            p.reason = tr("deleted in GHL: the prospect is left as it is (setting)");
        }
        plan.prospects.append(std::move(p));
        plan.children << children;
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

    // Oldest first: the order of the log (sorted by index: the entries are large to move).
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&entries](size_t a, size_t b) {
        const Entry &x = entries[a];
        const Entry &y = entries[b];
        return x.addedMs != y.addedMs ? x.addedMs < y.addedMs
                                      : x.prospect.ghlContactId < y.prospect.ghlContactId;
    });

    // Contacts that share an email are one prospect.
    QHash<QString, std::vector<size_t>> byEmail;
    QSet<QString> seen;
    seen.reserve(qsizetype(n));
    for (size_t index : order) {
        const ProspectChange &p = entries[index].prospect;
        seen.insert(p.ghlContactId);
        if (p.action != ProspectChange::Action::Invalid)
            byEmail[p.email].push_back(index);
    }
    const bool newestFirst =
        m_mapper.mapping().policy().sharedEmailFields == SharedEmailFields::MostRecentlyUpdated;
    for (auto it = byEmail.begin(); it != byEmail.end(); ++it) {
        std::vector<size_t> &group = it.value();
        if (group.size() < 2)
            continue;
        // `group` is oldest first; the most recently updated first when that is the rule.
        if (newestFirst)
            std::stable_sort(group.begin(), group.end(), [&entries](size_t a, size_t b) {
                return entries[a].updatedMs > entries[b].updatedMs;
            });
        merge(entries, group);
    }
    QHash<QString, QString> liveEmails; // email → the contact whose prospect it is
    for (auto it = byEmail.cbegin(); it != byEmail.cend(); ++it)
        liveEmails.insert(it.key(), entries[it.value().front()].prospect.ghlContactId);
    // A contact that left a shared email gets a prospect of its own: the old one stays with the
    // contacts that still have that email (an update in place would take it from them). In a run
    // over some contacts only, the others' states say who else has the prospect.
    QHash<QString, int> statesOfProspect;
    if (!m_complete)
        for (const ProspectState &s : m_prospects)
            if (!s.prospectId.isEmpty() && s.hash != kDeletedHash)
                ++statesOfProspect[s.prospectId];
    for (Entry &e : entries) {
        ProspectChange &p = e.prospect;
        if (p.action != ProspectChange::Action::Update || !p.emailChanged())
            continue;
        const auto owner = liveEmails.constFind(p.previous->email);
        const bool shared = (owner != liveEmails.constEnd() && owner.value() != p.ghlContactId) ||
                            statesOfProspect.value(p.previous->prospectId) > 1;
        if (shared) {
            p.previous.reset();
            p.reason.clear();
            decide(p);
        }
    }
    // The Saleshandy prospects the contacts of this plan have: a deleted contact's state that
    // points at one of them leaves it alone.
    QHash<QString, QString> liveProspects;
    for (const Entry &e : entries) {
        const ProspectChange &p = e.prospect;
        if (p.action == ProspectChange::Action::Invalid || !p.previous || p.previous->prospectId.isEmpty())
            continue;
        const QString owner =
            p.action == ProspectChange::Action::Merged ? p.mergedWith.value(0) : p.ghlContactId;
        liveProspects.insert(p.previous->prospectId, owner);
    }
    // A prospect tagged as deleted whose email a contact has again (re-created, restored): the
    // tag comes off.
    const QString deletedTag = m_mapper.mapping().policy().deletedContactTag.trimmed();
    if (!deletedTag.isEmpty()) {
        QSet<QString> deletedEmails;
        for (const ProspectState &s : m_prospects)
            if (s.hash == kDeletedHash && s.tags.contains(deletedTag))
                deletedEmails.insert(s.email);
        for (Entry &e : entries) {
            ProspectChange &p = e.prospect;
            const bool writes =
                p.action == ProspectChange::Action::Create || p.action == ProspectChange::Action::Update;
            if (writes && deletedEmails.contains(p.email) && !p.mapped.tags.contains(deletedTag) &&
                !p.removedTags.contains(deletedTag))
                p.removedTags << deletedTag;
        }
    }

    SyncPlan result;
    result.prospects.reserve(qsizetype(n));
    qsizetype childCount = 0;
    for (const Entry &e : entries)
        childCount += e.children.size();
    result.children.reserve(childCount);
    for (size_t index : order) {
        Entry &e = entries[index];
        result.prospects.append(std::move(e.prospect));
        for (ChildChange &c : e.children)
            result.children.append(std::move(c));
    }
    if (m_complete) {
        planDeletions(seen, liveEmails, liveProspects, result);
    }
    return result;
}

} // namespace lb
