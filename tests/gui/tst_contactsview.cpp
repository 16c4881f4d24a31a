// The Contacts page on the real widgets, offscreen, over a sandboxed GHL: search, selection,
// the contact form's validation, and deletion that waits for GHL's yes.
#include "GuiFixture.h"

#include "gui/ContactTableModel.h"
#include "gui/ContactsView.h"
#include "gui/RecordDialogs.h"
#include "gui/RecordModels.h"
#include "sandbox/Faults.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>

using namespace lb;
using lb::gui::ContactsView;
using lb::gui::ContactTableModel;

namespace {

QMessageBox *waitForBox(const QString &name)
{
    QMessageBox *box = nullptr;
    for (int i = 0; i < 100 && !box; ++i) {
        for (QWidget *w : QApplication::topLevelWidgets()) {
            if (w->objectName() == name && w->isVisible())
                box = qobject_cast<QMessageBox *>(w);
        }
        if (!box)
            QTest::qWait(20);
    }
    return box;
}

void clickButtonWithRole(QMessageBox *box, QMessageBox::ButtonRole role)
{
    for (QAbstractButton *b : box->buttons()) {
        if (box->buttonRole(b) == role) {
            b->click();
            return;
        }
    }
    QFAIL("no such button");
}

} // namespace

class TestContactsView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typingInSearchFiltersTheTable()
    {
        GuiFixture f(150);
        QVERIFY(f.ok && f.pull());
        ContactsView view;
        view.setService(f.service.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QCOMPARE(view.model()->rowCount(), 150);

        // Search for the email domain part of one contact: fewer rows, every one a match.
        const Contact some = f.store->contacts({f.location(), {}, ContactSort::Name, false, 1, 20}).constFirst();
        const QString term = some.email.section(QLatin1Char('@'), 0, 0).left(6);
        QVERIFY(!term.isEmpty());
        auto *search = view.findChild<QLineEdit *>(QStringLiteral("searchEdit"));
        QTest::keyClicks(search, term);
        const int expected = f.storedCount(term);
        QVERIFY(expected > 0 && expected < 150);
        QTRY_COMPARE(view.model()->rowCount(), expected);
        bool found = false;
        for (int row = 0; row < view.model()->rowCount(); ++row)
            found = found || view.model()->contactId(row) == some.id;
        QVERIFY(found);

        // Clearing brings everything back.
        search->clear();
        QTRY_COMPARE(view.model()->rowCount(), 150);
    }

    void selectingAContactShowsItsTasks()
    {
        GuiFixture f(80);
        QVERIFY(f.ok && f.pull());
        const QString id = f.contactWithTasks(2);
        QVERIFY2(!id.isEmpty(), "no contact with two tasks in the sandbox data");
        ContactsView view;
        view.setService(f.service.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        // Click its row (found by paging through the model, as the view does).
        int row = -1;
        for (int r = 0; r < view.model()->rowCount() && row < 0; ++r)
            if (view.model()->contactId(r) == id)
                row = r;
        QVERIFY(row >= 0);
        QTableView *table = view.table();
        table->scrollTo(view.model()->index(row, 0));
        const QRect rect = table->visualRect(view.model()->index(row, 0));
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, rect.center());
        QTRY_COMPARE(view.currentContactId(), id);

        auto *tasks = view.findChild<QTableView *>(QStringLiteral("tasksTable"));
        QCOMPARE(tasks->model()->rowCount(), int(f.store->tasks(id).size()));
        QStringList shown, stored;
        for (int r = 0; r < tasks->model()->rowCount(); ++r)
            shown << tasks->model()->index(r, gui::TaskModel::Title).data().toString();
        for (const Task &t : f.store->tasks(id))
            stored << t.title;
        shown.sort();
        stored.sort();
        QCOMPARE(shown, stored);
        QVERIFY(view.isShowingData());
    }

    void contactFormRejectsABadEmail()
    {
        gui::ContactDialog dialog(gui::ContactDialog::Mode::Create);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("firstNameEdit")), QStringLiteral("Ada"));
        QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("emailEdit")), QStringLiteral("ada@@example"));
        auto *buttons = dialog.findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"));
        buttons->button(QDialogButtonBox::Save)->click();
        QVERIFY(dialog.isVisible());
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        auto *error = dialog.findChild<QLabel *>(QStringLiteral("errorLabel"));
        QVERIFY(error->isVisible());
        QVERIFY2(error->text().contains(QLatin1String("email")), qPrintable(error->text()));

        // A bad phone too; then a good form is accepted.
        auto *email = dialog.findChild<QLineEdit *>(QStringLiteral("emailEdit"));
        email->setText(QStringLiteral("ada@example.com"));
        dialog.findChild<QLineEdit *>(QStringLiteral("phoneEdit"))->setText(QStringLiteral("call me"));
        buttons->button(QDialogButtonBox::Save)->click();
        QVERIFY(dialog.isVisible());
        QVERIFY(error->text().contains(QLatin1String("phone")));
        dialog.findChild<QLineEdit *>(QStringLiteral("phoneEdit"))->setText(QStringLiteral("+49 30 1234567"));
        buttons->button(QDialogButtonBox::Save)->click();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.contact().email, QStringLiteral("ada@example.com"));

        const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS");
        if (!shots.isEmpty()) {
            gui::ContactDialog shown(gui::ContactDialog::Mode::Create);
            Contact c;
            c.firstName = QStringLiteral("Ada");
            c.lastName = QStringLiteral("Lovelace");
            c.email = QStringLiteral("ada@@example");
            c.phone = QStringLiteral("+44 20 7946 0958");
            c.companyName = QStringLiteral("Analytical Engines Ltd");
            c.city = QStringLiteral("London");
            c.country = QStringLiteral("GB");
            shown.setContact(c);
            shown.show();
            QVERIFY(QTest::qWaitForWindowExposed(&shown));
            shown.findChild<QDialogButtonBox *>(QStringLiteral("buttonBox"))->button(QDialogButtonBox::Save)->click();
            QTest::qWait(100);
            shown.grab().save(QDir(shots).filePath(QStringLiteral("contact-dialog.png")));
        }
    }

    void deleteAsksFirstAndRemovesOnlyAfterGhlSaidYes()
    {
        GuiFixture f(60);
        QVERIFY(f.ok && f.pull());
        ContactsView view;
        view.setService(f.service.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString id = view.model()->contactId(3);
        view.showContact(id);
        QCOMPARE(view.currentContactId(), id);

        // Cancel: nothing happens.
        view.deleteContact();
        QMessageBox *box = waitForBox(QStringLiteral("confirmDeleteBox"));
        QVERIFY(box);
        clickButtonWithRole(box, QMessageBox::RejectRole);
        QTest::qWait(200);
        QVERIFY(f.store->contact(id));
        QVERIFY(f.box->ghl().contact(id));

        // Confirm: the row stays until GHL answered, then goes.
        QSignalSpy removed(f.service.get(), &ContactService::contactRemoved);
        view.deleteContact();
        box = waitForBox(QStringLiteral("confirmDeleteBox"));
        QVERIFY(box);
        clickButtonWithRole(box, QMessageBox::DestructiveRole);
        QVERIFY(f.store->contact(id)); // the request is on its way; nothing removed yet
        QCOMPARE(view.model()->rowCount(), 60);
        QVERIFY(removed.wait(10000));
        QVERIFY(!f.store->contact(id));
        QVERIFY(!f.box->ghl().contact(id));
        QCOMPARE(view.model()->rowCount(), 59);
        QCOMPARE(view.model()->rowOfContact(id), -1);
    }

    void refusedDeleteKeepsTheContactAndSaysWhy()
    {
        GuiFixture f(40);
        QVERIFY(f.ok && f.pull());
        ContactsView view;
        view.setService(f.service.get());
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QString id = view.model()->contactId(2);
        view.showContact(id);
        f.box->ghl().addFault(
            sandbox::FaultRule::make(sandbox::FaultKind::ServerError, 500).onPath(QStringLiteral("/contacts/") + id));

        QSignalSpy failed(f.service.get(), &ContactService::failed);
        view.deleteContact();
        QMessageBox *box = waitForBox(QStringLiteral("confirmDeleteBox"));
        QVERIFY(box);
        clickButtonWithRole(box, QMessageBox::DestructiveRole);
        QVERIFY(failed.wait(20000));
        QVERIFY(f.store->contact(id));
        QVERIFY(f.box->ghl().contact(id));
        QCOMPARE(view.model()->rowCount(), 40);
        bool listed = false;
        for (int row = 0; row < view.model()->rowCount(); ++row)
            listed = listed || view.model()->contactId(row) == id;
        QVERIFY(listed);
        QCOMPARE(view.currentContactId(), id);
        QVERIFY2(view.message().contains(QLatin1String("Deleting the contact did not work")), qPrintable(view.message()));
        QVERIFY(view.findChild<QWidget *>(QStringLiteral("messageFrame"))->isVisible());
    }

    void sortingGoesThroughTheStore()
    {
        GuiFixture f(50);
        QVERIFY(f.ok && f.pull());
        ContactsView view;
        view.setService(f.service.get());
        view.table()->sortByColumn(ContactTableModel::Email, Qt::DescendingOrder);
        QCOMPARE(view.model()->query().sort, ContactSort::Email);
        QVERIFY(view.model()->query().descending);
        // The store's own order for that query, row by row.
        ContactQuery q = view.model()->query();
        q.limit = 10;
        q.offset = 0;
        const QList<Contact> expected = f.store->contacts(q);
        for (int row = 0; row < expected.size(); ++row)
            QCOMPARE(view.model()->contactId(row), expected.at(row).id);
        // Tags cannot be sorted: the request is ignored.
        view.table()->sortByColumn(ContactTableModel::Tags, Qt::AscendingOrder);
        QCOMPARE(view.model()->sortColumn(), int(ContactTableModel::Email));
    }

    void everyModelPassesTheModelTester()
    {
        GuiFixture f(320); // more than three pages
        QVERIFY(f.ok && f.pull());
        ContactTableModel contacts;
        QAbstractItemModelTester tester(&contacts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        contacts.setStore(f.store.get(), f.location());
        QCOMPARE(contacts.rowCount(), 320);
        for (int row = 0; row < contacts.rowCount(); row += 37)
            QVERIFY(!contacts.contactId(row).isEmpty());
        contacts.setSearch(QStringLiteral("a"));
        contacts.sort(ContactTableModel::City, Qt::DescendingOrder);
        contacts.reload();
        contacts.setSearch({});
        const QString gone = contacts.contactId(1);
        QVERIFY(f.store->removeContact(gone));
        contacts.contactRemoved(gone);
        QCOMPARE(contacts.rowCount(), 319);

        const QString id = f.contactWithTasks();
        gui::TaskModel tasks;
        QAbstractItemModelTester t1(&tasks, QAbstractItemModelTester::FailureReportingMode::QtTest);
        tasks.setTasks(f.store->tasks(id));
        QVERIFY(tasks.rowCount() > 0);
        tasks.setTasks({});
        gui::NoteModel notes;
        QAbstractItemModelTester t2(&notes, QAbstractItemModelTester::FailureReportingMode::QtTest);
        notes.setNotes(f.store->notes(id));
        gui::AppointmentModel appointments;
        QAbstractItemModelTester t3(&appointments, QAbstractItemModelTester::FailureReportingMode::QtTest);
        appointments.setAppointments(f.store->appointments(id));
        gui::ContactFieldsModel fields;
        QAbstractItemModelTester t4(&fields, QAbstractItemModelTester::FailureReportingMode::QtTest);
        fields.setContact(*f.store->contact(id), f.store->customFields(f.location()));
        QVERIFY(fields.rowCount() > 3);
        fields.clear();
    }

    void customFieldsShowTheirNames()
    {
        GuiFixture f(60);
        QVERIFY(f.ok && f.pull());
        const QList<CustomField> definitions = f.store->customFields(f.location());
        QVERIFY(!definitions.isEmpty());
        ContactQuery q;
        q.locationId = f.location();
        q.limit = 0;
        for (const Contact &c : f.store->contacts(q)) {
            if (c.customFields.isEmpty())
                continue;
            gui::ContactFieldsModel fields;
            fields.setContact(c, definitions);
            QStringList names;
            for (int r = 0; r < fields.rowCount(); ++r)
                if (fields.index(r, 0).data(gui::ContactFieldsModel::IsCustomRole).toBool())
                    names << fields.index(r, 0).data().toString();
            QVERIFY(!names.isEmpty());
            for (const QString &n : names)
                QVERIFY2(!n.startsWith(QLatin1String("Custom field ")), qPrintable(n));
            return;
        }
        QSKIP("no contact with custom values in the sandbox data");
    }
};

QTEST_MAIN(TestContactsView)
#include "tst_contactsview.moc"
