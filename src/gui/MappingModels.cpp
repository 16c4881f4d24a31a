#include "gui/MappingModels.h"

#include "gui/WarningTexts.h"

#include <QBrush>
#include <QFont>
#include <QLocale>
#include <QMimeData>
#include <QPalette>
#include <QUndoCommand>
#include <QUndoStack>

namespace lb::gui {

namespace {

/// A whole kind's rules before and after: one command type covers add, remove and edit, and
/// undoing can never leave the list in a state the user did not see.
class SetRulesCommand final : public QUndoCommand
{
public:
    SetRulesCommand(MappingRulesModel *model, RecordKind kind, QList<MappingRule> before,
                    QList<MappingRule> after, const QString &text)
        : QUndoCommand(text), m_model(model), m_kind(kind), m_before(std::move(before)),
          m_after(std::move(after))
    {
    }
    void redo() override { m_model->applyRules(m_kind, m_after); }
    void undo() override { m_model->applyRules(m_kind, m_before); }

private:
    MappingRulesModel *m_model;
    RecordKind m_kind;
    QList<MappingRule> m_before;
    QList<MappingRule> m_after;
};

class SetMappingCommand final : public QUndoCommand
{
public:
    SetMappingCommand(MappingRulesModel *model, FieldMapping before, FieldMapping after, const QString &text)
        : QUndoCommand(text), m_model(model), m_before(std::move(before)), m_after(std::move(after))
    {
    }
    void redo() override { m_model->applyMapping(m_after); }
    void undo() override { m_model->applyMapping(m_before); }

private:
    MappingRulesModel *m_model;
    FieldMapping m_before;
    FieldMapping m_after;
};

/// Where a one-rule probe mapping writes, per kind, so that the Mapper computes the sample value
/// exactly as a run would.
QString probeTarget(RecordKind kind)
{
    switch (kind) {
    case RecordKind::Task:
        return target::TaskNote.toString();
    case RecordKind::Note:
        return target::Content.toString();
    default:
        return QStringLiteral("LeadBridge Sample");
    }
}

} // namespace

// ---------------------------------------------------------------------------------------------
GhlFieldModel::GhlFieldModel(QObject *parent) : QAbstractTableModel(parent) {}

void GhlFieldModel::setFields(RecordKind kind, const QList<CustomField> &customFields)
{
    beginResetModel();
    m_kind = kind;
    m_custom = customFields;
    m_rows.clear();
    for (const QString &s : standardSources(kind))
        m_rows << Row{s, s, {}, false};
    if (kind == RecordKind::Contact) {
        for (const CustomField &f : customFields) {
            if (!f.model.isEmpty() && f.model != QLatin1String("contact"))
                continue;
            m_rows << Row{QStringLiteral("custom:") + f.id, f.name, {}, true};
        }
    }
    endResetModel();
}

void GhlFieldModel::setSample(const Contact &contact, const ContactChildren &children)
{
    MapperContext context;
    context.customFields = m_custom;
    for (Row &row : m_rows) {
        FieldMapping probe;
        MappingRule email;
        email.source = QStringLiteral("email");
        email.target = target::Email.toString();
        probe.addRule(RecordKind::Contact, email);
        MappingRule rule;
        rule.source = row.source;
        rule.target = probeTarget(m_kind);
        probe.addRule(m_kind, rule);
        const MappedProspect p = Mapper(probe, context).map(contact, children);
        switch (m_kind) {
        case RecordKind::Task:
            row.sample = p.tasks.isEmpty() ? QString() : p.tasks.constFirst().taskNote;
            break;
        case RecordKind::Note:
            row.sample = p.notes.isEmpty() ? QString() : p.notes.constFirst().content;
            break;
        default:
            row.sample = row.source == QLatin1String("tags") ? contact.tags.join(QStringLiteral(", "))
                                                             : p.fields.value(rule.target);
        }
        if (row.source == QLatin1String("email"))
            row.sample = p.fields.value(target::Email.toString(), contact.email);
        row.sample.replace(QLatin1Char('\n'), QChar(0x21b5));
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, Sample), index(rowCount() - 1, Sample));
}

int GhlFieldModel::rowOf(const QString &source) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].source == source)
            return i;
    return -1;
}

int GhlFieldModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int GhlFieldModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant GhlFieldModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == Field ? row.label : row.sample;
    case Qt::ToolTipRole:
        return row.custom ? tr("Custom field “%1” (%2)").arg(row.label, row.source) : row.source;
    case Qt::ForegroundRole:
        if (index.column() == Sample)
            return QPalette().brush(QPalette::PlaceholderText);
        return {};
    case SourceRole:
        return row.source;
    case CustomRole:
        return row.custom;
    default:
        return {};
    }
}

QVariant GhlFieldModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == Field ? tr("GHL field") : tr("Sample value");
}

Qt::ItemFlags GhlFieldModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled | Qt::ItemNeverHasChildren;
}

QStringList GhlFieldModel::mimeTypes() const
{
    return {QString::fromLatin1(kGhlFieldMime)};
}

QMimeData *GhlFieldModel::mimeData(const QModelIndexList &indexes) const
{
    if (indexes.isEmpty() || !indexes.first().isValid())
        return nullptr;
    auto *mime = new QMimeData;
    const QString source = m_rows.value(indexes.first().row()).source;
    mime->setData(QString::fromLatin1(kGhlFieldMime), source.toUtf8());
    mime->setText(source);
    return mime;
}

// ---------------------------------------------------------------------------------------------
SaleshandyFieldModel::SaleshandyFieldModel(QObject *parent) : QAbstractTableModel(parent) {}

void SaleshandyFieldModel::setFields(RecordKind kind, const QList<TargetField> &fields,
                                     const FieldMapping &mapping)
{
    beginResetModel();
    m_rows.clear();
    QHash<QString, QString> from;
    for (const MappingRule &r : mapping.rules(kind))
        from.insert(r.target, r.source.isEmpty() ? tr("(constant)") : r.source);
    const auto add = [&](const QString &label, TargetFieldType type, bool missing, bool special) {
        Row row;
        row.label = label;
        row.type = type;
        row.typeText = special ? tr("special") : targetFieldTypeName(type);
        row.mappedFrom = from.value(label);
        row.missing = missing;
        row.special = special;
        row.limitType = limitType(label, type, special);
        if (row.limitType) {
            row.limit = mapping.fieldLimit(label, *row.limitType);
            row.limitConfirmed = mapping.hasFieldLimit(label);
        }
        m_rows << row;
    };
    if (kind == RecordKind::Contact || kind == RecordKind::Appointment) {
        for (const TargetField &f : fields)
            add(f.label, f.type, false, false);
        // What the mapping will create before its first import: shown so it can be mapped now.
        for (const TargetField &f : mapping.missingFields(fields))
            add(f.label, f.type, true, false);
        add(target::Tags.toString(), TargetFieldType::Text, false, true);
    } else {
        for (const QString &t : specialTargets(kind))
            add(t, TargetFieldType::Text, false, true);
    }
    endResetModel();
}

std::optional<TargetFieldType> SaleshandyFieldModel::limitType(const QString &label, TargetFieldType type,
                                                               bool special)
{
    if (!special)
        return FieldMapping::defaultFieldLimit(type) > 0 ? std::optional(type) : std::nullopt;
    if (label == target::TaskNote || label == target::Content)
        return TargetFieldType::LongText;
    return std::nullopt;
}

QString SaleshandyFieldModel::limitText(int limit, bool confirmed)
{
    if (limit <= 0)
        return {};
    const QString n = QLocale().toString(limit);
    return confirmed ? n : tr("%1 (unconfirmed default)").arg(n);
}

int SaleshandyFieldModel::rowOf(const QString &target) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].label == target)
            return i;
    return -1;
}

int SaleshandyFieldModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SaleshandyFieldModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SaleshandyFieldModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Label:
            return row.missing ? tr("%1 (to be created)").arg(row.label) : row.label;
        case Type:
            return row.typeText;
        case MappedFrom:
            return row.mappedFrom.isEmpty() ? QString() : QStringLiteral("← ") + row.mappedFrom;
        case Limit:
            if (!row.limitType)
                return role == Qt::EditRole ? QVariant() : QVariant(tr("—"));
            return limitText(row.limit, row.limitConfirmed);
        }
        return {};
    case Qt::EditRole:
        return index.column() == Limit && row.limitType ? QVariant(row.limit) : QVariant();
    case Qt::ForegroundRole:
        if (index.column() == Limit && (!row.limitType || !row.limitConfirmed))
            return QPalette().brush(QPalette::PlaceholderText);
        return {};
    case Qt::FontRole:
        if (index.column() == Label && row.label == target::Email) {
            QFont bold;
            bold.setBold(true); // the one required target
            return bold;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Limit && row.limitType)
            return row.limitConfirmed
                       ? tr("Longer values are cut at %n character(s) with an ellipsis and a warning. "
                            "Set 0 to go back to the default.",
                            nullptr, row.limit)
                       : tr("Saleshandy publishes no limits: %n character(s) is LeadBridge's unconfirmed "
                            "guess. Longer values are cut with an ellipsis and a warning. Double-click to "
                            "set the limit your account really has.",
                            nullptr, row.limit);
        if (row.label == target::Email)
            return tr("Required: Saleshandy identifies prospects by email.");
        return row.missing ? tr("Not in Saleshandy yet: the next run creates it, or create it now.")
                           : QVariant();
    case TargetRole:
        return row.label;
    case TypeRole:
        return int(row.type);
    case MissingRole:
        return row.missing;
    case LimitRole:
        return row.limit;
    case LimitConfirmedRole:
        return row.limitConfirmed;
    default:
        return {};
    }
}

bool SaleshandyFieldModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid) || index.column() != Limit)
        return false;
    const Row &row = m_rows[index.row()];
    bool ok = false;
    const int max = value.toInt(&ok);
    if (!ok || !row.limitType || (max == row.limit && row.limitConfirmed) ||
        (max <= 0 && !row.limitConfirmed))
        return false;
    // The mapping holds limits: the rules model makes it an undoable step, then this model is refilled.
    Q_EMIT fieldLimitRequested(row.label, max);
    return true;
}

QVariant SaleshandyFieldModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o == Qt::Horizontal && section == Limit && role == Qt::ToolTipRole)
        return tr("Saleshandy publishes no limits: %1 characters for text and %2 for long text are "
                  "LeadBridge's unconfirmed guesses. A longer value is cut with an ellipsis and a warning. "
                  "Double-click a limit to set the one your account has.")
            .arg(QLocale().toString(TextFieldMaxLength), QLocale().toString(LongTextFieldMaxLength));
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Label:
        return tr("Saleshandy field");
    case Type:
        return tr("Type");
    case Limit:
        return tr("Max. characters");
    case MappedFrom:
        return tr("Filled from");
    }
    return {};
}

Qt::ItemFlags SaleshandyFieldModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f =
        Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDropEnabled | Qt::ItemNeverHasChildren;
    if (index.column() == Limit && m_rows[index.row()].limitType)
        f |= Qt::ItemIsEditable;
    return f;
}

QStringList SaleshandyFieldModel::mimeTypes() const
{
    return {QString::fromLatin1(kGhlFieldMime)};
}

bool SaleshandyFieldModel::canDropMimeData(const QMimeData *data, Qt::DropAction, int row, int,
                                           const QModelIndex &parent) const
{
    // Onto a field, not between fields: the drop names the target.
    const int target = parent.isValid() ? parent.row() : row;
    return data && data->hasFormat(QString::fromLatin1(kGhlFieldMime)) && target >= 0 &&
           target < m_rows.size();
}

bool SaleshandyFieldModel::dropMimeData(const QMimeData *data, Qt::DropAction action, int row, int column,
                                        const QModelIndex &parent)
{
    if (!canDropMimeData(data, action, row, column, parent))
        return false;
    const int target = parent.isValid() ? parent.row() : row;
    const QString source = QString::fromUtf8(data->data(QString::fromLatin1(kGhlFieldMime)));
    Q_EMIT ruleRequested(source, m_rows[target].label);
    return false; // nothing moves: the rule appears in the rules model instead
}

// ---------------------------------------------------------------------------------------------
MappingRulesModel::MappingRulesModel(QUndoStack *undo, QObject *parent)
    : QAbstractTableModel(parent), m_undo(undo), m_mapping(FieldMapping::defaultMapping())
{
    revalidate();
}

void MappingRulesModel::setMapping(const FieldMapping &mapping, const QString &undoText, bool undoable)
{
    if (!undoable) {
        applyMapping(mapping);
        return;
    }
    m_undo->push(new SetMappingCommand(this, m_mapping, mapping,
                                       undoText.isEmpty() ? tr("Replace mapping") : undoText));
}

void MappingRulesModel::setKind(RecordKind kind)
{
    if (kind == m_kind)
        return;
    beginResetModel();
    m_kind = kind;
    endResetModel();
}

void MappingRulesModel::setContext(const QList<TargetField> &saleshandyFields,
                                   const QList<CustomField> &customFields)
{
    m_targets = saleshandyFields;
    m_custom = customFields;
    revalidate();
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void MappingRulesModel::addRule(const QString &source, const QString &target)
{
    QList<MappingRule> rules = m_mapping.rules(m_kind);
    MappingRule rule;
    rule.source = source;
    rule.target = target;
    rules << rule;
    pushRules(rules, tr("Map %1 to %2").arg(source, target));
}

void MappingRulesModel::removeRule(int row)
{
    QList<MappingRule> rules = m_mapping.rules(m_kind);
    if (row < 0 || row >= rules.size())
        return;
    const MappingRule gone = rules.takeAt(row);
    pushRules(rules, tr("Remove rule %1 → %2").arg(gone.source, gone.target));
}

void MappingRulesModel::pushRules(const QList<MappingRule> &rules, const QString &text)
{
    m_undo->push(new SetRulesCommand(this, m_kind, m_mapping.rules(m_kind), rules, text));
}

void MappingRulesModel::applyRules(RecordKind kind, const QList<MappingRule> &rules)
{
    // The page shows the kind being undone, so the user sees what changed.
    const bool reset = kind != m_kind || rules.size() != m_mapping.rules(kind).size();
    if (reset)
        beginResetModel();
    m_kind = kind;
    m_mapping.setRules(kind, rules);
    revalidate();
    if (reset)
        endResetModel();
    else if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    Q_EMIT mappingEdited();
}

void MappingRulesModel::applyMapping(const FieldMapping &mapping)
{
    beginResetModel();
    m_mapping = mapping;
    revalidate();
    endResetModel();
    Q_EMIT mappingEdited();
}

const QList<MappingRulesModel::Preset> &MappingRulesModel::transformPresets()
{
    static const QList<Preset> presets{
        {QStringLiteral("none"), tr("None"), {}},
        {QStringLiteral("trim"), tr("Trim"), {lb::Transform::trim()}},
        {QStringLiteral("lower"), tr("Trim, lower case"), {lb::Transform::trim(), lb::Transform::lower()}},
        {QStringLiteral("upper"), tr("Trim, upper case"), {lb::Transform::trim(), lb::Transform::upper()}},
        {QStringLiteral("title"),
         tr("Trim, title case"),
         {lb::Transform::trim(), lb::Transform::titleCase()}},
        {QStringLiteral("phone"), tr("Phone number (E.164)"), {lb::Transform::phoneE164()}},
        {QStringLiteral("date"),
         tr("Date (yyyy-MM-dd)"),
         {lb::Transform::date(QStringLiteral("yyyy-MM-dd"))}},
        {QStringLiteral("join"), tr("Join list with commas"), {lb::Transform::join()}},
        {QStringLiteral("truncate"),
         tr("Cut to 255 characters"),
         {lb::Transform::truncate(TextFieldMaxLength)}},
    };
    return presets;
}

QList<OnFailure> MappingRulesModel::onFailureChoices()
{
    return {OnFailure::KeepAsWritten, OnFailure::LeaveUnchanged, OnFailure::SendEmpty,
            OnFailure::MarkInvalid};
}

QString MappingRulesModel::onFailureText(OnFailure onFailure)
{
    switch (onFailure) {
    case OnFailure::KeepAsWritten:
        return tr("Send as written");
    case OnFailure::LeaveUnchanged:
        return tr("Leave Saleshandy's value");
    case OnFailure::SendEmpty:
        return tr("Send empty (erases Saleshandy's value)");
    case OnFailure::MarkInvalid:
        return tr("Mark the record invalid");
    }
    return {};
}

QString MappingRulesModel::onFailureShortText(OnFailure onFailure)
{
    switch (onFailure) {
    case OnFailure::KeepAsWritten:
        return tr("send as written");
    case OnFailure::LeaveUnchanged:
        return tr("leave as is");
    case OnFailure::SendEmpty:
        return tr("send empty");
    case OnFailure::MarkInvalid:
        return tr("mark invalid");
    }
    return {};
}

QString MappingRulesModel::onFailureDescription(OnFailure onFailure)
{
    switch (onFailure) {
    case OnFailure::KeepAsWritten:
        return tr("The GHL value is sent as written (trimmed, cut at the field's limit) and the field gets a "
                  "warning. The default: nothing is blanked.");
    case OnFailure::LeaveUnchanged:
        return tr("Nothing is sent for this field: Saleshandy keeps the value it has. The field gets a "
                  "warning.");
    case OnFailure::SendEmpty:
        return tr(
            "The field is sent empty, which erases the value Saleshandy has. The field gets a warning.");
    case OnFailure::MarkInvalid:
        return tr("The whole record is not sent; the log says which value could not be converted.");
    }
    return {};
}

TargetFieldType MappingRulesModel::targetType(const QString &label) const
{
    for (const TargetField &f : m_targets)
        if (f.label == label)
            return f.type;
    for (const TargetField &f : m_mapping.requiredFields())
        if (f.label == label)
            return f.type;
    for (const TargetField &f : saleshandySystemFields())
        if (f.label == label)
            return f.type;
    return TargetFieldType::Text;
}

void MappingRulesModel::setFieldLimit(const QString &label, int max)
{
    FieldMapping after = m_mapping;
    after.setFieldLimit(label, max);
    if (after == m_mapping)
        return;
    m_undo->push(new SetMappingCommand(this, m_mapping, after,
                                       max > 0 ? tr("Limit of %1: %2").arg(label).arg(max)
                                               : tr("Default limit of %1").arg(label)));
}

void MappingRulesModel::setPolicy(const SyncPolicy &policy)
{
    if (policy == m_mapping.policy())
        return;
    FieldMapping after = m_mapping;
    after.setPolicy(policy);
    m_undo->push(new SetMappingCommand(this, m_mapping, after, tr("Sync rules")));
}

QString MappingRulesModel::chainText(const QList<lb::Transform> &chain)
{
    for (const Preset &p : transformPresets())
        if (p.chain == chain)
            return p.label;
    QStringList names;
    for (const lb::Transform &t : chain)
        names << t.name();
    return names.join(QStringLiteral(" → "));
}

void MappingRulesModel::revalidate()
{
    m_problems = Mapper::validate(m_mapping, m_targets, m_custom);
    Q_EMIT problemsChanged();
}

bool MappingRulesModel::hasErrors() const
{
    return std::any_of(m_problems.cbegin(), m_problems.cend(),
                       [](const MappingProblem &p) { return p.severity == MappingProblem::Severity::Error; });
}

QStringList MappingRulesModel::problemTexts() const
{
    QStringList errors, warnings;
    for (const MappingProblem &p : m_problems)
        (p.severity == MappingProblem::Severity::Error ? errors : warnings) << p.toString();
    return errors + warnings;
}

MappedProspect MappingRulesModel::preview(const Contact &contact, const ContactChildren &children) const
{
    MapperContext context;
    context.customFields = m_custom;
    context.saleshandyFields = m_targets;
    return Mapper(m_mapping, context).map(contact, children);
}

int MappingRulesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_mapping.rules(m_kind).size());
}

int MappingRulesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant MappingRulesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const MappingRule &rule = m_mapping.rules(m_kind).at(index.row());
    QStringList problems;
    bool error = false;
    for (const MappingProblem &p : m_problems) {
        if (p.kind == m_kind && p.rule == index.row()) {
            problems << p.message;
            error = error || p.severity == MappingProblem::Severity::Error;
        }
    }
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        switch (index.column()) {
        case Source: {
            QString s = rule.source.isEmpty() ? tr("(none)") : rule.source;
            if (!rule.extraSources.isEmpty())
                s += QStringLiteral(" + ") + rule.extraSources.join(QStringLiteral(" + "));
            return s;
        }
        case Target:
            return rule.target;
        case Transform:
            if (role == Qt::EditRole) {
                for (const Preset &p : transformPresets())
                    if (p.chain == rule.transforms)
                        return p.key;
                return QString();
            }
            return chainText(rule.transforms);
        case IfUnconvertible:
            return role == Qt::EditRole ? QVariant(int(rule.onFailure))
                                        : QVariant(onFailureShortText(rule.onFailure));
        case Default:
            return rule.defaultValue;
        case Problem:
            return problems.join(QStringLiteral("; "));
        }
        return {};
    case Qt::ToolTipRole: {
        QStringList tip = problems;
        tip << tr("If the value can't be converted: %1. %2")
                   .arg(onFailureText(rule.onFailure), onFailureDescription(rule.onFailure));
        const bool special = rule.target == target::Tags || specialTargets(m_kind).contains(rule.target);
        if (const auto type =
                SaleshandyFieldModel::limitType(rule.target, targetType(rule.target), special)) {
            const int limit = m_mapping.fieldLimit(rule.target, *type);
            if (limit > 0)
                tip << tr("Longest value “%1” takes: %2 characters")
                           .arg(rule.target,
                                SaleshandyFieldModel::limitText(limit, m_mapping.hasFieldLimit(rule.target)));
        }
        return tip.join(QLatin1Char('\n'));
    }
    case Qt::ForegroundRole:
        if (index.column() == Problem && !problems.isEmpty())
            return QBrush(error ? QColor(0xc0, 0x1c, 0x28) : QColor(0x9a, 0x67, 0x00));
        return {};
    case RuleIndexRole:
        return index.row();
    case TransformPresetRole:
        return data(index.siblingAtColumn(Transform), Qt::EditRole);
    case OnFailureRole:
        return int(rule.onFailure);
    case ProblemRole:
        return error ? 2 : (problems.isEmpty() ? 0 : 1);
    default:
        return {};
    }
}

QVariant MappingRulesModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o == Qt::Horizontal && section == IfUnconvertible && role == Qt::ToolTipRole)
        return tr(
            "What the rule does when its transform or its Saleshandy field cannot take the value (a "
            "phone number that does not parse, a text in a date field). The default sends it as written, "
            "with a warning: nothing is blanked.");
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Source:
        return tr("From GHL");
    case Target:
        return tr("To Saleshandy");
    case Transform:
        return tr("Transform");
    case IfUnconvertible:
        return tr("If unconvertible");
    case Default:
        return tr("Default");
    case Problem:
        return tr("Check");
    }
    return {};
}

Qt::ItemFlags MappingRulesModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == Transform || index.column() == Default || index.column() == Target ||
        index.column() == IfUnconvertible)
        f |= Qt::ItemIsEditable;
    return f;
}

bool MappingRulesModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::EditRole || !checkIndex(index, CheckIndexOption::IndexIsValid))
        return false;
    QList<MappingRule> rules = m_mapping.rules(m_kind);
    MappingRule &rule = rules[index.row()];
    QString text;
    switch (index.column()) {
    case Transform: {
        const QString key = value.toString();
        const auto it = std::find_if(transformPresets().cbegin(), transformPresets().cend(),
                                     [&](const Preset &p) { return p.key == key; });
        if (it == transformPresets().cend() || it->chain == rule.transforms)
            return false;
        rule.transforms = it->chain;
        text = tr("Transform of %1: %2").arg(rule.target, it->label);
        break;
    }
    case IfUnconvertible: {
        bool ok = false;
        const int choice = value.toInt(&ok);
        const QList<OnFailure> choices = onFailureChoices();
        if (!ok || !choices.contains(OnFailure(choice)) || OnFailure(choice) == rule.onFailure)
            return false;
        rule.onFailure = OnFailure(choice);
        text = tr("If %1 can't be converted: %2").arg(rule.target, onFailureText(rule.onFailure));
        break;
    }
    case Default:
        if (rule.defaultValue == value.toString())
            return false;
        rule.defaultValue = value.toString();
        text = tr("Default of %1").arg(rule.target);
        break;
    case Target:
        if (rule.target == value.toString() || value.toString().trimmed().isEmpty())
            return false;
        rule.target = value.toString().trimmed();
        text = tr("Target %1").arg(rule.target);
        break;
    default:
        return false;
    }
    pushRules(rules, text);
    return true;
}

// ---------------------------------------------------------------------------------------------
PreviewModel::PreviewModel(QObject *parent) : QAbstractTableModel(parent) {}

void PreviewModel::setProspect(const MappedProspect &p)
{
    beginResetModel();
    m_rows.clear();
    const auto add = [this](const QString &k, const QString &v, bool problem = false) {
        QString value = v;
        value.replace(QLatin1Char('\n'), QChar(0x21b5));
        m_rows.append(Row{k, value, {}, problem, false});
    };
    // A warning belongs on the row of its field; one whose field is not sent (left unchanged) or
    // belongs to a task or note gets a row of its own, so none is lost.
    QList<FieldWarning> pending = p.warnings;
    const auto attach = [&](QList<FieldWarning> &from, const QString &target) {
        QStringList texts;
        for (auto it = from.begin(); it != from.end();) {
            if (it->target == target) {
                texts << WarningTexts::detailText(*it);
                it = from.erase(it);
            } else {
                ++it;
            }
        }
        if (!texts.isEmpty()) {
            m_rows.last().check = texts.join(QStringLiteral("; "));
            m_rows.last().warning = true;
        }
    };
    if (!p.valid)
        add(tr("Not sent"), p.invalidReason, true);
    for (auto it = p.fields.cbegin(); it != p.fields.cend(); ++it) {
        add(it.key(), it.value().isEmpty() ? tr("(empty: erases Saleshandy's value)") : it.value());
        attach(pending, it.key());
    }
    for (const FieldWarning &w : std::as_const(pending)) {
        add(WarningTexts::targetText(w.target),
            w.kind == WarningKind::LeftUnchanged ? tr("(not sent: Saleshandy keeps its value)") : w.value);
        m_rows.last().check = WarningTexts::detailText(w);
        m_rows.last().warning = true;
    }
    QStringList warningMessages;
    for (const FieldWarning &w : p.warnings)
        warningMessages << w.message;
    if (!p.tags.isEmpty())
        add(tr("Tags"), p.tags.join(QStringLiteral(", ")));
    for (const MappedTask &t : p.tasks) {
        add(tr("Task"), t.taskNote.section(QLatin1Char('\n'), 0, 0) +
                            (t.dueDate.isEmpty() ? QString() : tr(" (due %1)").arg(t.dueDate)));
        QStringList texts;
        for (const FieldWarning &w : t.warnings) {
            texts << WarningTexts::fieldText(w);
            warningMessages << w.message;
        }
        if (!texts.isEmpty()) {
            m_rows.last().check = texts.join(QStringLiteral("; "));
            m_rows.last().warning = true;
        }
    }
    for (const MappedNote &n : p.notes) {
        add(tr("Note"), n.content.left(120));
        QStringList texts;
        for (const FieldWarning &w : n.warnings) {
            texts << WarningTexts::fieldText(w);
            warningMessages << w.message;
        }
        if (!texts.isEmpty()) {
            m_rows.last().check = texts.join(QStringLiteral("; "));
            m_rows.last().warning = true;
        }
    }
    // `problems` holds the texts of these same warnings: listed only when no structured warning came
    // with them (a mapper that reports texts alone), and as warnings, since the record is still sent.
    if (warningMessages.isEmpty()) {
        for (const QString &problem : p.problems) {
            add(tr("Warning"), QString());
            m_rows.last().check = problem;
            m_rows.last().warning = true;
        }
    }
    endResetModel();
}

int PreviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PreviewModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PreviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Field:
            return row.field;
        case Value:
            return row.value;
        case Check:
            return row.check;
        }
        return {};
    case Qt::DecorationRole:
        if (index.column() == Check && row.warning)
            return WarningTexts::icon();
        return {};
    case Qt::ForegroundRole:
        if (row.problem)
            return QBrush(QColor(0xc0, 0x1c, 0x28));
        if (row.warning && index.column() == Check)
            return QBrush(WarningTexts::color());
        return {};
    case ProblemRole:
        return row.problem;
    case WarningRole:
        return row.warning;
    }
    return {};
}

QVariant PreviewModel::headerData(int section, Qt::Orientation o, int role) const
{
    if (o != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Field:
        return tr("Saleshandy field");
    case Value:
        return tr("Value for the sample contact");
    case Check:
        return tr("Warning");
    }
    return {};
}

} // namespace lb::gui
