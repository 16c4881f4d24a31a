#pragma once

#include "store/SyncStore.h"
#include "sync/SyncPlanner.h"

#include <QAbstractItemModel>
#include <QAbstractTableModel>

#include <optional>

namespace lb::gui {

/// A dry run's plan as a tree: one row per prospect that would be created, updated, merged into
/// another, handled as deleted or refused, and under it the fields that would change, old → new,
/// then every field (of the contact, its tasks and notes) that would not be sent exactly as GHL has
/// it, with its warning. Unchanged prospects are left out: the point is what a real run would write.
class DryRunModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DryRunModel)

public:
    enum Column { Record, Action, Field, Before, After, ColumnCount };
    enum Role {
        ContactIdRole = Qt::UserRole,
        ActionRole,
        WarningRole,      ///< child rows: int(lb::WarningKind) of a warning row, else invalid
        WarningCountRole, ///< prospect rows: the fields with a warning, its tasks' and notes' included
        MergedWithRole,   ///< prospect rows: ProspectChange::mergedWith
    };

    explicit DryRunModel(QObject *parent = nullptr);
    void setPlan(const SyncPlan &plan);
    void clear();
    [[nodiscard]] int prospectCount() const { return int(m_prospects.size()); }
    /// Prospects that would be sent (created or updated) with at least one field warning.
    [[nodiscard]] int prospectsWithWarnings() const { return m_prospectsWithWarnings; }
    /// Tasks and notes that would be sent with at least one field warning.
    [[nodiscard]] int tasksWithWarnings() const { return m_tasksWithWarnings; }
    [[nodiscard]] int notesWithWarnings() const { return m_notesWithWarnings; }
    /// "12 prospects would be sent with a warning (3 tasks, 1 note)"; empty when none would.
    [[nodiscard]] QString warningSummary() const;

    [[nodiscard]] QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    [[nodiscard]] QModelIndex parent(const QModelIndex &child) const override;
    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;

private:
    struct Line
    {
        QString label;
        QString before;
        QString after;
        std::optional<WarningKind> warning;
    };
    struct Prospect
    {
        QString contactId;
        QString email;
        ProspectChange::Action action;
        QString reason;
        QString summary; ///< the Field column of the prospect's row: what changes, in numbers
        QString outcome; ///< its After column: where it goes (merged, deleted, shared email), in words
        QStringList mergedWith;
        QList<Line> lines;
        int warnings = 0;
    };
    QList<Prospect> m_prospects;
    int m_prospectsWithWarnings = 0;
    int m_tasksWithWarnings = 0;
    int m_notesWithWarnings = 0;
};

/// The runs of a location, newest first, with their counts from the summary.
class RunsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunsModel)

public:
    enum Column {
        Started,
        Mode,
        Status,
        Created,
        Updated,
        Unchanged,
        Invalid,
        Failed,
        Warnings, ///< records written with at least one field warning
        Duration,
        ColumnCount
    };
    enum Role { RunIdRole = Qt::UserRole, StatusRole, SortRole };

    explicit RunsModel(QObject *parent = nullptr);
    void setRuns(const QList<SyncRunRecord> &runs);
    [[nodiscard]] const QList<SyncRunRecord> &runs() const { return m_runs; }
    /// Records of all kinds with `outcome` in the run's summary.
    [[nodiscard]] static int outcomeCount(const SyncRunRecord &run, const QString &outcome);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;

private:
    QList<SyncRunRecord> m_runs;
};

/// One run's per-record events under a filter, read page by page as the view scrolls
/// (canFetchMore/fetchMore, keyset paging in the store). The filter is SQL, not a proxy: a proxy
/// would need all 1,000,000 rows in memory to filter them.
class EventsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventsModel)

public:
    enum Column { Seq, Time, Kind, GhlId, ShId, Outcome, Warnings, Reason, ColumnCount };
    enum Role {
        GhlIdRole = Qt::UserRole,
        KindRole,
        OutcomeRole,
        RequestIdsRole,
        ReasonRole,
        ShIdRole,
        WarningCountRole, ///< int: the event's field warnings
    };
    static constexpr int kPage = 500;

    explicit EventsModel(SyncStore *store, QObject *parent = nullptr);
    void setStore(SyncStore *store);
    /// Shows the first page of the query's events (limit and offset are the model's).
    void setQuery(const EventQuery &query);
    [[nodiscard]] const EventQuery &query() const { return m_query; }
    [[nodiscard]] const SyncEvent &event(int row) const { return m_events.at(row); }
    /// Whether every matching event is loaded.
    [[nodiscard]] bool complete() const { return m_complete; }

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    [[nodiscard]] static QString outcomeText(const QString &outcome);
    [[nodiscard]] static QString kindText(const QString &kind);

private:
    SyncStore *m_store;
    EventQuery m_query;
    QList<SyncEvent> m_events;
    bool m_complete = true;
};

} // namespace lb::gui
