#include "gui/LogsView.h"

#include "gui/SyncModels.h"
#include "gui/WarningTexts.h"
#include "services/EventCsv.h"
#include "services/SyncService.h"
#include "ui_logsview.h"

#include <QCheckBox>
#include <QDateTime>
#include <QEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QLocale>
#include <QMessageBox>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QTimer>

namespace lb::gui {

LogsView::LogsView(QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::LogsView>()), m_runs(new RunsModel(this)),
      m_runsProxy(new QSortFilterProxyModel(this)), m_events(new EventsModel(nullptr, this))
{
    m_ui->setupUi(this);
    m_runsProxy->setSourceModel(m_runs);
    m_runsProxy->setSortRole(RunsModel::SortRole);
    m_ui->runsView->setModel(m_runsProxy);
    m_ui->runsView->setSortingEnabled(true);
    m_ui->runsView->sortByColumn(RunsModel::Started, Qt::DescendingOrder);
    m_ui->eventsView->setModel(m_events);
    for (QTableView *v : {m_ui->runsView, m_ui->eventsView}) {
        v->verticalHeader()->hide();
        v->verticalHeader()->setSectionResizeMode(
            QHeaderView::Fixed); // no per-row measuring of 1,000,000 rows
        v->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
        v->horizontalHeader()->setStretchLastSection(true);
    }
    const int unit = fontMetrics().averageCharWidth();
    const int line = fontMetrics().height();
    // A few hundred runs at most: their columns can fit their contents. Events are many: fixed widths.
    m_ui->runsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_ui->runsView->horizontalHeader()->setSectionResizeMode(RunsModel::Duration, QHeaderView::Stretch);
    const std::pair<int, int> eventWidths[] = {{EventsModel::Seq, 7},     {EventsModel::Time, 11},
                                               {EventsModel::Kind, 8},    {EventsModel::GhlId, 21},
                                               {EventsModel::ShId, 15},   {EventsModel::Outcome, 10},
                                               {EventsModel::Warnings, 6}};
    for (const auto &[column, chars] : eventWidths)
        m_ui->eventsView->horizontalHeader()->resizeSection(column, unit * chars);
    m_ui->eventsSplitter->setStretchFactor(0, 3);
    m_ui->eventsSplitter->setStretchFactor(1, 1);
    m_ui->eventsSplitter->setSizes({unit * 96, unit * 44});
    m_ui->logsSplitter->setStretchFactor(0, 1);
    m_ui->logsSplitter->setStretchFactor(1, 3);
    m_ui->logsSplitter->setSizes({line * 9, line * 22});

    m_ui->kindFilter->addItem(tr("All kinds"), QString());
    for (const char *k : {"contact", "task", "note", "appointment", "field"})
        m_ui->kindFilter->addItem(EventsModel::kindText(QLatin1String(k)), QLatin1String(k));
    m_ui->outcomeFilter->addItem(tr("All outcomes"), QString());
    m_ui->outcomeFilter->addItem(tr("Failed or invalid"), QStringLiteral("*failures"));
    for (const char *o : {"created", "updated", "unchanged", "invalid", "failed", "skipped", "completed"})
        m_ui->outcomeFilter->addItem(EventsModel::outcomeText(QLatin1String(o)), QLatin1String(o));

    // Typing filters after a pause, not on every key: each filter is a query.
    auto *debounce = new QTimer(this);
    debounce->setSingleShot(true);
    debounce->setInterval(250);
    connect(debounce, &QTimer::timeout, this, &LogsView::applyFilter);
    connect(m_ui->searchEdit, &QLineEdit::textChanged, debounce, qOverload<>(&QTimer::start));
    connect(m_ui->kindFilter, &QComboBox::currentIndexChanged, this, &LogsView::applyFilter);
    connect(m_ui->outcomeFilter, &QComboBox::currentIndexChanged, this, &LogsView::applyFilter);
    connect(m_ui->warningsOnlyCheck, &QCheckBox::toggled, this, &LogsView::applyFilter);
    connect(m_ui->runsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (current.isValid())
                    openRun(current.data(RunsModel::RunIdRole).toLongLong());
            });
    connect(m_ui->eventsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) { showDetail(current.row()); });
    connect(m_events, &QAbstractItemModel::rowsInserted, this, &LogsView::updateCount);
    connect(m_events, &QAbstractItemModel::modelReset, this, &LogsView::updateCount);
    connect(m_ui->retryRunButton, &QPushButton::clicked, this, [this] {
        QString why;
        if (!retryFailed(false, &why))
            QMessageBox::information(this, tr("Retry"), why);
    });
    connect(m_ui->retrySelectedButton, &QPushButton::clicked, this, [this] {
        QString why;
        if (!retryFailed(true, &why))
            QMessageBox::information(this, tr("Retry"), why);
    });
    connect(m_ui->exportButton, &QPushButton::clicked, this, &LogsView::askExport);
    setService(nullptr);
}

LogsView::~LogsView() = default;

void LogsView::setService(SyncService *service)
{
    if (m_service)
        disconnect(m_service, nullptr, this, nullptr);
    m_service = service;
    m_events->setStore(service ? &service->store() : nullptr);
    m_runId = 0;
    setEnabled(service != nullptr);
    if (service)
        connect(service, &SyncService::runFinished, this, &LogsView::reloadRuns);
    reloadRuns();
}

void LogsView::reloadRuns()
{
    const qint64 keep = m_runId;
    m_runs->setRuns(m_service ? m_service->store().runs(m_service->locationId(), 500)
                              : QList<SyncRunRecord>());
    // Keep the open run; otherwise open the newest (the row on top).
    qint64 open = 0;
    for (const SyncRunRecord &r : m_runs->runs())
        if (r.id == keep)
            open = keep;
    if (!open && !m_runs->runs().isEmpty())
        open = m_runs->runs().constFirst().id;
    for (int row = 0; row < m_runsProxy->rowCount(); ++row) {
        const QModelIndex index = m_runsProxy->index(row, 0);
        if (index.data(RunsModel::RunIdRole).toLongLong() == open) {
            const QSignalBlocker block(m_ui->runsView->selectionModel());
            m_ui->runsView->selectRow(row);
        }
    }
    if (open != keep || open == 0)
        openRun(open);
    else
        applyFilter(); // the same run may have more events now
}

void LogsView::openRun(qint64 runId)
{
    m_runId = runId;
    for (int row = 0; row < m_runsProxy->rowCount(); ++row) {
        if (m_runsProxy->index(row, 0).data(RunsModel::RunIdRole).toLongLong() == runId &&
            m_ui->runsView->currentIndex().row() != row) {
            const QSignalBlocker block(m_ui->runsView->selectionModel());
            m_ui->runsView->selectRow(row);
        }
    }
    applyFilter();
}

void LogsView::selectEvent(int row)
{
    if (row < 0 || row >= m_events->rowCount())
        return;
    m_ui->eventsView->selectRow(row);
    showDetail(row);
}

void LogsView::setFilter(const QString &kind, const QString &outcome, const QString &text)
{
    const QSignalBlocker b1(m_ui->kindFilter), b2(m_ui->outcomeFilter), b3(m_ui->searchEdit);
    m_ui->kindFilter->setCurrentIndex(std::max(0, m_ui->kindFilter->findData(kind)));
    m_ui->outcomeFilter->setCurrentIndex(std::max(0, m_ui->outcomeFilter->findData(outcome)));
    m_ui->searchEdit->setText(text);
    applyFilter();
}

void LogsView::setWarningsOnly(bool only)
{
    m_ui->warningsOnlyCheck->setChecked(only); // toggled applies the filter
}

void LogsView::applyFilter()
{
    EventQuery q;
    q.runId = m_runId;
    q.kind = m_ui->kindFilter->currentData().toString();
    const QString outcome = m_ui->outcomeFilter->currentData().toString();
    q.failuresOnly = outcome == QLatin1String("*failures");
    q.outcome = q.failuresOnly ? QString() : outcome;
    q.text = m_ui->searchEdit->text().trimmed();
    q.warningsOnly = m_ui->warningsOnlyCheck->isChecked();
    m_events->setQuery(q);
    showDetail(-1);
    const bool failures = m_service && m_runId > 0;
    m_ui->retryRunButton->setEnabled(failures);
    m_ui->retrySelectedButton->setEnabled(failures);
    m_ui->exportButton->setEnabled(m_runId > 0);
}

void LogsView::updateCount()
{
    const QLocale locale;
    m_ui->countLabel->setText(m_events->complete()
                                  ? tr("%n event(s)", nullptr, m_events->rowCount())
                                  : tr("%1+ events").arg(locale.toString(m_events->rowCount())));
}

QString LogsView::detailText() const
{
    return m_ui->detailBrowser->toPlainText();
}

void LogsView::showDetail(int row)
{
    if (row < 0 || row >= m_events->rowCount()) {
        m_ui->detailBrowser->setHtml(
            QStringLiteral("<p style=\"color:gray\">%1</p>")
                .arg(
                    tr("Select an event to see its reason, Saleshandy id and request ids.").toHtmlEscaped()));
        return;
    }
    const SyncEvent &e = m_events->event(row);
    const auto line = [](const QString &k, const QString &v) {
        return QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
            .arg(k.toHtmlEscaped(), v.toHtmlEscaped());
    };
    QString html = QStringLiteral("<table cellspacing=\"4\">");
    html += line(tr("Record"), QStringLiteral("%1 %2").arg(EventsModel::kindText(e.kind), e.ghlId));
    html += line(tr("Outcome"), EventsModel::outcomeText(e.outcome));
    html += line(tr("Reason"), e.reason.isEmpty() ? tr("—") : e.reason);
    html += line(tr("Saleshandy id"), e.shId.isEmpty() ? tr("—") : e.shId);
    html +=
        line(tr("Request ids"), e.requestIds.isEmpty() ? tr("—") : e.requestIds.join(QStringLiteral(", ")));
    html += line(tr("Time"), QLocale().toString(QDateTime::fromMSecsSinceEpoch(e.atMs), QLocale::LongFormat));
    html += line(tr("Run, event"), QStringLiteral("%1, #%2").arg(e.runId).arg(e.seq));
    html += QStringLiteral("</table>");
    if (!e.warnings.isEmpty()) {
        // Per field: what GHL has and what was sent instead, so nothing changed goes unseen.
        html += QStringLiteral("<p style=\"color:%1\"><b>%2</b></p><ul>")
                    .arg(WarningTexts::color().name(),
                         tr("%n field(s) not sent exactly as GHL has them:", nullptr, int(e.warnings.size()))
                             .toHtmlEscaped());
        for (const FieldWarning &w : e.warnings) {
            html += QStringLiteral("<li><b>%1</b> — %2")
                        .arg(WarningTexts::targetText(w.target).toHtmlEscaped(),
                             WarningTexts::detailText(w).toHtmlEscaped());
            if (!w.value.isEmpty() && !w.message.contains(w.value))
                html += QStringLiteral("<br>%1").arg(tr("In GHL: “%1”").arg(w.value).toHtmlEscaped());
            html += QStringLiteral("</li>");
        }
        html += QStringLiteral("</ul>");
    }
    m_ui->detailBrowser->setHtml(html);
}

bool LogsView::retryFailed(bool selectionOnly, QString *why)
{
    if (!m_service || m_runId == 0) {
        if (why)
            *why = tr("Choose a run first.");
        return false;
    }
    QSet<QString> contacts;
    if (selectionOnly) {
        // A task or note retries with its contact; the store knows which contact that is.
        const QStringList failedContacts =
            m_service->store().contactsWithFailures(m_service->locationId(), m_runId);
        const QSet<QString> failedSet(failedContacts.begin(), failedContacts.end());
        for (const QModelIndex &index : m_ui->eventsView->selectionModel()->selectedRows()) {
            const SyncEvent &e = m_events->event(index.row());
            if (e.kind == QLatin1String("contact") && failedSet.contains(e.ghlId))
                contacts << e.ghlId;
        }
        if (contacts.isEmpty()) {
            if (why)
                *why = tr("Select failed contact records to retry them.");
            return false;
        }
    }
    return m_service->retry(m_runId, contacts, why);
}

qint64 LogsView::exportCsv(const QString &path, QString *error)
{
    if (!m_service)
        return -1;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return -1;
    }
    const qint64 n = EventCsv::write(m_service->store(), m_events->query(), file, error);
    if (n < 0) {
        file.cancelWriting();
        return -1;
    }
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return -1;
    }
    return n;
}

void LogsView::askExport()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export log"),
                                                      QStringLiteral("leadbridge-run-%1.csv").arg(m_runId),
                                                      tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    QString error;
    if (exportCsv(path, &error) < 0)
        QMessageBox::warning(this, tr("Export log"), tr("The log could not be exported: %1").arg(error));
}

void LogsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_ui->retranslateUi(this);
    QWidget::changeEvent(event);
}

} // namespace lb::gui
