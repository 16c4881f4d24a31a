#pragma once

#include "domain/Contact.h"
#include "domain/FieldMapping.h"
#include "sync/Mapper.h"

#include <QAbstractTableModel>
#include <QHash>

#include <optional>

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
    enum Column { Label, Type, Limit, MappedFrom, ColumnCount };
    enum Role {
        TargetRole = Qt::UserRole,
        TypeRole,
        MissingRole,
        LimitRole,          ///< int: the effective limit in characters; 0 = the field has none
        LimitConfirmedRole, ///< bool: set by the user rather than the unconfirmed default
    };

    explicit SaleshandyFieldModel(QObject *parent = nullptr);

    /// The type whose default limit a target has: its own for prospect fields, long text for a
    /// task's note and a note's content, none (nullopt) for the other special targets.
    [[nodiscard]] static std::optional<TargetFieldType> limitType(const QString &label, TargetFieldType type,
                                                                  bool special);
    /// "255 characters (unconfirmed default)", "500 characters", "" for no limit.
    [[nodiscard]] static QString limitText(int limit, bool confirmed);

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
    /// The Limit column: asks for the limit (fieldLimitRequested); the mapping holds it.
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

Q_SIGNALS:
    void ruleRequested(const QString &source, const QString &target);
    /// The user set `label`'s limit to `max` characters (<= 0: back to the default).
    void fieldLimitRequested(const QString &label, int max);

private:
    struct Row
    {
        QString label;
        TargetFieldType type = TargetFieldType::Text;
        QString typeText;
        QString mappedFrom;
        bool missing = false;
        bool special = false;
        std::optional<TargetFieldType> limitType;
        int limit = 0;
        bool limitConfirmed = false;
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
    enum Column { Source, Target, Transform, IfUnconvertible, Default, Problem, ColumnCount };
    enum Role {
        RuleIndexRole = Qt::UserRole,
        TransformPresetRole,
        ProblemRole,
        OnFailureRole, ///< int(lb::OnFailure) of the rule
    };

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

    /// The choices for a value a rule cannot convert, in the order the delegate offers them.
    [[nodiscard]] static QList<lb::OnFailure> onFailureChoices();
    /// "Send as written", "Leave Saleshandy's value", ...
    [[nodiscard]] static QString onFailureText(lb::OnFailure onFailure);
    /// The same, short enough for the rules table's cell: "as written", "leave as is", ...
    [[nodiscard]] static QString onFailureShortText(lb::OnFailure onFailure);
    /// What the choice does, in a sentence (tooltips).
    [[nodiscard]] static QString onFailureDescription(lb::OnFailure onFailure);

    /// Undoable: the limit of a Saleshandy field (<= 0: back to the unconfirmed default).
    void setFieldLimit(const QString &label, int max);
    /// Undoable: the sync rules that are not field rules (shared emails, deletions, country).
    void setPolicy(const lb::SyncPolicy &policy);
    /// The type of a target as the account or the mapping's required fields know it (Text else).
    [[nodiscard]] TargetFieldType targetType(const QString &label) const;

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
/// A field the mapping does not send exactly as GHL has it carries its warning (Check column, a
/// warning icon); errors (a record not sent) are red rows of their own.
class PreviewModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewModel)

public:
    enum Column { Field, Value, Check, ColumnCount };
    enum Role {
        ProblemRole = Qt::UserRole, ///< bool: an error (the record is not sent)
        WarningRole,                ///< bool: the row carries a field warning
    };

    explicit PreviewModel(QObject *parent = nullptr);
    void setProspect(const MappedProspect &prospect);

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] int columnCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    [[nodiscard]] QVariant headerData(int section, Qt::Orientation o,
                                      int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        QString field;
        QString value;
        QString check;
        bool problem = false;
        bool warning = false;
    };
    QList<Row> m_rows;
};

} // namespace lb::gui
