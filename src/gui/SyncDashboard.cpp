#include "gui/SyncDashboard.h"

#include "gui/AppSettings.h"
#include "gui/SyncModels.h"
#include "gui/WarningTexts.h"
#include "ui_syncdashboard.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QHeaderView>
#include <QLineSeries>
#include <QLocale>
#include <QSpinBox>
#include <QStackedBarSeries>
#include <QSystemTrayIcon>
#include <QValueAxis>

namespace lb::gui {

namespace {
constexpr int kChartRuns = 12;
}

SyncDashboard::SyncDashboard(QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::SyncDashboard>()), m_diff(new DryRunModel(this))
{
    m_ui->setupUi(this);
    m_ui->diffView->setModel(m_diff);
    m_ui->diffView->header()->resizeSection(DryRunModel::Record, fontMetrics().averageCharWidth() * 34);
    m_ui->diffView->header()->resizeSection(DryRunModel::Action, fontMetrics().averageCharWidth() * 10);
    m_ui->diffView->header()->resizeSection(DryRunModel::Field, fontMetrics().averageCharWidth() * 16);
    m_ui->diffView->header()->resizeSection(DryRunModel::Before, fontMetrics().averageCharWidth() * 26);
    for (QProgressBar *bar : {m_ui->pullBar, m_ui->planBar, m_ui->applyBar, m_ui->confirmBar}) {
        bar->setRange(0, 1);
        bar->setValue(0);
    }
    for (QProgressBar *bar : {m_ui->ghlQuotaBar, m_ui->shQuotaBar}) {
        bar->setFormat(QStringLiteral("%v / %m"));
        bar->setRange(0, 1);
        bar->setValue(0);
    }
    m_outcomeChart = new QChartView(this);
    m_durationChart = new QChartView(this);
    for (QChartView *view : {m_outcomeChart, m_durationChart}) {
        view->setRenderHint(QPainter::Antialiasing);
        view->setMinimumHeight(fontMetrics().height() * 13);
        m_ui->chartsLayout->addWidget(view);
    }
    m_ui->dashboardSplitter->setStretchFactor(0, 3);
    m_ui->dashboardSplitter->setStretchFactor(1, 2);
    m_ui->dashboardSplitter->setSizes({fontMetrics().height() * 22, fontMetrics().height() * 13});

    connect(m_ui->runButton, &QPushButton::clicked, this, &SyncDashboard::runNow);
    connect(m_ui->dryRunButton, &QPushButton::clicked, this, &SyncDashboard::dryRun);
    connect(m_ui->applyButton, &QPushButton::clicked, this, &SyncDashboard::apply);
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &SyncDashboard::cancel);
    connect(m_ui->scheduleSpin, &QSpinBox::valueChanged, this, [this](int minutes) {
        if (m_service)
            m_service->setScheduleMinutes(minutes);
        if (m_settings)
            m_settings->setSyncScheduleMinutes(minutes);
    });
    setService(nullptr);
}

SyncDashboard::~SyncDashboard() = default;

void SyncDashboard::setService(SyncService *service, AppSettings *settings)
{
    if (m_service)
        disconnect(m_service, nullptr, this, nullptr);
    m_service = service;
    m_settings = settings;
    m_diff->clear();
    m_ui->diffLabel->setText(tr("A dry run lists here, per prospect, the fields a run would change: now in "
                                "Saleshandy → after the run. Nothing is written until you apply it."));
    setEnabled(service != nullptr);
    if (service) {
        connect(service, &SyncService::runStarted, this, &SyncDashboard::onStarted);
        connect(service, &SyncService::progress, this, &SyncDashboard::onProgress);
        connect(service, &SyncService::runFinished, this, &SyncDashboard::onFinished);
        connect(service, &SyncService::refused, this, [this](const QString &why) { setStatus(why, true); });
        connect(service, &SyncService::quotaChanged, this, &SyncDashboard::onQuota);
        const int minutes = settings ? settings->syncScheduleMinutes() : service->scheduleMinutes();
        const QSignalBlocker block(m_ui->scheduleSpin);
        m_ui->scheduleSpin->setValue(minutes);
        service->setScheduleMinutes(minutes);
        const QStringList problems = service->blockingProblems();
        setStatus(problems.isEmpty() ? tr("Ready. Start with a dry run to see what a run would change.")
                                     : tr("Runs are blocked: %1").arg(problems.join(QLatin1Char(' '))),
                  !problems.isEmpty());
        if (service->lastWasDryRun())
            m_diff->setPlan(service->lastPlan());
        showRunWarnings(service->lastWasDryRun() ? QJsonObject() : service->lastSummary());
    } else {
        showRunWarnings({});
    }
    refreshCharts();
    updateButtons();
}

QString SyncDashboard::statusText() const
{
    return m_ui->statusLabel->text();
}

void SyncDashboard::showRunWarnings(const QJsonObject &summary)
{
    const QString text = WarningTexts::summaryText(summary);
    m_ui->warningsLabel->setText(text);
    m_ui->warningsLabel->setVisible(!text.isEmpty());
    const int size = fontMetrics().height();
    m_ui->warningsIcon->setPixmap(WarningTexts::icon().pixmap(size, size));
    m_ui->warningsIcon->setVisible(
        !text.isEmpty() && WarningTexts::recordsWithWarnings(summary, QStringLiteral("contact")) +
                                   WarningTexts::recordsWithWarnings(summary, QStringLiteral("task")) +
                                   WarningTexts::recordsWithWarnings(summary, QStringLiteral("note")) >
                               0);
}

QString SyncDashboard::warningsText() const
{
    return m_ui->warningsLabel->isHidden() ? QString() : m_ui->warningsLabel->text();
}

void SyncDashboard::setStatus(const QString &text, bool problem)
{
    m_ui->statusLabel->setText(text);
    m_ui->statusLabel->setStyleSheet(problem ? QStringLiteral("color: #c01c28; font-weight: bold")
                                             : QString());
}

void SyncDashboard::updateButtons()
{
    const bool running = m_service && m_service->isRunning();
    m_ui->runButton->setEnabled(m_service && !running);
    m_ui->dryRunButton->setEnabled(m_service && !running);
    m_ui->fullCheck->setEnabled(!running);
    m_ui->cancelButton->setEnabled(running);
    m_ui->applyButton->setEnabled(m_service && !running && m_service->lastWasDryRun() &&
                                  m_diff->rowCount() > 0);
}

void SyncDashboard::runNow()
{
    if (!m_service)
        return;
    QString why;
    if (!m_service->start(m_ui->fullCheck->isChecked() ? SyncService::RunKind::Full
                                                       : SyncService::RunKind::Incremental,
                          &why))
        setStatus(why, true);
}

void SyncDashboard::dryRun()
{
    if (!m_service)
        return;
    m_lastDryRunFull = m_ui->fullCheck->isChecked();
    QString why;
    if (!m_service->start(m_lastDryRunFull ? SyncService::RunKind::FullDryRun : SyncService::RunKind::DryRun,
                          &why))
        setStatus(why, true);
}

void SyncDashboard::apply()
{
    if (!m_service)
        return;
    // A real run of the same kind: it pulls again, so anything changed in GHL since the dry run
    // is included too (the diff is what was true then).
    QString why;
    if (!m_service->start(m_lastDryRunFull ? SyncService::RunKind::Full : SyncService::RunKind::Incremental,
                          &why))
        setStatus(why, true);
}

void SyncDashboard::cancel()
{
    if (!m_service)
        return;
    setStatus(tr("Stopping safely: what is in flight is finished or left for the next run…"));
    m_service->cancel();
}

void SyncDashboard::onStarted(SyncService::RunKind kind)
{
    for (QProgressBar *bar : {m_ui->pullBar, m_ui->planBar, m_ui->applyBar, m_ui->confirmBar}) {
        bar->setRange(0, 1);
        bar->setValue(0);
    }
    const bool dry = kind == SyncService::RunKind::DryRun || kind == SyncService::RunKind::FullDryRun;
    if (dry) {
        m_diff->clear();
        m_ui->diffLabel->setText(tr("Planning…"));
    }
    showRunWarnings({});
    setStatus(dry ? tr("Dry run: reading GHL and planning; nothing is written to Saleshandy…")
                  : tr("Running…"));
    updateButtons();
}

QProgressBar *SyncDashboard::barFor(SyncEngine::Stage stage) const
{
    switch (stage) {
    case SyncEngine::Stage::Pull:
        return m_ui->pullBar;
    case SyncEngine::Stage::Fields:
    case SyncEngine::Stage::Plan:
        return m_ui->planBar;
    case SyncEngine::Stage::Apply:
        return m_ui->applyBar;
    case SyncEngine::Stage::Confirm:
    case SyncEngine::Stage::Record:
        return m_ui->confirmBar;
    default:
        return nullptr;
    }
}

void SyncDashboard::onProgress(SyncEngine::Stage stage, int done, int total)
{
    QProgressBar *bar = barFor(stage);
    if (!bar)
        return;
    // An unknown total (the pull before GHL said how many) shows as a count over itself.
    bar->setRange(0, std::max({1, total, done}));
    bar->setValue(done);
}

void SyncDashboard::onFinished(qint64 runId, int exitCode, const QString &error)
{
    const QJsonObject summary = m_service->lastSummary();
    const QJsonObject records = summary.value(QStringLiteral("records")).toObject();
    const auto total = [&](const char *outcome) {
        int n = 0;
        for (auto it = records.begin(); it != records.end(); ++it)
            n += it.value().toObject().value(QLatin1String(outcome)).toInt();
        return n;
    };
    const QLocale locale;
    for (QProgressBar *bar : {m_ui->pullBar, m_ui->planBar, m_ui->applyBar, m_ui->confirmBar})
        if (bar->value() < bar->maximum() && exitCode != 2 && error.isEmpty())
            bar->setValue(bar->maximum());
    const double seconds = summary.value(QStringLiteral("durationMs")).toDouble() / 1000.0;
    if (m_service->lastWasDryRun()) {
        m_diff->setPlan(m_service->lastPlan());
        const SyncPlan &plan = m_service->lastPlan();
        QString text = tr("Dry run %1: %2 prospects would be created, %3 updated, %4 not sent; %5 unchanged.")
                           .arg(runId)
                           .arg(locale.toString(plan.count(ProspectChange::Action::Create)),
                                locale.toString(plan.count(ProspectChange::Action::Update)),
                                locale.toString(plan.count(ProspectChange::Action::Invalid)),
                                locale.toString(plan.count(ProspectChange::Action::Unchanged)));
        if (const int merged = plan.count(ProspectChange::Action::Merged); merged > 0)
            text +=
                QLatin1Char(' ') + tr("%n contact(s) share an email with another and would be merged into "
                                      "its prospect, with their tasks and notes.",
                                      nullptr, merged);
        if (const int deleted = plan.count(ProspectChange::Action::Deleted); deleted > 0)
            text +=
                QLatin1Char(' ') +
                tr("%n contact(s) deleted in GHL would be handled as the sync rules say.", nullptr, deleted);
        if (const QString warnings = m_diff->warningSummary(); !warnings.isEmpty())
            text += QLatin1Char(' ') + warnings;
        text += QLatin1Char(' ') + tr("Nothing was written. Expand a prospect to see its fields, old → new, "
                                      "and its warnings; Apply runs it for real.");
        m_ui->diffLabel->setText(text);
    }
    // A dry run's warnings are in its diff, worded as what would happen.
    showRunWarnings(m_service->lastWasDryRun() ? QJsonObject() : summary);
    if (m_service->lastWasDryRun() && error.isEmpty()) {
        setStatus(tr("Dry run %1 finished in %2 s; nothing was written to Saleshandy.")
                      .arg(runId)
                      .arg(locale.toString(seconds, 'f', 1)));
        // The first prospects open, so the diff is visible without a click.
        for (int row = 0; row < std::min(m_diff->rowCount(), 12); ++row)
            m_ui->diffView->expand(m_diff->index(row, 0));
    } else if (!error.isEmpty()) {
        setStatus(tr("Run %1 stopped: %2").arg(runId).arg(error), true);
        notify(tr("Sync failed"), error);
    } else if (exitCode == 1) {
        const QString text =
            tr("Run %1 finished with %n failed record(s); see Logs to retry them.", nullptr, total("failed"))
                .arg(runId);
        setStatus(text, true);
        notify(tr("Sync finished with failures"), text);
    } else {
        setStatus(tr("Run %1 finished in %2 s: %3 created, %4 updated, %5 unchanged, %6 invalid.")
                      .arg(runId)
                      .arg(locale.toString(seconds, 'f', 1), locale.toString(total("created")),
                           locale.toString(total("updated")), locale.toString(total("unchanged")),
                           locale.toString(total("invalid"))));
    }
    refreshCharts();
    updateButtons();
}

void SyncDashboard::onQuota(SyncService::Service service, int burst, int burstMax, qint64 daily,
                            qint64 dailyMax)
{
    QProgressBar *bar = service == SyncService::Service::Ghl ? m_ui->ghlQuotaBar : m_ui->shQuotaBar;
    bar->setRange(0, std::max(1, burstMax));
    bar->setValue(std::clamp(burst, 0, std::max(1, burstMax)));
    QString tip = tr("%1 of %2 requests left in the current window").arg(burst).arg(burstMax);
    if (daily >= 0 && dailyMax > 0)
        tip += QLatin1Char('\n') + tr("%1 of %2 left today").arg(daily).arg(dailyMax);
    bar->setToolTip(tip);
}

void SyncDashboard::refreshCharts()
{
    QList<SyncRunRecord> runs;
    if (m_service)
        runs = m_service->store().runs(m_service->locationId(), kChartRuns);
    std::reverse(runs.begin(), runs.end()); // oldest on the left
    m_chartedRuns = int(runs.size());

    auto *outcomes = new QChart;
    // Unchanged records are most of every run and would flatten the rest: they stay in the Logs.
    outcomes->setTitle(tr("Records changed or refused, last %n run(s)", nullptr, int(runs.size())));
    auto *stacked = new QStackedBarSeries;
    static const char *names[] = {QT_TR_NOOP("created"), QT_TR_NOOP("updated"), QT_TR_NOOP("invalid"),
                                  QT_TR_NOOP("failed")};
    static const char *keys[] = {"created", "updated", "invalid", "failed"};
    static const QColor colors[] = {QColor(0x26, 0xa2, 0x69), QColor(0x35, 0x84, 0xe4),
                                    QColor(0xe5, 0xa5, 0x0a), QColor(0xe0, 0x1b, 0x24)};
    QStringList categories;
    for (const SyncRunRecord &r : runs)
        categories << (r.dryRun ? tr("#%1 (dry)").arg(r.id) : QStringLiteral("#%1").arg(r.id));
    for (int i = 0; i < 4; ++i) {
        auto *set = new QBarSet(tr(names[i]));
        set->setColor(colors[i]);
        for (const SyncRunRecord &r : runs)
            *set << RunsModel::outcomeCount(r, QString::fromLatin1(keys[i]));
        stacked->append(set);
    }
    outcomes->addSeries(stacked);
    auto *axisX = new QBarCategoryAxis;
    axisX->append(categories);
    outcomes->addAxis(axisX, Qt::AlignBottom);
    stacked->attachAxis(axisX);
    auto *axisY = new QValueAxis;
    axisY->setLabelFormat(QStringLiteral("%d"));
    outcomes->addAxis(axisY, Qt::AlignLeft);
    stacked->attachAxis(axisY);
    // Records written with a warning are among those created or updated: a line over the bars, not a
    // bar of their own, so nothing is counted twice.
    auto *warned = new QLineSeries;
    warned->setName(tr("with a warning"));
    QPen pen(WarningTexts::color());
    pen.setWidth(2);
    warned->setPen(pen);
    warned->setPointsVisible(true);
    for (int i = 0; i < runs.size(); ++i)
        warned->append(i, RunsModel::outcomeCount(runs[i], QStringLiteral("warnings")));
    outcomes->addSeries(warned);
    warned->attachAxis(axisX);
    warned->attachAxis(axisY);
    // Beside the bars, not under them: the chart is wider than it is tall.
    outcomes->legend()->setAlignment(Qt::AlignRight);
    outcomes->setMargins(QMargins(4, 4, 4, 4));
    QChart *old = m_outcomeChart->chart();
    m_outcomeChart->setChart(outcomes);
    delete old;

    auto *durations = new QChart;
    durations->setTitle(tr("Duration (s)"));
    auto *series = new QBarSeries;
    auto *set = new QBarSet(tr("seconds"));
    set->setColor(QColor(0x62, 0xa0, 0xea));
    double longest = 1;
    for (const SyncRunRecord &r : runs) {
        const double s = r.summary.value(QStringLiteral("durationMs")).toDouble() / 1000.0;
        longest = std::max(longest, s);
        *set << s;
    }
    series->append(set);
    durations->addSeries(series);
    auto *dx = new QBarCategoryAxis;
    dx->append(categories);
    durations->addAxis(dx, Qt::AlignBottom);
    series->attachAxis(dx);
    auto *dy = new QValueAxis;
    dy->setRange(0, longest * 1.1);
    dy->setLabelFormat(QStringLiteral("%.1f"));
    durations->addAxis(dy, Qt::AlignLeft);
    series->attachAxis(dy);
    durations->legend()->hide();
    durations->setMargins(QMargins(4, 4, 4, 4));
    old = m_durationChart->chart();
    m_durationChart->setChart(durations);
    delete old;
}

void SyncDashboard::notify(const QString &title, const QString &message)
{
    // Only where a tray exists: elsewhere the status line and the Logs page say it.
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    if (!m_tray) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(QStringLiteral("LeadBridge"));
    }
    m_tray->show();
    m_tray->showMessage(title, message, QSystemTrayIcon::Warning, 15000);
}

void SyncDashboard::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_ui->retranslateUi(this);
    QWidget::changeEvent(event);
}

} // namespace lb::gui
