// The Mapping, Sync and Logs pages as real widgets (offscreen) over SyncService and the sandbox:
// what issue 5 lists, driven through the pages' buttons and models.
#include "GuiFixture.h"

#include "api/saleshandy/SaleshandyClient.h"
#include "gui/LogsView.h"
#include "gui/MappingModels.h"
#include "gui/MappingView.h"
#include "gui/SyncDashboard.h"
#include "gui/SyncModels.h"
#include "gui/SyncRulesForm.h"
#include "gui/WarningTexts.h"
#include "sandbox/GhlService.h"
#include "sandbox/SaleshandyService.h"
#include "services/SyncService.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QStyledItemDelegate>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QUndoStack>

using namespace lb;
using namespace lb::gui;

namespace {

struct PagesFixture : GuiFixture
{
    explicit PagesFixture(int contacts = 40)
        : GuiFixture(contacts, [](sandbox::SandboxOptions &o) {
              o.saleshandyRateMax = 100000;
              o.saleshandyImportDelayMs = 50;
          })
    {
        if (!ok || !pull())
            return;
        shKey = std::make_unique<StaticTokenProvider>(box->options().saleshandyApiKey);
        sh = std::make_unique<sh::SaleshandyClient>(box->saleshandyUrl());
        sh->setTokenProvider(shKey.get());
        sh->retryPolicy().backoffBaseMs = 10;
        ServiceScheduler::Policy fast = sh->scheduler().policy();
        fast.burstMax = 100000;
        fast.maxInFlight = 6;
        sh->scheduler().setPolicy(fast);
        sync = std::make_unique<SyncService>(*client, *sh, *db, location());
        ready = true;
    }

    template <typename T> T *child(QWidget *page, const char *name)
    {
        return page->findChild<T *>(QLatin1String(name));
    }

    bool waitForRun()
    {
        QSignalSpy done(sync.get(), &SyncService::runFinished);
        return sync->isRunning() ? done.wait(120000) : false;
    }

    std::unique_ptr<TokenProvider> shKey;
    std::unique_ptr<sh::SaleshandyClient> sh;
    std::unique_ptr<SyncService> sync;
    bool ready = false;
};

} // namespace

class TestSyncPages final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void draggingAFieldMakesARuleAndUndoRemovesIt();
    void anUnmappedEmailBlocksTheRunWithAClearMessage();
    void aDryRunListsTheExpectedChangesAndWritesNothing();
    void faultsShowFailedRecordsAndRetryClearsThem();
    void logFiltersAndCsvExport();

    // Issue 8: the user's side of "never blank, nothing dropped", on values built here.
    void theOnFailureDelegateEditsTheRuleAndUndoRestoresIt();
    void aFieldLimitIsMarkedUnconfirmedUntilSetAndUndoable();
    void theSyncRulesControlsWriteTheMappingsPolicy();
    void thePreviewShowsWarningsPerFieldApartFromErrors();
    void theDryRunListsWarningsMergedAndDeletedProspects();
    void theDashboardCountsWarningsFromTheSummary();
    void theLogsWithWarningsFilterAsksTheStoreForThem();
    void theLogDetailListsAnEventsWarningsPerField();
};

namespace {

int ruleRow(MappingRulesModel *rules, const QString &target)
{
    for (int row = 0; row < rules->rowCount(); ++row)
        if (rules->index(row, MappingRulesModel::Target).data().toString() == target)
            return row;
    return -1;
}

FieldWarning warning(WarningKind kind, const QString &target, const QString &value, const QString &message)
{
    FieldWarning w;
    w.kind = kind;
    w.target = target;
    w.value = value;
    w.message = message;
    return w;
}

} // namespace

void TestSyncPages::theOnFailureDelegateEditsTheRuleAndUndoRestoresIt()
{
    MappingView view;
    QAbstractItemModelTester tester(view.rulesModel());
    MappingRulesModel *rules = view.rulesModel();
    const int phone = ruleRow(rules, QStringLiteral("Phone Number"));
    QVERIFY(phone >= 0);
    const QModelIndex cell = rules->index(phone, MappingRulesModel::IfUnconvertible);
    QVERIFY(cell.flags() & Qt::ItemIsEditable);
    QCOMPARE(cell.data().toString(), MappingRulesModel::onFailureShortText(OnFailure::KeepAsWritten));
    QVERIFY(cell.data(Qt::ToolTipRole).toString().contains(QLatin1String("If the value can't be converted")));

    // Through the delegate the rules table uses, as a double-click would.
    auto *table = view.findChild<QTableView *>(QStringLiteral("rulesView"));
    QVERIFY(table);
    QAbstractItemDelegate *delegate = table->itemDelegateForColumn(MappingRulesModel::IfUnconvertible);
    QVERIFY(delegate);
    std::unique_ptr<QWidget> editor(delegate->createEditor(table->viewport(), QStyleOptionViewItem(), cell));
    auto *combo = qobject_cast<QComboBox *>(editor.get());
    QVERIFY(combo);
    QCOMPARE(combo->count(), 4);
    delegate->setEditorData(combo, cell);
    QCOMPARE(combo->currentData().toInt(), int(OnFailure::KeepAsWritten));
    combo->setCurrentIndex(combo->findData(int(OnFailure::LeaveUnchanged)));
    delegate->setModelData(combo, rules, cell);

    QCOMPARE(rules->mapping().rules(RecordKind::Contact).at(phone).onFailure, OnFailure::LeaveUnchanged);
    QCOMPARE(rules->index(phone, MappingRulesModel::IfUnconvertible).data().toString(),
             MappingRulesModel::onFailureShortText(OnFailure::LeaveUnchanged));
    QVERIFY(rules->index(phone, 0)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(MappingRulesModel::onFailureText(OnFailure::LeaveUnchanged)));
    QVERIFY(view.undoStack()->canUndo());
    view.undoStack()->undo();
    QCOMPARE(rules->mapping().rules(RecordKind::Contact).at(phone).onFailure, OnFailure::KeepAsWritten);
    view.undoStack()->redo();
    QCOMPARE(rules->mapping().rules(RecordKind::Contact).at(phone).onFailure, OnFailure::LeaveUnchanged);
}

void TestSyncPages::aFieldLimitIsMarkedUnconfirmedUntilSetAndUndoable()
{
    MappingView view;
    SaleshandyFieldModel *fields = view.saleshandyFieldModel();
    QAbstractItemModelTester tester(fields);
    const int company = fields->rowOf(QStringLiteral("Company"));
    QVERIFY(company >= 0);
    QModelIndex limit = fields->index(company, SaleshandyFieldModel::Limit);
    QCOMPARE(limit.data(SaleshandyFieldModel::LimitRole).toInt(), TextFieldMaxLength);
    QVERIFY2(limit.data().toString().contains(QLatin1String("unconfirmed default")),
             qPrintable(limit.data().toString()));
    QVERIFY(limit.flags() & Qt::ItemIsEditable);

    auto *table = view.findChild<QTableView *>(QStringLiteral("shFieldsView"));
    QAbstractItemDelegate *delegate = table->itemDelegateForColumn(SaleshandyFieldModel::Limit);
    std::unique_ptr<QWidget> editor(delegate->createEditor(table->viewport(), QStyleOptionViewItem(), limit));
    auto *spin = qobject_cast<QSpinBox *>(editor.get());
    QVERIFY(spin);
    delegate->setEditorData(spin, limit);
    QCOMPARE(spin->value(), TextFieldMaxLength);
    spin->setValue(120);
    delegate->setModelData(spin, fields, limit);

    QCOMPARE(view.rulesModel()->mapping().fieldLimit(QStringLiteral("Company"), TargetFieldType::Text), 120);
    QVERIFY(view.rulesModel()->mapping().hasFieldLimit(QStringLiteral("Company")));
    limit = fields->index(fields->rowOf(QStringLiteral("Company")), SaleshandyFieldModel::Limit);
    QCOMPARE(limit.data(SaleshandyFieldModel::LimitRole).toInt(), 120);
    QVERIFY(!limit.data().toString().contains(QLatin1String("unconfirmed")));
    // The rule's tooltip names the limit of its target.
    const int row = ruleRow(view.rulesModel(), QStringLiteral("Company"));
    QVERIFY(row >= 0);
    QVERIFY2(view.rulesModel()->index(row, 0).data(Qt::ToolTipRole).toString().contains(QLatin1String("120")),
             qPrintable(view.rulesModel()->index(row, 0).data(Qt::ToolTipRole).toString()));

    view.undoStack()->undo();
    QVERIFY(!view.rulesModel()->mapping().hasFieldLimit(QStringLiteral("Company")));
    limit = fields->index(fields->rowOf(QStringLiteral("Company")), SaleshandyFieldModel::Limit);
    QVERIFY(limit.data().toString().contains(QLatin1String("unconfirmed default")));
    // Special targets without a length (tags) have no limit to edit.
    QVERIFY(!(fields->index(fields->rowOf(QStringLiteral("tags")), SaleshandyFieldModel::Limit).flags() &
              Qt::ItemIsEditable));
}

void TestSyncPages::theSyncRulesControlsWriteTheMappingsPolicy()
{
    MappingView view;
    SyncRulesForm *form = view.syncRulesForm();
    QVERIFY(form);
    QCOMPARE(form->policy(), SyncPolicy());
    const auto combo = [&](const char *name) { return form->findChild<QComboBox *>(QLatin1String(name)); };
    const auto choose = [](QComboBox *c, const QVariant &data) {
        QVERIFY(c && c->findData(data) >= 0);
        c->setCurrentIndex(c->findData(data));
    };
    choose(combo("sharedFieldsCombo"), int(SharedEmailFields::Oldest));
    choose(combo("sharedTagsCombo"), int(SharedEmailTags::ChosenContact));
    choose(combo("deletedNotesCombo"), int(DeletedNotePolicy::MarkDeleted));
    choose(combo("deletedContactsCombo"), int(DeletedContactPolicy::Nothing));
    choose(combo("countryCombo"), QStringLiteral("DE"));

    const SyncPolicy p = view.rulesModel()->mapping().policy();
    QCOMPARE(p.sharedEmailFields, SharedEmailFields::Oldest);
    QCOMPARE(p.sharedEmailTags, SharedEmailTags::ChosenContact);
    QCOMPARE(p.deletedNotes, DeletedNotePolicy::MarkDeleted);
    QCOMPARE(p.deletedContacts, DeletedContactPolicy::Nothing);
    QCOMPARE(p.defaultCountry, QStringLiteral("DE"));
    QVERIFY(combo("countryCombo")->currentText().contains(QLatin1String("Germany")));
    QVERIFY(!form->findChild<QLineEdit *>(QStringLiteral("deletedTagEdit"))->isEnabled());

    // Each change is one undoable step, and the form follows the undo.
    view.undoStack()->undo();
    QCOMPARE(view.rulesModel()->mapping().policy().defaultCountry, QString());
    QCOMPARE(combo("countryCombo")->currentData().toString(), QString());
    QCOMPARE(view.rulesModel()->mapping().policy().deletedContacts, DeletedContactPolicy::Nothing);
    // Typing to search finds a country by name.
    QVERIFY(SyncRulesForm::countries().size() > 200);
    QVERIFY(combo("countryCombo")->findText(QStringLiteral("France (FR)")) >= 0);

    if (const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS"); !shots.isEmpty()) {
        view.resize(1100, 700);
        view.findChild<QTabWidget *>(QStringLiteral("bottomTabs"))->setCurrentIndex(1);
        view.setEnabled(true); // without services the page is disabled; the picture shows it in use
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.grab().save(shots + QStringLiteral("/mapping-sync-rules.png")));
    }
}

void TestSyncPages::thePreviewShowsWarningsPerFieldApartFromErrors()
{
    PreviewModel preview;
    QAbstractItemModelTester tester(&preview);
    MappedProspect p;
    p.valid = true;
    p.email = QStringLiteral("ada@example.com");
    p.fields.insert(QStringLiteral("Email"), p.email);
    p.fields.insert(QStringLiteral("Phone Number"), QStringLiteral("030 123"));
    p.warnings << warning(WarningKind::KeptAsWritten, QStringLiteral("Phone Number"),
                          QStringLiteral("030 123"), QStringLiteral("'030 123' could not be converted"))
               << warning(WarningKind::LeftUnchanged, QStringLiteral("Birthday"), QStringLiteral("someday"),
                          QStringLiteral("not a date"));
    p.problems << QStringLiteral("Phone Number: '030 123' could not be converted");
    MappedTask task;
    task.ghlTaskId = QStringLiteral("t1");
    task.taskNote = QStringLiteral("Call back");
    task.warnings << warning(WarningKind::Cut, QStringLiteral("taskNote"), QString(),
                             QStringLiteral("cut at 10000 characters"));
    p.tasks << task;
    preview.setProspect(p);

    int phoneRow = -1, birthdayRow = -1, taskRow = -1, problems = 0;
    for (int row = 0; row < preview.rowCount(); ++row) {
        const QString field = preview.index(row, PreviewModel::Field).data().toString();
        if (field == QLatin1String("Phone Number"))
            phoneRow = row;
        if (field == QLatin1String("Birthday"))
            birthdayRow = row;
        if (field == PreviewModel::tr("Task"))
            taskRow = row;
        problems += preview.index(row, 0).data(PreviewModel::ProblemRole).toBool() ? 1 : 0;
    }
    QVERIFY(phoneRow >= 0 && birthdayRow >= 0 && taskRow >= 0);
    const QModelIndex check = preview.index(phoneRow, PreviewModel::Check);
    QVERIFY(check.data(PreviewModel::WarningRole).toBool());
    QVERIFY(!check.data(PreviewModel::ProblemRole).toBool());
    QVERIFY2(check.data().toString().contains(QLatin1String("kept as written")),
             qPrintable(check.data().toString()));
    QVERIFY(check.data().toString().contains(QLatin1String("could not be converted")));
    QVERIFY(!check.data(Qt::DecorationRole).value<QIcon>().isNull());
    // A field left unchanged is not in the values sent but still listed, with its warning.
    QVERIFY(preview.index(birthdayRow, PreviewModel::Check)
                .data()
                .toString()
                .contains(QLatin1String("left unchanged")));
    QVERIFY(preview.index(taskRow, PreviewModel::Check).data().toString().contains(QLatin1String("cut")));
    QCOMPARE(problems, 0); // the problem text repeats a warning: not listed as an error too

    // Texts alone (no structured warning): still warnings, not errors.
    MappedProspect texts;
    texts.valid = true;
    texts.fields.insert(QStringLiteral("Email"), QStringLiteral("bo@example.com"));
    texts.problems << QStringLiteral("City cut at 255 characters");
    preview.setProspect(texts);
    QCOMPARE(preview.rowCount(), 2);
    QVERIFY(preview.index(1, 0).data(PreviewModel::WarningRole).toBool());
    QVERIFY(!preview.index(1, 0).data(PreviewModel::ProblemRole).toBool());
    QCOMPARE(preview.index(1, PreviewModel::Check).data().toString(), texts.problems.constFirst());

    p.valid = false;
    p.invalidReason = QStringLiteral("no email");
    preview.setProspect(p);
    QVERIFY(preview.index(0, 0).data(PreviewModel::ProblemRole).toBool());
    QVERIFY(!preview.index(0, PreviewModel::Check).data(PreviewModel::WarningRole).toBool());
}

void TestSyncPages::theDryRunListsWarningsMergedAndDeletedProspects()
{
    SyncPlan plan;
    ProspectChange ada;
    ada.action = ProspectChange::Action::Create;
    ada.ghlContactId = QStringLiteral("c-ada");
    ada.email = QStringLiteral("ada@example.com");
    ada.mapped.email = ada.email;
    ada.mapped.valid = true;
    ada.mapped.fields = {{QStringLiteral("Email"), ada.email},
                         {QStringLiteral("First Name"), QStringLiteral("Ada")},
                         {QStringLiteral("Last Name"), QStringLiteral("Lovelace")},
                         {QStringLiteral("Phone Number"), QStringLiteral("030 123")}};
    ada.mapped.warnings << warning(WarningKind::KeptAsWritten, QStringLiteral("Phone Number"),
                                   QStringLiteral("030 123"),
                                   QStringLiteral("'030 123' could not be converted"));
    ada.mergedWith << QStringLiteral("c-ada2");
    MappedTask task;
    task.ghlTaskId = QStringLiteral("t1");
    task.taskNote = QStringLiteral("Send the offer");
    task.warnings << warning(WarningKind::Cut, QStringLiteral("taskNote"), QString(),
                             QStringLiteral("cut at 10000 characters"));
    ProspectChange ada2;
    ada2.action = ProspectChange::Action::Merged;
    ada2.ghlContactId = QStringLiteral("c-ada2");
    ada2.email = ada.email;
    ada2.mergedWith << QStringLiteral("c-ada");
    ada2.mapped.tasks << task;
    ProspectChange gone;
    gone.action = ProspectChange::Action::Deleted;
    gone.ghlContactId = QStringLiteral("c-gone");
    gone.email = QStringLiteral("gone@example.com");
    ProspectChange quiet;
    quiet.action = ProspectChange::Action::Unchanged;
    quiet.ghlContactId = QStringLiteral("c-quiet");
    plan.prospects << ada << ada2 << gone << quiet;
    ChildChange child;
    child.action = ChildChange::Action::Create;
    child.kind = QStringLiteral("task");
    child.ghlId = QStringLiteral("t1");
    child.ghlContactId = QStringLiteral("c-ada2");
    child.prospectContactId = QStringLiteral("c-ada");
    child.text = task.taskNote;
    plan.children << child;

    DryRunModel model;
    QAbstractItemModelTester tester(&model);
    model.setPlan(plan);
    QCOMPARE(model.rowCount(), 3); // the unchanged one is left out
    QCOMPARE(model.prospectsWithWarnings(), 1);
    QCOMPARE(model.tasksWithWarnings(), 1);
    QVERIFY2(model.warningSummary().contains(QLatin1String("1 prospect")),
             qPrintable(model.warningSummary()));
    QVERIFY(model.warningSummary().contains(QLatin1String("would be sent with a warning")));

    const auto rowOf = [&](const QString &id) {
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, 0).data(DryRunModel::ContactIdRole).toString() == id)
                return model.index(row, 0);
        return QModelIndex();
    };
    // The prospect's own warning is a child row: field, kind, why.
    const QModelIndex adaRow = rowOf(QStringLiteral("c-ada"));
    QVERIFY(adaRow.isValid());
    QCOMPARE(adaRow.data(DryRunModel::WarningCountRole).toInt(), 1);
    bool phoneWarning = false;
    for (int c = 0; c < model.rowCount(adaRow); ++c) {
        const QModelIndex field = model.index(c, DryRunModel::Field, adaRow);
        if (field.data(DryRunModel::WarningRole).isValid()) {
            QCOMPARE(field.data().toString(), QStringLiteral("Phone Number"));
            QCOMPARE(field.siblingAtColumn(DryRunModel::Action).data().toString(),
                     QStringLiteral("kept as written"));
            QVERIFY(field.siblingAtColumn(DryRunModel::After)
                        .data()
                        .toString()
                        .contains(QLatin1String("'030 123'")));
            phoneWarning = true;
        }
    }
    QVERIFY(phoneWarning);
    // It says that the contact sharing its email sends its tasks and notes here.
    const QString shared = adaRow.siblingAtColumn(DryRunModel::After).data().toString();
    QVERIFY2(shared.contains(QLatin1String("tasks and notes go to this prospect")), qPrintable(shared));

    // The merged contact says whose prospect it joins, by name and email, and lists its task's warning.
    const QModelIndex mergedRow = rowOf(QStringLiteral("c-ada2"));
    QVERIFY(mergedRow.isValid());
    QCOMPARE(mergedRow.siblingAtColumn(DryRunModel::Action).data().toString(), QStringLiteral("merged"));
    const QString merged = mergedRow.siblingAtColumn(DryRunModel::After).data().toString();
    QVERIFY2(merged.contains(QLatin1String("merged into the prospect of Ada Lovelace <ada@example.com>")),
             qPrintable(merged));
    QCOMPARE(model.rowCount(mergedRow), 1);
    const QModelIndex taskWarning = model.index(0, DryRunModel::Field, mergedRow);
    QCOMPARE(taskWarning.data(DryRunModel::WarningRole).toInt(), int(WarningKind::Cut));
    QVERIFY2(taskWarning.data().toString().contains(QLatin1String("Send the offer")),
             qPrintable(taskWarning.data().toString()));

    const QModelIndex goneRow = rowOf(QStringLiteral("c-gone"));
    QVERIFY(goneRow.isValid());
    QCOMPARE(goneRow.siblingAtColumn(DryRunModel::Action).data().toString(),
             QStringLiteral("deleted in GHL"));
    QVERIFY(!goneRow.siblingAtColumn(DryRunModel::After).data().toString().isEmpty());

    if (const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS"); !shots.isEmpty()) {
        QTreeView tree;
        tree.setModel(&model);
        tree.resize(1100, 320);
        tree.header()->resizeSection(DryRunModel::Record, 260);
        tree.header()->resizeSection(DryRunModel::Action, 110);
        tree.header()->resizeSection(DryRunModel::Field, 300);
        tree.expandAll();
        tree.show();
        QVERIFY(QTest::qWaitForWindowExposed(&tree));
        QVERIFY(tree.grab().save(shots + QStringLiteral("/dry-run-warnings.png")));
    }
}

void TestSyncPages::theDashboardCountsWarningsFromTheSummary()
{
    SyncDashboard dashboard;
    dashboard.showRunWarnings({});
    QVERIFY(dashboard.warningsText().isEmpty());
    const QJsonObject summary = QJsonDocument::fromJson(R"({
        "records": {"contact": {"created": 10, "updated": 2, "warnings": 4, "merged": 2},
                    "task": {"created": 5, "warnings": 1},
                    "note": {"created": 3}},
        "warningsByKind": {"kept-as-written": 5, "cut": 3, "sent-empty": 0}
    })")
                                    .object();
    dashboard.showRunWarnings(summary);
    const QString text = dashboard.warningsText();
    // Plural forms read "(s)" until an English plural translation exists: match either.
    const auto has = [&](const char *pattern) {
        return QRegularExpression(QString::fromLatin1(pattern)).match(text).hasMatch();
    };
    QVERIFY2(has(R"(^4 prospects?(\(s\))?, 1 task(\(s\))?, 0 notes?(\(s\))? sent with a warning)"),
             qPrintable(text));
    QVERIFY(has(R"(5 values?(\(s\))? kept as written)"));
    QVERIFY(has(R"(3 cut)"));
    QVERIFY(!text.contains(QLatin1String("sent empty"))); // zero kinds are not listed
    QVERIFY(has(R"(2 contacts?(\(s\))? merged)"));
    if (const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS"); !shots.isEmpty()) {
        dashboard.resize(1100, 500);
        dashboard.setEnabled(true);
        dashboard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dashboard));
        QVERIFY(dashboard.grab().save(shots + QStringLiteral("/dashboard-warnings.png")));
    }

    // The runs table has the count too, absent keys counting 0.
    RunsModel runs;
    QAbstractItemModelTester tester(&runs);
    SyncRunRecord withWarnings, old;
    withWarnings.id = 2;
    withWarnings.summary = summary;
    old.id = 1;
    old.summary = QJsonDocument::fromJson(R"({"records": {"contact": {"created": 1}}})").object();
    runs.setRuns({withWarnings, old});
    QCOMPARE(runs.index(0, RunsModel::Warnings).data().toString(), QStringLiteral("5"));
    QCOMPARE(runs.index(1, RunsModel::Warnings).data().toString(), QStringLiteral("0"));
}

void TestSyncPages::draggingAFieldMakesARuleAndUndoRemovesIt()
{
    PagesFixture f;
    QVERIFY(f.ready);
    MappingView view;
    view.resize(1100, 700);
    view.setServices(f.sync.get(), f.store.get());
    view.show();
    QTRY_VERIFY_WITH_TIMEOUT(view.isShowingData(), 20000);
    QAbstractItemModelTester t1(view.rulesModel()), t2(view.ghlFieldModel()), t3(view.saleshandyFieldModel()),
        t4(view.previewModel());
    QVERIFY(view.previewModel()->rowCount() > 0); // the sample contact's prospect

    auto *ghlView = f.child<QTableView>(&view, "ghlFieldsView");
    auto *shView = f.child<QTableView>(&view, "shFieldsView");
    QVERIFY(ghlView && shView);
    const int before = view.rulesModel()->rowCount();
    const int from = view.ghlFieldModel()->rowOf(QStringLiteral("id"));
    const int onto = view.saleshandyFieldModel()->rowOf(QStringLiteral("Job Title"));
    QVERIFY(from >= 0 && onto >= 0);
    // QDrag::exec runs a platform loop a test cannot steer; the view's drop goes through exactly
    // these two calls on the models behind the two tables.
    std::unique_ptr<QMimeData> mime(ghlView->model()->mimeData({ghlView->model()->index(from, 0)}));
    QVERIFY(shView->model()->canDropMimeData(mime.get(), Qt::CopyAction, -1, -1,
                                             shView->model()->index(onto, 0)));
    shView->model()->dropMimeData(mime.get(), Qt::CopyAction, -1, -1, shView->model()->index(onto, 0));
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);
    QCOMPARE(view.rulesModel()->index(before, MappingRulesModel::Target).data().toString(),
             QStringLiteral("Job Title"));
    // The preview shows the new field at once.
    bool previewed = false;
    for (int row = 0; row < view.previewModel()->rowCount(); ++row)
        previewed =
            previewed || view.previewModel()->index(row, 0).data().toString() == QLatin1String("Job Title");
    QVERIFY(previewed);

    auto *undo = f.child<QToolButton>(&view, "undoButton");
    QVERIFY(undo && undo->isEnabled());
    undo->click();
    QCOMPARE(view.rulesModel()->rowCount(), before);
    auto *redo = f.child<QToolButton>(&view, "redoButton");
    redo->click();
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);

    // Saved as a named version, restorable.
    const int revision = view.saveVersion(QStringLiteral("with job title"));
    QVERIFY(revision > 0);
    QCOMPARE(f.sync->mapping().rules(RecordKind::Contact).size(), before + 1);
    view.rulesModel()->removeRule(before);
    QVERIFY(view.restoreVersion(revision));
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);

    // Export and import round-trip through the mapping-file format.
    const QString file = f.dir.filePath(QStringLiteral("mapping.json"));
    QString error;
    QVERIFY2(view.exportFile(file, &error), qPrintable(error));
    view.rulesModel()->removeRule(0);
    QVERIFY2(view.importFile(file, &error), qPrintable(error));
    QCOMPARE(view.rulesModel()->rowCount(), before + 1);
}

void TestSyncPages::anUnmappedEmailBlocksTheRunWithAClearMessage()
{
    PagesFixture f;
    QVERIFY(f.ready);
    MappingView mapping;
    mapping.setServices(f.sync.get(), f.store.get());
    SyncDashboard dashboard;
    dashboard.setService(f.sync.get());
    dashboard.show();
    const int email = [&] {
        for (int row = 0; row < mapping.rulesModel()->rowCount(); ++row)
            if (mapping.rulesModel()->index(row, MappingRulesModel::Target).data().toString() ==
                QLatin1String("Email"))
                return row;
        return -1;
    }();
    QVERIFY(email >= 0);
    mapping.rulesModel()->removeRule(email);
    // Flagged in the editor before any run...
    auto *problems = f.child<QLabel>(&mapping, "problemsLabel");
    QVERIFY2(problems->text().contains(QLatin1String("Email")), qPrintable(problems->text()));
    QVERIFY(mapping.saveVersion(QStringLiteral("no email")) > 0);

    // ...and the dashboard refuses to run it, saying why.
    f.child<QPushButton>(&dashboard, "runButton")->click();
    QVERIFY(!f.sync->isRunning());
    QVERIFY2(dashboard.statusText().contains(QLatin1String("Email")), qPrintable(dashboard.statusText()));
    QVERIFY2(dashboard.statusText().contains(QLatin1String("Mapping page")),
             qPrintable(dashboard.statusText()));
    QCOMPARE(f.box->saleshandy().writeRequestCount(), 0);
}

void TestSyncPages::aDryRunListsTheExpectedChangesAndWritesNothing()
{
    PagesFixture f;
    QVERIFY(f.ready);
    SyncDashboard dashboard;
    dashboard.resize(1100, 700);
    dashboard.setService(f.sync.get());
    dashboard.show();
    QAbstractItemModelTester tester(dashboard.diffModel());
    f.child<QPushButton>(&dashboard, "runButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 0);

    const QStringList touched = f.box->ghl().touchContacts(6);
    const int writes = f.box->saleshandy().writeRequestCount();
    f.child<QPushButton>(&dashboard, "dryRunButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.box->saleshandy().writeRequestCount(), writes); // nothing written

    DryRunModel *diff = dashboard.diffModel();
    QSet<QString> listed;
    for (int row = 0; row < diff->rowCount(); ++row) {
        const QModelIndex p = diff->index(row, 0);
        if (p.data(DryRunModel::ActionRole).toInt() != int(ProspectChange::Action::Update))
            continue;
        listed << p.data(DryRunModel::ContactIdRole).toString();
        QVERIFY(diff->rowCount(p) > 0);
        for (int c = 0; c < diff->rowCount(p); ++c) {
            const QModelIndex change = diff->index(c, DryRunModel::Before, p);
            QVERIFY(change.data() != change.siblingAtColumn(DryRunModel::After).data());
        }
    }
    // Every touched contact that Saleshandy has is listed as an update.
    const QHash<QString, ProspectState> written = f.sync->store().prospects(f.location());
    for (const QString &id : touched)
        if (written.contains(id))
            QVERIFY2(listed.contains(id), qPrintable(id));
    QVERIFY(!listed.isEmpty());

    // Apply: a real run writes them.
    auto *apply = f.child<QPushButton>(&dashboard, "applyButton");
    QVERIFY(apply->isEnabled());
    apply->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 0);
    QVERIFY(f.box->saleshandy().writeRequestCount() > writes);
    QVERIFY(dashboard.chartedRuns() == 3);
}

void TestSyncPages::faultsShowFailedRecordsAndRetryClearsThem()
{
    PagesFixture f(60);
    QVERIFY(f.ready);
    SyncDashboard dashboard;
    dashboard.setService(f.sync.get());
    LogsView logs;
    logs.resize(1100, 700);
    logs.setService(f.sync.get());
    logs.show();
    QString error;
    QVERIFY(f.box->saleshandy().setFaults(QStringLiteral("reject@/v1/tasks/create:x3"), &error));
    f.child<QPushButton>(&dashboard, "runButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 1);
    QVERIFY2(dashboard.statusText().contains(QLatin1String("failed")), qPrintable(dashboard.statusText()));

    // The log opened the new run; its failures are listed with reason and request ids.
    QCOMPARE(logs.currentRun(), f.sync->lastRunId());
    QCOMPARE(logs.runsModel()->index(0, RunsModel::Failed).data().toString(), QStringLiteral("3"));
    logs.setFilter(QString(), QStringLiteral("failed"), QString());
    QCOMPARE(logs.eventsModel()->rowCount(), 3);
    logs.showDetail(0);
    QVERIFY2(logs.detailText().contains(QLatin1String("refused")), qPrintable(logs.detailText()));
    QVERIFY(!logs.eventsModel()->event(0).requestIds.isEmpty());
    QVERIFY(logs.detailText().contains(logs.eventsModel()->event(0).requestIds.constFirst()));

    f.box->saleshandy().clearFaults();
    f.child<QPushButton>(&logs, "retryRunButton")->click();
    QVERIFY(f.waitForRun());
    QCOMPARE(f.sync->lastExitCode(), 0);
    QVERIFY(f.sync->store().failures(f.location()).isEmpty());
    QCOMPARE(logs.runsModel()->index(0, RunsModel::Mode).data().toString(), QStringLiteral("retry"));
    QCOMPARE(logs.runsModel()->index(0, RunsModel::Failed).data().toString(), QStringLiteral("0"));
}

void TestSyncPages::logFiltersAndCsvExport()
{
    PagesFixture f(60);
    QVERIFY(f.ready);
    LogsView logs;
    logs.setService(f.sync.get());
    logs.show();
    QAbstractItemModelTester t1(logs.runsModel()), t2(logs.eventsModel());
    QVERIFY(f.sync->start(SyncService::RunKind::Full));
    QVERIFY(f.waitForRun());
    QCOMPARE(logs.currentRun(), f.sync->lastRunId());
    QVERIFY(logs.eventsModel()->rowCount() > 0);

    logs.setFilter(QStringLiteral("task"), QString(), QString());
    QVERIFY(logs.eventsModel()->rowCount() > 0);
    for (int row = 0; row < logs.eventsModel()->rowCount(); ++row)
        QCOMPARE(logs.eventsModel()->event(row).kind, QStringLiteral("task"));
    logs.setFilter(QStringLiteral("contact"), QStringLiteral("invalid"), QString());
    const int invalid = logs.eventsModel()->rowCount();
    QVERIFY(invalid > 0);
    const QString someId = logs.eventsModel()->event(0).ghlId;
    logs.setFilter(QString(), QString(), someId);
    QVERIFY(logs.eventsModel()->rowCount() >= 1);
    for (int row = 0; row < logs.eventsModel()->rowCount(); ++row)
        QVERIFY(logs.eventsModel()->event(row).ghlId.contains(someId));

    // Export what the filter shows: the invalid contacts, whose reasons hold quotes and commas.
    logs.setFilter(QStringLiteral("contact"), QStringLiteral("invalid"), QString());
    const QString path = f.dir.filePath(QStringLiteral("log.csv"));
    QString error;
    QCOMPARE(logs.exportCsv(path, &error), qint64(invalid));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray csv = file.readAll();
    QVERIFY(csv.startsWith("run,seq,time,kind,ghl_id,saleshandy_id,outcome,reason,request_ids\r\n"));
    QCOMPARE(csv.count("\r\n"), invalid + 1);
    QVERIFY(csv.contains(",invalid,"));
}

void TestSyncPages::theLogsWithWarningsFilterAsksTheStoreForThem()
{
    LogsView logs;
    QAbstractItemModelTester tester(logs.eventsModel());
    auto *check = logs.findChild<QCheckBox *>(QStringLiteral("warningsOnlyCheck"));
    QVERIFY(check);
    QVERIFY(!logs.eventsModel()->query().warningsOnly);
    check->setChecked(true);
    QVERIFY(logs.eventsModel()->query().warningsOnly);
    logs.setFilter(QStringLiteral("contact"), QString(), QString()); // other filters keep it
    QVERIFY(logs.eventsModel()->query().warningsOnly);
    logs.setWarningsOnly(false);
    QVERIFY(!logs.eventsModel()->query().warningsOnly);
    QVERIFY(logs.eventsModel()
                ->headerData(EventsModel::Warnings, Qt::Horizontal, Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("warnings")));
}

void TestSyncPages::theLogDetailListsAnEventsWarningsPerField()
{
    PagesFixture f(5);
    QVERIFY(f.ready);
    SyncStore &store = f.sync->store();
    const qint64 run = store.startRun(f.location(), QStringLiteral("full"), false, QStringLiteral("test"));
    QVERIFY(run > 0);
    SyncEvent plain;
    plain.runId = run;
    plain.seq = 1;
    plain.kind = QStringLiteral("contact");
    plain.ghlId = QStringLiteral("c-plain");
    plain.outcome = QStringLiteral("created");
    SyncEvent warned = plain;
    warned.seq = 2;
    warned.ghlId = QStringLiteral("c-warned");
    warned.warnings << warning(WarningKind::KeptAsWritten, QStringLiteral("Phone Number"),
                               QStringLiteral("030 123"), QStringLiteral("'030 123' could not be converted"));
    QVERIFY(store.addEvents({plain, warned}));
    QVERIFY(store.finishRun(run, QStringLiteral("ok"), {}, {}));

    LogsView logs;
    QAbstractItemModelTester tester(logs.eventsModel());
    logs.setService(f.sync.get());
    logs.openRun(run);
    QCOMPARE(logs.eventsModel()->rowCount(), 2);
    int row = -1;
    for (int r = 0; r < logs.eventsModel()->rowCount(); ++r)
        if (logs.eventsModel()->event(r).ghlId == QLatin1String("c-warned"))
            row = r;
    QVERIFY(row >= 0);
    QCOMPARE(logs.eventsModel()->event(row).warnings.size(), 1); // the store keeps them
    QCOMPARE(logs.eventsModel()->index(row, EventsModel::Warnings).data().toString(), QStringLiteral("1"));
    logs.showDetail(row);
    QVERIFY2(logs.detailText().contains(QStringLiteral("Phone Number — kept as written")),
             qPrintable(logs.detailText()));
    QVERIFY(logs.detailText().contains(QLatin1String("'030 123' could not be converted")));

    logs.setWarningsOnly(true);
    QCOMPARE(logs.eventsModel()->rowCount(), 1);
    QCOMPARE(logs.eventsModel()->event(0).ghlId, QStringLiteral("c-warned"));
}

QTEST_MAIN(TestSyncPages)
#include "tst_syncpages.moc"
