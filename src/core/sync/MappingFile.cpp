#include "sync/MappingFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QTimeZone>

namespace lb {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::MappingFile", text);
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return tr("null");
    case QJsonValue::Bool:
        return tr("a boolean");
    case QJsonValue::Double:
        return tr("a number");
    case QJsonValue::String:
        return tr("a string");
    case QJsonValue::Array:
        return tr("an array");
    case QJsonValue::Object:
        return tr("an object");
    default:
        return tr("nothing");
    }
}

// The policy's choices as mapping files spell them.
template <typename Enum> struct EnumName
{
    Enum value;
    const char *name;
};
constexpr EnumName<SharedEmailFields> SharedEmailFieldsNames[] = {
    {SharedEmailFields::MostRecentlyUpdated, "most-recently-updated"}, {SharedEmailFields::Oldest, "oldest"}};
constexpr EnumName<SharedEmailTags> SharedEmailTagsNames[] = {
    {SharedEmailTags::Union, "union"}, {SharedEmailTags::ChosenContact, "chosen-contact"}};
constexpr EnumName<DeletedNotePolicy> DeletedNoteNames[] = {{DeletedNotePolicy::Leave, "leave"},
                                                            {DeletedNotePolicy::MarkDeleted, "mark-deleted"}};
constexpr EnumName<DeletedContactPolicy> DeletedContactNames[] = {{DeletedContactPolicy::Tag, "tag"},
                                                                  {DeletedContactPolicy::Nothing, "nothing"}};

template <typename Enum, size_t N> QString enumName(const EnumName<Enum> (&names)[N], Enum value)
{
    for (const EnumName<Enum> &n : names)
        if (n.value == value)
            return QString::fromLatin1(n.name);
    return {};
}

template <typename Enum, size_t N> QStringList enumNames(const EnumName<Enum> (&names)[N])
{
    QStringList out;
    for (const EnumName<Enum> &n : names)
        out << QString::fromLatin1(n.name);
    return out;
}

// Reads one level of the document; the first error wins and every later read is a no-op.
class Reader
{
public:
    explicit Reader(MappingFileError *error) : m_error(error) {}

    [[nodiscard]] bool failed() const { return m_failed; }
    bool fail(const QString &path, const QString &message)
    {
        if (!m_failed && m_error)
            *m_error = MappingFileError{path, message, 0, 0};
        m_failed = true;
        return false;
    }
    bool onlyKeys(const QJsonObject &o, const QString &path, const QStringList &known)
    {
        for (auto it = o.constBegin(); it != o.constEnd(); ++it)
            if (!known.contains(it.key()))
                return fail(path + u'.' + it.key(),
                            tr("unknown key (known here: %1)").arg(known.join(QStringLiteral(", "))));
        return true;
    }
    bool string(const QJsonObject &o, const QString &key, const QString &path, QString *into,
                bool required = false)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return required ? fail(path + u'.' + key, tr("missing")) : true;
        if (!v.isString())
            return fail(path + u'.' + key, tr("must be a string (found %1)").arg(typeName(v)));
        *into = v.toString();
        return true;
    }
    bool strings(const QJsonObject &o, const QString &key, const QString &path, QStringList *into)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return true;
        if (!v.isArray())
            return fail(path + u'.' + key, tr("must be an array of strings (found %1)").arg(typeName(v)));
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            if (!a.at(i).isString())
                return fail(QStringLiteral("%1.%2[%3]").arg(path, key).arg(i),
                            tr("must be a string (found %1)").arg(typeName(a.at(i))));
            into->append(a.at(i).toString());
        }
        return true;
    }
    bool integer(const QJsonObject &o, const QString &key, const QString &path, int *into)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return true;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != double(qint64(d)) || d < 0 || d > 2'000'000'000)
            return fail(path + u'.' + key,
                        tr("must be a whole number of at least 0 (found %1)")
                            .arg(v.isString() ? u'\'' + v.toString() + u'\'' : typeName(v)));
        *into = int(d);
        return true;
    }

    // A string that must be one of `names`; `into` keeps its value when the key is absent.
    template <typename Enum, size_t N>
    bool choice(const QJsonObject &o, const QString &key, const QString &path,
                const EnumName<Enum> (&names)[N], Enum *into)
    {
        QString text;
        if (!o.contains(key))
            return true;
        if (!string(o, key, path, &text))
            return false;
        for (const EnumName<Enum> &n : names) {
            if (text == QLatin1StringView(n.name)) {
                *into = n.value;
                return true;
            }
        }
        return fail(
            path + u'.' + key,
            tr("unknown value '%1' (known: %2)").arg(text, enumNames(names).join(QStringLiteral(", "))));
    }

private:
    MappingFileError *m_error;
    bool m_failed = false;
};

std::optional<MappingRule> readRule(Reader &r, const QJsonValue &value, const QString &path, int version)
{
    if (!value.isObject()) {
        r.fail(path,
               tr("a rule must be an object with a source and a target (found %1)").arg(typeName(value)));
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    MappingRule rule;
    QStringList keys{QStringLiteral("source"),     QStringLiteral("extraSources"), QStringLiteral("target"),
                     QStringLiteral("transforms"), QStringLiteral("transform"),    QStringLiteral("default")};
    if (version >= 2)
        keys << QStringLiteral("onFailure");
    r.onlyKeys(o, path, keys);
    r.string(o, QStringLiteral("target"), path, &rule.target, true);
    if (!r.failed() && rule.target.trimmed().isEmpty())
        r.fail(path + QStringLiteral(".target"), tr("must not be empty"));
    r.string(o, QStringLiteral("source"), path, &rule.source);
    r.strings(o, QStringLiteral("extraSources"), path, &rule.extraSources);
    r.string(o, QStringLiteral("default"), path, &rule.defaultValue);
    QString onFailure;
    if (r.string(o, QStringLiteral("onFailure"), path, &onFailure) &&
        o.contains(QLatin1StringView("onFailure"))) {
        if (const auto f = onFailureFromName(onFailure))
            rule.onFailure = *f;
        else
            r.fail(path + QStringLiteral(".onFailure"),
                   tr("unknown value '%1' (known: keep, leave, empty, invalid)").arg(onFailure));
    }
    if (r.failed())
        return std::nullopt;

    if (o.contains(QLatin1StringView("transforms")) && o.contains(QLatin1StringView("transform"))) {
        r.fail(path + QStringLiteral(".transform"),
               tr("give either \"transform\" or \"transforms\", not both"));
        return std::nullopt;
    }
    QJsonArray chain;
    QString chainPath = path + QStringLiteral(".transforms");
    if (o.contains(QLatin1StringView("transform"))) {
        chain.append(o.value(QLatin1StringView("transform")));
        chainPath = path + QStringLiteral(".transform");
    } else if (o.contains(QLatin1StringView("transforms"))) {
        const QJsonValue v = o.value(QLatin1StringView("transforms"));
        if (!v.isArray()) {
            r.fail(chainPath, tr("must be an array of transforms (found %1)").arg(typeName(v)));
            return std::nullopt;
        }
        chain = v.toArray();
    }
    for (int i = 0; i < chain.size(); ++i) {
        TransformError te;
        const auto t = Transform::fromJson(chain.at(i), &te);
        if (!t) {
            QString where = o.contains(QLatin1StringView("transform"))
                                ? chainPath
                                : QStringLiteral("%1[%2]").arg(chainPath).arg(i);
            if (!te.path.isEmpty())
                where += u'.' + te.path;
            r.fail(where, te.message);
            return std::nullopt;
        }
        rule.transforms.append(*t);
    }

    const bool valueWithoutSource =
        !rule.defaultValue.isEmpty() ||
        std::any_of(rule.transforms.cbegin(), rule.transforms.cend(), [](const Transform &t) {
            return t.kind() == Transform::Kind::Constant || t.kind() == Transform::Kind::DefaultIfEmpty;
        });
    if (rule.source.trimmed().isEmpty() && !valueWithoutSource) {
        r.fail(path + QStringLiteral(".source"),
               rule.source.isEmpty() && !o.contains(QLatin1StringView("source"))
                   ? tr("missing (name a GHL field, or give a constant transform or a default)")
                   : tr("must not be empty (name a GHL field, or give a constant transform or a default)"));
        return std::nullopt;
    }
    for (int i = 0; i < rule.extraSources.size(); ++i) {
        if (rule.extraSources.at(i).trimmed().isEmpty()) {
            r.fail(QStringLiteral("%1.extraSources[%2]").arg(path).arg(i), tr("must not be empty"));
            return std::nullopt;
        }
    }
    return rule;
}

std::optional<TargetField> readField(Reader &r, const QJsonValue &value, const QString &path)
{
    if (!value.isObject()) {
        r.fail(path, tr("must be an object with a label and a fieldType (found %1)").arg(typeName(value)));
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    TargetField f;
    QString type;
    r.onlyKeys(o, path,
               {QStringLiteral("label"), QStringLiteral("fieldType"), QStringLiteral("options"),
                QStringLiteral("currencyCode")});
    r.string(o, QStringLiteral("label"), path, &f.label, true);
    r.string(o, QStringLiteral("fieldType"), path, &type, true);
    r.strings(o, QStringLiteral("options"), path, &f.options);
    r.string(o, QStringLiteral("currencyCode"), path, &f.currencyCode);
    if (r.failed())
        return std::nullopt;
    if (f.label.trimmed().isEmpty()) {
        r.fail(path + QStringLiteral(".label"), tr("must not be empty"));
        return std::nullopt;
    }
    const auto t = targetFieldTypeFromName(type);
    if (!t) {
        r.fail(path + QStringLiteral(".fieldType"), tr("unknown Saleshandy field type '%1' (known: text, "
                                                       "number, date, long-text, dropdown, currency)")
                                                        .arg(type));
        return std::nullopt;
    }
    f.type = *t;
    if (f.type == TargetFieldType::Dropdown && f.options.size() > 50) {
        r.fail(path + QStringLiteral(".options"),
               tr("Saleshandy allows at most 50 options (found %1)").arg(f.options.size()));
        return std::nullopt;
    }
    return f;
}

std::optional<SyncPolicy> readPolicy(Reader &r, const QJsonValue &value)
{
    const QString path = QStringLiteral("$.policy");
    SyncPolicy policy;
    if (value.isUndefined())
        return policy;
    if (!value.isObject()) {
        r.fail(path, tr("must be an object (found %1)").arg(typeName(value)));
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    r.onlyKeys(o, path,
               {QStringLiteral("sharedEmailFields"), QStringLiteral("sharedEmailTags"),
                QStringLiteral("deletedNotes"), QStringLiteral("deletedContacts"),
                QStringLiteral("deletedContactTag"), QStringLiteral("defaultCountry")});
    r.choice(o, QStringLiteral("sharedEmailFields"), path, SharedEmailFieldsNames, &policy.sharedEmailFields);
    r.choice(o, QStringLiteral("sharedEmailTags"), path, SharedEmailTagsNames, &policy.sharedEmailTags);
    r.choice(o, QStringLiteral("deletedNotes"), path, DeletedNoteNames, &policy.deletedNotes);
    r.choice(o, QStringLiteral("deletedContacts"), path, DeletedContactNames, &policy.deletedContacts);
    r.string(o, QStringLiteral("deletedContactTag"), path, &policy.deletedContactTag);
    r.string(o, QStringLiteral("defaultCountry"), path, &policy.defaultCountry);
    if (r.failed())
        return std::nullopt;
    if (transforms::trimmed(policy.deletedContactTag).isEmpty()) {
        r.fail(path + QStringLiteral(".deletedContactTag"), tr("must not be empty"));
        return std::nullopt;
    }
    policy.defaultCountry = policy.defaultCountry.trimmed().toUpper();
    if (!policy.defaultCountry.isEmpty() && !transforms::isCountryCode(policy.defaultCountry)) {
        r.fail(path + QStringLiteral(".defaultCountry"),
               tr("'%1' is not an ISO 3166-1 alpha-2 country code (e.g. \"DE\", \"US\"; empty for none)")
                   .arg(o.value(QLatin1StringView("defaultCountry")).toString()));
        return std::nullopt;
    }
    return policy;
}

std::optional<QMap<QString, int>> readFieldLimits(Reader &r, const QJsonValue &value)
{
    const QString path = QStringLiteral("$.fieldLimits");
    QMap<QString, int> limits;
    if (value.isUndefined())
        return limits;
    if (!value.isObject()) {
        r.fail(path, tr("must be an object of Saleshandy field label → most characters (found %1)")
                         .arg(typeName(value)));
        return std::nullopt;
    }
    const QJsonObject o = value.toObject();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
        const QString where = path + u'.' + it.key();
        if (it.key().trimmed().isEmpty()) {
            r.fail(where, tr("a field label must not be empty"));
            return std::nullopt;
        }
        const double d = it.value().toDouble(-1);
        if (!it.value().isDouble() || d != double(qint64(d)) || d < 1 || d > 100'000'000) {
            r.fail(where, tr("must be a whole number of at least 1 (found %1)")
                              .arg(it.value().isDouble() ? QString::number(d) : typeName(it.value())));
            return std::nullopt;
        }
        limits.insert(it.key(), int(d));
    }
    return limits;
}

} // namespace

QString MappingFileError::toString() const
{
    if (line > 0)
        return tr("line %1, column %2: %3").arg(line).arg(column).arg(message);
    return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
}

QJsonObject MappingFile::toJsonObject(const FieldMapping &mapping)
{
    QJsonObject rules;
    for (RecordKind kind : allRecordKinds()) {
        QJsonArray list;
        for (const MappingRule &rule : mapping.rules(kind)) {
            QJsonObject o{{QStringLiteral("target"), rule.target}};
            if (!rule.source.isEmpty())
                o.insert(QStringLiteral("source"), rule.source);
            if (!rule.extraSources.isEmpty())
                o.insert(QStringLiteral("extraSources"), QJsonArray::fromStringList(rule.extraSources));
            if (!rule.transforms.isEmpty()) {
                QJsonArray chain;
                for (const Transform &t : rule.transforms)
                    chain.append(t.toJson());
                o.insert(QStringLiteral("transforms"), chain);
            }
            if (!rule.defaultValue.isEmpty())
                o.insert(QStringLiteral("default"), rule.defaultValue);
            if (rule.onFailure != OnFailure::KeepAsWritten)
                o.insert(QStringLiteral("onFailure"), onFailureName(rule.onFailure));
            list.append(o);
        }
        rules.insert(recordKindName(kind), list);
    }
    QJsonArray fields;
    for (const TargetField &f : mapping.requiredFields()) {
        QJsonObject o{{QStringLiteral("label"), f.label},
                      {QStringLiteral("fieldType"), targetFieldTypeName(f.type)}};
        if (!f.options.isEmpty())
            o.insert(QStringLiteral("options"), QJsonArray::fromStringList(f.options));
        if (!f.currencyCode.isEmpty())
            o.insert(QStringLiteral("currencyCode"), f.currencyCode);
        fields.append(o);
    }
    const SyncPolicy &p = mapping.policy();
    const QJsonObject policy{
        {QStringLiteral("sharedEmailFields"), enumName(SharedEmailFieldsNames, p.sharedEmailFields)},
        {QStringLiteral("sharedEmailTags"), enumName(SharedEmailTagsNames, p.sharedEmailTags)},
        {QStringLiteral("deletedNotes"), enumName(DeletedNoteNames, p.deletedNotes)},
        {QStringLiteral("deletedContacts"), enumName(DeletedContactNames, p.deletedContacts)},
        {QStringLiteral("deletedContactTag"), p.deletedContactTag},
        {QStringLiteral("defaultCountry"), p.defaultCountry}};
    QJsonObject limits;
    for (auto it = mapping.fieldLimits().cbegin(); it != mapping.fieldLimits().cend(); ++it)
        limits.insert(it.key(), it.value());
    return QJsonObject{{QStringLiteral("formatVersion"), FormatVersion},
                       {QStringLiteral("name"), mapping.name()},
                       {QStringLiteral("revision"), mapping.revision()},
                       {QStringLiteral("timeZone"), mapping.timeZone()},
                       {QStringLiteral("rules"), rules},
                       {QStringLiteral("requiredFields"), fields},
                       {QStringLiteral("policy"), policy},
                       {QStringLiteral("fieldLimits"), limits}};
}

QByteArray MappingFile::toJson(const FieldMapping &mapping)
{
    return QJsonDocument(toJsonObject(mapping)).toJson(QJsonDocument::Indented);
}

std::optional<FieldMapping> MappingFile::fromJson(const QByteArray &data, MappingFileError *error)
{
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(data, &pe);
    if (pe.error != QJsonParseError::NoError) {
        // QJsonParseError gives a byte offset; people look for lines and columns (in characters).
        const QByteArray before = data.left(pe.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size()) + 1;
        if (error)
            *error = MappingFileError{
                QStringLiteral("$"),
                tr("not JSON: %1 (at byte offset %2)").arg(pe.errorString()).arg(pe.offset), line, column};
        return std::nullopt;
    }
    if (!doc.isObject()) {
        if (error)
            *error = MappingFileError{QStringLiteral("$"),
                                      tr("a mapping file holds one JSON object (found %1)")
                                          .arg(doc.isArray() ? tr("an array") : tr("a single value")),
                                      0, 0};
        return std::nullopt;
    }
    return fromJsonObject(doc.object(), error);
}

std::optional<FieldMapping> MappingFile::fromJsonObject(const QJsonObject &root, MappingFileError *error)
{
    Reader r(error);
    const QString top = QStringLiteral("$");

    // The version first: a newer file may have any shape, and the useful message is "update".
    QString versionKey = QStringLiteral("formatVersion");
    if (!root.contains(versionKey) && root.contains(QLatin1StringView("version")))
        versionKey = QStringLiteral("version");
    const QJsonValue versionValue = root.value(versionKey);
    if (versionValue.isUndefined()) {
        r.fail(QStringLiteral("$.formatVersion"), tr("missing: is this a LeadBridge mapping file?"));
        return std::nullopt;
    }
    int version = -1;
    if (!r.integer(root, versionKey, top, &version))
        return std::nullopt;
    if (version > FormatVersion) {
        r.fail(top + u'.' + versionKey, tr("the file has format version %1, which a newer LeadBridge wrote; "
                                           "this one reads up to version %2: update LeadBridge to import it")
                                            .arg(version)
                                            .arg(FormatVersion));
        return std::nullopt;
    }
    if (version < 1) {
        r.fail(top + u'.' + versionKey, tr("format version %1 does not exist (the first is 1)").arg(version));
        return std::nullopt;
    }

    FieldMapping m;
    m.setFormatVersion(version);
    QString name, zone = QStringLiteral("UTC");
    int revision = 1;
    QStringList keys{QStringLiteral("formatVersion"), QStringLiteral("version"),  QStringLiteral("name"),
                     QStringLiteral("revision"),      QStringLiteral("timeZone"), QStringLiteral("rules"),
                     QStringLiteral("requiredFields")};
    if (version >= 2) // onFailure per rule, the policy and the field limits
        keys << QStringLiteral("policy") << QStringLiteral("fieldLimits");
    r.onlyKeys(root, top, keys);
    r.string(root, QStringLiteral("name"), top, &name);
    r.integer(root, QStringLiteral("revision"), top, &revision);
    r.string(root, QStringLiteral("timeZone"), top, &zone);
    if (r.failed())
        return std::nullopt;
    if (!transforms::isKnownTimeZone(zone)) {
        r.fail(QStringLiteral("$.timeZone"),
               tr("unknown time zone '%1' (use an IANA name such as \"Europe/Berlin\")").arg(zone));
        return std::nullopt;
    }
    m.setName(name);
    m.setRevision(revision);
    m.setTimeZone(zone);

    const QJsonValue rulesValue = root.value(QLatin1StringView("rules"));
    if (rulesValue.isUndefined()) {
        r.fail(QStringLiteral("$.rules"),
               tr("missing: the rules per record kind (contact, task, note, appointment)"));
        return std::nullopt;
    }
    if (!rulesValue.isObject()) {
        r.fail(QStringLiteral("$.rules"),
               tr("must be an object of record kind → list of rules (found %1)").arg(typeName(rulesValue)));
        return std::nullopt;
    }
    const QJsonObject rules = rulesValue.toObject();
    for (auto it = rules.constBegin(); it != rules.constEnd(); ++it) {
        const QString path = QStringLiteral("$.rules.") + it.key();
        const auto kind = recordKindFromName(it.key());
        if (!kind) {
            r.fail(path,
                   tr("unknown record kind '%1' (known: contact, task, note, appointment)").arg(it.key()));
            return std::nullopt;
        }
        if (!it.value().isArray()) {
            r.fail(path, tr("must be a list of rules (found %1)").arg(typeName(it.value())));
            return std::nullopt;
        }
        const QJsonArray list = it.value().toArray();
        QList<MappingRule> parsed;
        parsed.reserve(list.size());
        for (int i = 0; i < list.size(); ++i) {
            const auto rule = readRule(r, list.at(i), QStringLiteral("%1[%2]").arg(path).arg(i), version);
            if (!rule)
                return std::nullopt;
            parsed.append(*rule);
        }
        m.setRules(*kind, parsed);
    }

    const QJsonValue fieldsValue = root.value(QLatin1StringView("requiredFields"));
    if (!fieldsValue.isUndefined()) {
        if (!fieldsValue.isArray()) {
            r.fail(QStringLiteral("$.requiredFields"),
                   tr("must be a list of fields (found %1)").arg(typeName(fieldsValue)));
            return std::nullopt;
        }
        QList<TargetField> fields;
        const QJsonArray list = fieldsValue.toArray();
        for (int i = 0; i < list.size(); ++i) {
            const auto f = readField(r, list.at(i), QStringLiteral("$.requiredFields[%1]").arg(i));
            if (!f)
                return std::nullopt;
            if (std::any_of(fields.cbegin(), fields.cend(),
                            [&](const TargetField &e) { return e.label == f->label; })) {
                r.fail(QStringLiteral("$.requiredFields[%1].label").arg(i),
                       tr("'%1' is listed twice").arg(f->label));
                return std::nullopt;
            }
            fields.append(*f);
        }
        m.setRequiredFields(fields);
    }

    // Version 1 files have neither: they read with the defaults.
    const auto policy = readPolicy(r, root.value(QLatin1StringView("policy")));
    if (!policy)
        return std::nullopt;
    m.setPolicy(*policy);
    const auto limits = readFieldLimits(r, root.value(QLatin1StringView("fieldLimits")));
    if (!limits)
        return std::nullopt;
    for (auto it = limits->cbegin(); it != limits->cend(); ++it)
        m.setFieldLimit(it.key(), it.value());
    return m;
}

bool MappingFile::save(const FieldMapping &mapping, const QString &fileName, QString *error)
{
    QSaveFile f(fileName);
    if (!f.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("cannot write %1: %2").arg(fileName, f.errorString());
        return false;
    }
    f.write(toJson(mapping));
    if (!f.commit()) {
        if (error)
            *error = tr("cannot write %1: %2").arg(fileName, f.errorString());
        return false;
    }
    return true;
}

std::optional<FieldMapping> MappingFile::load(const QString &fileName, MappingFileError *error)
{
    QFile f(fileName);
    if (!f.open(QIODevice::ReadOnly)) {
        if (error)
            *error = MappingFileError{{}, tr("cannot read %1: %2").arg(fileName, f.errorString()), 0, 0};
        return std::nullopt;
    }
    return fromJson(f.readAll(), error);
}

} // namespace lb
