#pragma once

#include "domain/Contact.h"

#include <QAbstractTableModel>
#include <QList>

// Small table models over one contact's records, for the detail pane. They hold the records
// (a contact has tens, not thousands), so views sort them with a QSortFilterProxyModel.
namespace lb::gui {

/// The role every record model answers with the record's id.
inline constexpr int RecordIdRole = Qt::UserRole;

class TaskModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TaskModel)

public:
    enum Column { Done, Title, Due, Body, ColumnCount };
    enum Role { TaskIdRole = RecordIdRole, CompletedRole, SortRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setTasks(QList<Task> tasks);
    [[nodiscard]] const QList<Task> &tasks() const { return m_tasks; }
    [[nodiscard]] const Task *task(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QList<Task> m_tasks;
};

class NoteModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NoteModel)

public:
    enum Column { Added, Text, ColumnCount };
    enum Role { NoteIdRole = RecordIdRole, BodyRole, SortRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setNotes(QList<Note> notes);
    [[nodiscard]] const Note *note(int row) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QList<Note> m_notes;
};

class AppointmentModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AppointmentModel)

public:
    enum Column { Start, End, Title, Status, Address, ColumnCount };
    enum Role { AppointmentIdRole = RecordIdRole, SortRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setAppointments(QList<Appointment> appointments);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    QList<Appointment> m_appointments;
};

/// A contact's fields as (field, value) rows: the standard ones that are set, then its custom
/// fields under their names from the location's definitions.
class ContactFieldsModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactFieldsModel)

public:
    enum Column { Field, Value, ColumnCount };
    enum Role { IsCustomRole = Qt::UserRole };

    using QAbstractTableModel::QAbstractTableModel;

    void setContact(const Contact &contact, const QList<CustomField> &definitions);
    void clear();

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation orientation,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;

private:
    struct Row
    {
        QString field;
        QString value;
        bool custom = false;
    };
    QList<Row> m_rows;
};

} // namespace lb::gui
