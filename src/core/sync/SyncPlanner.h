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
    QString reason;                       ///< why invalid; why an update (e.g. "email changed")
    MappedProspect mapped;
    std::optional<ProspectState> previous;
    QList<FieldChange> changes;           ///< for updates: what differs from what was last written
    QStringList addedTags;
    QStringList removedTags;
    int appointments = 0;                 ///< folded into the prospect's fields
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
        Invalid,            ///< its contact is not sent
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
    SyncPlanner(const Mapper &mapper, QHash<QString, ProspectState> prospects, QHash<QString, ChildState> tasks,
                QHash<QString, ChildState> notes);

    /// Adds one contact; call in any order.
    void add(Contact contact, ContactChildren children);
    /// The plan. Contacts are mapped and compared on every core (the mapper and the states read
    /// here are shared read-only). Of contacts sharing an email, the one added to GHL first is sent;
    /// the others are invalid ("duplicate email shared with contact X"), since Saleshandy keys
    /// prospects by email.
    [[nodiscard]] SyncPlan finish();

private:
    struct Entry
    {
        qint64 addedMs = 0;
        ProspectChange prospect;
        QList<ChildChange> children;
    };
    [[nodiscard]] Entry plan(const Contact &contact, const ContactChildren &children) const;
    void planChildren(Entry &entry, const Contact &contact) const;

    const Mapper &m_mapper;
    QHash<QString, ProspectState> m_prospects;
    QHash<QString, ChildState> m_tasks;
    QHash<QString, ChildState> m_notes;
    QHash<QString, QList<QString>> m_tasksByContact; ///< previous task ids per contact, to find deletions
    std::vector<std::pair<Contact, ContactChildren>> m_input;
};

} // namespace lb
