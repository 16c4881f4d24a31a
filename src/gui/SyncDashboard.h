#pragma once

#include "services/SyncService.h"

#include <QWidget>

#include <memory>

class QChart;
class QChartView;
class QProgressBar;
class QSystemTrayIcon;

namespace Ui {
class SyncDashboard;
}

namespace lb::gui {

class AppSettings;
class DryRunModel;

/// The Sync page: Run now (incremental or full), Dry run with its diff and Apply, live progress per
/// stage, Cancel, the schedule, both services' quota meters and charts of recent runs. Everything
/// goes through SyncService; this class only shows it.
class SyncDashboard final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncDashboard)

public:
    explicit SyncDashboard(QWidget *parent = nullptr);
    ~SyncDashboard() override;

    /// Neither owned; null empties the page. `settings` keeps the schedule.
    void setService(SyncService *service, AppSettings *settings = nullptr);
    [[nodiscard]] DryRunModel *diffModel() const { return m_diff; }
    /// The text under the buttons: what happened last, or why a run was refused.
    [[nodiscard]] QString statusText() const;
    /// Refreshes the charts from the store's recent runs.
    void refreshCharts();
    /// Shows a run summary's warnings, merged and deleted contacts under the status (hidden when it
    /// has none); onFinished calls it with the run's summary.
    void showRunWarnings(const QJsonObject &summary);
    /// The warnings line as shown; empty when hidden.
    [[nodiscard]] QString warningsText() const;
    /// Runs in the charts (screenshots wait for them).
    [[nodiscard]] int chartedRuns() const { return m_chartedRuns; }

    void runNow();
    void dryRun();
    void apply();
    void cancel();

protected:
    void changeEvent(QEvent *event) override;

private:
    void onStarted(SyncService::RunKind kind);
    void onProgress(SyncEngine::Stage stage, int done, int total);
    void onFinished(qint64 runId, int exitCode, const QString &error);
    void onQuota(SyncService::Service service, int burst, int burstMax, qint64 daily, qint64 dailyMax);
    void setStatus(const QString &text, bool problem = false);
    void updateButtons();
    void notify(const QString &title, const QString &message);
    [[nodiscard]] QProgressBar *barFor(SyncEngine::Stage stage) const;

    std::unique_ptr<Ui::SyncDashboard> m_ui;
    DryRunModel *m_diff;
    SyncService *m_service = nullptr;
    AppSettings *m_settings = nullptr;
    QChartView *m_outcomeChart = nullptr;
    QChartView *m_durationChart = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    bool m_lastDryRunFull = false;
    int m_chartedRuns = 0;
};

} // namespace lb::gui
