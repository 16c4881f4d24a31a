#include "gui/ContactsView.h"

#include "gui/AppSettings.h"
#include "gui/ContactTableModel.h"
#include "gui/Delegates.h"
#include "gui/RecordDialogs.h"
#include "gui/RecordModels.h"
#include "store/ContactStore.h"
#include "ui_contactsview.h"

#include <QDateTime>
#include <QEvent>
#include <QHeaderView>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>

namespace lb::gui {

namespace {
// A search runs at once on the first keystroke, then at most once per this interval while the
// person keeps typing: quick feedback without a query per character of a fast typist.
constexpr int kSearchThrottleMs = 120;
constexpr int kStalenessRefreshMs = 30 * 1000;
constexpr int kPullReloadMs = 500;

QSortFilterProxyModel *sortingProxy(QAbstractItemModel *source, int sortRole, QObject *parent)
{
    auto *proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(source);
    proxy->setSortRole(sortRole);
    return proxy;
}
} // namespace

ContactsView::ContactsView(QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::ContactsView>()),
      m_model(std::make_unique<ContactTableModel>()), m_fields(std::make_unique<ContactFieldsModel>()),
      m_tasks(std::make_unique<TaskModel>()), m_notes(std::make_unique<NoteModel>()),
      m_appointments(std::make_unique<AppointmentModel>())
{
    m_ui->setupUi(this);
    m_ui->messageFrame->hide();
    m_ui->pullFrame->hide();
    m_ui->detailStack->setCurrentWidget(m_ui->noSelectionPage);
    setUpTables();
    styleTitle();

    // The actions live in the form; they act while this page is in the window.
    addActions({m_ui->actionSearch, m_ui->actionNewContact, m_ui->actionEditContact,
                m_ui->actionRefreshContact, m_ui->actionRefreshAll});
    // Delete only from the table, so that the Delete key keeps deleting text in the search field.
    m_ui->contactsTable->addAction(m_ui->actionDeleteContact);

    connect(m_ui->actionSearch, &QAction::triggered, this, [this] {
        m_ui->searchEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->searchEdit->selectAll();
    });
    connect(m_ui->actionNewContact, &QAction::triggered, this, &ContactsView::newContact);
    connect(m_ui->actionEditContact, &QAction::triggered, this, &ContactsView::editContact);
    connect(m_ui->actionDeleteContact, &QAction::triggered, this, &ContactsView::deleteContact);
    connect(m_ui->actionRefreshContact, &QAction::triggered, this, &ContactsView::refreshContact);
    connect(m_ui->actionRefreshAll, &QAction::triggered, this, &ContactsView::refreshAll);
    connect(m_ui->editContactButton, &QToolButton::clicked, this, &ContactsView::editContact);
    connect(m_ui->deleteContactButton, &QToolButton::clicked, this, &ContactsView::deleteContact);
    connect(m_ui->refreshContactButton, &QToolButton::clicked, this, &ContactsView::refreshContact);
    connect(m_ui->cancelPullButton, &QPushButton::clicked, this, [this] {
        if (m_service)
            m_service->cancelPull();
    });
    connect(m_ui->dismissMessageButton, &QToolButton::clicked, this, [this] { m_ui->messageFrame->hide(); });
    connect(m_ui->addTagButton, &QToolButton::clicked, this, &ContactsView::addTag);
    m_ui->removeTagButton->setMenu(new QMenu(m_ui->removeTagButton));

    connect(m_ui->newTaskButton, &QPushButton::clicked, this, &ContactsView::newTask);
    connect(m_ui->editTaskButton, &QPushButton::clicked, this, &ContactsView::editTask);
    connect(m_ui->completeTaskButton, &QPushButton::clicked, this, &ContactsView::completeTask);
    connect(m_ui->deleteTaskButton, &QPushButton::clicked, this, &ContactsView::deleteTask);
    connect(m_ui->tasksTable, &QTableView::doubleClicked, this, &ContactsView::editTask);
    connect(m_ui->newNoteButton, &QPushButton::clicked, this, &ContactsView::newNote);
    connect(m_ui->editNoteButton, &QPushButton::clicked, this, &ContactsView::editNote);
    connect(m_ui->deleteNoteButton, &QPushButton::clicked, this, &ContactsView::deleteNote);
    connect(m_ui->notesTable, &QTableView::doubleClicked, this, &ContactsView::editNote);
    connect(m_ui->contactsTable, &QTableView::doubleClicked, this, &ContactsView::editContact);

    m_searchThrottle.setSingleShot(true);
    m_searchThrottle.setInterval(kSearchThrottleMs);
    connect(&m_searchThrottle, &QTimer::timeout, this, [this] {
        if (!m_searchPending)
            return;
        m_searchPending = false;
        applySearch();
        m_searchThrottle.start();
    });
    connect(m_ui->searchEdit, &QLineEdit::textChanged, this, &ContactsView::onSearchEdited);

    m_stalenessTimer.setInterval(kStalenessRefreshMs);
    connect(&m_stalenessTimer, &QTimer::timeout, this, &ContactsView::updateStaleness);
    m_stalenessTimer.start();
    m_pullReloadThrottle.setSingleShot(true);
    m_pullReloadThrottle.setInterval(kPullReloadMs);
    connect(&m_pullReloadThrottle, &QTimer::timeout, this, [this] {
        m_model->reload();
        selectFirstRowIfNone();
    });

    connect(m_model.get(), &ContactTableModel::countChanged, this, &ContactsView::updateCount);
    connect(m_model.get(), &QAbstractItemModel::modelReset, this, &ContactsView::reselectCurrent);
    connect(m_model.get(), &QAbstractItemModel::layoutChanged, this, &ContactsView::reselectCurrent);
    updateActions();
    updateCount(0);
}

ContactsView::~ContactsView()
{
    // The views go first: they hold the models.
    m_ui.reset();
}

void ContactsView::setUpTables()
{
    QTableView *table = m_ui->contactsTable;
    table->setModel(m_model.get());
    auto *dates = new DateTimeDelegate(this);
    table->setItemDelegateForColumn(ContactTableModel::DateAdded, dates);
    table->setItemDelegateForColumn(ContactTableModel::DateUpdated, dates);
    table->sortByColumn(ContactTableModel::Name, Qt::AscendingOrder);
    // Uniform rows and fixed-size sections keep layout from measuring 100,000 rows.
    table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    QHeaderView *header = table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionsMovable(true);
    header->setHighlightSections(false);
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    header->setStretchLastSection(false);
    const int em = fontMetrics().averageCharWidth();
    const QList<int> widths{20, 30, 17, 20, 14, 20, 18, 18};
    for (int c = 0; c < widths.size(); ++c)
        header->resizeSection(c, widths[c] * em);
    header->hideSection(ContactTableModel::DateAdded);
    connect(header, &QHeaderView::customContextMenuRequested, this, &ContactsView::showHeaderMenu);
    connect(header, &QHeaderView::sortIndicatorChanged, this, [this, header](int section, Qt::SortOrder) {
        if (ContactTableModel::isSortable(section))
            return;
        // Put the indicator back where the data really is sorted.
        const QSignalBlocker blocker(header);
        header->setSortIndicator(m_model->sortColumn(), m_model->sortOrder());
        showMessage(tr("Contacts cannot be sorted by tags."), false);
    });
    connect(table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ContactsView::onSelectionChanged);

    m_taskProxy = sortingProxy(m_tasks.get(), TaskModel::SortRole, this);
    m_noteProxy = sortingProxy(m_notes.get(), NoteModel::SortRole, this);
    m_appointmentProxy = sortingProxy(m_appointments.get(), AppointmentModel::SortRole, this);
    m_ui->fieldsTable->setModel(m_fields.get());
    m_ui->fieldsTable->setSortingEnabled(false);
    m_ui->fieldsTable->setSelectionMode(QAbstractItemView::NoSelection);
    m_ui->fieldsTable->horizontalHeader()->hide();
    m_ui->fieldsTable->setShowGrid(false);
    m_ui->fieldsTable->horizontalHeader()->setSectionResizeMode(ContactFieldsModel::Field,
                                                                QHeaderView::ResizeToContents);
    m_ui->tasksTable->setModel(m_taskProxy);
    m_ui->tasksTable->sortByColumn(TaskModel::Due, Qt::AscendingOrder);
    m_ui->tasksTable->setItemDelegateForColumn(TaskModel::Due, dates);
    m_ui->tasksTable->horizontalHeader()->setSectionResizeMode(TaskModel::Done, QHeaderView::ResizeToContents);
    m_ui->tasksTable->horizontalHeader()->resizeSection(TaskModel::Title, 22 * em);
    m_ui->tasksTable->horizontalHeader()->resizeSection(TaskModel::Due, 16 * em);
    m_ui->notesTable->setModel(m_noteProxy);
    m_ui->notesTable->sortByColumn(NoteModel::Added, Qt::DescendingOrder);
    m_ui->notesTable->setItemDelegateForColumn(NoteModel::Added, dates);
    m_ui->notesTable->horizontalHeader()->resizeSection(NoteModel::Added, 16 * em);
    m_ui->appointmentsTable->setModel(m_appointmentProxy);
    m_ui->appointmentsTable->sortByColumn(AppointmentModel::Start, Qt::DescendingOrder);
    m_ui->appointmentsTable->setItemDelegateForColumn(AppointmentModel::Start, dates);
    m_ui->appointmentsTable->setItemDelegateForColumn(AppointmentModel::End, dates);
    for (int c : {int(AppointmentModel::Start), int(AppointmentModel::End)})
        m_ui->appointmentsTable->horizontalHeader()->resizeSection(c, 16 * em);
    for (QTableView *v : {m_ui->fieldsTable, m_ui->tasksTable, m_ui->notesTable, m_ui->appointmentsTable}) {
        v->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
        v->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    }
    connect(m_ui->tasksTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &ContactsView::updateActions);
    connect(m_ui->notesTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        const QModelIndex current = m_ui->notesTable->currentIndex();
        m_ui->notePreview->setPlainText(current.isValid() ? current.data(NoteModel::BodyRole).toString()
                                                          : QString());
        updateActions();
    });

    m_ui->splitter->setStretchFactor(0, 3);
    m_ui->splitter->setStretchFactor(1, 2);
    m_ui->splitter->setSizes({600, 400});
}

void ContactsView::styleTitle()
{
    QFont title = font();
    title.setPointSizeF(title.pointSizeF() * 1.4);
    title.setBold(true);
    m_ui->detailTitle->setFont(title);
}

void ContactsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        updateCount(m_model->rowCount());
        updateStaleness();
    } else if (event->type() == QEvent::FontChange) {
        styleTitle();
    }
    QWidget::changeEvent(event);
}

QTableView *ContactsView::table() const
{
    return m_ui->contactsTable;
}

QAction *ContactsView::actionSearch() const { return m_ui->actionSearch; }
QAction *ContactsView::actionNewContact() const { return m_ui->actionNewContact; }
QAction *ContactsView::actionEditContact() const { return m_ui->actionEditContact; }
QAction *ContactsView::actionDeleteContact() const { return m_ui->actionDeleteContact; }
QAction *ContactsView::actionRefreshContact() const { return m_ui->actionRefreshContact; }
QAction *ContactsView::actionRefreshAll() const { return m_ui->actionRefreshAll; }

void ContactsView::setService(lb::ContactService *service)
{
    if (m_service)
        disconnect(m_service, nullptr, this, nullptr);
    m_service = service;
    m_currentId.clear();
    m_definitions.clear();
    if (service) {
        m_definitions = service->store().customFields(service->locationId());
        connect(service, &ContactService::contactCreated, this, [this](const QString &id) {
            m_model->reload();
            showContact(id);
            showMessage(tr("Created the contact in GHL."), false);
        });
        connect(service, &ContactService::contactChanged, this, [this](const QString &id) {
            m_model->reload();
            if (id == m_currentId)
                loadDetail();
        });
        connect(service, &ContactService::contactRemoved, this, [this](const QString &id) {
            m_model->contactRemoved(id);
            if (id == m_currentId) {
                showMessage(tr("Deleted “%1” in GHL.").arg(m_currentName), false);
                m_currentId.clear();
                const QModelIndex current = m_ui->contactsTable->currentIndex();
                if (current.isValid())
                    m_currentId = current.data(ContactTableModel::ContactIdRole).toString();
                loadDetail();
            }
        });
        connect(service, &ContactService::childrenChanged, this, [this](const QString &id) {
            if (id == m_currentId)
                loadChildren();
        });
        connect(service, &ContactService::customFieldsChanged, this, [this] {
            m_definitions = m_service->store().customFields(m_service->locationId());
            if (!m_currentId.isEmpty())
                loadDetail();
        });
        connect(service, &ContactService::failed, this, &ContactsView::onFailed);
        connect(service, &ContactService::storeFailed, this,
                [this](ContactService::Operation, const QString &message) {
                    showMessage(message, true);
                    m_model->reload();
                });
        connect(service, &ContactService::pullStarted, this, [this] {
            m_ui->pullProgress->setRange(0, 0);
            m_ui->pullFrame->show();
            updateActions();
        });
        connect(service, &ContactService::pullProgress, this, &ContactsView::onPullProgress);
        connect(service, &ContactService::pullFinished, this, &ContactsView::onPullFinished);
        m_ui->pullFrame->setVisible(service->isPulling());
    }
    m_model->setStore(service ? &service->store() : nullptr, service ? service->locationId() : QString());
    updateStaleness();
    selectFirstRowIfNone();
    loadDetail();
    updateActions();
}

void ContactsView::restoreLayout(const AppSettings &settings)
{
    const QByteArray header = settings.contactsHeaderState();
    if (!header.isEmpty())
        m_ui->contactsTable->horizontalHeader()->restoreState(header);
    const QByteArray splitter = settings.contactsSplitterState();
    if (!splitter.isEmpty())
        m_ui->splitter->restoreState(splitter);
}

void ContactsView::saveLayout(AppSettings &settings) const
{
    settings.setContactsHeaderState(m_ui->contactsTable->horizontalHeader()->saveState());
    settings.setContactsSplitterState(m_ui->splitter->saveState());
}

QString ContactsView::message() const
{
    return m_ui->messageFrame->isHidden() ? QString() : m_ui->messageLabel->text();
}

void ContactsView::showMessage(const QString &text, bool error)
{
    QFont font = m_ui->messageLabel->font();
    font.setBold(error);
    m_ui->messageLabel->setFont(font);
    m_ui->messageLabel->setText(text);
    m_ui->messageFrame->setProperty("error", error);
    m_ui->messageFrame->show();
    Q_EMIT messageShown(text, error);
}

// ---- Search, selection, detail

void ContactsView::onSearchEdited()
{
    if (m_searchThrottle.isActive()) {
        m_searchPending = true;
        return;
    }
    applySearch();
    m_searchThrottle.start();
}

void ContactsView::applySearch()
{
    m_model->setSearch(m_ui->searchEdit->text().trimmed());
}

void ContactsView::updateCount(int count)
{
    const QString error = m_model->lastError();
    if (!error.isEmpty()) {
        m_ui->countLabel->setText(tr("The local database could not be read."));
        m_ui->countLabel->setToolTip(error);
        return;
    }
    m_ui->countLabel->setToolTip({});
    // Spelled out rather than "%n contact(s)": English plurals would need a translation file of their own.
    const QString n = QLocale().toString(count);
    if (m_model->search().isEmpty())
        m_ui->countLabel->setText(count == 1 ? tr("1 contact") : tr("%1 contacts").arg(n));
    else
        m_ui->countLabel->setText(count == 1 ? tr("1 match") : tr("%1 matches").arg(n));
}

void ContactsView::updateStaleness()
{
    if (!m_service) {
        m_ui->stalenessLabel->clear();
        return;
    }
    const std::optional<PullCursor> cursor = m_service->store().pullCursor(m_service->locationId());
    const qint64 at = cursor ? cursor->lastPullFinishedMs : 0;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (at <= 0) {
        m_ui->stalenessLabel->setText(tr("Not pulled from GHL yet"));
        m_ui->stalenessLabel->setToolTip({});
        return;
    }
    m_ui->stalenessLabel->setText(tr("Pulled from GHL %1").arg(relativeAge(at, now)));
    m_ui->stalenessLabel->setToolTip(
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(at).toLocalTime(), QLocale::LongFormat));
}

void ContactsView::onSelectionChanged()
{
    const QModelIndex current = m_ui->contactsTable->currentIndex();
    const QString id = current.isValid() ? current.data(ContactTableModel::ContactIdRole).toString() : QString();
    if (id == m_currentId && !id.isEmpty())
        return;
    m_currentId = id;
    loadDetail();
}

void ContactsView::selectFirstRowIfNone()
{
    if (!m_currentId.isEmpty() || m_model->rowCount() == 0)
        return;
    m_ui->contactsTable->selectRow(0);
    m_ui->contactsTable->setCurrentIndex(m_model->index(0, ContactTableModel::Name));
}

void ContactsView::reselectCurrent()
{
    if (m_currentId.isEmpty()) {
        selectFirstRowIfNone();
        return;
    }
    const int row = m_model->rowOfContact(m_currentId);
    const QSignalBlocker blocker(m_ui->contactsTable->selectionModel());
    if (row >= 0) {
        m_ui->contactsTable->setCurrentIndex(m_model->index(row, ContactTableModel::Name));
        m_ui->contactsTable->selectRow(row);
    } else {
        m_ui->contactsTable->clearSelection();
    }
}

void ContactsView::showContact(const QString &contactId)
{
    m_currentId = contactId;
    reselectCurrent();
    loadDetail();
}

bool ContactsView::isShowingData() const
{
    return m_model->rowCount() > 0 && m_ui->detailStack->currentWidget() == m_ui->detailPage;
}

void ContactsView::loadDetail()
{
    std::optional<Contact> contact;
    if (m_service && !m_currentId.isEmpty())
        contact = m_service->store().contact(m_currentId);
    if (!contact) {
        m_currentName.clear();
        m_fields->clear();
        m_tasks->setTasks({});
        m_notes->setNotes({});
        m_appointments->setAppointments({});
        m_ui->detailStack->setCurrentWidget(m_ui->noSelectionPage);
        updateActions();
        Q_EMIT currentContactChanged({});
        return;
    }
    m_currentName = contact->displayName();
    m_ui->detailTitle->setText(m_currentName.isEmpty() ? tr("(no name)") : m_currentName);
    QStringList subtitle;
    for (const QString &part : {contact->email, contact->phone, contact->companyName}) {
        if (!part.isEmpty())
            subtitle << part;
    }
    m_ui->detailSubtitle->setText(subtitle.join(QStringLiteral("  ·  ")));
    m_ui->tagsValue->setText(contact->tags.isEmpty() ? tr("none") : contact->tags.join(QStringLiteral(", ")));
    QMenu *menu = m_ui->removeTagButton->menu();
    menu->clear();
    for (const QString &tag : contact->tags)
        menu->addAction(tag, this, [this, tag] { removeTag(tag); });
    m_ui->removeTagButton->setEnabled(!contact->tags.isEmpty());
    m_fields->setContact(*contact, m_definitions);
    m_ui->detailStack->setCurrentWidget(m_ui->detailPage);
    loadChildren();
    Q_EMIT currentContactChanged(m_currentId);
}

void ContactsView::loadChildren()
{
    if (!m_service || m_currentId.isEmpty())
        return;
    ContactStore &store = m_service->store();
    m_tasks->setTasks(store.tasks(m_currentId));
    m_notes->setNotes(store.notes(m_currentId));
    m_appointments->setAppointments(store.appointments(m_currentId));
    m_ui->notePreview->clear();
    const auto count = [](const QString &title, int n) {
        return n > 0 ? QStringLiteral("%1 (%2)").arg(title).arg(n) : title;
    };
    m_ui->detailTabs->setTabText(1, count(tr("Tasks"), m_tasks->rowCount()));
    m_ui->detailTabs->setTabText(2, count(tr("Notes"), m_notes->rowCount()));
    m_ui->detailTabs->setTabText(3, count(tr("Appointments"), m_appointments->rowCount()));
    updateActions();
}

void ContactsView::updateActions()
{
    const bool connected = m_service != nullptr;
    const bool contact = connected && !m_currentId.isEmpty();
    const bool pulling = connected && m_service->isPulling();
    m_ui->actionNewContact->setEnabled(connected);
    m_ui->actionEditContact->setEnabled(contact);
    m_ui->actionDeleteContact->setEnabled(contact);
    m_ui->actionRefreshContact->setEnabled(contact);
    m_ui->actionRefreshAll->setEnabled(connected && !pulling);
    m_ui->editContactButton->setEnabled(contact);
    m_ui->deleteContactButton->setEnabled(contact);
    m_ui->refreshContactButton->setEnabled(contact);
    m_ui->addTagButton->setEnabled(contact);
    m_ui->newTaskButton->setEnabled(contact);
    m_ui->newNoteButton->setEnabled(contact);
    const QModelIndex task = m_ui->tasksTable->currentIndex();
    m_ui->editTaskButton->setEnabled(contact && task.isValid());
    m_ui->deleteTaskButton->setEnabled(contact && task.isValid());
    m_ui->completeTaskButton->setEnabled(contact && task.isValid());
    m_ui->completeTaskButton->setText(task.isValid() && task.data(TaskModel::CompletedRole).toBool()
                                          ? tr("Reopen")
                                          : tr("Mark complete"));
    const bool note = m_ui->notesTable->currentIndex().isValid();
    m_ui->editNoteButton->setEnabled(contact && note);
    m_ui->deleteNoteButton->setEnabled(contact && note);
}

void ContactsView::showHeaderMenu(const QPoint &pos)
{
    QHeaderView *header = m_ui->contactsTable->horizontalHeader();
    QMenu menu(this);
    menu.setTitle(tr("Columns"));
    for (int c = 0; c < ContactTableModel::ColumnCount; ++c) {
        QAction *a = menu.addAction(m_model->headerData(c, Qt::Horizontal).toString());
        a->setCheckable(true);
        a->setChecked(!header->isSectionHidden(c));
        a->setEnabled(c != ContactTableModel::Name); // a contact list without names is no list
        connect(a, &QAction::toggled, header, [header, c](bool on) { header->setSectionHidden(c, !on); });
    }
    menu.exec(header->mapToGlobal(pos));
}

// ---- Messages from the service

void ContactsView::onFailed(ContactService::Operation operation, const ApiError &error)
{
    if (error.kind == ApiError::Kind::Cancelled)
        return;
    //: %1 is what was being done ("Deleting the contact"), %2 the reason in a sentence
    showMessage(tr("%1 did not work: %2").arg(ContactService::describe(operation), error.message), true);
    // Back to the truth: nothing was written, but re-read so that nothing stale lingers.
    m_model->reload();
    loadDetail();
}

void ContactsView::onPullProgress(int done, int total)
{
    if (total > 0) {
        m_ui->pullProgress->setRange(0, total);
        m_ui->pullProgress->setValue(std::min(done, total));
        m_ui->pullLabel->setText(tr("Refreshing from GHL: %1 of %2 contacts")
                                     .arg(QLocale().toString(done), QLocale().toString(total)));
    }
    if (!m_pullReloadThrottle.isActive())
        m_pullReloadThrottle.start();
}

void ContactsView::onPullFinished(const ApiError &error, const PullStats &stats)
{
    m_pullReloadThrottle.stop();
    m_ui->pullFrame->hide();
    m_ui->pullLabel->setText(tr("Refreshing from GHL…"));
    m_model->reload();
    selectFirstRowIfNone();
    if (!m_currentId.isEmpty())
        loadDetail();
    updateStaleness();
    updateActions();
    if (error.kind == ApiError::Kind::Cancelled)
        showMessage(tr("Refresh cancelled. What was read so far is kept."), false);
    else if (!error.isOk())
        showMessage(tr("Refreshing from GHL stopped: %1 The contacts shown are the local copy.").arg(error.message),
                    true);
    else if (stats.contactsFailed > 0)
        showMessage(tr("Some contacts (%1) could not be read from GHL; the next refresh tries again.")
                        .arg(stats.contactsFailed),
                    true);
}

// ---- Operations

void ContactsView::newContact()
{
    if (!m_service)
        return;
    auto *dialog = new ContactDialog(ContactDialog::Mode::Create, this);
    dialog->setObjectName(QStringLiteral("newContactDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_service) {
            showMessage(tr("Creating the contact in GHL…"), false);
            m_service->createContact(dialog->contact());
        }
    });
    dialog->open();
}

void ContactsView::editContact()
{
    if (!m_service || m_currentId.isEmpty())
        return;
    const std::optional<Contact> contact = m_service->store().contact(m_currentId);
    if (!contact)
        return;
    auto *dialog = new ContactDialog(ContactDialog::Mode::Edit, this);
    dialog->setObjectName(QStringLiteral("editContactDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setContact(*contact);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_service)
            m_service->updateContact(dialog->contact());
    });
    dialog->open();
}

void ContactsView::deleteContact()
{
    if (!m_service || m_currentId.isEmpty())
        return;
    const QString id = m_currentId;
    const QString name = m_currentName.isEmpty() ? id : m_currentName;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete contact"),
                                tr("Delete “%1” in GHL?").arg(name), QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmDeleteBox"));
    box->setInformativeText(
        tr("The contact and its tasks, notes and appointments are deleted in GHL itself, for everyone. "
           "This cannot be undone."));
    QPushButton *yes = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, yes, id, name] {
        if (box->clickedButton() != yes || !m_service)
            return;
        showMessage(tr("Deleting “%1” in GHL…").arg(name), false);
        m_service->deleteContact(id);
    });
    box->open();
}

void ContactsView::refreshContact()
{
    if (m_service && !m_currentId.isEmpty())
        m_service->refreshContact(m_currentId);
}

void ContactsView::refreshAll()
{
    if (!m_service || m_service->isPulling())
        return;
    m_ui->messageFrame->hide();
    m_service->startPull();
}

void ContactsView::addTag()
{
    if (!m_service || m_currentId.isEmpty())
        return;
    auto *dialog = new QInputDialog(this);
    dialog->setObjectName(QStringLiteral("addTagDialog"));
    dialog->setWindowTitle(tr("Add tag"));
    dialog->setLabelText(tr("Tag to add to “%1”:").arg(m_currentName));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString id = m_currentId;
    connect(dialog, &QInputDialog::textValueSelected, this, [this, id](const QString &text) {
        const QString tag = text.trimmed();
        if (!tag.isEmpty() && m_service)
            m_service->addTags(id, {tag});
    });
    dialog->open();
}

void ContactsView::removeTag(const QString &tag)
{
    if (m_service && !m_currentId.isEmpty())
        m_service->removeTags(m_currentId, {tag});
}

QString ContactsView::selectedRecordId(QTableView *view) const
{
    const QModelIndex current = view->currentIndex();
    return current.isValid() ? current.data(RecordIdRole).toString() : QString();
}

void ContactsView::newTask()
{
    if (!m_service || m_currentId.isEmpty())
        return;
    auto *dialog = new TaskDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    Task task;
    task.contactId = m_currentId;
    dialog->setTask(task);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_service)
            m_service->createTask(dialog->task());
    });
    dialog->open();
}

void ContactsView::editTask()
{
    const QString id = selectedRecordId(m_ui->tasksTable);
    if (!m_service || id.isEmpty())
        return;
    for (const Task &t : m_tasks->tasks()) {
        if (t.id != id)
            continue;
        auto *dialog = new TaskDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setTask(t);
        connect(dialog, &QDialog::accepted, this, [this, dialog, before = t] {
            if (!m_service)
                return;
            const Task after = dialog->task();
            // Completion has its own call in GHL; the rest goes through the update.
            if (after.title != before.title || after.body != before.body || after.dueDate != before.dueDate)
                m_service->updateTask(after);
            if (after.completed != before.completed)
                m_service->setTaskCompleted(after.contactId, after.id, after.completed);
        });
        dialog->open();
        return;
    }
}

void ContactsView::completeTask()
{
    const QModelIndex current = m_ui->tasksTable->currentIndex();
    if (!m_service || !current.isValid())
        return;
    m_service->setTaskCompleted(m_currentId, current.data(TaskModel::TaskIdRole).toString(),
                                !current.data(TaskModel::CompletedRole).toBool());
}

void ContactsView::deleteTask()
{
    const QString id = selectedRecordId(m_ui->tasksTable);
    if (!m_service || id.isEmpty())
        return;
    const QString title = m_ui->tasksTable->currentIndex().siblingAtColumn(TaskModel::Title).data().toString();
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete task"), tr("Delete the task “%1” in GHL?").arg(title),
                                QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmDeleteTaskBox"));
    QPushButton *yes = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString contactId = m_currentId;
    connect(box, &QMessageBox::finished, this, [this, box, yes, id, contactId] {
        if (box->clickedButton() == yes && m_service)
            m_service->deleteTask(contactId, id);
    });
    box->open();
}

void ContactsView::newNote()
{
    if (!m_service || m_currentId.isEmpty())
        return;
    auto *dialog = new NoteDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    Note note;
    note.contactId = m_currentId;
    dialog->setNote(note);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_service)
            m_service->createNote(dialog->note());
    });
    dialog->open();
}

void ContactsView::editNote()
{
    const QModelIndex current = m_ui->notesTable->currentIndex();
    if (!m_service || !current.isValid())
        return;
    const Note *note = m_notes->note(m_noteProxy->mapToSource(current).row());
    if (!note)
        return;
    auto *dialog = new NoteDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setNote(*note);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (m_service)
            m_service->updateNote(dialog->note());
    });
    dialog->open();
}

void ContactsView::deleteNote()
{
    const QString id = selectedRecordId(m_ui->notesTable);
    if (!m_service || id.isEmpty())
        return;
    auto *box = new QMessageBox(QMessageBox::Question, tr("Delete note"), tr("Delete this note in GHL?"),
                                QMessageBox::NoButton, this);
    QPushButton *yes = box->addButton(tr("Delete"), QMessageBox::DestructiveRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    const QString contactId = m_currentId;
    connect(box, &QMessageBox::finished, this, [this, box, yes, id, contactId] {
        if (box->clickedButton() == yes && m_service)
            m_service->deleteNote(contactId, id);
    });
    box->open();
}

} // namespace lb::gui
