#pragma once

#include "api/saleshandy/SaleshandyClient.h"
#include "domain/Saleshandy.h"

// Tasks (SALESHANDY.md §7). Creates carry no idempotency key: the sync engine records its intent
// first and reads back (ListTasksRequest with search) before repeating an unconfirmed create.
namespace lb::sh {

struct NewTask
{
    QStringList prospectIds;
    QString taskType = QLatin1String(taskType::kCustom);
    QString priority = QLatin1String(priority::kMedium);
    QDate dueDate; ///< date only; invalid: Saleshandy's default (today)
    QString taskNote;
};

/// POST /v1/tasks/create: one task per prospect, answered per prospect (one failure does not
/// abort the rest). Not idempotent.
class CreateTaskRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    CreateTaskRequest(SaleshandyClient &client, const NewTask &task, QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return false; }
    [[nodiscard]] const QList<PerProspectResult> &results() const { return m_results; }
    /// The id of the task created for `prospectId` (or for the only prospect), empty if none.
    [[nodiscard]] QString taskId(const QString &prospectId = {}) const;

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QStringList m_prospectIds;
    QList<PerProspectResult> m_results;
};

struct TaskQuery
{
    int page = 1;
    int pageSize = 50;
    QString status;   ///< upcoming | dueToday | completed | skipped | overdue; empty: all
    QString taskType; ///< linkedin | call | whatsapp | custom; empty: all
    QString search;   ///< e.g. a prospect's email
    QString sortBy;   ///< priority | completedAt | skippedAt | dueDate; empty: Saleshandy's default
    bool ascending = true;
    QString sequenceId;
};

/// GET /v1/tasks: one page.
class ListTasksRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    ListTasksRequest(SaleshandyClient &client, const TaskQuery &query, QObject *parent = nullptr);
    [[nodiscard]] const QList<ShTask> &tasks() const { return m_tasks; }
    /// The total over all pages when the answer says, else -1.
    [[nodiscard]] int total() const { return m_total; }
    [[nodiscard]] bool isLastPage() const;

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QList<ShTask> m_tasks;
    int m_page = 1;
    int m_pageSize = 0;
    int m_itemsOnPage = 0;
    int m_total = -1;
};

/// GET /v1/tasks/{taskId}. An answer about another task is a wrong shape (retried).
class GetTaskRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    GetTaskRequest(SaleshandyClient &client, const QString &taskId, QObject *parent = nullptr);
    [[nodiscard]] const ShTask &task() const { return m_task; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;

private:
    QString m_taskId;
    ShTask m_task;
};

/// POST /v1/tasks/{taskId}/complete [{callOutcome}]. Retried like any idempotent call; Saleshandy
/// answers a repeat (e.g. after a lost answer) with 400 "Task is already completed", which
/// finishes ok with alreadyDone() true.
class CompleteTaskRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    CompleteTaskRequest(SaleshandyClient &client, const QString &taskId, const QString &callOutcome = {},
                        QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return true; }
    /// Ok because the task was completed already (by an earlier attempt or by a user).
    [[nodiscard]] bool alreadyDone() const { return m_alreadyDone; }
    /// Failed because the task was skipped (400 "A skipped task cannot be completed"): it has
    /// ended the other way, which Saleshandy cannot undo.
    [[nodiscard]] bool endedOtherwise() const { return m_endedOtherwise; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;
    bool acceptAsAlreadyDone(const ApiError &error) override;

private:
    bool m_alreadyDone = false;
    bool m_endedOtherwise = false;
};

/// POST /v1/tasks/{taskId}/skip (no body): how a task deleted in GHL ends in Saleshandy. A repeat
/// answered 400 "Task is already skipped" finishes ok with alreadyDone() true. (Skipping a
/// completed task stays an error: "A completed task cannot be skipped".)
class SkipTaskRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    SkipTaskRequest(SaleshandyClient &client, const QString &taskId, QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return true; }
    /// Ok because the task was skipped already.
    [[nodiscard]] bool alreadyDone() const { return m_alreadyDone; }
    /// Failed because the task was completed (400 "A completed task cannot be skipped").
    [[nodiscard]] bool endedOtherwise() const { return m_endedOtherwise; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;
    bool acceptAsAlreadyDone(const ApiError &error) override;

private:
    bool m_alreadyDone = false;
    bool m_endedOtherwise = false;
};

/// PATCH /v1/tasks/{taskId}/note {note}: the only editable part of a task.
class UpdateTaskNoteRequest final : public SaleshandyRequest
{
    Q_OBJECT

public:
    UpdateTaskNoteRequest(SaleshandyClient &client, const QString &taskId, const QString &note,
                          QObject *parent = nullptr);
    [[nodiscard]] bool isIdempotent() const override { return true; }

protected:
    bool parsePayload(const QJsonValue &payload, QString *why) override;
};

/// Reads per-prospect results ({prospectId, success, id|taskId|noteId, message}), from a
/// `results` list or a single record; shared by task and note creation.
[[nodiscard]] QList<PerProspectResult> readPerProspectResults(const QJsonValue &payload,
                                                              const QStringList &asked,
                                                              std::initializer_list<const char *> idKeys);

} // namespace lb::sh
