#pragma once

#include "domain/Contact.h"

#include <QStyledItemDelegate>
#include <QWidget>

#include <memory>

class QUndoStack;

namespace Ui {
class MappingView;
}

namespace lb {
class ContactStore;
class SyncService;
} // namespace lb

namespace lb::gui {

class GhlFieldModel;
class MappingRulesModel;
class PreviewModel;
class SaleshandyFieldModel;
class SyncRulesForm;

/// Edits a rule's transform chain as one of the presets (a combo box), so no chain can be typed wrong.
class TransformDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TransformDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

/// Edits what a rule does with a value it cannot convert (MappingRulesModel::onFailureChoices), a combo
/// box whose entries explain themselves in their tooltips.
class OnFailureDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OnFailureDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

/// Edits a Saleshandy field's limit in characters (a spin box; 0 goes back to the default).
class FieldLimitDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FieldLimitDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;
};

/// Edits a rule's target as one of the Saleshandy fields of the kind (the field model's rows).
class TargetDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetDelegate)

public:
    TargetDelegate(SaleshandyFieldModel *fields, QObject *parent);
    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &, const QModelIndex &) const override;
    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

private:
    SaleshandyFieldModel *m_fields;
};

/// The Mapping page: GHL fields with sample values on the left, the rules in the middle, Saleshandy's
/// fields on the right (drop a GHL field on one to map it), problems above and the live preview
/// below. The mapping itself lives in MappingRulesModel; saving goes through SyncService's store.
class MappingView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MappingView)

public:
    explicit MappingView(QWidget *parent = nullptr);
    ~MappingView() override;

    /// The service to read fields from and save to, and the contact store for samples (neither
    /// owned; null: the page is empty).
    void setServices(SyncService *sync, ContactStore *contacts);

    [[nodiscard]] MappingRulesModel *rulesModel() const { return m_rules; }
    [[nodiscard]] GhlFieldModel *ghlFieldModel() const { return m_ghl; }
    [[nodiscard]] SaleshandyFieldModel *saleshandyFieldModel() const { return m_sh; }
    [[nodiscard]] PreviewModel *previewModel() const { return m_preview; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undo; }
    /// The shared-email, deletion and phone-country choices (the "Sync rules" tab).
    [[nodiscard]] SyncRulesForm *syncRulesForm() const;
    /// Whether the Saleshandy fields have arrived (screenshots wait for them).
    [[nodiscard]] bool isShowingData() const;

    /// Saves the editor's mapping as a new revision named `name`; the revision, 0 on error.
    int saveVersion(const QString &name);
    [[nodiscard]] bool restoreVersion(int revision);
    [[nodiscard]] bool importFile(const QString &path, QString *error);
    [[nodiscard]] bool exportFile(const QString &path, QString *error);
    void setSampleContact(const QString &contactId);

protected:
    void changeEvent(QEvent *event) override;

private:
    void setKind(int index);
    void refreshFieldLists();
    void refreshPreview();
    void refreshProblems();
    void refreshVersions();
    void refreshPickers();
    void loadSamples();
    void createSelectedField();
    void askSave();
    void askImport();
    void askExport();

    std::unique_ptr<Ui::MappingView> m_ui;
    QUndoStack *m_undo;
    MappingRulesModel *m_rules;
    GhlFieldModel *m_ghl;
    SaleshandyFieldModel *m_sh;
    PreviewModel *m_preview;
    SyncService *m_sync = nullptr;
    ContactStore *m_contacts = nullptr;
    Contact m_sample;
    ContactChildren m_sampleChildren;
};

} // namespace lb::gui
