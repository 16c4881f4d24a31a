#pragma once

#include "net/ApiError.h"
#include "services/ContactService.h"

#include <QElapsedTimer>
#include <QPointer>
#include <QTimer>
#include <QWidget>

#include <memory>

class QAction;
class QSortFilterProxyModel;
class QTableView;

namespace Ui {
class ContactsView;
}

namespace lb::gui {

class AppSettings;
class AppointmentModel;
class ContactFieldsModel;
class ContactTableModel;
class NoteModel;
class TaskModel;

/// The Contacts page: a searchable, sortable table over the local store and a detail pane with the
/// selected contact's fields, tasks, notes and appointments. Every change goes through the
/// ContactService (GHL first, then the store); this view only asks and re-reads. Laid out in
/// ui/contactsview.ui.
class ContactsView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ContactsView)

public:
    explicit ContactsView(QWidget *parent = nullptr);
    ~ContactsView() override;

    /// Not owned; null empties the view. The service's store must outlive it.
    void setService(lb::ContactService *service);
    [[nodiscard]] lb::ContactService *service() const { return m_service; }

    [[nodiscard]] ContactTableModel *model() const { return m_model.get(); }
    [[nodiscard]] QTableView *table() const;
    [[nodiscard]] QString currentContactId() const { return m_currentId; }
    /// Shows a contact in the detail pane and selects its row when it is loaded.
    void showContact(const QString &contactId);
    /// True once the table has rows and the detail pane shows a contact (for screenshots).
    [[nodiscard]] bool isShowingData() const;

    // For the main window's toolbar and menus.
    [[nodiscard]] QAction *actionSearch() const;
    [[nodiscard]] QAction *actionNewContact() const;
    [[nodiscard]] QAction *actionEditContact() const;
    [[nodiscard]] QAction *actionDeleteContact() const;
    [[nodiscard]] QAction *actionRefreshContact() const;
    [[nodiscard]] QAction *actionRefreshAll() const;

    void restoreLayout(const AppSettings &settings);
    void saveLayout(AppSettings &settings) const;

    /// The message bar's text (errors and confirmations), empty when hidden.
    [[nodiscard]] QString message() const;

    // The operations behind the buttons; public so that tests and the main window can drive them.
    void newContact();
    void editContact();
    /// Asks first (a QMessageBox named "confirmDeleteBox"), then deletes through GHL.
    void deleteContact();
    void refreshContact();
    void refreshAll();

Q_SIGNALS:
    /// The detail pane shows a contact (or none, with an empty id).
    void currentContactChanged(const QString &contactId);
    void messageShown(const QString &text, bool error);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setUpTables();
    void styleTitle();
    void applySearch();
    void onSearchEdited();
    void onSelectionChanged();
    void selectFirstRowIfNone();
    void reselectCurrent();
    void loadDetail();
    void loadChildren();
    void updateActions();
    void updateCount(int count);
    void updateStaleness();
    void showMessage(const QString &text, bool error);
    void showHeaderMenu(const QPoint &pos);
    void onFailed(lb::ContactService::Operation operation, const lb::ApiError &error);
    void onPullProgress(int done, int total);
    void onPullFinished(const lb::ApiError &error, const lb::PullStats &stats);

    void addTag();
    void removeTag(const QString &tag);
    void newTask();
    void editTask();
    void completeTask();
    void deleteTask();
    void newNote();
    void editNote();
    void deleteNote();
    [[nodiscard]] QString selectedRecordId(QTableView *view) const;

    std::unique_ptr<Ui::ContactsView> m_ui;
    std::unique_ptr<ContactTableModel> m_model;
    std::unique_ptr<ContactFieldsModel> m_fields;
    std::unique_ptr<TaskModel> m_tasks;
    std::unique_ptr<NoteModel> m_notes;
    std::unique_ptr<AppointmentModel> m_appointments;
    QSortFilterProxyModel *m_taskProxy = nullptr;
    QSortFilterProxyModel *m_noteProxy = nullptr;
    QSortFilterProxyModel *m_appointmentProxy = nullptr;
    QPointer<lb::ContactService> m_service;
    QList<CustomField> m_definitions;
    QString m_currentId;
    QString m_currentName;
    QTimer m_searchThrottle;
    bool m_searchPending = false;
    QTimer m_stalenessTimer;
    QTimer m_pullReloadThrottle; ///< rows appear while a pull writes them, a few times a second
};

} // namespace lb::gui
