#include "services/ContactService.h"

#include <QScopeGuard>

#include "api/ghl/ChildRequests.h"
#include "api/ghl/ContactRequests.h"
#include "store/ContactStore.h"

#include <QTimer>

#include <memory>

namespace lb {

ContactService::ContactService(ghl::GhlClient &client, ContactStore &store, QObject *parent)
    : QObject(parent), m_client(client), m_store(store)
{
    qRegisterMetaType<lb::ApiError>();
    qRegisterMetaType<lb::PullStats>();
}

ContactService::~ContactService()
{
    if (m_pull)
        m_pull->cancel();
}

QString ContactService::locationId() const
{
    return m_client.locationId();
}

QString ContactService::describe(Operation operation)
{
    switch (operation) {
    case Operation::CreateContact:
        return tr("Creating the contact");
    case Operation::UpdateContact:
        return tr("Saving the contact");
    case Operation::DeleteContact:
        return tr("Deleting the contact");
    case Operation::AddTags:
        return tr("Adding the tag");
    case Operation::RemoveTags:
        return tr("Removing the tag");
    case Operation::CreateTask:
        return tr("Creating the task");
    case Operation::UpdateTask:
        return tr("Saving the task");
    case Operation::CompleteTask:
        return tr("Changing the task's state");
    case Operation::DeleteTask:
        return tr("Deleting the task");
    case Operation::CreateNote:
        return tr("Adding the note");
    case Operation::UpdateNote:
        return tr("Saving the note");
    case Operation::DeleteNote:
        return tr("Deleting the note");
    case Operation::RefreshContact:
        return tr("Refreshing the contact from GHL");
    case Operation::RefreshCustomFields:
        return tr("Reading the custom field names from GHL");
    case Operation::Pull:
        return tr("Refreshing all contacts from GHL");
    }
    return {};
}

void ContactService::setPending(int pending)
{
    const bool wasBusy = m_pending > 0;
    m_pending = pending;
    if (wasBusy != (m_pending > 0))
        Q_EMIT busyChanged(m_pending > 0);
}

void ContactService::run(Operation operation, ApiRequest *request, std::function<void()> onOk)
{
    setPending(m_pending + 1);
    connect(request, &ApiRequest::finished, this, [this, operation, request, onOk = std::move(onOk)] {
        request->deleteLater();
        if (request->ok())
            onOk();
        else
            Q_EMIT failed(operation, request->error());
        setPending(m_pending - 1);
    });
    request->start();
}

void ContactService::storeProblem(Operation operation)
{
    Q_EMIT storeFailed(operation,
                       tr("GHL accepted the change, but the local database could not record it (%1). "
                          "The next refresh will bring it in.")
                           .arg(m_store.error()));
}

void ContactService::createContact(const Contact &contact)
{
    Contact c = contact;
    if (c.locationId.isEmpty())
        c.locationId = m_client.locationId();
    auto *request = new ghl::CreateContactRequest(m_client, c, this);
    run(Operation::CreateContact, request, [this, request, c] {
        Contact created = request->contact();
        if (created.locationId.isEmpty())
            created.locationId = c.locationId;
        if (!m_store.upsertContact(created))
            return storeProblem(Operation::CreateContact);
        Q_EMIT contactCreated(created.id);
    });
}

void ContactService::updateContact(const Contact &contact)
{
    auto *request = new ghl::UpdateContactRequest(m_client, contact, this);
    run(Operation::UpdateContact, request, [this, request, contact] {
        Contact updated = request->contact();
        if (updated.id.isEmpty())
            updated.id = contact.id;
        if (updated.locationId.isEmpty())
            updated.locationId = contact.locationId.isEmpty() ? m_client.locationId() : contact.locationId;
        if (!m_store.upsertContact(updated))
            return storeProblem(Operation::UpdateContact);
        Q_EMIT contactChanged(updated.id);
    });
}

void ContactService::deleteContact(const QString &contactId)
{
    auto *request = new ghl::DeleteContactRequest(m_client, contactId, this);
    run(Operation::DeleteContact, request, [this, contactId] {
        if (!m_store.removeContact(contactId))
            return storeProblem(Operation::DeleteContact);
        Q_EMIT contactRemoved(contactId);
    });
}

namespace {
/// The stored contact with GHL's resulting tag set.
bool storeTags(ContactStore &store, const QString &contactId, const QStringList &tags)
{
    std::optional<Contact> c = store.contact(contactId);
    if (!c)
        return store.error().isEmpty(); // not cached: nothing to update
    c->tags = tags;
    return store.upsertContact(*c);
}
} // namespace

void ContactService::addTags(const QString &contactId, const QStringList &tags)
{
    auto *request = new ghl::AddTagsRequest(m_client, contactId, tags, this);
    run(Operation::AddTags, request, [this, request, contactId] {
        if (!storeTags(m_store, contactId, request->tags()))
            return storeProblem(Operation::AddTags);
        Q_EMIT contactChanged(contactId);
    });
}

void ContactService::removeTags(const QString &contactId, const QStringList &tags)
{
    auto *request = new ghl::RemoveTagsRequest(m_client, contactId, tags, this);
    run(Operation::RemoveTags, request, [this, request, contactId] {
        if (!storeTags(m_store, contactId, request->tags()))
            return storeProblem(Operation::RemoveTags);
        Q_EMIT contactChanged(contactId);
    });
}

void ContactService::createTask(const Task &task)
{
    auto *request = new ghl::CreateTaskRequest(m_client, task, this);
    run(Operation::CreateTask, request, [this, request, task] {
        Task created = request->task();
        if (created.contactId.isEmpty())
            created.contactId = task.contactId;
        if (!m_store.upsertTask(created))
            return storeProblem(Operation::CreateTask);
        Q_EMIT childrenChanged(created.contactId);
    });
}

void ContactService::updateTask(const Task &task)
{
    auto *request = new ghl::UpdateTaskRequest(m_client, task, this);
    run(Operation::UpdateTask, request, [this, request, task] {
        Task updated = request->task();
        if (updated.id.isEmpty())
            updated.id = task.id;
        if (updated.contactId.isEmpty())
            updated.contactId = task.contactId;
        if (!m_store.upsertTask(updated))
            return storeProblem(Operation::UpdateTask);
        Q_EMIT childrenChanged(updated.contactId);
    });
}

void ContactService::setTaskCompleted(const QString &contactId, const QString &taskId, bool completed)
{
    auto *request = new ghl::CompleteTaskRequest(m_client, contactId, taskId, completed, this);
    run(Operation::CompleteTask, request, [this, request, contactId, taskId, completed] {
        // GHL answers with the task; fall back to the stored one when the answer is thin.
        Task task = request->task();
        if (task.id.isEmpty() || task.title.isEmpty()) {
            const QList<Task> stored = m_store.tasks(contactId);
            for (const Task &t : stored) {
                if (t.id == taskId)
                    task = t;
            }
        }
        task.id = taskId;
        task.contactId = contactId;
        task.completed = completed;
        if (!m_store.upsertTask(task))
            return storeProblem(Operation::CompleteTask);
        Q_EMIT childrenChanged(contactId);
    });
}

void ContactService::deleteTask(const QString &contactId, const QString &taskId)
{
    auto *request = new ghl::DeleteTaskRequest(m_client, contactId, taskId, this);
    run(Operation::DeleteTask, request, [this, contactId, taskId] {
        if (!m_store.removeTask(taskId))
            return storeProblem(Operation::DeleteTask);
        Q_EMIT childrenChanged(contactId);
    });
}

void ContactService::createNote(const Note &note)
{
    auto *request = new ghl::CreateNoteRequest(m_client, note, this);
    run(Operation::CreateNote, request, [this, request, note] {
        Note created = request->note();
        if (created.contactId.isEmpty())
            created.contactId = note.contactId;
        if (!m_store.upsertNote(created))
            return storeProblem(Operation::CreateNote);
        Q_EMIT childrenChanged(created.contactId);
    });
}

void ContactService::updateNote(const Note &note)
{
    auto *request = new ghl::UpdateNoteRequest(m_client, note, this);
    run(Operation::UpdateNote, request, [this, request, note] {
        Note updated = request->note();
        if (updated.id.isEmpty())
            updated.id = note.id;
        if (updated.contactId.isEmpty())
            updated.contactId = note.contactId;
        if (!m_store.upsertNote(updated))
            return storeProblem(Operation::UpdateNote);
        Q_EMIT childrenChanged(updated.contactId);
    });
}

void ContactService::deleteNote(const QString &contactId, const QString &noteId)
{
    auto *request = new ghl::DeleteNoteRequest(m_client, contactId, noteId, this);
    run(Operation::DeleteNote, request, [this, contactId, noteId] {
        if (!m_store.removeNote(noteId))
            return storeProblem(Operation::DeleteNote);
        Q_EMIT childrenChanged(contactId);
    });
}

void ContactService::refreshContact(const QString &contactId)
{
    // Four reads in parallel; the store is written once, when all four have answered.
    struct Gather
    {
        QPointer<ghl::GetContactRequest> contact;
        QPointer<ghl::ListTasksRequest> tasks;
        QPointer<ghl::ListNotesRequest> notes;
        QPointer<ghl::ListAppointmentsRequest> appointments;
        int waiting = 4;
        ApiError firstError;
        bool notFound = false;
    };
    auto gather = std::make_shared<Gather>();
    gather->contact = new ghl::GetContactRequest(m_client, contactId, this);
    gather->tasks = new ghl::ListTasksRequest(m_client, contactId, this);
    gather->notes = new ghl::ListNotesRequest(m_client, contactId, this);
    gather->appointments = new ghl::ListAppointmentsRequest(m_client, contactId, this);

    setPending(m_pending + 1);
    const auto done = [this, gather, contactId](ApiRequest *request) {
        // The four requests live until all have answered: the last one reads the other three.
        if (!request->ok()) {
            if (request == gather->contact && request->error().kind == ApiError::Kind::NotFound)
                gather->notFound = true;
            else if (gather->firstError.isOk())
                gather->firstError = request->error();
        }
        if (--gather->waiting > 0)
            return;
        const auto release = qScopeGuard([gather] {
            for (ApiRequest *r : std::initializer_list<ApiRequest *>{gather->contact, gather->tasks, gather->notes,
                                                                     gather->appointments})
                if (r)
                    r->deleteLater();
        });
        setPending(m_pending - 1);
        if (gather->notFound) {
            if (!m_store.removeContact(contactId))
                return storeProblem(Operation::RefreshContact);
            Q_EMIT contactRemoved(contactId);
            return;
        }
        if (!gather->firstError.isOk()) {
            Q_EMIT failed(Operation::RefreshContact, gather->firstError);
            return;
        }
        PullBatch batch;
        batch.locationId = m_client.locationId();
        Contact c = gather->contact->contact();
        c.searchAfter = {};
        if (c.locationId.isEmpty())
            c.locationId = batch.locationId;
        batch.contacts << c;
        batch.children << ContactChildren{contactId, gather->tasks->tasks(), gather->notes->notes(),
                                          gather->appointments->appointments()};
        if (!m_store.writePullBatch(batch))
            return storeProblem(Operation::RefreshContact);
        Q_EMIT contactChanged(contactId);
        Q_EMIT childrenChanged(contactId);
    };
    for (ApiRequest *r : std::initializer_list<ApiRequest *>{gather->contact, gather->tasks, gather->notes,
                                                             gather->appointments}) {
        connect(r, &ApiRequest::finished, this, [done, r] { done(r); });
    }
    for (ApiRequest *r : std::initializer_list<ApiRequest *>{gather->contact, gather->tasks, gather->notes,
                                                             gather->appointments}) {
        r->start();
    }
}

void ContactService::refreshCustomFields()
{
    auto *request = new ghl::ListCustomFieldsRequest(m_client, this);
    run(Operation::RefreshCustomFields, request, [this, request] {
        if (!m_store.replaceCustomFields(m_client.locationId(), request->fields()))
            return storeProblem(Operation::RefreshCustomFields);
        Q_EMIT customFieldsChanged();
    });
}

bool ContactService::startPull(const PullOptions &options)
{
    if (m_pull)
        return false;
    m_pull = std::make_unique<GhlPull>(m_client, m_store, options);
    connect(m_pull.get(), &GhlPull::progress, this, &ContactService::pullProgress);
    connect(m_pull.get(), &GhlPull::finished, this, [this] {
        // Deleted later: this runs inside the pull's own signal.
        GhlPull *pull = m_pull.release();
        pull->deleteLater();
        Q_EMIT pullFinished(pull->error(), pull->stats());
        Q_EMIT customFieldsChanged(); // the pull reads the definitions too
    });
    Q_EMIT pullStarted();
    m_pull->start();
    return true;
}

void ContactService::cancelPull()
{
    if (m_pull)
        m_pull->cancel();
}

} // namespace lb
