#pragma once

#include "domain/Contact.h"
#include "net/ApiError.h"
#include "sync/GhlPull.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace lb {

class ApiRequest;
class ContactStore;
namespace ghl {
class GhlClient;
}

/// What the app does to a location's GHL contacts on a person's behalf, without any widget.
///
/// Each operation runs its GHL request and, only once GHL said yes, writes GHL's answer to the
/// store and announces it (contactCreated, contactChanged, contactRemoved, childrenChanged). A
/// refusal or a network failure emits `failed` with GHL's error in plain language and leaves the
/// store alone, so a view that re-reads the store after either signal always shows the truth.
/// Also runs the pull (all contacts) and the refresh of one contact.
class ContactService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactService)

public:
    enum class Operation {
        CreateContact,
        UpdateContact,
        DeleteContact,
        AddTags,
        RemoveTags,
        CreateTask,
        UpdateTask,
        CompleteTask,
        DeleteTask,
        CreateNote,
        UpdateNote,
        DeleteNote,
        RefreshContact,
        RefreshCustomFields,
        Pull,
    };
    Q_ENUM(Operation)

    /// Neither is owned; both must outlive the service.
    ContactService(ghl::GhlClient &client, ContactStore &store, QObject *parent = nullptr);
    ~ContactService() override;

    [[nodiscard]] QString locationId() const;
    [[nodiscard]] ContactStore &store() { return m_store; }
    [[nodiscard]] ghl::GhlClient &client() { return m_client; }

    /// The contact's locationId defaults to the client's.
    void createContact(const Contact &contact);
    /// Fields as in the form; tags are changed with addTags/removeTags (GHL's update would replace them).
    void updateContact(const Contact &contact);
    void deleteContact(const QString &contactId);
    void addTags(const QString &contactId, const QStringList &tags);
    void removeTags(const QString &contactId, const QStringList &tags);

    void createTask(const Task &task);
    void updateTask(const Task &task);
    void setTaskCompleted(const QString &contactId, const QString &taskId, bool completed);
    void deleteTask(const QString &contactId, const QString &taskId);

    void createNote(const Note &note);
    void updateNote(const Note &note);
    void deleteNote(const QString &contactId, const QString &noteId);

    /// Reads one contact and its tasks, notes and appointments from GHL into the store. A contact
    /// that GHL no longer has is removed from the store (contactRemoved).
    void refreshContact(const QString &contactId);
    /// Reads the location's custom field definitions (their names for the detail pane).
    void refreshCustomFields();

    /// Starts a pull of the whole location; false when one is running already.
    bool startPull(const PullOptions &options = {});
    /// Stops the running pull; the pages already written stay.
    void cancelPull();
    [[nodiscard]] bool isPulling() const { return m_pull != nullptr; }

    /// Requests under way (operations and refreshes, not the pull).
    [[nodiscard]] int pendingOperations() const { return m_pending; }

    /// A sentence naming the operation for messages: "Deleting the contact".
    [[nodiscard]] static QString describe(Operation operation);

Q_SIGNALS:
    void contactCreated(const QString &contactId);
    void contactChanged(const QString &contactId);
    void contactRemoved(const QString &contactId);
    /// Its tasks, notes or appointments changed in the store.
    void childrenChanged(const QString &contactId);
    void customFieldsChanged();
    /// GHL refused or could not be reached; the store is unchanged.
    void failed(lb::ContactService::Operation operation, const lb::ApiError &error);
    /// GHL accepted the change but the store could not record it (the next pull will).
    void storeFailed(lb::ContactService::Operation operation, const QString &message);
    void busyChanged(bool busy);

    void pullStarted();
    void pullProgress(int done, int total);
    /// `error` is ok when the pull ran to its end (records may still have failed: see stats).
    void pullFinished(const lb::ApiError &error, const lb::PullStats &stats);

private:
    /// Starts `request` (parented to this); on success calls `onOk`, else emits failed(operation).
    void run(Operation operation, ApiRequest *request, std::function<void()> onOk);
    void storeProblem(Operation operation);
    void setPending(int pending);

    ghl::GhlClient &m_client;
    ContactStore &m_store;
    std::unique_ptr<GhlPull> m_pull;
    int m_pending = 0;
};

} // namespace lb

Q_DECLARE_METATYPE(lb::ApiError)
Q_DECLARE_METATYPE(lb::PullStats)
