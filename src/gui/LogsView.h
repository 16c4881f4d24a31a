#pragma once

#include <QWidget>

#include <memory>

class QSortFilterProxyModel;

namespace Ui {
class LogsView;
}

namespace lb {
class SyncService;
}

namespace lb::gui {

class EventsModel;
class RunsModel;

/// The Logs page: the runs, and for the chosen run its per-record events filtered by kind, outcome
/// and text (in SQL, page by page), a record's detail, retrying failed records and CSV export.
class LogsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LogsView)

public:
    explicit LogsView(QWidget *parent = nullptr);
    ~LogsView() override;

    void setService(SyncService *service);
    [[nodiscard]] RunsModel *runsModel() const { return m_runs; }
    [[nodiscard]] EventsModel *eventsModel() const { return m_events; }
    [[nodiscard]] qint64 currentRun() const { return m_runId; }

    /// Reloads the runs (after a run finished) and keeps the chosen one.
    void reloadRuns();
    void openRun(qint64 runId);
    /// The filter as the combo boxes and search field set it; empty strings: any.
    void setFilter(const QString &kind, const QString &outcome, const QString &text);
    /// Only events with at least one field warning (EventQuery::warningsOnly).
    void setWarningsOnly(bool only);
    /// The record detail shown for an event row.
    [[nodiscard]] QString detailText() const;
    void showDetail(int row);
    /// Selects an event row and shows its detail.
    void selectEvent(int row);
    /// Retries the run's failed records, or only the contacts of the selected rows.
    bool retryFailed(bool selectionOnly, QString *why = nullptr);
    [[nodiscard]] qint64 exportCsv(const QString &path, QString *error);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyFilter();
    void updateCount();
    void askExport();

    std::unique_ptr<Ui::LogsView> m_ui;
    RunsModel *m_runs;
    QSortFilterProxyModel *m_runsProxy;
    EventsModel *m_events;
    SyncService *m_service = nullptr;
    qint64 m_runId = 0;
};

} // namespace lb::gui
