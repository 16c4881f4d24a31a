#include "gui/RecordModels.h"

#include <QLocale>

namespace lb::gui {

namespace {

QVariant local(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toLocalTime()) : QVariant();
}

/// The first line, for one-row previews of multi-line text.
QString firstLine(const QString &text)
{
    const QString trimmed = text.trimmed();
    const qsizetype nl = trimmed.indexOf(QLatin1Char('\n'));
    return nl < 0 ? trimmed : trimmed.left(nl) + QStringLiteral(" …");
}

constexpr auto kItemFlags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;

} // namespace

// ---- TaskModel

void TaskModel::setTasks(QList<Task> tasks)
{
    beginResetModel();
    m_tasks = std::move(tasks);
    endResetModel();
}

const Task *TaskModel::task(int row) const
{
    return row >= 0 && row < m_tasks.size() ? &m_tasks.at(row) : nullptr;
}

int TaskModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tasks.size());
}

int TaskModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TaskModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Task &t = m_tasks.at(index.row());
    if (role == TaskIdRole)
        return t.id;
    if (role == CompletedRole)
        return t.completed;
    if (role == Qt::CheckStateRole && index.column() == Done)
        return t.completed ? Qt::Checked : Qt::Unchecked;
    if (role == Qt::ToolTipRole && index.column() == Body)
        return t.body;
    if (role == Qt::ToolTipRole && index.column() == Done)
        return t.completed ? tr("Completed") : tr("Open");
    if (role == SortRole) {
        switch (Column(index.column())) {
        case Done:
            return int(t.completed);
        case Title:
            return t.title.toLower();
        case Due:
            return t.dueDate.toMSecsSinceEpoch();
        case Body:
            return t.body.toLower();
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Done:
        return {};
    case Title:
        return t.title;
    case Due:
        return local(t.dueDate);
    case Body:
        return firstLine(t.body);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TaskModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Done:
        //: Column header: whether a task is completed
        return tr("Done");
    case Title:
        return tr("Title");
    case Due:
        return tr("Due");
    case Body:
        return tr("Description");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags TaskModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    // Shown as a check box, but not toggled in place: completing goes through GHL first.
    return kItemFlags;
}

// ---- NoteModel

void NoteModel::setNotes(QList<Note> notes)
{
    beginResetModel();
    m_notes = std::move(notes);
    endResetModel();
}

const Note *NoteModel::note(int row) const
{
    return row >= 0 && row < m_notes.size() ? &m_notes.at(row) : nullptr;
}

int NoteModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_notes.size());
}

int NoteModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NoteModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Note &n = m_notes.at(index.row());
    switch (role) {
    case NoteIdRole:
        return n.id;
    case BodyRole:
        return n.body;
    case SortRole:
        return index.column() == Added ? QVariant(n.dateAdded.toMSecsSinceEpoch()) : QVariant(n.body.toLower());
    case Qt::ToolTipRole:
        return index.column() == Text ? QVariant(n.body) : QVariant();
    case Qt::DisplayRole:
        return index.column() == Added ? local(n.dateAdded) : QVariant(firstLine(n.body));
    default:
        return {};
    }
}

QVariant NoteModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Added:
        return tr("Added");
    case Text:
        return tr("Note");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags NoteModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemFlags(kItemFlags) : Qt::NoItemFlags;
}

// ---- AppointmentModel

void AppointmentModel::setAppointments(QList<Appointment> appointments)
{
    beginResetModel();
    m_appointments = std::move(appointments);
    endResetModel();
}

int AppointmentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_appointments.size());
}

int AppointmentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AppointmentModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Appointment &a = m_appointments.at(index.row());
    if (role == AppointmentIdRole)
        return a.id;
    const QString status = a.appointmentStatus.isEmpty() ? a.status : a.appointmentStatus;
    if (role == SortRole) {
        switch (Column(index.column())) {
        case Start:
            return a.startTime.toMSecsSinceEpoch();
        case End:
            return a.endTime.toMSecsSinceEpoch();
        case Title:
            return a.title.toLower();
        case Status:
            return status;
        case Address:
            return a.address.toLower();
        case ColumnCount:
            break;
        }
        return {};
    }
    if (role == Qt::ToolTipRole && index.column() == Title)
        return a.notes.isEmpty() ? QVariant() : QVariant(a.notes);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case Start:
        return local(a.startTime);
    case End:
        return local(a.endTime);
    case Title:
        return a.title;
    case Status:
        return status;
    case Address:
        return a.address;
    case ColumnCount:
        break;
    }
    return {};
}

QVariant AppointmentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Start:
        return tr("Starts");
    case End:
        return tr("Ends");
    case Title:
        return tr("Title");
    case Status:
        return tr("Status");
    case Address:
        return tr("Where");
    case ColumnCount:
        break;
    }
    return {};
}

Qt::ItemFlags AppointmentModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemFlags(kItemFlags) : Qt::NoItemFlags;
}

// ---- ContactFieldsModel

void ContactFieldsModel::setContact(const Contact &c, const QList<CustomField> &definitions)
{
    beginResetModel();
    m_rows.clear();
    const auto add = [this](const QString &field, const QString &value) {
        if (!value.trimmed().isEmpty())
            m_rows.append({field, value, false});
    };
    add(tr("First name"), c.firstName);
    add(tr("Last name"), c.lastName);
    add(tr("Email"), c.email);
    add(tr("Phone"), c.phone);
    add(tr("Company"), c.companyName);
    add(tr("Address"), c.address1);
    add(tr("City"), c.city);
    add(tr("State"), c.state);
    add(tr("Postal code"), c.postalCode);
    add(tr("Country"), c.country);
    add(tr("Website"), c.website);
    add(tr("Time zone"), c.timezone);
    add(tr("Source"), c.source);
    add(tr("Type"), c.type);
    add(tr("Date of birth"), c.dateOfBirth);
    if (c.dnd)
        add(tr("Do not disturb"), tr("Yes"));
    const QLocale locale;
    if (c.dateAdded.isValid())
        add(tr("Added"), locale.toString(c.dateAdded.toLocalTime(), QLocale::ShortFormat));
    if (c.dateUpdated.isValid())
        add(tr("Updated in GHL"), locale.toString(c.dateUpdated.toLocalTime(), QLocale::ShortFormat));
    add(tr("GHL id"), c.id);

    for (const CustomFieldValue &v : c.customFields) {
        QString name;
        for (const CustomField &d : definitions) {
            if (d.id == v.fieldId) {
                name = d.name;
                break;
            }
        }
        if (name.isEmpty()) // a field deleted in GHL, or definitions not read yet
            name = tr("Custom field %1").arg(v.fieldId);
        const QString value = v.displayText();
        if (!value.trimmed().isEmpty())
            m_rows.append({name, value, true});
    }
    endResetModel();
}

void ContactFieldsModel::clear()
{
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

int ContactFieldsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ContactFieldsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ContactFieldsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case IsCustomRole:
        return r.custom;
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return index.column() == Field ? r.field : r.value;
    default:
        return {};
    }
}

QVariant ContactFieldsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    return section == Field ? tr("Field") : tr("Value");
}

Qt::ItemFlags ContactFieldsModel::flags(const QModelIndex &index) const
{
    return index.isValid() ? Qt::ItemFlags(kItemFlags) : Qt::NoItemFlags;
}

} // namespace lb::gui
