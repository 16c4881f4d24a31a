#include "domain/Saleshandy.h"

#include "domain/Json.h"

#include <QJsonArray>

namespace lb::sh {

using L = QLatin1StringView;

namespace {

/// The first non-empty string among `keys`: Saleshandy's shapes differ between endpoints.
QString firstOf(const QJsonObject &o, std::initializer_list<const char *> keys)
{
    for (const char *key : keys) {
        const QString v = json::str(o, QLatin1StringView(key));
        if (!v.isEmpty())
            return v;
    }
    return {};
}

/// An id that may sit flat (`prospectId`) or in a nested object (`prospect.id`).
QString nestedId(const QJsonObject &o, const char *flatKey, const char *objectKey)
{
    const QString flat = json::str(o, QLatin1StringView(flatKey));
    if (!flat.isEmpty())
        return flat;
    return json::str(o.value(QLatin1StringView(objectKey)).toObject(), L("id"));
}

} // namespace

QString visibilityCode(NoteVisibility v)
{
    return v == NoteVisibility::Team ? QStringLiteral("1") : QStringLiteral("2");
}

QString conflictActionName(ConflictAction action)
{
    switch (action) {
    case ConflictAction::Overwrite:
        return QStringLiteral("overwrite");
    case ConflictAction::NoUpdate:
        return QStringLiteral("noUpdate");
    case ConflictAction::AddMissingFields:
        return QStringLiteral("addMissingFields");
    case ConflictAction::Upsert:
        return QStringLiteral("upsert");
    }
    return {};
}

std::optional<ConflictAction> conflictActionFromName(const QString &name)
{
    for (ConflictAction a : {ConflictAction::Overwrite, ConflictAction::NoUpdate,
                             ConflictAction::AddMissingFields, ConflictAction::Upsert})
        if (conflictActionName(a) == name)
            return a;
    return std::nullopt;
}

SaleshandyField SaleshandyField::fromJson(const QJsonObject &o)
{
    SaleshandyField f;
    f.id = json::str(o, L("id"));
    f.label = json::str(o, L("label"));
    f.fieldType = firstOf(o, {"fieldType", "type"});
    f.isDefault = json::boolean(o, L("isDefault"), json::boolean(o, L("isSystemField")));
    return f;
}

std::optional<SaleshandyField> fieldByLabel(const QList<SaleshandyField> &fields, const QString &label)
{
    for (const SaleshandyField &f : fields)
        if (f.label.compare(label, Qt::CaseInsensitive) == 0)
            return f;
    return std::nullopt;
}

Prospect Prospect::fromJson(const QJsonObject &o)
{
    Prospect p;
    p.id = json::str(o, L("id"));
    p.createdAt = json::dateTime(o, L("createdAt"));
    p.verificationStatus = json::str(o, L("verificationStatus"));
    const QJsonValue attributes = o.value(L("attributes"));
    if (attributes.isArray()) {
        for (const QJsonValue &v : attributes.toArray()) {
            const QJsonObject a = v.toObject();
            const QString key = firstOf(a, {"key", "label", "fieldName"});
            if (key.isEmpty())
                continue;
            p.attributes.insert(key, json::str(a, L("value")));
            const QString id = firstOf(a, {"id", "fieldId"});
            if (!id.isEmpty())
                p.attributeIds.insert(key, id);
        }
    } else if (attributes.isObject()) {
        // Not seen, but cheap to accept: {label: value}.
        const QJsonObject a = attributes.toObject();
        for (auto it = a.begin(); it != a.end(); ++it)
            p.attributes.insert(it.key(), it.value().toVariant().toString());
    }
    p.email = json::str(o, L("email"));
    if (p.email.isEmpty())
        p.email = p.attributes.value(QLatin1String(label::kEmail));
    return p;
}

SequenceStep SequenceStep::fromJson(const QJsonObject &o)
{
    SequenceStep s;
    s.id = json::str(o, L("id"));
    s.name = json::str(o, L("name"));
    s.number = json::str(o, L("number")).toInt();
    s.type = json::str(o, L("type")).toInt();
    return s;
}

Sequence Sequence::fromJson(const QJsonObject &o)
{
    Sequence s;
    s.id = json::str(o, L("id"));
    s.title = firstOf(o, {"title", "name"});
    s.active = json::boolean(o, L("active"));
    for (const QJsonValue &v : o.value(L("steps")).toArray()) {
        SequenceStep step = SequenceStep::fromJson(v.toObject());
        if (!step.id.isEmpty())
            s.steps.append(step);
    }
    return s;
}

ShTask ShTask::fromJson(const QJsonObject &o)
{
    ShTask t;
    t.id = json::str(o, L("id"));
    t.prospectId = nestedId(o, "prospectId", "prospect");
    t.taskType = json::str(o, L("taskType"));
    t.priority = json::str(o, L("priority"));
    t.status = json::str(o, L("status"));
    // A date-only string, or a full timestamp whose date part is meant.
    const QString due = json::str(o, L("dueDate"));
    t.dueDate = QDate::fromString(due.left(10), Qt::ISODate);
    t.note = firstOf(o, {"taskNote", "note"});
    return t;
}

ShNote ShNote::fromJson(const QJsonObject &o)
{
    ShNote n;
    n.id = json::str(o, L("id"));
    n.prospectId = nestedId(o, "prospectId", "prospect");
    n.content = json::str(o, L("content"));
    n.visibility = json::str(o, L("visibility"));
    n.createdAt = json::dateTime(o, L("createdAt"));
    n.updatedAt = json::dateTime(o, L("updatedAt"));
    return n;
}

} // namespace lb::sh
