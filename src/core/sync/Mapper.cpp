#include "sync/Mapper.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QTimeZone>
#include <QVarLengthArray>

#include <openssl/evp.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace lb {

// Named rather than anonymous: MapperPlan (declared in the header) holds these types.
namespace mapdetail {

QString tr(const char *text)
{
    return QCoreApplication::translate("lb::Mapping", text);
}

QString quoted(const QString &s)
{
    constexpr qsizetype Max = 60;
    if (s.size() <= Max)
        return u'\'' + s + u'\'';
    return u'\'' + s.left(Max) + QStringLiteral("…'");
}

// ---- sources -------------------------------------------------------------------------------------

enum class Src : quint8 {
    None, // a rule whose value is its constant or default
    Id,
    LocationId,
    FirstName,
    LastName,
    Name,
    Email,
    Phone,
    CompanyName,
    Address1,
    City,
    State,
    PostalCode,
    Country,
    Website,
    Timezone,
    Source,
    Type,
    AssignedTo,
    BusinessId,
    DateOfBirth,
    Dnd,
    Tags,
    DateAdded,
    DateUpdated,
    Custom,
    TaskId,
    TaskTitle,
    TaskBody,
    TaskDueDate,
    TaskCompleted,
    TaskAssignedTo,
    NoteId,
    NoteTitle,
    NoteBody,
    NoteUserId,
    NoteDateAdded,
    ApptNext,
    ApptLast,
    ApptCount,
    ApptSummary,
};

// What kind of value a source gives, for the type checks of validate().
enum class GhlType : quint8 {
    Text,
    LargeText,
    Number,
    Money,
    Date,
    Boolean,
    List,
    Email,
    Phone,
    Option,
    File,
    Unknown
};

QString ghlTypeName(GhlType t)
{
    switch (t) {
    case GhlType::Text:
        return QStringLiteral("TEXT");
    case GhlType::LargeText:
        return QStringLiteral("LARGE_TEXT");
    case GhlType::Number:
        return QStringLiteral("NUMERICAL");
    case GhlType::Money:
        return QStringLiteral("MONETORY");
    case GhlType::Date:
        return QStringLiteral("DATE");
    case GhlType::Boolean:
        return QStringLiteral("boolean");
    case GhlType::List:
        return QStringLiteral("list");
    case GhlType::Email:
        return QStringLiteral("EMAIL");
    case GhlType::Phone:
        return QStringLiteral("PHONE");
    case GhlType::Option:
        return QStringLiteral("SINGLE_OPTIONS");
    case GhlType::File:
        return QStringLiteral("FILE_UPLOAD");
    case GhlType::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

GhlType ghlTypeOf(const QString &dataType)
{
    if (dataType == u"TEXT")
        return GhlType::Text;
    if (dataType == u"LARGE_TEXT" || dataType == u"TEXTBOX_LIST")
        return GhlType::LargeText;
    if (dataType == u"NUMERICAL")
        return GhlType::Number;
    if (dataType == u"MONETORY" || dataType == u"MONETARY")
        return GhlType::Money;
    if (dataType == u"DATE")
        return GhlType::Date;
    if (dataType == u"CHECKBOX" || dataType == u"MULTIPLE_OPTIONS")
        return GhlType::List;
    if (dataType == u"SINGLE_OPTIONS" || dataType == u"RADIO")
        return GhlType::Option;
    if (dataType == u"PHONE")
        return GhlType::Phone;
    if (dataType == u"EMAIL")
        return GhlType::Email;
    if (dataType == u"FILE_UPLOAD")
        return GhlType::File;
    return GhlType::Unknown;
}

struct SourceName
{
    RecordKind kind;
    const char16_t *name;
    Src src;
    GhlType type;
};

constexpr SourceName SourceNames[] = {
    {RecordKind::Contact, u"id", Src::Id, GhlType::Text},
    {RecordKind::Contact, u"locationId", Src::LocationId, GhlType::Text},
    {RecordKind::Contact, u"firstName", Src::FirstName, GhlType::Text},
    {RecordKind::Contact, u"lastName", Src::LastName, GhlType::Text},
    {RecordKind::Contact, u"name", Src::Name, GhlType::Text},
    {RecordKind::Contact, u"email", Src::Email, GhlType::Email},
    {RecordKind::Contact, u"phone", Src::Phone, GhlType::Phone},
    {RecordKind::Contact, u"companyName", Src::CompanyName, GhlType::Text},
    {RecordKind::Contact, u"address1", Src::Address1, GhlType::Text},
    {RecordKind::Contact, u"city", Src::City, GhlType::Text},
    {RecordKind::Contact, u"state", Src::State, GhlType::Text},
    {RecordKind::Contact, u"postalCode", Src::PostalCode, GhlType::Text},
    {RecordKind::Contact, u"country", Src::Country, GhlType::Text},
    {RecordKind::Contact, u"website", Src::Website, GhlType::Text},
    {RecordKind::Contact, u"timezone", Src::Timezone, GhlType::Text},
    {RecordKind::Contact, u"source", Src::Source, GhlType::Text},
    {RecordKind::Contact, u"type", Src::Type, GhlType::Text},
    {RecordKind::Contact, u"assignedTo", Src::AssignedTo, GhlType::Text},
    {RecordKind::Contact, u"businessId", Src::BusinessId, GhlType::Text},
    {RecordKind::Contact, u"dateOfBirth", Src::DateOfBirth, GhlType::Date},
    {RecordKind::Contact, u"dnd", Src::Dnd, GhlType::Boolean},
    {RecordKind::Contact, u"tags", Src::Tags, GhlType::List},
    {RecordKind::Contact, u"dateAdded", Src::DateAdded, GhlType::Date},
    {RecordKind::Contact, u"dateUpdated", Src::DateUpdated, GhlType::Date},
    {RecordKind::Task, u"id", Src::TaskId, GhlType::Text},
    {RecordKind::Task, u"title", Src::TaskTitle, GhlType::Text},
    {RecordKind::Task, u"body", Src::TaskBody, GhlType::LargeText},
    {RecordKind::Task, u"dueDate", Src::TaskDueDate, GhlType::Date},
    {RecordKind::Task, u"completed", Src::TaskCompleted, GhlType::Boolean},
    {RecordKind::Task, u"assignedTo", Src::TaskAssignedTo, GhlType::Text},
    {RecordKind::Note, u"id", Src::NoteId, GhlType::Text},
    {RecordKind::Note, u"title", Src::NoteTitle, GhlType::Text},
    {RecordKind::Note, u"body", Src::NoteBody, GhlType::LargeText},
    {RecordKind::Note, u"userId", Src::NoteUserId, GhlType::Text},
    {RecordKind::Note, u"dateAdded", Src::NoteDateAdded, GhlType::Date},
    {RecordKind::Appointment, u"appointments.next", Src::ApptNext, GhlType::Date},
    {RecordKind::Appointment, u"appointments.last", Src::ApptLast, GhlType::Date},
    {RecordKind::Appointment, u"appointments.count", Src::ApptCount, GhlType::Number},
    {RecordKind::Appointment, u"appointments.summary", Src::ApptSummary, GhlType::LargeText},
};

struct SourceRef
{
    Src src = Src::None;
    GhlType type = GhlType::Unknown;
    bool customIsDate = false;
    QString customId;
    QString name;
};

enum class Resolve { Ok, Error, Unchecked };

Resolve resolveSource(RecordKind kind, const QString &name, const QList<CustomField> &defs, SourceRef *out,
                      QString *message)
{
    out->name = name;
    for (const SourceName &s : SourceNames) {
        if (s.kind == kind && name == QStringView(s.name)) {
            out->src = s.src;
            out->type = s.type;
            return Resolve::Ok;
        }
    }
    if (kind == RecordKind::Contact && (name.startsWith(u"custom:") || name.startsWith(u"custom."))) {
        const bool byId = name.at(6) == u':';
        const QString ref = name.mid(7);
        out->src = Src::Custom;
        if (ref.isEmpty()) {
            *message = tr("%1 names no custom field").arg(quoted(name));
            return Resolve::Error;
        }
        for (const CustomField &d : defs) {
            const bool match =
                byId ? d.id == ref : (d.fieldKey == ref || d.fieldKey == QStringLiteral("contact.") + ref);
            if (match) {
                out->customId = d.id;
                out->type = ghlTypeOf(d.dataType);
                out->customIsDate = d.dataType == u"DATE";
                return Resolve::Ok;
            }
        }
        if (byId)
            out->customId = ref;
        if (defs.isEmpty()) {
            *message = tr("cannot check %1: the location's custom fields are not known").arg(quoted(name));
            return byId ? Resolve::Unchecked : Resolve::Error;
        }
        *message = byId ? tr("the location has no custom field with id %1").arg(quoted(ref))
                        : tr("the location has no custom field with key %1").arg(quoted(ref));
        return Resolve::Error;
    }
    QString hint;
    for (const SourceName &s : SourceNames)
        if (s.kind == kind && name.compare(QStringView(s.name), Qt::CaseInsensitive) == 0)
            hint = tr(" (did you mean '%1'?)").arg(QString::fromUtf16(s.name));
    if (kind != RecordKind::Appointment && name.startsWith(u"appointments."))
        hint = tr(" (appointment values belong in the appointment rules)");
    *message = tr("unknown GHL %1 field %2%3").arg(recordKindName(kind), quoted(name), hint);
    return Resolve::Error;
}

// ---- targets -------------------------------------------------------------------------------------

enum class Tgt : quint8 { Field, Tags, Email, TaskNote, DueDate, TaskType, Priority, Completed, Content };

struct TargetRef
{
    Tgt tgt = Tgt::Field;
    QString label;
    TargetFieldType type = TargetFieldType::Text;
    QStringList options;
    bool system = false;
};

// ---- the plan ------------------------------------------------------------------------------------

struct CompiledRule
{
    int index = 0;
    int slot = -1; // prospect fields: position of the label in MapperPlan::slotLabels
    SourceRef primary;
    QList<SourceRef> extras;
    QList<Transform> transforms;
    QString defaultValue;
    TargetRef target;
    OnFailure onFailure = OnFailure::KeepAsWritten;
    int limit = 0;               // most characters the target takes; 0: no limit
    bool limitConfirmed = false; // set in the mapping, rather than the unconfirmed default
    bool phone = false;          // has a phone transform: needs the contact's country
};

// Collects a record's warnings, and their readable texts for MappedProspect::problems; the "task <id>: "
// prefix is only built (and translated) when one occurs.
struct Warnings
{
    QList<FieldWarning> &list;
    QStringList &texts;
    const char *prefixFormat = nullptr; // "task %1: ", "note %1: " or none
    const QString *id = nullptr;

    void add(WarningKind kind, const QString &target, const QString &value, const QString &message)
    {
        list.append(FieldWarning{kind, target, shortForLog(value), message});
        if (prefixFormat)
            texts << tr(prefixFormat).arg(*id) + message;
        else
            texts << message;
    }
    // The value as a warning keeps it: whole unless long.
    static QString shortForLog(const QString &value)
    {
        constexpr int Max = 200;
        return value.size() <= Max ? value : transforms::truncated(value, Max, QStringLiteral("…"));
    }
};

struct ApptDerived
{
    QDateTime next, last;
    int count = 0;
    QString summary;
};

// SHA-1 through OpenSSL (already a dependency of the core): about four times faster than Qt 6.4's
// own implementation, which made hashing a third of the mapping time. One context per thread.
class Sha1
{
public:
    Sha1()
    {
        m_md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
        if (m_md)
            m_ctx = EVP_MD_CTX_new();
    }
    ~Sha1()
    {
        EVP_MD_CTX_free(m_ctx);
        EVP_MD_free(m_md);
    }
    Sha1(const Sha1 &) = delete;
    Sha1 &operator=(const Sha1 &) = delete;

    // Hex digest of `data`; QCryptographicHash (the same SHA-1) if OpenSSL refuses, e.g. a FIPS policy.
    QByteArray hex(const char *data, size_t size)
    {
        unsigned char digest[20];
        unsigned int len = 0;
        if (!m_ctx || EVP_DigestInit_ex(m_ctx, m_md, nullptr) != 1 ||
            EVP_DigestUpdate(m_ctx, data, size) != 1 || EVP_DigestFinal_ex(m_ctx, digest, &len) != 1 ||
            len != 20) {
            return QCryptographicHash::hash(QByteArrayView(data, qsizetype(size)), QCryptographicHash::Sha1)
                .toHex();
        }
        static constexpr char Hex[] = "0123456789abcdef";
        QByteArray out(40, Qt::Uninitialized);
        char *o = out.data();
        for (unsigned char b : digest) {
            *o++ = Hex[b >> 4];
            *o++ = Hex[b & 15];
        }
        return out;
    }

private:
    EVP_MD *m_md = nullptr;
    EVP_MD_CTX *m_ctx = nullptr;
};

// The canonical serialisation that is hashed: a domain tag and a NUL, then each string as its UTF-8
// byte count (32-bit little-endian) followed by its UTF-8 bytes, numbers as 32-bit little-endian.
// Length prefixes keep it unambiguous ("A"+"bc" differs from "Ab"+"c"). The buffer is reused per thread.
class HashWriter
{
public:
    explicit HashWriter(const char *domain) : m_buf(buffer())
    {
        m_size = 0;
        const size_t n = std::strlen(domain) + 1;
        reserve(n);
        std::memcpy(m_buf.data(), domain, n);
        m_size = n;
    }
    void number(quint32 n)
    {
        reserve(4);
        put32(m_size, n);
        m_size += 4;
    }
    void text(QStringView s)
    {
        reserve(4 + size_t(s.size()) * 3);
        const size_t lengthAt = m_size;
        char *o = m_buf.data() + m_size + 4;
        char *const begin = o;
        const char16_t *p = s.utf16();
        const char16_t *const e = p + s.size();
        while (p < e) {
            while (p < e && *p < 0x80) // the common case, kept to a tight loop
                *o++ = char(*p++);
            if (p == e)
                break;
            const char32_t c = *p++;
            if (c < 0x800) {
                *o++ = char(0xC0 | (c >> 6));
                *o++ = char(0x80 | (c & 0x3F));
            } else if (QChar::isHighSurrogate(c) && p < e && QChar::isLowSurrogate(*p)) {
                const char32_t u = QChar::surrogateToUcs4(char16_t(c), *p++);
                *o++ = char(0xF0 | (u >> 18));
                *o++ = char(0x80 | ((u >> 12) & 0x3F));
                *o++ = char(0x80 | ((u >> 6) & 0x3F));
                *o++ = char(0x80 | (u & 0x3F));
            } else { // a lone surrogate is encoded as is, so that it still counts
                *o++ = char(0xE0 | (c >> 12));
                *o++ = char(0x80 | ((c >> 6) & 0x3F));
                *o++ = char(0x80 | (c & 0x3F));
            }
        }
        const size_t bytes = size_t(o - begin);
        put32(lengthAt, quint32(bytes));
        m_size += 4 + bytes;
    }
    [[nodiscard]] QByteArray hexSha1() const
    {
        thread_local Sha1 sha1;
        return sha1.hex(m_buf.data(), m_size);
    }

private:
    static std::vector<char> &buffer()
    {
        thread_local std::vector<char> b(4096);
        return b;
    }
    void reserve(size_t more)
    {
        if (m_size + more > m_buf.size())
            m_buf.resize(std::max(m_buf.size() * 2, m_size + more));
    }
    void put32(size_t at, quint32 n)
    {
        char *o = m_buf.data() + at;
        o[0] = char(n & 0xff);
        o[1] = char((n >> 8) & 0xff);
        o[2] = char((n >> 16) & 0xff);
        o[3] = char(n >> 24);
    }

    std::vector<char> &m_buf;
    size_t m_size = 0;
};

bool truthy(const QString &s)
{
    const QString t = s.trimmed();
    return t.compare(u"true", Qt::CaseInsensitive) == 0 || t == u"1" ||
           t.compare(u"yes", Qt::CaseInsensitive) == 0;
}

QString numberText(double d)
{
    if (d == static_cast<double>(static_cast<qint64>(d)))
        return QString::number(static_cast<qint64>(d));
    return QString::number(d, 'g', 15);
}

FieldValue customValue(const SourceRef &ref, const Contact &c)
{
    for (const CustomFieldValue &cf : c.customFields) {
        if (cf.fieldId != ref.customId)
            continue;
        const QJsonValue &v = cf.value;
        switch (v.type()) {
        case QJsonValue::String:
            return FieldValue(v.toString());
        case QJsonValue::Double:
            if (ref.customIsDate && v.toDouble() > 0) // GHL keeps DATE values as epoch milliseconds
                return FieldValue::fromDateTime(
                    QDateTime::fromMSecsSinceEpoch(qint64(v.toDouble()), Qt::UTC));
            return FieldValue(numberText(v.toDouble()));
        case QJsonValue::Bool:
            return FieldValue(v.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        case QJsonValue::Array: {
            QStringList items;
            for (const QJsonValue &item : v.toArray()) {
                if (item.isString())
                    items << item.toString();
                else if (item.isDouble())
                    items << numberText(item.toDouble());
                else if (item.isObject() && item.toObject().value(QLatin1StringView("url")).isString())
                    items << item.toObject().value(QLatin1StringView("url")).toString();
            }
            return FieldValue::fromList(std::move(items));
        }
        case QJsonValue::Object: {
            // FILE_UPLOAD: { "<uuid>": { "url": ..., "meta": {...} } } — the URLs are what a text can hold.
            const QJsonObject o = v.toObject();
            if (o.value(QLatin1StringView("url")).isString())
                return FieldValue(o.value(QLatin1StringView("url")).toString());
            QStringList urls;
            for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
                const QJsonValue url = it.value().toObject().value(QLatin1StringView("url"));
                if (url.isString())
                    urls << url.toString();
            }
            if (!urls.isEmpty())
                return FieldValue::fromList(std::move(urls));
            return FieldValue(cf.displayText());
        }
        default:
            return {};
        }
    }
    return {};
}

} // namespace mapdetail

using namespace mapdetail;

struct MapperPlan
{
    FieldMapping mapping;
    QList<MappingProblem> problems;
    bool usable = true;
    QList<CompiledRule> prospectRules; // contact and appointment rules: both write the prospect
    // The labels prospect rules write, sorted as QMap sorts them, so that map() fills the fields map
    // in key order with an end hint: no string comparisons per contact.
    QStringList slotLabels;
    int emailSlot = -1;
    QList<CompiledRule> taskRules;
    QList<CompiledRule> noteRules;
    bool needsAppointments = false;
    bool needsSummary = false;
    QDateTime now;
    qint64 nowMs = 0;
    bool utc = true;
    QTimeZone zone;
    QString defaultCallingCode; // of the policy's default country
    int taskNoteLimit = LongTextFieldMaxLength;
    bool taskNoteLimitConfirmed = false;
    int contentLimit = LongTextFieldMaxLength;
    bool contentLimitConfirmed = false;

    [[nodiscard]] FieldValue read(const SourceRef &ref, const Contact &c, const ApptDerived &appt) const;
    [[nodiscard]] FieldValue read(const SourceRef &ref, const Task &t) const;
    [[nodiscard]] FieldValue read(const SourceRef &ref, const Note &n) const;
    [[nodiscard]] ApptDerived derive(const QList<Appointment> &appointments) const;
    [[nodiscard]] QString dateText(const QDateTime &dt) const
    {
        return utc ? transforms::isoDateUtc(dt.toMSecsSinceEpoch())
                   : transforms::isoDate(dt.toTimeZone(zone).date());
    }
    // The rule's value: read, transformed, defaulted. `ok` false, with the reason, when a transform fails.
    template <typename Read>
    FieldValue evaluate(const CompiledRule &rule, Read read, const TransformContext &context, bool *ok,
                        QString *reason) const;
    // The rule's source values as GHL has them, before any transform: the value a failed conversion
    // sends by default (OnFailure::KeepAsWritten).
    template <typename Read>
    QString asWritten(const CompiledRule &rule, Read read, QStringView separator = u" ") const;
    bool fit(const FieldValue &value, const TargetRef &target, QString &out, QString *reason) const;
};

// ---- compiling and validating --------------------------------------------------------------------

namespace {

void compile(const FieldMapping &mapping, const QList<TargetField> &shFields, const QList<CustomField> &defs,
             MapperPlan *plan, QList<MappingProblem> &problems);

} // namespace

QString MappingProblem::toString() const
{
    if (rule < 0)
        return message;
    return tr("%1 rule %2: %3").arg(recordKindName(kind)).arg(rule + 1).arg(message);
}

namespace {

struct TargetLookup
{
    const QList<TargetField> &account;
    const FieldMapping &mapping;

    // The field a label names, in the account or among the fields the mapping creates.
    [[nodiscard]] std::optional<TargetField> find(const QString &label) const
    {
        for (const TargetField &f : account)
            if (f.label == label)
                return f;
        if (auto f = mapping.requiredField(label))
            return f;
        for (const TargetField &f : saleshandySystemFields())
            if (f.label == label)
                return f;
        return std::nullopt;
    }
    [[nodiscard]] QString hint(const QString &label) const
    {
        auto check = [&](const QList<TargetField> &fields) -> QString {
            for (const TargetField &f : fields)
                if (f.label.compare(label, Qt::CaseInsensitive) == 0 ||
                    f.label.simplified() == label.simplified())
                    return f.label;
            return {};
        };
        QString match = check(account);
        if (match.isEmpty())
            match = check(saleshandySystemFields());
        if (match.isEmpty())
            match = check(mapping.requiredFields());
        return match.isEmpty() ? QString() : tr(" (did you mean '%1'?)").arg(match);
    }
};

// Whether a value of `source` type can go into a `target` field, or what is wrong with it.
std::optional<std::pair<MappingProblem::Severity, QString>>
compatibility(GhlType source, const QString &sourceName, const TargetRef &target)
{
    using S = MappingProblem::Severity;
    const QString field = tr("Saleshandy %1 field '%2'").arg(targetFieldTypeName(target.type), target.label);
    auto no = [&] {
        return std::make_pair(
            S::Error,
            tr("GHL %1 value %2 cannot go into %3").arg(ghlTypeName(source), quoted(sourceName), field));
    };
    auto maybe = [&](const QString &why) { return std::make_pair(S::Warning, why); };
    if (source == GhlType::Unknown)
        return std::nullopt;
    switch (target.type) {
    case TargetFieldType::LongText:
        return std::nullopt;
    case TargetFieldType::Text:
        if (source == GhlType::LargeText)
            return maybe(tr("GHL LARGE_TEXT %1 into %2: values longer than the field's limit are cut, with "
                            "a warning per record (a long-text field fits better)")
                             .arg(quoted(sourceName), field));
        return std::nullopt;
    case TargetFieldType::Number:
    case TargetFieldType::Currency:
        if (source == GhlType::Number || source == GhlType::Money)
            return std::nullopt;
        if (source == GhlType::Text || source == GhlType::Option)
            return maybe(tr("GHL %1 %2 into %3: values that are not numbers will be reported per record")
                             .arg(ghlTypeName(source), quoted(sourceName), field));
        return no();
    case TargetFieldType::Date:
        if (source == GhlType::Date)
            return std::nullopt;
        if (source == GhlType::Text)
            return maybe(tr("GHL TEXT %1 into %2: values that are not dates will be reported per record")
                             .arg(quoted(sourceName), field));
        return no();
    case TargetFieldType::Dropdown:
        if (source == GhlType::Option)
            return std::nullopt;
        if (source == GhlType::Text)
            return maybe(
                tr("GHL TEXT %1 into %2: values that are not among its options will be reported per record")
                    .arg(quoted(sourceName), field));
        return no();
    }
    return std::nullopt;
}

void compile(const FieldMapping &mapping, const QList<TargetField> &shFields, const QList<CustomField> &defs,
             MapperPlan *plan, QList<MappingProblem> &problems)
{
    using S = MappingProblem::Severity;
    auto report = [&](S severity, RecordKind kind, int rule, const QString &message) {
        problems.append(MappingProblem{severity, kind, rule, message});
    };
    const TargetLookup lookup{shFields, mapping};

    if (!mapping.hasEmailRule())
        report(S::Error, RecordKind::Contact, -1,
               tr("no contact rule writes Saleshandy's Email, the key that identifies a prospect: add one "
                  "(email → Email)"));
    if (!mapping.timeZone().isEmpty() && !transforms::isKnownTimeZone(mapping.timeZone()))
        report(S::Error, RecordKind::Contact, -1,
               tr("unknown time zone '%1' (use an IANA name such as \"Europe/Berlin\")")
                   .arg(mapping.timeZone()));
    for (const TargetField &f : mapping.requiredFields()) {
        for (const TargetField &e : shFields)
            if (e.label == f.label && e.type != f.type)
                report(S::Warning, RecordKind::Contact, -1,
                       tr("Saleshandy field '%1' is a %2 field; the mapping expects %3")
                           .arg(f.label, targetFieldTypeName(e.type), targetFieldTypeName(f.type)));
    }

    QHash<QString, QPair<RecordKind, int>> prospectTargets;
    for (RecordKind kind : allRecordKinds()) {
        QHash<QString, int> childTargets;
        const QList<MappingRule> &rules = mapping.rules(kind);
        for (int i = 0; i < rules.size(); ++i) {
            const MappingRule &rule = rules.at(i);
            CompiledRule cr;
            cr.index = i;
            cr.transforms = rule.transforms;
            cr.defaultValue = rule.defaultValue;
            bool ok = true;

            // Target.
            const QString &label = rule.target;
            if (label.trimmed().isEmpty()) {
                report(S::Error, kind, i, tr("the rule has no target"));
                continue;
            }
            TargetRef &t = cr.target;
            t.label = label;
            if (kind == RecordKind::Task || kind == RecordKind::Note) {
                static const QHash<QString, Tgt> childTgts{{target::TaskNote.toString(), Tgt::TaskNote},
                                                           {target::DueDate.toString(), Tgt::DueDate},
                                                           {target::TaskType.toString(), Tgt::TaskType},
                                                           {target::Priority.toString(), Tgt::Priority},
                                                           {target::Completed.toString(), Tgt::Completed},
                                                           {target::Content.toString(), Tgt::Content}};
                if (!specialTargets(kind).contains(label)) {
                    report(S::Error, kind, i,
                           tr("a %1 rule cannot write %2 (it can write: %3)")
                               .arg(recordKindName(kind), quoted(label),
                                    specialTargets(kind).join(QStringLiteral(", "))));
                    continue;
                }
                t.tgt = childTgts.value(label);
                t.type = t.tgt == Tgt::DueDate ? TargetFieldType::Date : TargetFieldType::LongText;
                if (childTargets.contains(label))
                    report(S::Error, kind, i,
                           tr("writes %1, which rule %2 already writes")
                               .arg(quoted(label))
                               .arg(childTargets.value(label) + 1));
                childTargets.insert(label, i);
            } else if (label == target::Tags) {
                t.tgt = Tgt::Tags;
            } else {
                t.tgt = label == target::Email ? Tgt::Email : Tgt::Field;
                if (t.tgt == Tgt::Email && kind != RecordKind::Contact) {
                    report(S::Error, kind, i, tr("only contact rules can write Email"));
                    continue;
                }
                const auto field = lookup.find(label);
                if (field) {
                    t.type = field->system ? TargetFieldType::Text : field->type;
                    t.options = field->options;
                    t.system = field->system;
                } else if (!shFields.isEmpty()) {
                    report(S::Error, kind, i,
                           tr("Saleshandy has no field %1 and the mapping does not create it%2")
                               .arg(quoted(label), lookup.hint(label)));
                    ok = false;
                } else {
                    report(S::Warning, kind, i,
                           tr("%1 is not a Saleshandy system field and the mapping does not create it; make "
                              "sure the account has it%2")
                               .arg(quoted(label), lookup.hint(label)));
                }
                const auto prev = prospectTargets.constFind(label);
                if (prev != prospectTargets.cend())
                    report(S::Error, kind, i,
                           tr("writes Saleshandy field %1, which %2 rule %3 already writes")
                               .arg(quoted(label), recordKindName(prev->first))
                               .arg(prev->second + 1));
                else
                    prospectTargets.insert(label, {kind, i});
            }

            // What a value that does not fit becomes, and how long a value may be.
            cr.onFailure = rule.onFailure;
            const bool textLike = t.type == TargetFieldType::Text || t.type == TargetFieldType::LongText ||
                                  (t.type == TargetFieldType::Dropdown && t.options.isEmpty());
            if ((t.tgt == Tgt::Field && textLike) || t.tgt == Tgt::TaskNote || t.tgt == Tgt::Content) {
                cr.limit = mapping.fieldLimit(label, t.type);
                cr.limitConfirmed = mapping.hasFieldLimit(label);
            }
            cr.phone = std::any_of(rule.transforms.cbegin(), rule.transforms.cend(), [](const Transform &tf) {
                return tf.kind() == Transform::Kind::PhoneE164;
            });
            if (rule.onFailure == OnFailure::MarkInvalid && t.tgt == Tgt::Field)
                report(S::Warning, kind, i,
                       tr("a value of %1 that cannot be converted makes the whole prospect invalid, so it is "
                          "not "
                          "sent at all (\"keep\" sends the value as GHL has it, with a warning)")
                           .arg(quoted(label)));

            // Transforms.
            bool hasConstant = false;
            for (int k = 0; k < rule.transforms.size(); ++k) {
                const Transform &tf = rule.transforms.at(k);
                hasConstant = hasConstant || tf.kind() == Transform::Kind::Constant ||
                              tf.kind() == Transform::Kind::DefaultIfEmpty;
                if (const auto bad = tf.check()) {
                    report(S::Error, kind, i,
                           tr("transform %1 (%2): %3%4")
                               .arg(k + 1)
                               .arg(tf.name(),
                                    bad->path.isEmpty() ? QString() : bad->path + QStringLiteral(": "),
                                    bad->message));
                    ok = false;
                }
            }

            // Sources.
            if (rule.source.isEmpty()) {
                if (!hasConstant && rule.defaultValue.isEmpty()) {
                    report(S::Error, kind, i,
                           tr("the rule has no source (name a GHL field, or give a constant or a default)"));
                    ok = false;
                }
            } else {
                QString message;
                const Resolve r = resolveSource(kind, rule.source, defs, &cr.primary, &message);
                if (r == Resolve::Error) {
                    report(S::Error, kind, i, message);
                    ok = false;
                } else if (r == Resolve::Unchecked) {
                    report(S::Warning, kind, i, message);
                }
            }
            for (const QString &extra : rule.extraSources) {
                SourceRef ref;
                QString message;
                const Resolve r = resolveSource(kind, extra, defs, &ref, &message);
                if (r == Resolve::Error) {
                    report(S::Error, kind, i, message);
                    ok = false;
                } else if (r == Resolve::Unchecked) {
                    report(S::Warning, kind, i, message);
                }
                cr.extras.append(ref);
            }

            // Types: only where the chain does not decide the value's shape itself.
            if (ok && t.tgt == Tgt::Field && rule.extraSources.isEmpty()) {
                bool shaped = false;
                for (const Transform &tf : rule.transforms) {
                    switch (tf.kind()) {
                    case Transform::Kind::Constant:
                    case Transform::Kind::MapValues:
                    case Transform::Kind::Join:
                    case Transform::Kind::Concat:
                    case Transform::Kind::Split:
                        shaped = true;
                        break;
                    case Transform::Kind::Date:
                        shaped = true;
                        if (t.type == TargetFieldType::Date && tf.format() != u"yyyy-MM-dd" &&
                            tf.format() != u"iso-date")
                            report(S::Warning, kind, i,
                                   tr("Saleshandy date field %1 gets dates formatted as '%2'; it expects "
                                      "yyyy-MM-dd")
                                       .arg(quoted(label), tf.format()));
                        else if (t.type == TargetFieldType::Number || t.type == TargetFieldType::Currency ||
                                 t.type == TargetFieldType::Dropdown)
                            report(S::Error, kind, i,
                                   tr("a formatted date cannot go into Saleshandy %1 field %2")
                                       .arg(targetFieldTypeName(t.type), quoted(label)));
                        break;
                    default:
                        break;
                    }
                }
                if (!shaped && !rule.source.isEmpty()) {
                    if (const auto c = compatibility(cr.primary.type, rule.source, t)) {
                        report(c->first, kind, i, c->second);
                        ok = ok && c->first != S::Error;
                    }
                }
            }
            if (ok && kind == RecordKind::Task && t.tgt == Tgt::TaskType) {
                for (const Transform &tf : rule.transforms)
                    if (tf.kind() == Transform::Kind::Constant && !isSaleshandyTaskType(tf.value()))
                        report(
                            S::Error, kind, i,
                            tr("%1 is not a Saleshandy task type (e.g. \"9\" Custom, \"13\" Call follow-up)")
                                .arg(quoted(tf.value())));
            }

            if (!ok || !plan)
                continue;
            const bool appt = kind == RecordKind::Appointment;
            plan->needsAppointments = plan->needsAppointments || appt;
            if (appt && (cr.primary.src == Src::ApptSummary ||
                         std::any_of(cr.extras.cbegin(), cr.extras.cend(),
                                     [](const SourceRef &s) { return s.src == Src::ApptSummary; })))
                plan->needsSummary = true;
            switch (kind) {
            case RecordKind::Contact:
            case RecordKind::Appointment:
                plan->prospectRules.append(std::move(cr));
                break;
            case RecordKind::Task:
                plan->taskRules.append(std::move(cr));
                break;
            case RecordKind::Note:
                plan->noteRules.append(std::move(cr));
                break;
            }
        }
    }
    if (plan) {
        QStringList labels;
        for (const CompiledRule &cr : std::as_const(plan->prospectRules))
            if (cr.target.tgt == Tgt::Field || cr.target.tgt == Tgt::Email)
                labels << cr.target.label;
        labels << target::Email.toString();
        std::sort(labels.begin(), labels.end());
        labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
        for (CompiledRule &cr : plan->prospectRules)
            if (cr.target.tgt == Tgt::Field || cr.target.tgt == Tgt::Email)
                cr.slot = int(labels.indexOf(cr.target.label));
        plan->emailSlot = int(labels.indexOf(target::Email.toString()));
        plan->slotLabels = labels;
    }
    if (!mapping.rules(RecordKind::Note).isEmpty()) {
        const auto &rules = mapping.rules(RecordKind::Note);
        if (std::none_of(rules.cbegin(), rules.cend(),
                         [](const MappingRule &r) { return r.target == target::Content; }))
            report(S::Error, RecordKind::Note, -1,
                   tr("the note rules write no content, which a Saleshandy note needs"));
    }
}

} // namespace

QList<MappingProblem> Mapper::validate(const FieldMapping &mapping,
                                       const QList<TargetField> &saleshandyFields,
                                       const QList<CustomField> &customFields)
{
    QList<MappingProblem> problems;
    compile(mapping, saleshandyFields, customFields, nullptr, problems);
    return problems;
}

Mapper::Mapper(const FieldMapping &mapping, const MapperContext &context)
    : m_plan(std::make_unique<MapperPlan>())
{
    MapperPlan &p = *m_plan;
    p.mapping = mapping;
    compile(mapping, context.saleshandyFields, context.customFields, &p, p.problems);
    p.usable = std::none_of(p.problems.cbegin(), p.problems.cend(), [](const MappingProblem &m) {
        return m.severity == MappingProblem::Severity::Error;
    });
    p.defaultCallingCode = transforms::callingCodeForCountry(mapping.policy().defaultCountry);
    p.taskNoteLimit = mapping.fieldLimit(target::TaskNote.toString(), TargetFieldType::LongText);
    p.taskNoteLimitConfirmed = mapping.hasFieldLimit(target::TaskNote.toString());
    p.contentLimit = mapping.fieldLimit(target::Content.toString(), TargetFieldType::LongText);
    p.contentLimitConfirmed = mapping.hasFieldLimit(target::Content.toString());
    p.now = context.now.isValid() ? context.now.toUTC() : QDateTime::currentDateTimeUtc();
    p.nowMs = p.now.toMSecsSinceEpoch();
    p.utc = mapping.timeZone().isEmpty() || mapping.timeZone() == u"UTC";
    if (!p.utc) {
        p.zone = QTimeZone(mapping.timeZone().toUtf8());
        p.utc = !p.zone.isValid();
    }
}

Mapper::~Mapper() = default;
Mapper::Mapper(Mapper &&) noexcept = default;
Mapper &Mapper::operator=(Mapper &&) noexcept = default;

const FieldMapping &Mapper::mapping() const
{
    return m_plan->mapping;
}

const QList<MappingProblem> &Mapper::problems() const
{
    return m_plan->problems;
}

bool Mapper::isUsable() const
{
    return m_plan->usable;
}

// ---- mapping a contact ---------------------------------------------------------------------------

FieldValue MapperPlan::read(const SourceRef &ref, const Contact &c, const ApptDerived &appt) const
{
    switch (ref.src) {
    case Src::Id:
        return FieldValue(c.id);
    case Src::LocationId:
        return FieldValue(c.locationId);
    case Src::FirstName:
        return FieldValue(c.firstName);
    case Src::LastName:
        return FieldValue(c.lastName);
    case Src::Name:
        return FieldValue(c.name);
    case Src::Email:
        return FieldValue(c.email);
    case Src::Phone:
        return FieldValue(c.phone);
    case Src::CompanyName:
        return FieldValue(c.companyName);
    case Src::Address1:
        return FieldValue(c.address1);
    case Src::City:
        return FieldValue(c.city);
    case Src::State:
        return FieldValue(c.state);
    case Src::PostalCode:
        return FieldValue(c.postalCode);
    case Src::Country:
        return FieldValue(c.country);
    case Src::Website:
        return FieldValue(c.website);
    case Src::Timezone:
        return FieldValue(c.timezone);
    case Src::Source:
        return FieldValue(c.source);
    case Src::Type:
        return FieldValue(c.type);
    case Src::AssignedTo:
        return FieldValue(c.assignedTo);
    case Src::BusinessId:
        return FieldValue(c.businessId);
    case Src::DateOfBirth:
        return FieldValue(c.dateOfBirth);
    case Src::Dnd:
        return FieldValue(c.dnd ? QStringLiteral("true") : QStringLiteral("false"));
    case Src::Tags:
        return FieldValue::fromList(c.tags);
    case Src::DateAdded:
        return FieldValue::fromDateTime(c.dateAdded);
    case Src::DateUpdated:
        return FieldValue::fromDateTime(c.dateUpdated);
    case Src::Custom:
        return customValue(ref, c);
    case Src::ApptNext:
        return FieldValue::fromDateTime(appt.next);
    case Src::ApptLast:
        return FieldValue::fromDateTime(appt.last);
    case Src::ApptCount:
        return FieldValue(QString::number(appt.count));
    case Src::ApptSummary:
        return FieldValue(appt.summary);
    default:
        return {};
    }
}

FieldValue MapperPlan::read(const SourceRef &ref, const Task &t) const
{
    switch (ref.src) {
    case Src::TaskId:
        return FieldValue(t.id);
    case Src::TaskTitle:
        return FieldValue(t.title);
    case Src::TaskBody:
        return FieldValue(t.body);
    case Src::TaskDueDate:
        return FieldValue::fromDateTime(t.dueDate);
    case Src::TaskCompleted:
        return FieldValue(t.completed ? QStringLiteral("true") : QStringLiteral("false"));
    case Src::TaskAssignedTo:
        return FieldValue(t.assignedTo);
    default:
        return {};
    }
}

FieldValue MapperPlan::read(const SourceRef &ref, const Note &n) const
{
    switch (ref.src) {
    case Src::NoteId:
        return FieldValue(n.id);
    case Src::NoteTitle:
        return FieldValue(n.title);
    case Src::NoteBody:
        return FieldValue(n.body);
    case Src::NoteUserId:
        return FieldValue(n.userId);
    case Src::NoteDateAdded:
        return FieldValue::fromDateTime(n.dateAdded);
    default:
        return {};
    }
}

ApptDerived MapperPlan::derive(const QList<Appointment> &appointments) const
{
    ApptDerived d;
    d.count = int(appointments.size());
    auto statusOf = [](const Appointment &a) -> const QString & {
        return a.appointmentStatus.isEmpty() ? a.status : a.appointmentStatus;
    };
    auto counts = [&](const Appointment &a) {
        const QString &s = statusOf(a);
        auto is = [&s](QStringView word) { // length first: most statuses differ in length
            return s.size() == word.size() && s.compare(word, Qt::CaseInsensitive) == 0;
        };
        return !is(u"cancelled") && !is(u"invalid") && !is(u"noshow");
    };
    // Milliseconds rather than QDateTime comparisons, which go through the time-spec machinery.
    qint64 next = 0, last = 0;
    bool hasNext = false, hasLast = false;
    for (const Appointment &a : appointments) {
        if (!a.startTime.isValid() || !counts(a))
            continue;
        const qint64 ms = a.startTime.toMSecsSinceEpoch();
        if (ms >= nowMs) {
            if (!hasNext || ms < next)
                next = ms;
            hasNext = true;
        } else {
            if (!hasLast || ms > last)
                last = ms;
            hasLast = true;
        }
    }
    if (hasNext)
        d.next = QDateTime::fromMSecsSinceEpoch(next, Qt::UTC);
    if (hasLast)
        d.last = QDateTime::fromMSecsSinceEpoch(last, Qt::UTC);
    if (!needsSummary || appointments.isEmpty())
        return d;

    // Newest first, so a summary cut at the long-text limit loses the oldest appointments.
    QList<const Appointment *> sorted;
    sorted.reserve(appointments.size());
    for (const Appointment &a : appointments)
        sorted.append(&a);
    std::sort(sorted.begin(), sorted.end(), [](const Appointment *a, const Appointment *b) {
        if (a->startTime.isValid() != b->startTime.isValid())
            return a->startTime.isValid();
        if (a->startTime != b->startTime)
            return a->startTime > b->startTime;
        return a->id < b->id;
    });
    static const QString dash = QStringLiteral(" — ");
    d.summary.reserve(qsizetype(sorted.size()) * 80);
    QString &out = d.summary;
    for (const Appointment *a : sorted) {
        if (!out.isEmpty())
            out += u'\n';
        if (a->startTime.isValid()) {
            QTime time;
            if (utc) {
                const qint64 ms = a->startTime.toMSecsSinceEpoch();
                out += transforms::isoDateUtc(ms);
                const qint64 inDay = ((ms % 86'400'000) + 86'400'000) % 86'400'000;
                time = QTime::fromMSecsSinceStartOfDay(int(inDay));
            } else {
                const QDateTime local = a->startTime.toTimeZone(zone);
                out += transforms::isoDate(local.date());
                time = local.time();
            }
            const char hhmm[] = {' ', char('0' + time.hour() / 10),   char('0' + time.hour() % 10),
                                 ':', char('0' + time.minute() / 10), char('0' + time.minute() % 10),
                                 ' '};
            out += QLatin1StringView(hhmm, 7);
            out += utc ? QStringLiteral("UTC") : zone.abbreviation(a->startTime);
        } else {
            out += tr("no date");
        }
        for (const QString *part : {&a->title, &statusOf(*a), &a->address}) {
            const QStringView value = QStringView(*part).trimmed();
            if (!value.isEmpty()) {
                out += dash;
                out += value;
            }
        }
    }
    return d;
}

template <typename Read>
FieldValue MapperPlan::evaluate(const CompiledRule &rule, Read read, const TransformContext &context,
                                bool *ok, QString *reason) const
{
    FieldValue v = read(rule.primary);
    if (!rule.extras.isEmpty()) {
        QStringList parts;
        parts.reserve(1 + rule.extras.size());
        parts << v.toText();
        for (const SourceRef &extra : rule.extras)
            parts << read(extra).toText();
        v = FieldValue::fromList(std::move(parts));
    }
    *ok = true;
    for (const Transform &t : rule.transforms) {
        if (!t.apply(v, reason, context)) {
            *ok = false;
            return v;
        }
    }
    if (!rule.defaultValue.isEmpty() && v.isEmpty())
        v.setText(rule.defaultValue);
    return v;
}

template <typename Read>
QString MapperPlan::asWritten(const CompiledRule &rule, Read read, QStringView separator) const
{
    if (rule.primary.src == Src::None && rule.extras.isEmpty())
        return {};
    QString out = transforms::trimmed(read(rule.primary).toText());
    for (const SourceRef &extra : rule.extras) {
        const QString part = transforms::trimmed(read(extra).toText());
        if (part.isEmpty())
            continue;
        if (!out.isEmpty())
            out += separator;
        out += part;
    }
    return out;
}

bool MapperPlan::fit(const FieldValue &value, const TargetRef &target, QString &out, QString *reason) const
{
    switch (target.type) {
    case TargetFieldType::Date: {
        if (value.type == FieldValue::Type::DateTime) {
            out = value.dateTime.isValid() ? dateText(value.dateTime) : QString();
            return true;
        }
        const QString text = transforms::trimmed(value.toText());
        if (text.isEmpty() || transforms::isIsoDate(text)) {
            out = text;
            return true;
        }
        const QDateTime dt = transforms::parseGhlDateTime(text);
        if (dt.isValid()) {
            out = dateText(dt);
            return true;
        }
        *reason = tr("%1 is not a date").arg(quoted(text));
        return false;
    }
    case TargetFieldType::Number:
    case TargetFieldType::Currency: {
        const QString text = value.toText();
        if (text.isEmpty()) {
            out.clear();
            return true;
        }
        bool ok = false;
        out = transforms::normalisedNumber(text, &ok);
        if (!ok)
            *reason = tr("%1 is not a number").arg(quoted(transforms::trimmed(text)));
        return ok;
    }
    case TargetFieldType::Dropdown: {
        out = transforms::trimmed(value.toText());
        if (out.isEmpty() || target.options.isEmpty() || target.options.contains(out))
            return true;
        for (const QString &option : target.options) {
            if (option.compare(out, Qt::CaseInsensitive) == 0) {
                out = option; // Saleshandy's spelling of the option
                return true;
            }
        }
        *reason = tr("%1 is not one of the field's options (%2)")
                      .arg(quoted(out), target.options.join(QStringLiteral(", ")));
        return false;
    }
    case TargetFieldType::Text:
    case TargetFieldType::LongText:
        out = value.toText(); // the length is the rule's limit, checked by map()
        return true;
    }
    return true;
}

namespace {

// " (an unconfirmed default; …)" after a limit that nobody has confirmed.
QString limitNote(bool confirmed)
{
    return confirmed ? QString() : tr(" (an unconfirmed default; change it in the mapping)");
}

// What a rule sends in place of a value that could not be converted or does not fit its field.
struct Fallback
{
    bool send = false; // false: nothing (Saleshandy keeps its value), or the record is invalid
    QString text;      // with `send`: the value, "" for SendEmpty
};

} // namespace

MappedProspect Mapper::map(const Contact &contact, const ContactChildren &children) const
{
    const MapperPlan &p = *m_plan;
    MappedProspect out;
    out.ghlContactId = contact.id;

    ApptDerived appt;
    if (p.needsAppointments)
        appt = p.derive(children.appointments);
    auto readContact = [&](const SourceRef &ref) { return p.read(ref, contact, appt); };

    // Phone numbers: the contact's own country first, then the rule's default, then the profile's;
    // looked up when the first phone rule runs.
    TransformContext context;
    bool countryKnown = false;

    bool sawEmail = false;
    QString rawEmail, emailFailure, ruleInvalid;
    Warnings warnings{out.warnings, out.problems};

    // The rule's onFailure for a value that cannot go as mapped: `why` names the field and the value.
    auto fallback = [&](const CompiledRule &rule, const QString &why, const QString &raw) -> Fallback {
        const QString &label = rule.target.label;
        switch (rule.onFailure) {
        case OnFailure::KeepAsWritten: {
            if (raw.isEmpty()) {
                warnings.add(
                    WarningKind::LeftUnchanged, label, raw,
                    tr("%1; there is nothing to send as written, so Saleshandy keeps its value").arg(why));
                return {};
            }
            if (rule.limit > 0 && raw.size() > rule.limit && transforms::codePointCount(raw) > rule.limit) {
                warnings.add(
                    WarningKind::KeptAsWritten, label, raw,
                    tr("%1; sent as written, cut to the %2 characters that the Saleshandy field takes%3")
                        .arg(why)
                        .arg(rule.limit)
                        .arg(limitNote(rule.limitConfirmed)));
                return {true, transforms::truncated(raw, rule.limit, QStringLiteral("…"))};
            }
            warnings.add(WarningKind::KeptAsWritten, label, raw, tr("%1; sent as written").arg(why));
            return {true, raw};
        }
        case OnFailure::LeaveUnchanged:
            warnings.add(WarningKind::LeftUnchanged, label, raw,
                         tr("%1; not sent, so Saleshandy keeps its value").arg(why));
            return {};
        case OnFailure::SendEmpty:
            warnings.add(WarningKind::SentEmpty, label, raw, tr("%1; sent empty, as the rule says").arg(why));
            return {true, QString()};
        case OnFailure::MarkInvalid:
            if (ruleInvalid.isEmpty())
                ruleInvalid = why;
            return {};
        }
        return {};
    };

    const qsizetype slotCount = p.slotLabels.size();
    QVarLengthArray<QString, 32> values(slotCount);
    QVarLengthArray<bool, 32> sentEmpty(slotCount);
    std::fill(sentEmpty.begin(), sentEmpty.end(), false);
    for (const CompiledRule &rule : p.prospectRules) {
        if (rule.phone && !countryKnown) {
            countryKnown = true;
            if (!contact.country.isEmpty())
                context.countryCallingCode = transforms::callingCodeForCountry(contact.country);
            context.defaultCallingCode = p.defaultCallingCode;
        }
        bool converted = true;
        QString reason;
        FieldValue v = p.evaluate(rule, readContact, context, &converted, &reason);
        switch (rule.target.tgt) {
        case Tgt::Tags: {
            if (!converted) {
                const Fallback f = fallback(rule, rule.target.label + QStringLiteral(": ") + reason,
                                            p.asWritten(rule, readContact, u", "));
                // As written: the tags as GHL has them, trimmed; "empty" sends none (tags are not erased).
                v = f.send && !f.text.isEmpty() ? readContact(rule.primary) : FieldValue();
            }
            if (v.type == FieldValue::Type::List) {
                out.tags.reserve(out.tags.size() + v.list.size());
                for (const QString &tag : std::as_const(v.list)) {
                    if (converted) {
                        if (!tag.isEmpty())
                            out.tags.append(tag);
                    } else if (QString t = transforms::trimmed(tag); !t.isEmpty()) {
                        out.tags.append(std::move(t));
                    }
                }
            } else if (QString tag = transforms::trimmed(v.toText()); !tag.isEmpty()) {
                out.tags.append(tag);
            }
            break;
        }
        case Tgt::Email:
            sawEmail = true;
            if (converted) {
                rawEmail = v.toText();
            } else {
                // The natural key is never sent unconverted: the record is invalid, whatever the rule says.
                rawEmail = p.asWritten(rule, readContact);
                emailFailure = rule.target.label + QStringLiteral(": ") + reason;
            }
            out.email = transforms::normalisedEmail(rawEmail);
            break;
        default: {
            QString text;
            if (converted && p.fit(v, rule.target, text, &reason)) {
                if (rule.limit > 0 && text.size() > rule.limit) {
                    const qsizetype n = transforms::codePointCount(text);
                    if (n > rule.limit) {
                        const QString &label = rule.target.label;
                        if (rule.onFailure == OnFailure::KeepAsWritten) {
                            warnings.add(
                                WarningKind::Cut, label, text,
                                tr("%1: %2 characters, cut to the %3 that the Saleshandy field takes%4")
                                    .arg(label)
                                    .arg(n)
                                    .arg(rule.limit)
                                    .arg(limitNote(rule.limitConfirmed)));
                            text = transforms::truncated(text, rule.limit, QStringLiteral("…"));
                        } else {
                            const Fallback f = fallback(
                                rule,
                                tr("%1: %2 characters, more than the %3 that the Saleshandy field takes%4")
                                    .arg(label)
                                    .arg(n)
                                    .arg(rule.limit)
                                    .arg(limitNote(rule.limitConfirmed)),
                                text);
                            sentEmpty[rule.slot] = f.send;
                            break;
                        }
                    }
                }
                values[rule.slot] = std::move(text);
                break;
            }
            const QString why = rule.target.label + QStringLiteral(": ") + reason;
            const Fallback f = fallback(rule, why, p.asWritten(rule, readContact));
            if (f.send && f.text.isEmpty())
                sentEmpty[rule.slot] = true;
            else if (f.send)
                values[rule.slot] = f.text;
            break;
        }
        }
    }
    std::sort(out.tags.begin(), out.tags.end());
    out.tags.erase(std::unique(out.tags.begin(), out.tags.end()), out.tags.end());

    if (!emailFailure.isEmpty()) {
        out.invalidReason = emailFailure;
    } else if (!sawEmail || out.email.isEmpty()) {
        out.invalidReason = tr("no email");
    } else if (!transforms::isValidEmail(out.email)) {
        out.invalidReason = tr("invalid email %1").arg(quoted(transforms::trimmed(rawEmail)));
    } else if (!ruleInvalid.isEmpty()) {
        out.invalidReason = ruleInvalid;
        values[p.emailSlot] = out.email;
    } else {
        out.valid = true;
        values[p.emailSlot] = out.email;
    }
    for (qsizetype i = 0; i < values.size(); ++i) {
        if (!values[i].isEmpty())
            out.fields.insert(out.fields.cend(), p.slotLabels.at(i), values[i]);
        else if (sentEmpty[i])
            out.fields.insert(out.fields.cend(), p.slotLabels.at(i), QString());
    }

    if (!p.taskRules.isEmpty()) {
        out.tasks.reserve(children.tasks.size());
        static const TransformContext noContext;
        for (const Task &task : children.tasks) {
            MappedTask mt;
            mt.ghlTaskId = task.id;
            Warnings taskWarnings{mt.warnings, out.problems, QT_TRANSLATE_NOOP("lb::Mapping", "task %1: "),
                                  &task.id};
            auto readTask = [&](const SourceRef &ref) { return p.read(ref, task); };
            // A task is never dropped: what cannot be converted is sent as written or left out.
            for (const CompiledRule &rule : p.taskRules) {
                bool converted = true;
                QString reason;
                const FieldValue v = p.evaluate(rule, readTask, noContext, &converted, &reason);
                auto why = [&] { return rule.target.label + QStringLiteral(": ") + reason; };
                switch (rule.target.tgt) {
                case Tgt::TaskNote:
                    if (converted) {
                        mt.taskNote = v.toText(u"\n");
                    } else {
                        mt.taskNote = p.asWritten(rule, readTask, u"\n\n");
                        if (!mt.taskNote.isEmpty()) // nothing is lost when GHL has nothing
                            taskWarnings.add(WarningKind::KeptAsWritten, rule.target.label, mt.taskNote,
                                             tr("%1; sent as written").arg(why()));
                    }
                    break;
                case Tgt::DueDate: {
                    if (converted && p.fit(v, rule.target, mt.dueDate, &reason))
                        break;
                    mt.dueDate.clear();
                    taskWarnings.add(WarningKind::LeftUnchanged, rule.target.label,
                                     p.asWritten(rule, readTask),
                                     tr("%1; no due date sent, Saleshandy uses today").arg(why()));
                    break;
                }
                case Tgt::TaskType: {
                    const QString code =
                        transforms::trimmed(converted ? v.toText() : p.asWritten(rule, readTask));
                    if (converted && isSaleshandyTaskType(code))
                        mt.taskType = code;
                    else if (!converted)
                        taskWarnings.add(WarningKind::NotSent, rule.target.label, code,
                                         tr("%1; Custom (9) is used").arg(why()));
                    else if (!code.isEmpty())
                        taskWarnings.add(
                            WarningKind::NotSent, rule.target.label, code,
                            tr("%1 is not a Saleshandy task type; Custom (9) is used").arg(quoted(code)));
                    break;
                }
                case Tgt::Priority: {
                    const QString pr =
                        transforms::trimmed(converted ? v.toText() : p.asWritten(rule, readTask));
                    static const QStringList names{QStringLiteral("urgent"), QStringLiteral("high"),
                                                   QStringLiteral("medium"), QStringLiteral("low")};
                    const int named = int(names.indexOf(pr.toLower()));
                    if (!converted)
                        taskWarnings.add(WarningKind::NotSent, rule.target.label, pr,
                                         tr("%1; Saleshandy's default priority is used").arg(why()));
                    else if (pr == u"1" || pr == u"2" || pr == u"3" || pr == u"4")
                        mt.priority = pr;
                    else if (named >= 0)
                        mt.priority = QString::number(named + 1);
                    else if (!pr.isEmpty())
                        taskWarnings.add(
                            WarningKind::NotSent, rule.target.label, pr,
                            tr("%1 is not a Saleshandy task priority (1 urgent … 4 low); Saleshandy's "
                               "default priority is used")
                                .arg(quoted(pr)));
                    break;
                }
                case Tgt::Completed:
                    if (converted) {
                        mt.completed = truthy(v.toText());
                    } else {
                        const QString raw = p.asWritten(rule, readTask);
                        mt.completed = truthy(raw);
                        taskWarnings.add(WarningKind::KeptAsWritten, rule.target.label, raw,
                                         tr("%1; read as written").arg(why()));
                    }
                    break;
                default:
                    break;
                }
            }
            if (mt.taskType.isEmpty())
                mt.taskType = QStringLiteral("9");
            if (p.taskNoteLimit > 0 && mt.taskNote.size() > p.taskNoteLimit) {
                // A task cannot be sent without its note, so the note is cut rather than dropped.
                const qsizetype n = transforms::codePointCount(mt.taskNote);
                if (n > p.taskNoteLimit) {
                    taskWarnings.add(
                        WarningKind::Cut, target::TaskNote.toString(), mt.taskNote,
                        tr("the task note of %1 characters was cut to the %2 that a Saleshandy task "
                           "note takes%3")
                            .arg(n)
                            .arg(p.taskNoteLimit)
                            .arg(limitNote(p.taskNoteLimitConfirmed)));
                    mt.taskNote = transforms::truncated(mt.taskNote, p.taskNoteLimit, QStringLiteral("…"));
                }
            }
            mt.hash = taskHash(mt);
            out.tasks.append(std::move(mt));
        }
    }

    if (!p.noteRules.isEmpty()) {
        out.notes.reserve(children.notes.size());
        static const TransformContext noContext;
        for (const Note &note : children.notes) {
            MappedNote mn;
            mn.ghlNoteId = note.id;
            Warnings noteWarnings{mn.warnings, out.problems, QT_TRANSLATE_NOOP("lb::Mapping", "note %1: "),
                                  &note.id};
            auto readNote = [&](const SourceRef &ref) { return p.read(ref, note); };
            for (const CompiledRule &rule : p.noteRules) {
                if (rule.target.tgt != Tgt::Content)
                    continue;
                bool converted = true;
                QString reason;
                const FieldValue v = p.evaluate(rule, readNote, noContext, &converted, &reason);
                if (converted) {
                    mn.content = v.toText(u"\n");
                } else {
                    mn.content = p.asWritten(rule, readNote, u"\n\n");
                    if (!mn.content.isEmpty()) // else: an empty note, reported below
                        noteWarnings.add(WarningKind::KeptAsWritten, rule.target.label, mn.content,
                                         tr("%1: %2; sent as written").arg(rule.target.label, reason));
                }
            }
            if (transforms::trimmed(mn.content).isEmpty()) {
                // Not a note Saleshandy can hold; the warning sits on the prospect, since the note is not
                // there.
                warnings.add(WarningKind::NotSent, target::Content.toString(), QString(),
                             tr("note %1: the note is empty and is not sent").arg(note.id));
                continue;
            }
            if (p.contentLimit > 0 && mn.content.size() > p.contentLimit) {
                const qsizetype n = transforms::codePointCount(mn.content);
                if (n > p.contentLimit) {
                    noteWarnings.add(WarningKind::Cut, target::Content.toString(), mn.content,
                                     tr("the note of %1 characters was cut to the %2 that a Saleshandy note "
                                        "takes%3")
                                         .arg(n)
                                         .arg(p.contentLimit)
                                         .arg(limitNote(p.contentLimitConfirmed)));
                    mn.content = transforms::truncated(mn.content, p.contentLimit, QStringLiteral("…"));
                }
            }
            mn.hash = noteHash(mn);
            out.notes.append(std::move(mn));
        }
    }

    out.hash = prospectHash(out.email, out.fields, out.tags);
    return out;
}

QByteArray Mapper::prospectHash(const QString &email, const QMap<QString, QString> &fields,
                                const QStringList &tags)
{
    HashWriter w("lb.prospect.1");
    w.text(email);
    w.number(quint32(fields.size()));
    for (auto it = fields.cbegin(); it != fields.cend(); ++it) {
        w.text(it.key());
        w.text(it.value());
    }
    w.number(quint32(tags.size()));
    for (const QString &tag : tags)
        w.text(tag);
    return w.hexSha1();
}

QByteArray Mapper::taskHash(const MappedTask &task)
{
    HashWriter w("lb.task.1");
    w.text(task.ghlTaskId);
    w.text(task.taskType);
    w.text(task.dueDate);
    w.text(task.taskNote);
    w.text(task.priority);
    w.number(task.completed ? 1 : 0);
    return w.hexSha1();
}

QByteArray Mapper::noteHash(const MappedNote &note)
{
    HashWriter w("lb.note.1");
    w.text(note.ghlNoteId);
    w.text(note.content);
    return w.hexSha1();
}

} // namespace lb
