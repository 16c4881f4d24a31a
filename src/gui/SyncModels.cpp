#include "gui/SyncModels.h"

#include "gui/WarningTexts.h"

#include <QBrush>

#include <QDateTime>
#include <QFont>
#include <QLocale>
#include <algorithm>

namespace lb::gui {

namespace {
constexpr quintptr kTop = 0; // internal id of top-level rows; children carry their parent's row + 1

QString actionText(ProspectChange::Action a)
{
    switch (a) {
    case ProspectChange::Action::Create:
        return DryRunModel::tr("create");
    case ProspectChange::Action::Update:
        return DryRunModel::tr("update");
    case ProspectChange::Action::Invalid:
        return DryRunModel::tr("not sent");
    case ProspectChange::Action::Unchanged:
        return DryRunModel::tr("unchanged");
    case ProspectChange::Action::Merged:
        return DryRunModel::tr("merged");
    case ProspectChange::Action::Deleted:
        return DryRunModel::tr("deleted in GHL");
    }
    return {};
}

bool writesContent(ChildChange::Action a)
{
    return a == ChildChange::Action::Create || a == ChildChange::Action::ReadBackThenCreate ||
           a == ChildChange::Action::UpdateText;
}

/// "Jane Doe <jane@example.com>", or the email, or the id: how the dry run names a contact.
QString contactName(const ProspectChange *p, const QString &contactId)
{
    if (!p)
        return contactId;
    const QString name = (p->mapped.fields.value(QStringLiteral("First Name")) + QLatin1Char(' ') +
                          p->mapped.fields.value(QStringLiteral("Last Name")))
                             .trimmed();
    const QString email = p->email.isEmpty() ? p->mapped.email : p->email;
    if (name.isEmpty())
        return email.isEmpty() ? contactId : email;
    return email.isEmpty() ? name : DryRunModel::tr("%1 <%2>").arg(name, email);
}

QString firstLine(const QString &text, int max = 40)
{
    QString line = text.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (line.size() > max)
        line = line.left(max - 1) + QChar(0x2026);
    return line;
}
} // namespace

DryRunModel::DryRunModel(QObject *parent) : QAbstractItemModel(parent) {}

void DryRunModel::clear()
{
    beginResetModel();
    m_prospects.clear();
    m_prospectsWithWarnings = m_tasksWithWarnings = m_notesWithWarnings = 0;
    endResetModel();
}

QString DryRunModel::warningSummary() const
{
    if (m_prospectsWithWarnings + m_tasksWithWarnings + m_notesWithWarnings == 0)
        return {};
    return tr("%1, %2 and %3 would be sent with a warning (a value kept as written, cut, or not sent).")
        .arg(tr("%n prospect(s)", nullptr, m_prospectsWithWarnings),
             tr("%n task(s)", nullptr, m_tasksWithWarnings), tr("%n note(s)", nullptr, m_notesWithWarnings));
}

void DryRunModel::setPlan(const SyncPlan &plan)
{
    beginResetModel();
    m_prospects.clear();
    m_prospectsWithWarnings = m_tasksWithWarnings = m_notesWithWarnings = 0;
    m_prospects.reserve(plan.prospects.size());
    QHash<QString, const ProspectChange *> byContact;
    for (const ProspectChange &c : plan.prospects)
        byContact.insert(c.ghlContactId, &c);
    const auto nameOf = [&](const QString &id) { return contactName(byContact.value(id), id); };
    // Within a group sharing an email the email says nothing: the name, else the GHL id.
    const auto nameInGroup = [&](const QString &id) {
        const ProspectChange *other = byContact.value(id);
        const QString name =
            other ? (other->mapped.fields.value(QStringLiteral("First Name")) + QLatin1Char(' ') +
                     other->mapped.fields.value(QStringLiteral("Last Name")))
                        .trimmed()
                  : QString();
        return name.isEmpty() ? tr("contact %1").arg(id) : name;
    };

    // The tasks and notes a run would write, with their warnings, under the contact they belong to.
    QHash<QString, QList<Line>> childLines;
    for (const ChildChange &child : plan.children) {
        const ProspectChange *owner = byContact.value(child.ghlContactId);
        const bool task = child.kind == QLatin1String("task");
        if (child.action == ChildChange::Action::MarkDeleted) {
            childLines[child.ghlContactId]
                << Line{tr("Note “%1”").arg(firstLine(child.text)), QString(),
                        tr("deleted in GHL: its content gets the prefix “[Deleted in "
                           "GHL]”"),
                        std::nullopt};
            continue;
        }
        if (!owner || !writesContent(child.action))
            continue;
        QList<FieldWarning> warnings;
        if (task) {
            for (const MappedTask &t : owner->mapped.tasks)
                if (t.ghlTaskId == child.ghlId)
                    warnings = t.warnings;
        } else {
            for (const MappedNote &n : owner->mapped.notes)
                if (n.ghlNoteId == child.ghlId)
                    warnings = n.warnings;
        }
        if (warnings.isEmpty())
            continue;
        ++(task ? m_tasksWithWarnings : m_notesWithWarnings);
        for (const FieldWarning &w : std::as_const(warnings)) {
            const QString what = task ? tr("Task “%1”").arg(firstLine(child.text))
                                      : tr("Note “%1”").arg(firstLine(child.text));
            childLines[child.ghlContactId]
                << Line{tr("%1: %2").arg(what, WarningTexts::targetText(w.target)), QString(),
                        w.message.isEmpty() ? w.value : w.message, w.kind};
        }
    }

    for (const ProspectChange &c : plan.prospects) {
        const QList<Line> children = childLines.value(c.ghlContactId);
        if (c.action == ProspectChange::Action::Unchanged && children.isEmpty())
            continue;
        Prospect p{c.ghlContactId, c.email, c.action, c.reason, {}, {}, c.mergedWith, {}, 0};
        QList<FieldChange> changes = c.changes;
        if (c.action == ProspectChange::Action::Create && changes.isEmpty()) {
            // A new prospect: every mapped value is a change from nothing.
            for (auto it = c.mapped.fields.cbegin(); it != c.mapped.fields.cend(); ++it)
                changes << FieldChange{it.key(), QString(), it.value()};
        }
        if (!c.addedTags.isEmpty() || !c.removedTags.isEmpty()) {
            QStringList before = c.previous ? c.previous->tags : QStringList();
            QStringList after = c.mapped.tags;
            changes << FieldChange{tr("Tags"), before.join(QStringLiteral(", ")),
                                   after.join(QStringLiteral(", "))};
        } else if (c.action == ProspectChange::Action::Create && !c.mapped.tags.isEmpty()) {
            changes << FieldChange{tr("Tags"), QString(), c.mapped.tags.join(QStringLiteral(", "))};
        }
        for (const FieldChange &f : std::as_const(changes))
            p.lines << Line{f.label, f.before, f.after, std::nullopt};
        const bool sent =
            c.action == ProspectChange::Action::Create || c.action == ProspectChange::Action::Update;
        if (sent) {
            for (const FieldWarning &w : c.mapped.warnings)
                p.lines << Line{WarningTexts::targetText(w.target), QString(),
                                w.message.isEmpty() ? w.value : w.message, w.kind};
            if (!c.mapped.warnings.isEmpty())
                ++m_prospectsWithWarnings;
        }
        p.lines += children;
        for (const Line &l : std::as_const(p.lines))
            p.warnings += l.warning ? 1 : 0;

        switch (c.action) {
        case ProspectChange::Action::Invalid:
            p.summary = c.reason;
            break;
        case ProspectChange::Action::Merged:
            p.summary = tr("its tasks, notes and tags");
            p.outcome = c.mergedWith.isEmpty()
                            ? tr("merged into the prospect of a contact with the same email")
                            : tr("merged into the prospect of %1").arg(nameOf(c.mergedWith.constFirst()));
            break;
        case ProspectChange::Action::Deleted:
            p.outcome = c.reason.isEmpty()
                            ? tr("deleted in GHL after it was sent; handled as the sync rules say")
                            : c.reason;
            break;
        default: {
            const int fieldLines = int(changes.size());
            p.summary = tr("%n field(s)", nullptr, fieldLines);
            if (p.warnings > 0)
                p.summary += tr(", %n with a warning", nullptr, p.warnings);
            if (!c.mergedWith.isEmpty()) {
                QStringList names;
                for (const QString &id : c.mergedWith)
                    names << nameInGroup(id);
                p.outcome = tr("shares its email with %1: their tasks and notes go to this prospect too")
                                .arg(names.join(tr(", ")));
            }
        }
        }
        m_prospects << std::move(p);
    }
    // What would be written first; the refused ones (no email) after, as they need a fix in GHL.
    std::stable_partition(m_prospects.begin(), m_prospects.end(),
                          [](const Prospect &p) { return p.action != ProspectChange::Action::Invalid; });
    endResetModel();
}

QModelIndex DryRunModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    if (!parent.isValid())
        return createIndex(row, column, kTop);
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex DryRunModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == kTop)
        return {};
    return createIndex(int(child.internalId() - 1), 0, kTop);
}

int DryRunModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_prospects.size());
    if (parent.internalId() != kTop || parent.column() != 0)
        return 0;
    return int(m_prospects[parent.row()].lines.size());
}

int DryRunModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant DryRunModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (index.internalId() == kTop) {
        const Prospect &p = m_prospects[index.row()];
        switch (role) {
        case Qt::DisplayRole:
            switch (index.column()) {
            case Record:
                return p.email.isEmpty() ? p.contactId : p.email;
            case Action:
                return actionText(p.action);
            case Field:
                return p.summary;
            case After:
                return p.outcome;
            }
            return {};
        case Qt::DecorationRole:
            if (index.column() == Field && p.warnings > 0)
                return WarningTexts::icon();
            return {};
        case Qt::ForegroundRole:
            if (index.column() == Action && p.action == ProspectChange::Action::Invalid)
                return QBrush(QColor(0xc0, 0x1c, 0x28));
            return {};
        case Qt::ToolTipRole: {
            QString tip = p.contactId;
            if (!p.reason.isEmpty())
                tip += QLatin1Char('\n') + p.reason;
            if (p.action != ProspectChange::Action::Invalid)
                tip += QLatin1Char('\n') + p.summary;
            if (!p.outcome.isEmpty())
                tip += QLatin1Char('\n') + p.outcome;
            return tip;
        }
        case ContactIdRole:
            return p.contactId;
        case ActionRole:
            return int(p.action);
        case WarningCountRole:
            return p.warnings;
        case MergedWithRole:
            return p.mergedWith;
        }
        return {};
    }
    const Prospect &p = m_prospects[int(index.internalId() - 1)];
    const Line &c = p.lines[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Action:
            return c.warning ? WarningTexts::kindText(*c.warning) : QString();
        case Field:
            return c.label;
        case Before:
            if (c.warning)
                return QString();
            return c.before.isEmpty() ? QStringLiteral("—") : c.before;
        case After:
            return c.after.isEmpty() ? QStringLiteral("—") : c.after;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == Field && c.warning)
            return WarningTexts::icon();
        return {};
    case Qt::ToolTipRole:
        if (c.warning)
            return tr("%1 — %2: %3").arg(c.label, WarningTexts::kindText(*c.warning), c.after);
        return index.column() == Before ? c.before : (index.column() == After ? c.after : QVariant());
    case Qt::ForegroundRole:
        if (c.warning)
            return index.column() == Field ? QVariant() : QVariant(QBrush(WarningTexts::color()));
        if (index.column() == Before)
            return QBrush(QColor(0xa5, 0x1d, 0x2d));
        if (index.column() == After)
            return QBrush(QColor(0x26, 0x7a, 0x2e));
        return {};
    case ContactIdRole:
        return p.contactId;
    case ActionRole:
        return int(p.action);
    case WarningRole:
        return c.warning ? QVariant(int(*c.warning)) : QVariant();
    }
    return {};
}

QVariant DryRunModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Record:
        return tr("Prospect");
    case Action:
        return tr("Action");
    case Field:
        return tr("Field");
    case Before:
        return tr("Now in Saleshandy");
    case After:
        return tr("After the run");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
RunsModel::RunsModel(QObject *parent) : QAbstractTableModel(parent) {}

void RunsModel::setRuns(const QList<SyncRunRecord> &runs)
{
    beginResetModel();
    m_runs = runs;
    endResetModel();
}

int RunsModel::outcomeCount(const SyncRunRecord &run, const QString &outcome)
{
    const QJsonObject records = run.summary.value(QStringLiteral("records")).toObject();
    int n = 0;
    for (auto it = records.begin(); it != records.end(); ++it)
        n += it.value().toObject().value(outcome).toInt();
    return n;
}

int RunsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_runs.size());
}

int RunsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SyncRunRecord &r = m_runs[index.row()];
    static const QString outcomes[] = {QStringLiteral("created"), QStringLiteral("updated"),
                                       QStringLiteral("unchanged"), QStringLiteral("invalid"),
                                       QStringLiteral("failed")};
    const qint64 duration = r.summary.value(QStringLiteral("durationMs")).toVariant().toLongLong();
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case Started: {
            // Today's runs by time only: the date would repeat on every row.
            const QDateTime at = QDateTime::fromMSecsSinceEpoch(r.startedMs);
            return at.date() == QDate::currentDate() ? QLocale().toString(at.time(), QLocale::ShortFormat)
                                                     : QLocale().toString(at, QLocale::ShortFormat);
        }
        case Mode:
            return r.dryRun ? tr("%1, dry run").arg(r.mode) : r.mode;
        case Status:
            if (r.status == QLatin1String("failed-records"))
                return tr("failed records");
            return r.status;
        case Created:
        case Updated:
        case Unchanged:
        case Invalid:
        case Failed:
            return QLocale().toString(outcomeCount(r, outcomes[index.column() - Created]));
        case Warnings:
            return QLocale().toString(outcomeCount(r, QStringLiteral("warnings")));
        case Duration:
            return r.finishedMs ? tr("%1 s").arg(QLocale().toString(duration / 1000.0, 'f', 1))
                                : tr("running");
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Created)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == Status && r.status != QLatin1String("ok"))
        return QBrush(QColor(0xc0, 0x1c, 0x28));
    if (role == Qt::ToolTipRole && index.column() == Warnings)
        return WarningTexts::summaryText(r.summary).isEmpty() ? tr("No record was written with a warning.")
                                                              : WarningTexts::summaryText(r.summary);
    if (role == Qt::ForegroundRole && index.column() == Warnings &&
        outcomeCount(r, QStringLiteral("warnings")) > 0)
        return QBrush(WarningTexts::color());
    if (role == Qt::ToolTipRole && !r.error.isEmpty())
        return r.error;
    if (role == RunIdRole)
        return r.id;
    if (role == StatusRole)
        return r.status;
    if (role == SortRole) {
        if (index.column() == Started)
            return r.startedMs;
        if (index.column() >= Created && index.column() <= Failed)
            return outcomeCount(r, outcomes[index.column() - Created]);
        if (index.column() == Warnings)
            return outcomeCount(r, QStringLiteral("warnings"));
        if (index.column() == Duration)
            return duration;
        return data(index, Qt::DisplayRole);
    }
    return {};
}

QVariant RunsModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o == Qt::Horizontal && section == Warnings && role == Qt::ToolTipRole)
        return tr("Records written with at least one field warning (a value kept as written, cut, left "
                  "unchanged or sent empty)");
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Started:
        return tr("Started");
    case Mode:
        return tr("Mode");
    case Status:
        return tr("Status");
    case Created:
        return tr("Created");
    case Updated:
        return tr("Updated");
    case Unchanged:
        return tr("Unchanged");
    case Invalid:
        return tr("Invalid");
    case Failed:
        return tr("Failed");
    case Warnings:
        return tr("Warnings");
    case Duration:
        return tr("Duration");
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
EventsModel::EventsModel(SyncStore *store, QObject *parent) : QAbstractTableModel(parent), m_store(store) {}

void EventsModel::setStore(SyncStore *store)
{
    beginResetModel();
    m_store = store;
    m_events.clear();
    m_complete = true;
    endResetModel();
}

void EventsModel::setQuery(const EventQuery &query)
{
    beginResetModel();
    m_query = query;
    m_query.limit = kPage;
    m_query.offset = 0;
    m_events.clear();
    m_complete = m_store == nullptr || query.runId == 0;
    if (!m_complete) {
        m_events = m_store->eventsAfter(m_query, -1);
        m_complete = m_events.size() < kPage;
    }
    endResetModel();
}

bool EventsModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_complete;
}

void EventsModel::fetchMore(const QModelIndex &parent)
{
    if (parent.isValid() || m_complete || !m_store)
        return;
    const QList<SyncEvent> page =
        m_store->eventsAfter(m_query, m_events.isEmpty() ? -1 : m_events.constLast().seq);
    m_complete = page.size() < kPage;
    if (page.isEmpty())
        return;
    beginInsertRows({}, int(m_events.size()), int(m_events.size() + page.size() - 1));
    m_events += page;
    endInsertRows();
}

int EventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_events.size());
}

int EventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString EventsModel::outcomeText(const QString &outcome)
{
    static const QHash<QString, const char *> texts{
        {QStringLiteral("created"), QT_TR_NOOP("created")},
        {QStringLiteral("updated"), QT_TR_NOOP("updated")},
        {QStringLiteral("unchanged"), QT_TR_NOOP("unchanged")},
        {QStringLiteral("invalid"), QT_TR_NOOP("invalid")},
        {QStringLiteral("failed"), QT_TR_NOOP("failed")},
        {QStringLiteral("skipped"), QT_TR_NOOP("skipped")},
        {QStringLiteral("completed"), QT_TR_NOOP("completed")},
        {QStringLiteral("merged"), QT_TR_NOOP("merged")},
        {QStringLiteral("deleted"), QT_TR_NOOP("deleted in GHL")},
    };
    const auto it = texts.constFind(outcome);
    return it == texts.cend() ? outcome : tr(*it);
}

QString EventsModel::kindText(const QString &kind)
{
    static const QHash<QString, const char *> texts{
        {QStringLiteral("contact"), QT_TR_NOOP("contact")},
        {QStringLiteral("task"), QT_TR_NOOP("task")},
        {QStringLiteral("note"), QT_TR_NOOP("note")},
        {QStringLiteral("appointment"), QT_TR_NOOP("appointment")},
        {QStringLiteral("field"), QT_TR_NOOP("field")},
    };
    const auto it = texts.constFind(kind);
    return it == texts.cend() ? kind : tr(*it);
}

QVariant EventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SyncEvent &e = m_events[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Seq:
            return e.seq;
        case Time:
            return QDateTime::fromMSecsSinceEpoch(e.atMs).toString(QStringLiteral("HH:mm:ss"));
        case Kind:
            return kindText(e.kind);
        case GhlId:
            return e.ghlId;
        case ShId:
            return e.shId;
        case Outcome:
            return outcomeText(e.outcome);
        case Warnings:
            return e.warnings.isEmpty() ? QString() : QLocale().toString(int(e.warnings.size()));
        case Reason:
            return e.reason;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == Warnings && !e.warnings.isEmpty())
            return WarningTexts::icon();
        return {};
    case Qt::ForegroundRole:
        if (index.column() == Outcome &&
            (e.outcome == QLatin1String("failed") || e.outcome == QLatin1String("invalid")))
            return QBrush(QColor(0xc0, 0x1c, 0x28));
        if (index.column() == Warnings)
            return QBrush(WarningTexts::color());
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Warnings && !e.warnings.isEmpty()) {
            QStringList lines;
            for (const FieldWarning &w : e.warnings)
                lines << WarningTexts::fieldText(w);
            return lines.join(QLatin1Char('\n'));
        }
        return index.column() == Reason ? e.reason : QVariant();
    case GhlIdRole:
        return e.ghlId;
    case KindRole:
        return e.kind;
    case OutcomeRole:
        return e.outcome;
    case RequestIdsRole:
        return e.requestIds;
    case ReasonRole:
        return e.reason;
    case ShIdRole:
        return e.shId;
    case WarningCountRole:
        return int(e.warnings.size());
    }
    return {};
}

QVariant EventsModel::headerData(int section, Qt::Orientation o, int role) const
{
    // The warnings column is narrow: a warning icon heads it, its tooltip says what it counts.
    if (o == Qt::Horizontal && section == Warnings && role == Qt::DecorationRole)
        return WarningTexts::icon();
    if (o == Qt::Horizontal && section == Warnings && role == Qt::ToolTipRole)
        return tr("Field warnings: values not sent exactly as GHL has them");
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Seq:
        return tr("#");
    case Time:
        return tr("Time");
    case Kind:
        return tr("Kind");
    case GhlId:
        return tr("GHL id");
    case ShId:
        return tr("Saleshandy id");
    case Outcome:
        return tr("Outcome");
    case Warnings:
        return QString();
    case Reason:
        return tr("Reason");
    }
    return {};
}

} // namespace lb::gui
