#include "domain/FieldMapping.h"

#include <QCoreApplication>

namespace lb {

QString recordKindName(RecordKind kind)
{
    switch (kind) {
    case RecordKind::Contact:
        return QStringLiteral("contact");
    case RecordKind::Task:
        return QStringLiteral("task");
    case RecordKind::Note:
        return QStringLiteral("note");
    case RecordKind::Appointment:
        return QStringLiteral("appointment");
    }
    return {};
}

std::optional<RecordKind> recordKindFromName(QStringView name)
{
    for (RecordKind kind : allRecordKinds())
        if (name == recordKindName(kind))
            return kind;
    return std::nullopt;
}

QString targetFieldTypeName(TargetFieldType type)
{
    switch (type) {
    case TargetFieldType::Text:
        return QStringLiteral("text");
    case TargetFieldType::Number:
        return QStringLiteral("number");
    case TargetFieldType::Date:
        return QStringLiteral("date");
    case TargetFieldType::LongText:
        return QStringLiteral("long-text");
    case TargetFieldType::Dropdown:
        return QStringLiteral("dropdown");
    case TargetFieldType::Currency:
        return QStringLiteral("currency");
    }
    return {};
}

std::optional<TargetFieldType> targetFieldTypeFromName(QStringView name)
{
    for (TargetFieldType t :
         {TargetFieldType::Text, TargetFieldType::Number, TargetFieldType::Date, TargetFieldType::LongText,
          TargetFieldType::Dropdown, TargetFieldType::Currency})
        if (name.compare(targetFieldTypeName(t), Qt::CaseInsensitive) == 0)
            return t;
    return std::nullopt;
}

TargetFieldType targetFieldTypeForGhlDataType(QStringView t)
{
    if (t == u"LARGE_TEXT" || t == u"TEXTBOX_LIST")
        return TargetFieldType::LongText;
    if (t == u"NUMERICAL")
        return TargetFieldType::Number;
    if (t == u"MONETORY" || t == u"MONETARY")
        return TargetFieldType::Currency;
    if (t == u"DATE")
        return TargetFieldType::Date;
    if (t == u"SINGLE_OPTIONS" || t == u"RADIO")
        return TargetFieldType::Dropdown;
    // TEXT, PHONE, EMAIL; MULTIPLE_OPTIONS and CHECKBOX joined; FILE_UPLOAD as its URL.
    return TargetFieldType::Text;
}

const QList<TargetField> &saleshandySystemFields()
{
    static const QList<TargetField> fields = [] {
        QList<TargetField> out;
        for (const char *label : {"First Name", "Last Name", "Email", "Company", "Phone Number", "Job Title",
                                  "City", "Country", "LinkedIn"})
            out.append(TargetField{QString::fromLatin1(label), TargetFieldType::Text, {}, {}, true});
        return out;
    }();
    return fields;
}

QStringList MappingRule::sources() const
{
    QStringList out;
    out.reserve(1 + extraSources.size());
    out << source;
    out << extraSources;
    return out;
}

QStringList standardSources(RecordKind kind)
{
    switch (kind) {
    case RecordKind::Contact:
        return {QStringLiteral("id"),         QStringLiteral("locationId"),  QStringLiteral("firstName"),
                QStringLiteral("lastName"),   QStringLiteral("name"),        QStringLiteral("email"),
                QStringLiteral("phone"),      QStringLiteral("companyName"), QStringLiteral("address1"),
                QStringLiteral("city"),       QStringLiteral("state"),       QStringLiteral("postalCode"),
                QStringLiteral("country"),    QStringLiteral("website"),     QStringLiteral("timezone"),
                QStringLiteral("source"),     QStringLiteral("type"),        QStringLiteral("assignedTo"),
                QStringLiteral("businessId"), QStringLiteral("dateOfBirth"), QStringLiteral("dnd"),
                QStringLiteral("tags"),       QStringLiteral("dateAdded"),   QStringLiteral("dateUpdated")};
    case RecordKind::Task:
        return {QStringLiteral("id"),      QStringLiteral("title"),     QStringLiteral("body"),
                QStringLiteral("dueDate"), QStringLiteral("completed"), QStringLiteral("assignedTo")};
    case RecordKind::Note:
        return {QStringLiteral("id"), QStringLiteral("title"), QStringLiteral("body"),
                QStringLiteral("userId"), QStringLiteral("dateAdded")};
    case RecordKind::Appointment:
        return {QStringLiteral("appointments.next"), QStringLiteral("appointments.last"),
                QStringLiteral("appointments.count"), QStringLiteral("appointments.summary")};
    }
    return {};
}

QStringList specialTargets(RecordKind kind)
{
    switch (kind) {
    case RecordKind::Task:
        return {target::TaskNote.toString(), target::DueDate.toString(), target::TaskType.toString(),
                target::Priority.toString(), target::Completed.toString()};
    case RecordKind::Note:
        return {target::Content.toString()};
    case RecordKind::Contact:
    case RecordKind::Appointment:
        return {target::Tags.toString()};
    }
    return {};
}

bool isSaleshandyTaskType(QStringView code)
{
    // "2".."6", "9", "11".."18" (SALESHANDY.md §7); runs for every task, hence no list search.
    if (code.size() == 1)
        return (code[0] >= u'2' && code[0] <= u'6') || code[0] == u'9';
    return code.size() == 2 && code[0] == u'1' && code[1] >= u'1' && code[1] <= u'8';
}

FieldMapping FieldMapping::defaultMapping()
{
    FieldMapping m;
    m.m_name = QCoreApplication::translate("lb::Mapping", "Default");
    auto rule = [](const char *source, const char *target, QList<Transform> chain = {}) {
        MappingRule r;
        r.source = QString::fromLatin1(source);
        r.target = QString::fromLatin1(target);
        r.transforms = std::move(chain);
        return r;
    };
    const Transform trim = Transform::trim();
    m.m_rules[index(RecordKind::Contact)] = {
        rule("firstName", "First Name", {trim}),
        rule("lastName", "Last Name", {trim}),
        rule("email", "Email", {trim, Transform::lower()}),
        // National numbers get the contact's country code (else the profile's default country); what
        // cannot be converted is sent as written, with a warning (the rule's onFailure).
        rule("phone", "Phone Number", {Transform::phoneE164()}),
        rule("companyName", "Company", {trim}),
        rule("city", "City", {trim}),
        rule("country", "Country", {trim}),
        rule("id", "GHL Contact ID"),
        rule("tags", "tags", {trim}),
    };

    MappingRule taskNote = rule("title", "taskNote", {Transform::concat(QStringLiteral("\n\n"))});
    taskNote.extraSources = QStringList{QStringLiteral("body")};
    MappingRule taskType = rule("", "taskType", {Transform::constant(QStringLiteral("9"))});
    m.m_rules[index(RecordKind::Task)] = {
        taskNote,
        taskType,
        rule("dueDate", "dueDate", {Transform::date(QStringLiteral("yyyy-MM-dd"))}),
        rule("completed", "completed"),
    };

    // Saleshandy notes have no title: it leads the content (SALESHANDY.md §12).
    MappingRule content = rule("title", "content", {Transform::concat(QStringLiteral("\n\n"))});
    content.extraSources = QStringList{QStringLiteral("body")};
    m.m_rules[index(RecordKind::Note)] = {content};

    m.m_rules[index(RecordKind::Appointment)] = {
        rule("appointments.next", "GHL Next Appointment", {Transform::date(QStringLiteral("yyyy-MM-dd"))}),
        rule("appointments.summary", "GHL Appointments",
             {Transform::truncate(LongTextFieldMaxLength, QStringLiteral("…"))}),
    };

    m.m_requiredFields = {
        TargetField{QStringLiteral("GHL Contact ID"), TargetFieldType::Text, {}, {}, false},
        TargetField{QStringLiteral("GHL Next Appointment"), TargetFieldType::Date, {}, {}, false},
        TargetField{QStringLiteral("GHL Appointments"), TargetFieldType::LongText, {}, {}, false},
    };
    return m;
}

bool FieldMapping::removeRule(RecordKind kind, int i)
{
    QList<MappingRule> &rules = m_rules[index(kind)];
    if (i < 0 || i >= rules.size())
        return false;
    rules.removeAt(i);
    return true;
}

int FieldMapping::ruleCount() const
{
    int n = 0;
    for (const QList<MappingRule> &rules : m_rules)
        n += int(rules.size());
    return n;
}

std::optional<TargetField> FieldMapping::requiredField(const QString &label) const
{
    for (const TargetField &f : m_requiredFields)
        if (f.label == label)
            return f;
    return std::nullopt;
}

QList<TargetField> FieldMapping::missingFields(const QList<TargetField> &existing) const
{
    QList<TargetField> out;
    for (const TargetField &f : m_requiredFields) {
        const bool present = std::any_of(existing.cbegin(), existing.cend(),
                                         [&](const TargetField &e) { return e.label == f.label; });
        if (!present)
            out.append(f);
    }
    return out;
}

bool FieldMapping::hasEmailRule() const
{
    const QList<MappingRule> &rules = m_rules[index(RecordKind::Contact)];
    return std::any_of(rules.cbegin(), rules.cend(),
                       [](const MappingRule &r) { return r.target == target::Email; });
}

QStringList FieldMapping::targetLabels() const
{
    QStringList out;
    for (RecordKind kind : {RecordKind::Contact, RecordKind::Appointment})
        for (const MappingRule &r : m_rules[index(kind)])
            if (r.target != target::Tags && !out.contains(r.target))
                out << r.target;
    return out;
}

bool operator==(const FieldMapping &a, const FieldMapping &b)
{
    return a.m_formatVersion == b.m_formatVersion && a.m_revision == b.m_revision && a.m_name == b.m_name &&
           a.m_timeZone == b.m_timeZone && a.m_rules == b.m_rules &&
           a.m_requiredFields == b.m_requiredFields && a.m_policy == b.m_policy &&
           a.m_fieldLimits == b.m_fieldLimits;
}

int FieldMapping::defaultFieldLimit(TargetFieldType type)
{
    switch (type) {
    case TargetFieldType::Text:
    case TargetFieldType::Dropdown:
        return TextFieldMaxLength;
    case TargetFieldType::LongText:
        return LongTextFieldMaxLength;
    case TargetFieldType::Number:
    case TargetFieldType::Date:
    case TargetFieldType::Currency:
        return 0;
    }
    return 0;
}

int FieldMapping::fieldLimit(const QString &label, TargetFieldType type) const
{
    const auto it = m_fieldLimits.constFind(label);
    return it != m_fieldLimits.constEnd() ? it.value() : defaultFieldLimit(type);
}

void FieldMapping::setFieldLimit(const QString &label, int max)
{
    if (max <= 0)
        m_fieldLimits.remove(label);
    else
        m_fieldLimits.insert(label, max);
}

QString onFailureName(OnFailure onFailure)
{
    switch (onFailure) {
    case OnFailure::KeepAsWritten:
        return QStringLiteral("keep");
    case OnFailure::LeaveUnchanged:
        return QStringLiteral("leave");
    case OnFailure::SendEmpty:
        return QStringLiteral("empty");
    case OnFailure::MarkInvalid:
        return QStringLiteral("invalid");
    }
    return {};
}

std::optional<OnFailure> onFailureFromName(QStringView name)
{
    for (OnFailure f :
         {OnFailure::KeepAsWritten, OnFailure::LeaveUnchanged, OnFailure::SendEmpty, OnFailure::MarkInvalid})
        if (name == onFailureName(f))
            return f;
    return std::nullopt;
}

QString warningKindName(WarningKind kind)
{
    switch (kind) {
    case WarningKind::KeptAsWritten:
        return QStringLiteral("kept-as-written");
    case WarningKind::Cut:
        return QStringLiteral("cut");
    case WarningKind::LeftUnchanged:
        return QStringLiteral("left-unchanged");
    case WarningKind::SentEmpty:
        return QStringLiteral("sent-empty");
    case WarningKind::NotSent:
        return QStringLiteral("not-sent");
    }
    return {};
}

std::optional<WarningKind> warningKindFromName(QStringView name)
{
    for (WarningKind k : {WarningKind::KeptAsWritten, WarningKind::Cut, WarningKind::LeftUnchanged,
                          WarningKind::SentEmpty, WarningKind::NotSent})
        if (name == warningKindName(k))
            return k;
    return std::nullopt;
}

QJsonObject fieldWarningToJson(const FieldWarning &w)
{
    return QJsonObject{{QStringLiteral("kind"), warningKindName(w.kind)},
                       {QStringLiteral("target"), w.target},
                       {QStringLiteral("value"), w.value},
                       {QStringLiteral("message"), w.message}};
}

FieldWarning fieldWarningFromJson(const QJsonObject &o)
{
    FieldWarning w;
    w.kind =
        warningKindFromName(o.value(QStringLiteral("kind")).toString()).value_or(WarningKind::KeptAsWritten);
    w.target = o.value(QStringLiteral("target")).toString();
    w.value = o.value(QStringLiteral("value")).toString();
    w.message = o.value(QStringLiteral("message")).toString();
    return w;
}

} // namespace lb
