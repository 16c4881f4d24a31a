#include "api/saleshandy/TaskRequests.h"

#include "domain/Json.h"

#include <QJsonArray>
#include <QJsonObject>

namespace lb::sh {

using L = QLatin1StringView;

QList<PerProspectResult> readPerProspectResults(const QJsonValue &payload, const QStringList &asked,
                                                std::initializer_list<const char *> idKeys)
{
    QList<PerProspectResult> out;
    auto read = [&](const QJsonObject &r) {
        PerProspectResult result;
        result.prospectId = json::str(r, L("prospectId"));
        if (result.prospectId.isEmpty())
            result.prospectId = json::str(r.value(L("prospect")).toObject(), L("id"));
        for (const char *key : idKeys) {
            result.id = json::str(r, QLatin1StringView(key));
            if (!result.id.isEmpty())
                break;
        }
        if (result.id.isEmpty()) // {prospectId, success, task: {...}}
            for (const char *nested : {"task", "note"})
                if (result.id.isEmpty())
                    result.id = json::str(r.value(QLatin1StringView(nested)).toObject(), L("id"));
        result.success = json::boolean(r, L("success"), !result.id.isEmpty());
        result.message = json::str(r, L("message"));
        if (result.prospectId.isEmpty() && asked.size() == 1)
            result.prospectId = asked.constFirst();
        out.append(result);
    };
    bool found = false;
    const QJsonArray list = listIn(payload, {"results"}, &found);
    if (found) {
        for (const QJsonValue &v : list)
            read(v.toObject());
    } else if (payload.isObject()) {
        read(payload.toObject()); // a single created record
    }
    return out;
}

CreateTaskRequest::CreateTaskRequest(SaleshandyClient &client, const NewTask &task, QObject *parent)
    : SaleshandyRequest(client, "POST", QStringLiteral("/v1/tasks/create"), parent),
      m_prospectIds(task.prospectIds)
{
    QJsonObject body{{L("prospectIds"), QJsonArray::fromStringList(task.prospectIds)},
                     {L("taskType"), task.taskType},
                     {L("priority"), task.priority},
                     {L("taskNote"), task.taskNote}};
    if (task.dueDate.isValid())
        body.insert(L("dueDate"), task.dueDate.toString(Qt::ISODate));
    m_body = QJsonDocument(body);
}

bool CreateTaskRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    m_results = readPerProspectResults(payload, m_prospectIds, {"taskId", "id"});
    if (m_results.isEmpty()) {
        *why = tr("the answer says nothing about the created tasks");
        return false;
    }
    return true;
}

QString CreateTaskRequest::taskId(const QString &prospectId) const
{
    for (const PerProspectResult &r : m_results)
        if (r.success && (prospectId.isEmpty() || r.prospectId == prospectId))
            return r.id;
    return {};
}

ListTasksRequest::ListTasksRequest(SaleshandyClient &client, const TaskQuery &q, QObject *parent)
    : SaleshandyRequest(client, "GET", QStringLiteral("/v1/tasks"), parent), m_page(std::max(1, q.page)),
      m_pageSize(q.pageSize)
{
    m_query.addQueryItem(QStringLiteral("page"), QString::number(m_page));
    m_query.addQueryItem(QStringLiteral("pageSize"), QString::number(q.pageSize));
    auto add = [this](const char *key, const QString &value) {
        if (!value.isEmpty())
            m_query.addQueryItem(QLatin1String(key), value);
    };
    add("status", q.status);
    add("taskType", q.taskType);
    add("search", q.search);
    add("sequenceId", q.sequenceId);
    if (!q.sortBy.isEmpty()) {
        add("sortBy", q.sortBy);
        add("sortOrder", q.ascending ? QStringLiteral("ASC") : QStringLiteral("DESC"));
    }
}

bool ListTasksRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    bool found = false;
    const QJsonArray list = listIn(payload, {"tasks", "data", "items"}, &found);
    if (!found) {
        *why = tr("the answer has no list of tasks");
        return false;
    }
    m_itemsOnPage = int(list.size());
    for (const QJsonValue &v : list) {
        ShTask t = ShTask::fromJson(v.toObject());
        if (!t.id.isEmpty())
            m_tasks.append(std::move(t));
    }
    const QJsonObject o = payload.toObject();
    for (const char *key : {"total", "totalCount", "count"}) {
        if (o.value(QLatin1StringView(key)).isDouble()) {
            m_total = o.value(QLatin1StringView(key)).toInt();
            break;
        }
    }
    return true;
}

bool ListTasksRequest::isLastPage() const
{
    if (m_total >= 0)
        return qint64(m_page) * m_pageSize >= m_total;
    return m_itemsOnPage < m_pageSize;
}

GetTaskRequest::GetTaskRequest(SaleshandyClient &client, const QString &taskId, QObject *parent)
    : SaleshandyRequest(client, "GET", QStringLiteral("/v1/tasks/") + seg(taskId), parent), m_taskId(taskId)
{
    m_pattern = QStringLiteral("/v1/tasks/{id}");
}

bool GetTaskRequest::parsePayload(const QJsonValue &payload, QString *why)
{
    QJsonObject o = payload.toObject();
    if (o.value(L("task")).isObject())
        o = o.value(L("task")).toObject();
    m_task = ShTask::fromJson(o);
    if (m_task.id.isEmpty()) {
        *why = tr("the task in the answer has no id");
        return false;
    }
    if (m_task.id != m_taskId) {
        *why = tr("the answer is about another task (id %1)").arg(m_task.id);
        return false;
    }
    return true;
}

CompleteTaskRequest::CompleteTaskRequest(SaleshandyClient &client, const QString &taskId,
                                         const QString &callOutcome, QObject *parent)
    : SaleshandyRequest(client, "POST",
                        QStringLiteral("/v1/tasks/") + seg(taskId) + QStringLiteral("/complete"), parent)
{
    m_pattern = QStringLiteral("/v1/tasks/{id}/complete");
    QJsonObject body;
    if (!callOutcome.isEmpty())
        body.insert(L("callOutcome"), callOutcome);
    m_body = QJsonDocument(body);
}

bool CompleteTaskRequest::parsePayload(const QJsonValue &, QString *)
{
    return true;
}

bool CompleteTaskRequest::acceptAsAlreadyDone(const ApiError &error)
{
    m_alreadyDone = saysAlready(error, {"already completed"});
    m_endedOtherwise = !m_alreadyDone && saysAlready(error, {"skipped task cannot be completed"});
    return m_alreadyDone;
}

SkipTaskRequest::SkipTaskRequest(SaleshandyClient &client, const QString &taskId, QObject *parent)
    : SaleshandyRequest(client, "POST", QStringLiteral("/v1/tasks/") + seg(taskId) + QStringLiteral("/skip"),
                        parent)
{
    m_pattern = QStringLiteral("/v1/tasks/{id}/skip");
}

bool SkipTaskRequest::parsePayload(const QJsonValue &, QString *)
{
    return true;
}

bool SkipTaskRequest::acceptAsAlreadyDone(const ApiError &error)
{
    m_alreadyDone = saysAlready(error, {"already skipped"});
    m_endedOtherwise = !m_alreadyDone && saysAlready(error, {"completed task cannot be skipped"});
    return m_alreadyDone;
}

UpdateTaskNoteRequest::UpdateTaskNoteRequest(SaleshandyClient &client, const QString &taskId,
                                             const QString &note, QObject *parent)
    : SaleshandyRequest(client, "PATCH", QStringLiteral("/v1/tasks/") + seg(taskId) + QStringLiteral("/note"),
                        parent)
{
    m_pattern = QStringLiteral("/v1/tasks/{id}/note");
    m_body = QJsonDocument(QJsonObject{{L("note"), note}});
}

bool UpdateTaskNoteRequest::parsePayload(const QJsonValue &, QString *)
{
    return true;
}

} // namespace lb::sh
