#pragma once

#include "domain/Contact.h"
#include "domain/FieldMapping.h"
#include "sync/Mapper.h"

#include <QAbstractTableModel>
#include <QHash>

class QUndoStack;

namespace lb::gui {

/// Drag and drop between the field lists: a GHL source name ("firstName", "custom:<id>").
inline constexpr char kGhlFieldMime[] = "application/x-leadbridge-ghl-field";

/// The GHL fields a rule of one record kind can read, standard and the location's custom ones,
/// each with its value in the sample contact. Rows drag out as kGhlFieldMime.
class GhlFieldModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GhlFieldModel)

public:
    enum Column { Field, Sample, ColumnCount };
    enum Role { SourceRole = Qt::UserRole, CustomRole };

    explicit GhlFieldModel(QObject *parent = nullptr);

    void setFields(RecordKind kind, const QList<CustomField> &customFields);
    /// Fills the Sample column from `contact` (and its children, for task and note fields).
    void setSample(const Contact &contact, const ContactChildren &children);
    [[nodiscard]] QString source(int row) const { return m_rows.value(row).source; }
    [[nodiscard]] int rowOf(const QString &source) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] QStringList mimeTypes() const override;
    [[nodiscard]] QMimeData *mimeData(const QModelIndexList &indexes) const override;
    [[nodiscard]] Qt::DropActions supportedDragActions() const override
    {
        return Qt::CopyAction | Qt::LinkAction;
    }

private:
    struct Row
    {
        QString source;
        QString label;
        QString sample;
        bool custom = false;
    };
    RecordKind m_kind = RecordKind::Contact;
    QList<Row> m_rows;
    QList<CustomField> m_custom;
};

/// Saleshandy's fields (system and custom, read live) and the special targets of a record kind,
/// with the rule that fills each. A GHL field dropped on a row asks for a rule (ruleRequested).
class SaleshandyFieldModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SaleshandyFieldModel)

public:
    enum Column { Label, Type, MappedFrom, ColumnCount };
    enum Role { TargetRole = Qt::UserRole, TypeRole, MissingRole };

    explicit SaleshandyFieldModel(QObject *parent = nullptr);

    /// `fields`: the account's; `required`: what the mapping needs created (shown as missing).
    void setFields(RecordKind kind, const QList<TargetField> &fields, const FieldMapping &mapping);
    [[nodiscard]] QString target(int row) const { return m_rows.value(row).label; }
    [[nodiscard]] int rowOf(const QString &target) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    [[nodiscard]] QStringList mimeTypes() const override;
    [[nodiscard]] Qt::DropActions supportedDropActions() const override
    {
        return Qt::CopyAction | Qt::LinkAction;
    }
    [[nodiscard]] bool canDropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                       const QModelIndex &parent) const override;
    bool dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                      const QModelIndex &parent) override;

Q_SIGNALS:
    void ruleRequested(const QString &source, const QString &target);

private:
    struct Row
    {
        QString label;
        TargetFieldType type = TargetFieldType::Text;
        QString typeText;
        QString mappedFrom;
        bool missing = false;
        bool special = false;
    };
    QList<Row> m_rows;
};

/// The rules of one record kind of a FieldMapping, editable; every change is an undoable command
/// on the QUndoStack. Also validates (Mapper::validate) after each change and previews the mapped
/// prospect of the sample contact (Mapper::map). The editor page and tests drive it directly.
class MappingRulesModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MappingRulesModel)

public:
    enum Column { Source, Target, Transform, Default, Problem, ColumnCount };
    enum Role { RuleIndexRole = Qt::UserRole, TransformPresetRole, ProblemRole };

    explicit MappingRulesModel(QUndoStack *undo, QObject *parent = nullptr);

    [[nodiscard]] const FieldMapping &mapping() const { return m_mapping; }
    /// Replaces the whole mapping (load, restore, import): one undoable step unless `undoable` is false.
    void setMapping(const FieldMapping &mapping, const QString &undoText = {}, bool undoable = true);
    [[nodiscard]] RecordKind kind() const { return m_kind; }
    void setKind(RecordKind kind);
    void setContext(const QList<TargetField> &saleshandyFields, const QList<CustomField> &customFields);

    /// Undoable: a rule source → target with no transform.
    void addRule(const QString &source, const QString &target);
    void removeRule(int row);

    /// Transform chains the delegate offers: a key, a label for the list, and the chain.
    struct Preset
    {
        QString key;
        QString label;
        QList<lb::Transform> chain;
    };
    [[nodiscard]] static const QList<Preset> &transformPresets();
    [[nodiscard]] static QString chainText(const QList<lb::Transform> &chain);

    [[nodiscard]] const QList<MappingProblem> &problems() const { return m_problems; }
    [[nodiscard]] bool hasErrors() const;
    /// The mapping-level findings as sentences (errors first), for the banner above the table.
    [[nodiscard]] QStringList problemTexts() const;
    [[nodiscard]] MappedProspect preview(const Contact &contact, const ContactChildren &children) const;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;
    [[nodiscard]] Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    /// For the undo commands: puts `rules` in place for `kind` without a command.
    void applyRules(RecordKind kind, const QList<MappingRule> &rules);
    void applyMapping(const FieldMapping &mapping);

Q_SIGNALS:
    void mappingEdited();
    void problemsChanged();

private:
    void pushRules(const QList<MappingRule> &rules, const QString &text);
    void revalidate();

    QUndoStack *m_undo;
    FieldMapping m_mapping;
    RecordKind m_kind = RecordKind::Contact;
    QList<TargetField> m_targets;
    QList<CustomField> m_custom;
    QList<MappingProblem> m_problems;
};

/// The mapped prospect of the sample contact: field → value, then tags, tasks, notes, problems.
class PreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewModel)

public:
    enum Column { Field, Value, ColumnCount };
    enum Role { ProblemRole = Qt::UserRole };

    explicit PreviewModel(QObject *parent = nullptr);
    void setProspect(const MappedProspect &prospect);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;

private:
    QList<std::pair<QString, QString>> m_rows;
    QList<bool> m_problem;
};

} // namespace lb::gui
