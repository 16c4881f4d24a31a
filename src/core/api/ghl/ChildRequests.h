#pragma once

#include "api/ghl/GhlClient.h"
#include "domain/Contact.h"

// Calls on a contact's child records: tasks (GHL.md §6), notes (§7), appointments (§8.1),
// and the location's custom field definitions (§8.2).
namespace lb::ghl {

/// GET /contacts/{contactId}/tasks
class ListTasksRequest final : public GhlRequest
{
    Q_OBJECT

public:
    ListTasksRequest(GhlClient &client, const QString &contactId, QObject *parent = nullptr);
    [[nodiscard]] const QList<Task> &tasks() const { return m_tasks; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    QList<Task> m_tasks;
};

/// GET /contacts/{contactId}/tasks/{taskId}
class GetTaskRequest final : public GhlRequest
{
    Q_OBJECT

public:
    GetTaskRequest(GhlClient &client, const QString &contactId, const QString &taskId,
                   QObject *parent = nullptr);
    [[nodiscard]] const Task &task() const { return m_task; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    QString m_taskId;
    Task m_task;
};

/// POST /contacts/{contactId}/tasks (201): title, dueDate and completed are required.
class CreateTaskRequest final : public GhlRequest
{
    Q_OBJECT

public:
    CreateTaskRequest(GhlClient &client, const Task &task, QObject *parent = nullptr);
    [[nodiscard]] const Task &task() const { return m_task; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    Task m_task;
};

/// PUT /contacts/{contactId}/tasks/{taskId}
class UpdateTaskRequest final : public GhlRequest
{
    Q_OBJECT

public:
    UpdateTaskRequest(GhlClient &client, const Task &task, QObject *parent = nullptr);
    [[nodiscard]] const Task &task() const { return m_task; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    Task m_task;
};

/// PUT /contacts/{contactId}/tasks/{taskId}/completed
class CompleteTaskRequest final : public GhlRequest
{
    Q_OBJECT

public:
    CompleteTaskRequest(GhlClient &client, const QString &contactId, const QString &taskId, bool completed,
                        QObject *parent = nullptr);
    [[nodiscard]] const Task &task() const { return m_task; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    Task m_task;
};

/// DELETE /contacts/{contactId}/tasks/{taskId}
class DeleteTaskRequest final : public GhlRequest
{
    Q_OBJECT

public:
    DeleteTaskRequest(GhlClient &client, const QString &contactId, const QString &taskId,
                      QObject *parent = nullptr);

protected:
    bool parse(const QJsonDocument &body, QString *why) override;
};

/// GET /contacts/{contactId}/notes
class ListNotesRequest final : public GhlRequest
{
    Q_OBJECT

public:
    ListNotesRequest(GhlClient &client, const QString &contactId, QObject *parent = nullptr);
    [[nodiscard]] const QList<Note> &notes() const { return m_notes; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    QList<Note> m_notes;
};

/// GET /contacts/{contactId}/notes/{id}
class GetNoteRequest final : public GhlRequest
{
    Q_OBJECT

public:
    GetNoteRequest(GhlClient &client, const QString &contactId, const QString &noteId,
                   QObject *parent = nullptr);
    [[nodiscard]] const Note &note() const { return m_note; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    QString m_noteId;
    Note m_note;
};

/// POST /contacts/{contactId}/notes (201)
class CreateNoteRequest final : public GhlRequest
{
    Q_OBJECT

public:
    CreateNoteRequest(GhlClient &client, const Note &note, QObject *parent = nullptr);
    [[nodiscard]] const Note &note() const { return m_note; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    Note m_note;
};

/// PUT /contacts/{contactId}/notes/{id}
class UpdateNoteRequest final : public GhlRequest
{
    Q_OBJECT

public:
    UpdateNoteRequest(GhlClient &client, const Note &note, QObject *parent = nullptr);
    [[nodiscard]] const Note &note() const { return m_note; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    Note m_note;
};

/// DELETE /contacts/{contactId}/notes/{id}
class DeleteNoteRequest final : public GhlRequest
{
    Q_OBJECT

public:
    DeleteNoteRequest(GhlClient &client, const QString &contactId, const QString &noteId,
                      QObject *parent = nullptr);

protected:
    bool parse(const QJsonDocument &body, QString *why) override;
};

/// GET /contacts/{contactId}/appointments
class ListAppointmentsRequest final : public GhlRequest
{
    Q_OBJECT

public:
    ListAppointmentsRequest(GhlClient &client, const QString &contactId, QObject *parent = nullptr);
    [[nodiscard]] const QList<Appointment> &appointments() const { return m_appointments; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QString m_contactId;
    QList<Appointment> m_appointments;
};

/// GET /locations/{locationId}/customFields?model=contact
class ListCustomFieldsRequest final : public GhlRequest
{
    Q_OBJECT

public:
    explicit ListCustomFieldsRequest(GhlClient &client, QObject *parent = nullptr);
    [[nodiscard]] const QList<CustomField> &fields() const { return m_fields; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QList<CustomField> m_fields;
};

} // namespace lb::ghl
