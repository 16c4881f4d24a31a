#pragma once

#include "domain/Contact.h"
#include "store/SyncStore.h"
#include "sync/Mapper.h"

#include <QDate>
#include <QHash>
#include <QList>
#include <QSet>

#include <optional>
#include <utility>
#include <vector>

namespace lb {

/// One mapped value that a run would change in Saleshandy.
struct FieldChange
{
    QString label;
    QString before;
    QString after;
};

/// What a run does with one contact's prospect.
struct ProspectChange
{
    enum class Action {
        Create,
        Update,
        Unchanged,
        Invalid,
        Merged,  ///< shares its email with another contact: its tasks, notes and tags go to that prospect
        Deleted, ///< deleted in GHL after it was sent: tagged (SyncPolicy::deletedContacts)
    };

    Action action = Action::Unchanged;
    QString ghlContactId;
    QString email;
    QString reason; ///< why invalid; why an update (e.g. "email changed")
    MappedProspect mapped;
    std::optional<ProspectState> previous;
    QList<FieldChange> changes; ///< for updates: what differs from what was last written
    QStringList addedTags;
    QStringList removedTags;
    int appointments = 0; ///< folded into the prospect's fields
    /// The prospect of a group of contacts sharing an email: the others of the group (this one gave
    /// the fields). For a Merged contact: the one whose prospect it joined, alone.
    QStringList mergedWith;
    [[nodiscard]] bool emailChanged() const
    {
        return previous && !previous->prospectId.isEmpty() && previous->email != email;
    }
};

/// What a run does with one task or note.
struct ChildChange
{
    enum class Action {
        Create,             ///< new: record the intent, create, then complete it if it is done in GHL
        ReadBackThenCreate, ///< an earlier create was not confirmed: look for it first
        UpdateText,         ///< the task note or note content changed
        Complete,           ///< completed in GHL
        Skip,               ///< deleted in GHL: skipped in Saleshandy (it cannot delete tasks)
        MarkDeleted,        ///< a note deleted in GHL: content prefixed "[Deleted in GHL]" (by setting)
        Unchanged,
        Invalid, ///< its contact is not sent
    };

    Action action = Action::Unchanged;
    QString kind; ///< "task" or "note"
    QString ghlId;
    QString ghlContactId;
    /// The contact whose prospect the record goes to: itself, or the contact that gave the fields
    /// of the prospect its email shares.
    QString prospectContactId;
    QString text;     ///< taskNote or note content
    QString taskType; ///< tasks
    QDate dueDate;    ///< tasks
    bool completed = false;
    QString hash;
    std::optional<ChildState> previous;
    QString reason;
    QList<FieldWarning> warnings; ///< what the mapping could not send exactly as GHL has it
    [[nodiscard]] QJsonObject payload() const;
};

struct SyncPlan
{
    QList<ProspectChange> prospects;
    QList<ChildChange> children;

    [[nodiscard]] int count(ProspectChange::Action action) const;
    [[nodiscard]] int count(const QString &kind, ChildChange::Action action) const;
    /// Whether applying it would send anything to Saleshandy.
    [[nodiscard]] bool hasWrites() const;
};

/// Turns contacts and what was last written into a plan, per record: create, update, unchanged
/// or invalid (with the reason). Pure: reads nothing, writes nothing, so that a dry run, a test and
/// a benchmark see exactly what a run would do.
class SyncPlanner final
{
public:
    SyncPlanner(const Mapper &mapper, QHash<QString, ProspectState> prospects,
                QHash<QString, ChildState> tasks, QHash<QString, ChildState> notes);

    /// Adds one contact; call in any order.
    void add(Contact contact, ContactChildren children);
    /// Whether the contacts added are all the location has, so that a prospect whose contact is
    /// not among them was deleted in GHL (off for a retry of some records).
    void setComplete(bool complete) { m_complete = complete; }
    /// The plan. Contacts are mapped and compared on every core (the mapper and the states read
    /// here are shared read-only). Contacts that share an email (case-insensitively, trimmed) are
    /// one prospect, since Saleshandy keys prospects by email: its fields come from one of them
    /// (SyncPolicy::sharedEmailFields: the most recently updated, or the oldest), filled from the
    /// others where that one has none, its tags are the union (or that contact's), and the tasks
    /// and notes of every contact of the group go to it. The others are Merged.
    [[nodiscard]] SyncPlan finish();

private:
    struct Entry
    {
        qint64 addedMs = 0;
        qint64 updatedMs = 0;
        QString name; ///< for the log: "Anna Müller"
        ProspectChange prospect;
        QList<ChildChange> children;
    };
    [[nodiscard]] Entry plan(const Contact &contact, const ContactChildren &children) const;
    /// Create, update or unchanged, and the field and tag differences, from mapped and previous.
    void decide(ProspectChange &p) const;
    void planChildren(Entry &entry, const ContactChildren &children) const;
    /// Folds a group of contacts sharing an email into the first of `group` (ordered by policy).
    void merge(std::vector<Entry> &entries, const std::vector<size_t> &group) const;
    /// Prospects whose GHL contact is gone, with their tasks and notes.
    /// `liveEmails`: email → the contact whose prospect it is; `liveProspects`: the Saleshandy ids
    /// the contacts of this plan had, → the contact.
    void planDeletions(const QSet<QString> &seen, const QHash<QString, QString> &liveEmails,
                       const QHash<QString, QString> &liveProspects, SyncPlan &plan) const;
    void planDeletedChildren(const QString &contactId, const QSet<QString> &presentTasks,
                             const QSet<QString> &presentNotes, bool contactSent,
                             QList<ChildChange> &out) const;

    const Mapper &m_mapper;
    QHash<QString, ProspectState> m_prospects;
    QHash<QString, ChildState> m_tasks;
    QHash<QString, ChildState> m_notes;
    QHash<QString, QList<QString>> m_tasksByContact; ///< previous task ids per contact, to find deletions
    QHash<QString, QList<QString>> m_notesByContact;
    bool m_complete = false;
    std::vector<std::pair<Contact, ContactChildren>> m_input;
};

} // namespace lb
