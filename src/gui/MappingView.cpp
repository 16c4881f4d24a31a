#include "gui/MappingView.h"

#include "gui/MappingModels.h"
#include "gui/SyncRulesForm.h"
#include "services/SyncService.h"
#include "store/ContactStore.h"
#include "sync/MappingFile.h"
#include "ui_mappingview.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QFileDialog>
#include <QHeaderView>
#include <QInputDialog>
#include <QLocale>
#include <QMessageBox>
#include <QSpinBox>
#include <QUndoStack>

namespace lb::gui {

// ---------------------------------------------------------------------------------------------
QWidget *TransformDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                         const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    for (const MappingRulesModel::Preset &p : MappingRulesModel::transformPresets())
        combo->addItem(p.label, p.key);
    return combo;
}

void TransformDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    combo->setCurrentIndex(std::max(0, combo->findData(index.data(Qt::EditRole))));
}

void TransformDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                     const QModelIndex &index) const
{
    model->setData(index, static_cast<QComboBox *>(editor)->currentData(), Qt::EditRole);
}

QWidget *OnFailureDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                         const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    for (const OnFailure f : MappingRulesModel::onFailureChoices()) {
        combo->addItem(MappingRulesModel::onFailureText(f), int(f));
        combo->setItemData(combo->count() - 1, MappingRulesModel::onFailureDescription(f), Qt::ToolTipRole);
    }
    return combo;
}

void OnFailureDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    combo->setCurrentIndex(std::max(0, combo->findData(index.data(Qt::EditRole))));
}

void OnFailureDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                     const QModelIndex &index) const
{
    model->setData(index, static_cast<QComboBox *>(editor)->currentData(), Qt::EditRole);
}

QWidget *FieldLimitDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                          const QModelIndex &) const
{
    auto *spin = new QSpinBox(parent);
    spin->setRange(0, 1000000);
    spin->setSuffix(tr(" characters"));
    spin->setSpecialValueText(tr("default"));
    spin->setToolTip(tr("The most characters the Saleshandy field takes; 0 goes back to the unconfirmed "
                        "default."));
    return spin;
}

void FieldLimitDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    static_cast<QSpinBox *>(editor)->setValue(index.data(Qt::EditRole).toInt());
}

void FieldLimitDelegate::setModelData(QWidget *editor, QAbstractItemModel *model,
                                      const QModelIndex &index) const
{
    auto *spin = static_cast<QSpinBox *>(editor);
    spin->interpretText();
    model->setData(index, spin->value(), Qt::EditRole);
}

TargetDelegate::TargetDelegate(SaleshandyFieldModel *fields, QObject *parent)
    : QStyledItemDelegate(parent), m_fields(fields)
{
}

QWidget *TargetDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &,
                                      const QModelIndex &) const
{
    auto *combo = new QComboBox(parent);
    for (int row = 0; row < m_fields->rowCount(); ++row) {
        combo->addItem(m_fields->target(row));
        // The limit of the field the rule would write, so a long value's fate is known when choosing.
        const QString limit = m_fields->index(row, SaleshandyFieldModel::Limit).data().toString();
        if (m_fields->index(row, SaleshandyFieldModel::Limit).data(SaleshandyFieldModel::LimitRole).toInt() >
            0)
            combo->setItemData(combo->count() - 1, tr("At most %1 characters").arg(limit), Qt::ToolTipRole);
    }
    return combo;
}

void TargetDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *combo = static_cast<QComboBox *>(editor);
    const int at = combo->findText(index.data(Qt::EditRole).toString());
    if (at < 0)
        combo->addItem(index.data(Qt::EditRole).toString());
    combo->setCurrentIndex(at < 0 ? combo->count() - 1 : at);
}

void TargetDelegate::setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const
{
    model->setData(index, static_cast<QComboBox *>(editor)->currentText(), Qt::EditRole);
}

// ---------------------------------------------------------------------------------------------
MappingView::MappingView(QWidget *parent)
    : QWidget(parent), m_ui(std::make_unique<Ui::MappingView>()), m_undo(new QUndoStack(this)),
      m_rules(new MappingRulesModel(m_undo, this)), m_ghl(new GhlFieldModel(this)),
      m_sh(new SaleshandyFieldModel(this)), m_preview(new PreviewModel(this))
{
    m_ui->setupUi(this);
    for (RecordKind kind : allRecordKinds()) {
        static const char *names[] = {QT_TR_NOOP("Contacts"), QT_TR_NOOP("Tasks"), QT_TR_NOOP("Notes"),
                                      QT_TR_NOOP("Appointments")};
        m_ui->kindCombo->addItem(tr(names[int(kind)]), int(kind));
    }
    m_ui->ghlFieldsView->setModel(m_ghl);
    m_ui->rulesView->setModel(m_rules);
    m_ui->shFieldsView->setModel(m_sh);
    m_ui->previewView->setModel(m_preview);
    m_ui->rulesView->setItemDelegateForColumn(MappingRulesModel::Transform, new TransformDelegate(this));
    m_ui->rulesView->setItemDelegateForColumn(MappingRulesModel::Target, new TargetDelegate(m_sh, this));
    m_ui->rulesView->setItemDelegateForColumn(MappingRulesModel::IfUnconvertible,
                                              new OnFailureDelegate(this));
    m_ui->shFieldsView->setItemDelegateForColumn(SaleshandyFieldModel::Limit, new FieldLimitDelegate(this));
    for (QTableView *v : {m_ui->ghlFieldsView, m_ui->rulesView, m_ui->shFieldsView, m_ui->previewView}) {
        v->verticalHeader()->hide();
        v->horizontalHeader()->setStretchLastSection(true);
        v->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    }
    const int unit = fontMetrics().averageCharWidth();
    const std::pair<int, int> ruleWidths[] = {{MappingRulesModel::Source, 12},
                                              {MappingRulesModel::Target, 15},
                                              {MappingRulesModel::Transform, 13},
                                              {MappingRulesModel::IfUnconvertible, 17},
                                              {MappingRulesModel::Default, 8}};
    for (const auto &[column, chars] : ruleWidths)
        m_ui->rulesView->horizontalHeader()->resizeSection(column, unit * chars);
    m_ui->ghlFieldsView->horizontalHeader()->resizeSection(GhlFieldModel::Field, unit * 16);
    m_ui->shFieldsView->horizontalHeader()->resizeSection(SaleshandyFieldModel::Label, unit * 15);
    m_ui->shFieldsView->horizontalHeader()->resizeSection(SaleshandyFieldModel::Type, unit * 7);
    m_ui->shFieldsView->horizontalHeader()->resizeSection(
        SaleshandyFieldModel::Limit,
        fontMetrics().horizontalAdvance(SaleshandyFieldModel::limitText(LongTextFieldMaxLength, false)) +
            unit * 2);
    // Field names are short; the value and its warning share the rest.
    m_ui->previewView->horizontalHeader()->setStretchLastSection(false);
    m_ui->previewView->horizontalHeader()->resizeSection(PreviewModel::Field, unit * 22);
    m_ui->previewView->horizontalHeader()->setSectionResizeMode(PreviewModel::Value, QHeaderView::Stretch);
    m_ui->previewView->horizontalHeader()->setSectionResizeMode(PreviewModel::Check, QHeaderView::Stretch);
    m_ui->mappingSplitter->setStretchFactor(0, 3);
    m_ui->mappingSplitter->setStretchFactor(1, 5);
    m_ui->mappingSplitter->setStretchFactor(2, 3);
    // The rules have the most columns: the middle gets the most room from the start; the Saleshandy
    // fields need room for their limits.
    m_ui->mappingSplitter->setSizes({unit * 24, unit * 54, unit * 46});

    QAction *undo = m_undo->createUndoAction(this, tr("Undo"));
    QAction *redo = m_undo->createRedoAction(this, tr("Redo"));
    undo->setShortcut(QKeySequence::Undo);
    redo->setShortcut(QKeySequence::Redo);
    undo->setIcon(QIcon::fromTheme(QStringLiteral("edit-undo")));
    redo->setIcon(QIcon::fromTheme(QStringLiteral("edit-redo")));
    addActions({undo, redo});
    m_ui->undoButton->setDefaultAction(undo);
    m_ui->redoButton->setDefaultAction(redo);
    m_ui->undoButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_ui->redoButton->setToolButtonStyle(Qt::ToolButtonTextOnly);

    connect(m_ui->kindCombo, &QComboBox::currentIndexChanged, this, &MappingView::setKind);
    connect(m_ui->sampleCombo, &QComboBox::currentIndexChanged, this,
            [this](int i) { setSampleContact(m_ui->sampleCombo->itemData(i).toString()); });
    connect(m_sh, &SaleshandyFieldModel::ruleRequested, m_rules, &MappingRulesModel::addRule);
    connect(m_sh, &SaleshandyFieldModel::fieldLimitRequested, m_rules, &MappingRulesModel::setFieldLimit);
    connect(m_ui->syncRules, &SyncRulesForm::policyEdited, m_rules, &MappingRulesModel::setPolicy);
    connect(m_rules, &MappingRulesModel::mappingEdited, this, [this] {
        if (m_ui->kindCombo->currentData().toInt() != int(m_rules->kind()))
            m_ui->kindCombo->setCurrentIndex(m_ui->kindCombo->findData(int(m_rules->kind())));
        m_sh->setFields(m_rules->kind(), m_sync ? m_sync->targetFields() : saleshandySystemFields(),
                        m_rules->mapping());
        m_ui->syncRules->setPolicy(m_rules->mapping().policy());
        refreshPreview();
        refreshProblems();
    });
    connect(m_ui->addRuleButton, &QPushButton::clicked, this, [this] {
        m_rules->addRule(m_ui->sourceCombo->currentData().toString(), m_ui->targetCombo->currentText());
    });
    connect(m_ui->removeRuleButton, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_ui->rulesView->currentIndex();
        if (current.isValid())
            m_rules->removeRule(current.row());
    });
    connect(m_ui->createFieldButton, &QPushButton::clicked, this, &MappingView::createSelectedField);
    connect(m_ui->refreshFieldsButton, &QPushButton::clicked, this, [this] {
        if (m_sync)
            m_sync->refreshSaleshandyFields();
    });
    connect(m_ui->saveButton, &QPushButton::clicked, this, &MappingView::askSave);
    connect(m_ui->restoreButton, &QPushButton::clicked, this, [this] {
        const int revision = m_ui->versionsCombo->currentData().toInt();
        if (revision > 0 && !restoreVersion(revision))
            QMessageBox::warning(this, tr("Restore"), tr("Version %1 could not be read.").arg(revision));
    });
    connect(m_ui->importButton, &QPushButton::clicked, this, &MappingView::askImport);
    connect(m_ui->exportButton, &QPushButton::clicked, this, &MappingView::askExport);
    connect(m_ui->shFieldsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                m_ui->createFieldButton->setEnabled(current.data(SaleshandyFieldModel::MissingRole).toBool());
            });
    m_ui->createFieldButton->setEnabled(false);
    setServices(nullptr, nullptr);
}

MappingView::~MappingView() = default;

SyncRulesForm *MappingView::syncRulesForm() const
{
    return m_ui->syncRules;
}

void MappingView::setServices(SyncService *sync, ContactStore *contacts)
{
    if (m_sync)
        disconnect(m_sync, nullptr, this, nullptr);
    m_sync = sync;
    m_contacts = contacts;
    setEnabled(sync != nullptr);
    if (sync) {
        m_rules->setMapping(sync->mapping(), {}, false);
        m_undo->clear();
        connect(sync, &SyncService::saleshandyFieldsChanged, this, &MappingView::refreshFieldLists);
        connect(sync, &SyncService::fieldCreated, this, [this](const QString &label) {
            m_ui->problemsLabel->setText(tr("Created the field “%1” in Saleshandy.").arg(label));
        });
        connect(sync, &SyncService::requestFailed, this,
                [this](const QString &message) { m_ui->problemsLabel->setText(message); });
        if (!sync->saleshandyFieldsLoaded())
            sync->refreshSaleshandyFields();
        loadSamples();
        refreshVersions();
    }
    refreshFieldLists();
}

bool MappingView::isShowingData() const
{
    return m_sync && m_sync->saleshandyFieldsLoaded() && m_ghl->rowCount() > 0;
}

void MappingView::setKind(int index)
{
    m_rules->setKind(RecordKind(m_ui->kindCombo->itemData(index).toInt()));
    refreshFieldLists();
}

void MappingView::refreshFieldLists()
{
    const RecordKind kind = m_rules->kind();
    const QList<CustomField> custom =
        m_contacts && m_sync ? m_contacts->customFields(m_sync->locationId()) : QList<CustomField>();
    const QList<TargetField> targets =
        m_sync && m_sync->saleshandyFieldsLoaded() ? m_sync->targetFields() : QList<TargetField>();
    m_rules->setContext(targets, custom);
    m_ghl->setFields(kind, custom);
    m_ghl->setSample(m_sample, m_sampleChildren);
    m_sh->setFields(kind, targets.isEmpty() ? saleshandySystemFields() : targets, m_rules->mapping());
    refreshPickers();
    refreshPreview();
    refreshProblems();
}

void MappingView::refreshPickers()
{
    m_ui->sourceCombo->clear();
    for (int row = 0; row < m_ghl->rowCount(); ++row)
        m_ui->sourceCombo->addItem(m_ghl->index(row, 0).data().toString(), m_ghl->source(row));
    m_ui->targetCombo->clear();
    for (int row = 0; row < m_sh->rowCount(); ++row)
        m_ui->targetCombo->addItem(m_sh->target(row));
}

void MappingView::refreshPreview()
{
    if (m_sample.id.isEmpty()) {
        m_preview->setProspect({});
        return;
    }
    m_preview->setProspect(m_rules->preview(m_sample, m_sampleChildren));
}

void MappingView::refreshProblems()
{
    const QStringList problems = m_rules->problemTexts();
    if (problems.isEmpty()) {
        m_ui->problemsLabel->setText(tr("No problems: the mapping can run."));
        m_ui->problemsLabel->setStyleSheet(QString());
        return;
    }
    QString html =
        QStringLiteral("<b>%1</b><ul style=\"margin:0\">")
            .arg(m_rules->hasErrors() ? tr("Runs are blocked until these are fixed:") : tr("Warnings:"));
    for (const QString &p : problems.mid(0, 6))
        html += QStringLiteral("<li>%1</li>").arg(p.toHtmlEscaped());
    if (problems.size() > 6)
        html += QStringLiteral("<li>%1</li>").arg(tr("… and %n more", nullptr, int(problems.size() - 6)));
    html += QStringLiteral("</ul>");
    m_ui->problemsLabel->setText(html);
    m_ui->problemsLabel->setStyleSheet(m_rules->hasErrors() ? QStringLiteral("color: #c01c28") : QString());
}

void MappingView::loadSamples()
{
    const QSignalBlocker block(m_ui->sampleCombo);
    m_ui->sampleCombo->clear();
    if (!m_contacts || !m_sync)
        return;
    ContactQuery q;
    q.locationId = m_sync->locationId();
    q.limit = 200;
    QString first;
    for (const Contact &c : m_contacts->contacts(q)) {
        m_ui->sampleCombo->addItem(
            c.email.isEmpty() ? c.displayName() : tr("%1 <%2>").arg(c.displayName(), c.email), c.id);
        // A sample with an email and some tasks shows the most of a mapping.
        if (first.isEmpty() && !c.email.isEmpty() && !m_contacts->tasks(c.id).isEmpty())
            first = c.id;
    }
    if (first.isEmpty() && m_ui->sampleCombo->count() > 0)
        first = m_ui->sampleCombo->itemData(0).toString();
    m_ui->sampleCombo->setCurrentIndex(std::max(0, m_ui->sampleCombo->findData(first)));
    setSampleContact(first);
}

void MappingView::setSampleContact(const QString &contactId)
{
    m_sample = {};
    m_sampleChildren = {};
    if (m_contacts && !contactId.isEmpty()) {
        if (const std::optional<Contact> c = m_contacts->contact(contactId)) {
            m_sample = *c;
            m_sampleChildren.contactId = contactId;
            m_sampleChildren.tasks = m_contacts->tasks(contactId);
            m_sampleChildren.notes = m_contacts->notes(contactId);
            m_sampleChildren.appointments = m_contacts->appointments(contactId);
        }
    }
    m_ghl->setSample(m_sample, m_sampleChildren);
    refreshPreview();
}

void MappingView::refreshVersions()
{
    m_ui->versionsCombo->clear();
    if (!m_sync)
        return;
    for (const MappingRevision &r : m_sync->store().mappingRevisions(m_sync->locationId())) {
        const QString when =
            QLocale().toString(QDateTime::fromMSecsSinceEpoch(r.savedMs), QLocale::ShortFormat);
        m_ui->versionsCombo->addItem(tr("v%1 %2 (%3)").arg(r.revision).arg(r.name, when), r.revision);
    }
    if (m_ui->versionsCombo->count() == 0)
        m_ui->versionsCombo->addItem(tr("No saved versions"), 0);
    m_ui->restoreButton->setEnabled(m_ui->versionsCombo->currentData().toInt() > 0);
}

int MappingView::saveVersion(const QString &name)
{
    if (!m_sync)
        return 0;
    FieldMapping mapping = m_rules->mapping();
    mapping.setName(name);
    const int revision =
        m_sync->store().saveMapping(m_sync->locationId(), name, MappingFile::toJson(mapping));
    if (revision > 0) {
        mapping.setRevision(revision);
        m_sync->setMapping(mapping);
        m_undo->setClean();
    }
    refreshVersions();
    return revision;
}

bool MappingView::restoreVersion(int revision)
{
    if (!m_sync)
        return false;
    const std::optional<QByteArray> json = m_sync->store().mapping(m_sync->locationId(), revision);
    MappingFileError error;
    const std::optional<FieldMapping> mapping = json ? MappingFile::fromJson(*json, &error) : std::nullopt;
    if (!mapping)
        return false;
    m_rules->setMapping(*mapping, tr("Restore version %1").arg(revision));
    return true;
}

bool MappingView::importFile(const QString &path, QString *error)
{
    MappingFileError e;
    const std::optional<FieldMapping> mapping = MappingFile::load(path, &e);
    if (!mapping) {
        if (error)
            *error = e.toString();
        return false;
    }
    m_rules->setMapping(*mapping, tr("Import %1").arg(QFileInfo(path).fileName()));
    return true;
}

bool MappingView::exportFile(const QString &path, QString *error)
{
    return MappingFile::save(m_rules->mapping(), path, error);
}

void MappingView::createSelectedField()
{
    const QModelIndex current = m_ui->shFieldsView->currentIndex();
    if (!m_sync || !current.data(SaleshandyFieldModel::MissingRole).toBool())
        return;
    m_sync->createSaleshandyField(current.data(SaleshandyFieldModel::TargetRole).toString(),
                                  TargetFieldType(current.data(SaleshandyFieldModel::TypeRole).toInt()));
}

void MappingView::askSave()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save mapping"), tr("Name of this version:"),
                                               QLineEdit::Normal, m_rules->mapping().name(), &ok);
    if (!ok)
        return;
    if (saveVersion(name) == 0)
        QMessageBox::warning(this, tr("Save mapping"),
                             tr("The mapping could not be saved: %1").arg(m_sync->store().error()));
}

void MappingView::askImport()
{
    const QString path =
        QFileDialog::getOpenFileName(this, tr("Import mapping"), {}, tr("Mapping files (*.json)"));
    QString error;
    if (!path.isEmpty() && !importFile(path, &error))
        QMessageBox::warning(this, tr("Import mapping"), error);
}

void MappingView::askExport()
{
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export mapping"), QStringLiteral("mapping.json"), tr("Mapping files (*.json)"));
    QString error;
    if (!path.isEmpty() && !exportFile(path, &error))
        QMessageBox::warning(this, tr("Export mapping"), error);
}

void MappingView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_ui->retranslateUi(this);
    QWidget::changeEvent(event);
}

} // namespace lb::gui
