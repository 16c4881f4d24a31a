#include "api/ghl/ChildRequests.h"

#include "domain/Json.h"

namespace lb::ghl {

using L = QLatin1StringView;

namespace {

/// Reads `{<key>: [...]}` into records of type T, giving each the contact id when missing.
template <typename T>
bool readList(const QJsonDocument &body, const char *key, const QString &contactId, QList<T> *out,
              QString *why)
{
    const QJsonValue list = body.object().value(QLatin1String(key));
    if (!list.isArray()) {
        *why = QCoreApplication::translate("lb::ghl", "the answer has no list of %1").arg(QLatin1String(key));
        return false;
    }
    for (const QJsonValue &v : list.toArray()) {
        if (!v.isObject())
            continue;
        T item = T::fromJson(v.toObject());
        if (item.id.isEmpty())
            continue; // nothing to key it by; the rest of the list is still good
        if (item.contactId.isEmpty())
            item.contactId = contactId;
        out->append(std::move(item));
    }
    return true;
}

template <typename T>
bool readOne(const QJsonDocument &body, const char *key, const QString &contactId, T *out, QString *why)
{
    const QJsonValue v = body.object().value(QLatin1String(key));
    if (!v.isObject()) {
        *why = QCoreApplication::translate("lb::ghl", "the answer has no %1 object").arg(QLatin1String(key));
        return false;
    }
    *out = T::fromJson(v.toObject());
    if (out->id.isEmpty()) {
        *why =
            QCoreApplication::translate("lb::ghl", "the %1 in the answer has no id").arg(QLatin1String(key));
        return false;
    }
    if (out->contactId.isEmpty())
        out->contactId = contactId;
    return true;
}

/// A read of one record must be about that record; anything else is a garbled answer.
bool sameId(const QString &got, const QString &asked, QString *why)
{
    if (got == asked)
        return true;
    *why = QCoreApplication::translate("lb::ghl", "the answer is about another record (id %1)").arg(got);
    return false;
}

QString contactPath(const QString &contactId, const char *child)
{
    return QStringLiteral("/contacts/") + QString::fromLatin1(QUrl::toPercentEncoding(contactId)) +
           QLatin1Char('/') + QLatin1String(child);
}

QJsonObject taskBody(const Task &t)
{
    QJsonObject o{{L("title"), t.title}, {L("completed"), t.completed}};
    if (!t.body.isEmpty())
        o.insert(L("body"), t.body);
    if (t.dueDate.isValid())
        o.insert(L("dueDate"), json::isoString(t.dueDate));
    if (!t.assignedTo.isEmpty())
        o.insert(L("assignedTo"), t.assignedTo);
    return o;
}

QJsonObject noteBody(const Note &n)
{
    QJsonObject o{{L("body"), n.body}};
    if (!n.title.isEmpty())
        o.insert(L("title"), n.title);
    if (!n.userId.isEmpty())
        o.insert(L("userId"), n.userId);
    return o;
}

} // namespace

ListTasksRequest::ListTasksRequest(GhlClient &client, const QString &contactId, QObject *parent)
    : GhlRequest(client, "GET", contactPath(contactId, "tasks"), parent), m_contactId(contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/tasks");
}

bool ListTasksRequest::parse(const QJsonDocument &body, QString *why)
{
    return readList(body, "tasks", m_contactId, &m_tasks, why);
}

GetTaskRequest::GetTaskRequest(GhlClient &client, const QString &contactId, const QString &taskId,
                               QObject *parent)
    : GhlRequest(client, "GET", contactPath(contactId, "tasks/") + seg(taskId), parent),
      m_contactId(contactId), m_taskId(taskId)
{
    m_pattern = QStringLiteral("/contacts/{id}/tasks/{taskId}");
}

bool GetTaskRequest::parse(const QJsonDocument &body, QString *why)
{
    return readOne(body, "task", m_contactId, &m_task, why) && sameId(m_task.id, m_taskId, why);
}

CreateTaskRequest::CreateTaskRequest(GhlClient &client, const Task &task, QObject *parent)
    : GhlRequest(client, "POST", contactPath(task.contactId, "tasks"), parent), m_contactId(task.contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/tasks");
    QJsonObject body = taskBody(task);
    if (!task.dueDate.isValid()) // required by GHL
        body.insert(L("dueDate"), json::isoString(QDateTime::currentDateTimeUtc().addDays(1)));
    m_body = QJsonDocument(body);
}

bool CreateTaskRequest::parse(const QJsonDocument &body, QString *why)
{
    return readOne(body, "task", m_contactId, &m_task, why);
}

UpdateTaskRequest::UpdateTaskRequest(GhlClient &client, const Task &task, QObject *parent)
    : GhlRequest(client, "PUT", contactPath(task.contactId, "tasks/") + seg(task.id), parent),
      m_contactId(task.contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/tasks/{taskId}");
    m_body = QJsonDocument(taskBody(task));
}

bool UpdateTaskRequest::parse(const QJsonDocument &body, QString *why)
{
    return readOne(body, "task", m_contactId, &m_task, why);
}

CompleteTaskRequest::CompleteTaskRequest(GhlClient &client, const QString &contactId, const QString &taskId,
                                         bool completed, QObject *parent)
    : GhlRequest(client, "PUT", contactPath(contactId, "tasks/") + seg(taskId) + QStringLiteral("/completed"),
                 parent),
      m_contactId(contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/tasks/{taskId}/completed");
    m_body = QJsonDocument(QJsonObject{{L("completed"), completed}});
}

bool CompleteTaskRequest::parse(const QJsonDocument &body, QString *why)
{
    return readOne(body, "task", m_contactId, &m_task, why);
}

DeleteTaskRequest::DeleteTaskRequest(GhlClient &client, const QString &contactId, const QString &taskId,
                                     QObject *parent)
    : GhlRequest(client, "DELETE", contactPath(contactId, "tasks/") + seg(taskId), parent)
{
    m_pattern = QStringLiteral("/contacts/{id}/tasks/{taskId}");
}

bool DeleteTaskRequest::parse(const QJsonDocument &body, QString *why)
{
    return readSucceeded(body, why);
}

ListNotesRequest::ListNotesRequest(GhlClient &client, const QString &contactId, QObject *parent)
    : GhlRequest(client, "GET", contactPath(contactId, "notes"), parent), m_contactId(contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/notes");
}

bool ListNotesRequest::parse(const QJsonDocument &body, QString *why)
{
    return readList(body, "notes", m_contactId, &m_notes, why);
}

GetNoteRequest::GetNoteRequest(GhlClient &client, const QString &contactId, const QString &noteId,
                               QObject *parent)
    : GhlRequest(client, "GET", contactPath(contactId, "notes/") + seg(noteId), parent),
      m_contactId(contactId), m_noteId(noteId)
{
    m_pattern = QStringLiteral("/contacts/{id}/notes/{noteId}");
}

bool GetNoteRequest::parse(const QJsonDocument &body, QString *why)
{
    return readOne(body, "note", m_contactId, &m_note, why) && sameId(m_note.id, m_noteId, why);
}

CreateNoteRequest::CreateNoteRequest(GhlClient &client, const Note &note, QObject *parent)
    : GhlRequest(client, "POST", contactPath(note.contactId, "notes"), parent), m_contactId(note.contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/notes");
    m_body = QJsonDocument(noteBody(note));
}

bool CreateNoteRequest::parse(const QJsonDocument &body, QString *why)
{
    return readOne(body, "note", m_contactId, &m_note, why);
}

UpdateNoteRequest::UpdateNoteRequest(GhlClient &client, const Note &note, QObject *parent)
    : GhlRequest(client, "PUT", contactPath(note.contactId, "notes/") + seg(note.id), parent),
      m_contactId(note.contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/notes/{noteId}");
    m_body = QJsonDocument(noteBody(note));
}

bool UpdateNoteRequest::parse(const QJsonDocument &body, QString *why)
{
    return readOne(body, "note", m_contactId, &m_note, why);
}

DeleteNoteRequest::DeleteNoteRequest(GhlClient &client, const QString &contactId, const QString &noteId,
                                     QObject *parent)
    : GhlRequest(client, "DELETE", contactPath(contactId, "notes/") + seg(noteId), parent)
{
    m_pattern = QStringLiteral("/contacts/{id}/notes/{noteId}");
}

bool DeleteNoteRequest::parse(const QJsonDocument &body, QString *why)
{
    return readSucceeded(body, why);
}

ListAppointmentsRequest::ListAppointmentsRequest(GhlClient &client, const QString &contactId, QObject *parent)
    : GhlRequest(client, "GET", contactPath(contactId, "appointments"), parent), m_contactId(contactId)
{
    m_pattern = QStringLiteral("/contacts/{id}/appointments");
}

bool ListAppointmentsRequest::parse(const QJsonDocument &body, QString *why)
{
    return readList(body, "events", m_contactId, &m_appointments, why);
}

ListCustomFieldsRequest::ListCustomFieldsRequest(GhlClient &client, QObject *parent)
    : GhlRequest(client, "GET",
                 QStringLiteral("/locations/") + seg(client.locationId()) + QStringLiteral("/customFields"),
                 parent)
{
    m_pattern = QStringLiteral("/locations/{id}/customFields");
    m_query.addQueryItem(QStringLiteral("model"), QStringLiteral("contact"));
}

bool ListCustomFieldsRequest::parse(const QJsonDocument &body, QString *why)
{
    const QJsonValue list = body.object().value(L("customFields"));
    if (!list.isArray()) {
        *why = tr("the answer has no list of custom fields");
        return false;
    }
    for (const QJsonValue &v : list.toArray()) {
        CustomField f = CustomField::fromJson(v.toObject());
        if (f.id.isEmpty())
            continue;
        if (f.locationId.isEmpty())
            f.locationId = ghl().locationId();
        m_fields.append(std::move(f));
    }
    return true;
}

} // namespace lb::ghl
