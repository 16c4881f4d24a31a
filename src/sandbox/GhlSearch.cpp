#include "sandbox/GhlSearch.h"

#include "domain/Json.h"

#include <QJsonArray>

#include <limits>

namespace lb::sandbox {

namespace {

using L = QLatin1StringView;

enum class FieldKind { Text, List, Date, Bool };

struct FieldAccess
{
    FieldKind kind = FieldKind::Text;
    std::function<QStringList(const Contact &)> values; // Text/List/Bool
    GhlData::DateField date = GhlData::DateField::Added;
};

std::optional<FieldAccess> fieldAccess(const QString &name)
{
    auto text = [](QString Contact::*member) {
        FieldAccess f;
        f.values = [member](const Contact &c) { return QStringList{c.*member}; };
        return f;
    };
    static const QHash<QString, QString Contact::*> textFields = {
        {QStringLiteral("id"), &Contact::id},
        {QStringLiteral("email"), &Contact::email},
        {QStringLiteral("firstName"), &Contact::firstName},
        {QStringLiteral("lastName"), &Contact::lastName},
        {QStringLiteral("phone"), &Contact::phone},
        {QStringLiteral("companyName"), &Contact::companyName},
        {QStringLiteral("address1"), &Contact::address1},
        {QStringLiteral("city"), &Contact::city},
        {QStringLiteral("state"), &Contact::state},
        {QStringLiteral("postalCode"), &Contact::postalCode},
        {QStringLiteral("country"), &Contact::country},
        {QStringLiteral("website"), &Contact::website},
        {QStringLiteral("timezone"), &Contact::timezone},
        {QStringLiteral("source"), &Contact::source},
        {QStringLiteral("type"), &Contact::type},
        {QStringLiteral("assignedTo"), &Contact::assignedTo},
        {QStringLiteral("businessId"), &Contact::businessId},
        {QStringLiteral("dateOfBirth"), &Contact::dateOfBirth},
    };
    if (const auto it = textFields.constFind(name); it != textFields.cend())
        return text(*it);
    FieldAccess f;
    if (name == L("contactName") || name == L("name") || name == L("fullName")) {
        f.values = [](const Contact &c) {
            return QStringList{c.name.isEmpty() ? (c.firstName + QLatin1Char(' ') + c.lastName).trimmed() : c.name};
        };
        return f;
    }
    if (name == L("tags")) {
        f.kind = FieldKind::List;
        f.values = [](const Contact &c) { return c.tags; };
        return f;
    }
    if (name == L("dnd")) {
        f.kind = FieldKind::Bool;
        f.values = [](const Contact &c) { return QStringList{c.dnd ? QStringLiteral("true") : QStringLiteral("false")}; };
        return f;
    }
    if (name == L("dateAdded") || name == L("dateUpdated")) {
        f.kind = FieldKind::Date;
        f.date = name == L("dateAdded") ? GhlData::DateField::Added : GhlData::DateField::Updated;
        return f;
    }
    if (name.startsWith(L("customFields.")) || name.startsWith(L("customField."))) {
        const QString fieldId = name.section(QLatin1Char('.'), 1);
        f.values = [fieldId](const Contact &c) {
            for (const CustomFieldValue &v : c.customFields)
                if (v.fieldId == fieldId)
                    return QStringList{v.displayText()};
            return QStringList{QString()};
        };
        return f;
    }
    return std::nullopt;
}

// Epoch ms (number or digit string) or an ISO 8601 date/date-time.
std::optional<qint64> dateBound(const QJsonValue &v)
{
    if (v.isDouble())
        return qint64(v.toDouble());
    if (v.isString()) {
        const QString s = v.toString().trimmed();
        bool ok = false;
        const qint64 ms = s.toLongLong(&ok);
        if (ok)
            return ms;
        QDateTime dt = json::dateTime(QJsonValue(s));
        if (!dt.isValid()) {
            const QDate d = QDate::fromString(s, Qt::ISODate);
            if (d.isValid())
                dt = QDateTime(d, QTime(0, 0), Qt::UTC);
        }
        if (dt.isValid())
            return dt.toMSecsSinceEpoch();
    }
    return std::nullopt;
}

struct Parser
{
    QStringList *errors;
    GhlData::DateField sortField;
    std::optional<qint64> lowMs, highMs;

    void error(const QString &e) { errors->append(e); }

    ContactSearch::Predicate filter(const QJsonValue &v, const QString &where, bool topLevel)
    {
        if (!v.isObject()) {
            error(where + QStringLiteral(" must be an object"));
            return {};
        }
        const QJsonObject o = v.toObject();
        if (o.contains(L("group"))) {
            const QString group = o.value(L("group")).toString().toUpper();
            if (group != L("AND") && group != L("OR")) {
                error(where + QStringLiteral(".group must be one of the following values: AND, OR"));
                return {};
            }
            if (!o.value(L("filters")).isArray()) {
                error(where + QStringLiteral(".filters must be an array"));
                return {};
            }
            std::vector<ContactSearch::Predicate> parts;
            const QJsonArray list = o.value(L("filters")).toArray();
            for (qsizetype i = 0; i < list.size(); ++i)
                parts.push_back(filter(list.at(i), where + QStringLiteral(".filters.%1").arg(i), false));
            const bool isOr = group == L("OR");
            return [parts, isOr](const Contact &c) {
                for (const auto &p : parts) {
                    if (!p)
                        continue;
                    if (p(c) == isOr)
                        return isOr;
                }
                return !isOr || parts.empty();
            };
        }
        const QString fieldName = o.value(L("field")).toString();
        const QString op = o.value(L("operator")).toString();
        const QJsonValue value = o.value(L("value"));
        const std::optional<FieldAccess> field = fieldAccess(fieldName);
        if (!field) {
            error(where + QStringLiteral(".field \"%1\" is not a supported field").arg(fieldName));
            return {};
        }
        static const QStringList ops = {QStringLiteral("eq"), QStringLiteral("not_eq"), QStringLiteral("contains"),
                                        QStringLiteral("not_contains"), QStringLiteral("exists"),
                                        QStringLiteral("not_exists"), QStringLiteral("range")};
        if (!ops.contains(op)) {
            if (field->kind == FieldKind::Date && (op == L("gt") || op == L("gte") || op == L("lt") || op == L("lte")))
                error(where + QStringLiteral(".operator \"%1\" is not supported for %2; use \"range\" with "
                                             "{gt, gte, lt, lte}").arg(op, fieldName));
            else
                error(where + QStringLiteral(".operator must be one of the following values: ") + ops.join(L(", ")));
            return {};
        }
        if (op == L("exists") || op == L("not_exists")) {
            const bool want = op == L("exists");
            if (field->kind == FieldKind::Date) {
                const auto df = field->date;
                return [df, want](const Contact &c) { return (GhlData::dateMs(c, df) > 0) == want; };
            }
            const auto values = field->values;
            return [values, want](const Contact &c) {
                for (const QString &s : values(c))
                    if (!s.isEmpty())
                        return want;
                return !want;
            };
        }
        if (field->kind == FieldKind::Date) {
            const auto df = field->date;
            if (op == L("range")) {
                if (!value.isObject()) {
                    error(where + QStringLiteral(".value must be an object with gt, gte, lt or lte"));
                    return {};
                }
                const QJsonObject b = value.toObject();
                qint64 lo = std::numeric_limits<qint64>::min(), hi = std::numeric_limits<qint64>::max();
                bool any = false;
                for (const char *k : {"gt", "gte", "lt", "lte"}) {
                    if (!b.contains(QLatin1String(k)))
                        continue;
                    const std::optional<qint64> ms = dateBound(b.value(QLatin1String(k)));
                    if (!ms) {
                        error(where + QStringLiteral(".value.%1 must be epoch milliseconds or an ISO 8601 date")
                                          .arg(QLatin1String(k)));
                        return {};
                    }
                    any = true;
                    const QLatin1String key(k);
                    if (key == L("gt"))
                        lo = std::max(lo, *ms + 1);
                    else if (key == L("gte"))
                        lo = std::max(lo, *ms);
                    else if (key == L("lt"))
                        hi = std::min(hi, *ms - 1);
                    else
                        hi = std::min(hi, *ms);
                }
                if (!any) {
                    error(where + QStringLiteral(".value must have at least one of gt, gte, lt, lte"));
                    return {};
                }
                if (topLevel && df == sortField) {
                    lowMs = lowMs ? std::max(*lowMs, lo) : lo;
                    highMs = highMs ? std::min(*highMs, hi) : hi;
                }
                return [df, lo, hi](const Contact &c) {
                    const qint64 m = GhlData::dateMs(c, df);
                    return m >= lo && m <= hi;
                };
            }
            if (op == L("eq") || op == L("not_eq")) {
                const std::optional<qint64> ms = dateBound(value);
                if (!ms) {
                    error(where + QStringLiteral(".value must be epoch milliseconds or an ISO 8601 date"));
                    return {};
                }
                const bool want = op == L("eq");
                const qint64 m = *ms;
                return [df, m, want](const Contact &c) { return (GhlData::dateMs(c, df) == m) == want; };
            }
            error(where + QStringLiteral(".operator \"%1\" is not supported for %2").arg(op, fieldName));
            return {};
        }
        if (op == L("range")) {
            error(where + QStringLiteral(".operator \"range\" is only supported for dateAdded and dateUpdated"));
            return {};
        }
        // eq / not_eq / contains / not_contains with a string (or a list of strings: any of them).
        QStringList needles;
        if (value.isString())
            needles << value.toString();
        else if (value.isBool() && field->kind == FieldKind::Bool)
            needles << (value.toBool() ? QStringLiteral("true") : QStringLiteral("false"));
        else if (value.isDouble())
            needles << json::str(QJsonObject{{L("v"), value}}, L("v"));
        else if (value.isArray()) {
            for (const QJsonValue &n : value.toArray())
                if (n.isString())
                    needles << n.toString();
        }
        if (needles.isEmpty()) {
            error(where + QStringLiteral(".value must be a string"));
            return {};
        }
        for (const QString &n : needles) {
            if (n.size() > ContactSearch::maxStringLength) {
                error(where + QStringLiteral(".value must be shorter than or equal to %1 characters")
                                  .arg(ContactSearch::maxStringLength));
                return {};
            }
        }
        const bool contains = op.contains(L("contains"));
        const bool negate = op.startsWith(L("not_"));
        const auto values = field->values;
        return [values, needles, contains, negate](const Contact &c) {
            bool hit = false;
            for (const QString &s : values(c)) {
                for (const QString &n : needles) {
                    if (contains ? s.contains(n, Qt::CaseInsensitive) : s.compare(n, Qt::CaseInsensitive) == 0) {
                        hit = true;
                        break;
                    }
                }
                if (hit)
                    break;
            }
            return hit != negate;
        };
    }
};

} // namespace

std::optional<ContactSearch> ContactSearch::parse(const QJsonObject &body, QStringList *errors)
{
    ContactSearch s;
    QStringList errs;

    const QJsonValue loc = body.value(L("locationId"));
    if (!loc.isString() || loc.toString().isEmpty())
        errs << QStringLiteral("locationId should not be empty") << QStringLiteral("locationId must be a string");
    s.m_locationId = loc.toString();

    const QJsonValue limit = body.value(L("pageLimit"));
    if (!limit.isDouble() || limit.toDouble() != double(limit.toInt())) {
        errs << QStringLiteral("pageLimit must be an integer number");
    } else if (limit.toInt() < 1) {
        errs << QStringLiteral("pageLimit must not be less than 1");
    } else if (limit.toInt() > maxPageLimit) {
        errs << QStringLiteral("pageLimit must not be greater than %1").arg(maxPageLimit);
    }
    s.m_pageLimit = std::clamp(limit.toInt(), 1, maxPageLimit);

    if (body.contains(L("page"))) {
        const QJsonValue page = body.value(L("page"));
        if (!page.isDouble() || page.toInt() < 1)
            errs << QStringLiteral("page must not be less than 1");
        else
            s.m_page = page.toInt();
    }
    if (body.contains(L("searchAfter"))) {
        const QJsonArray sa = body.value(L("searchAfter")).toArray();
        const QJsonValue first = sa.at(0);
        std::optional<qint64> ms;
        if (first.isDouble())
            ms = qint64(first.toDouble());
        else if (first.isString())
            ms = dateBound(first);
        if (!body.value(L("searchAfter")).isArray() || sa.size() != 2 || !ms || !sa.at(1).isString()) {
            errs << QStringLiteral("searchAfter must be the searchAfter array of the last contact of the "
                                   "previous page: [sortValue, id]");
        } else {
            s.m_hasCursor = true;
            s.m_cursorMs = *ms;
            s.m_cursorId = sa.at(1).toString();
        }
        if (s.m_page > 0)
            errs << QStringLiteral("page and searchAfter cannot be used together");
    }
    if (s.m_page > 0 && qint64(s.m_page) * s.m_pageLimit > pageModeWindow)
        errs << QStringLiteral("page mode reaches at most %1 records (page * pageLimit); use searchAfter "
                               "to go further").arg(pageModeWindow);

    if (body.contains(L("sort"))) {
        const QJsonArray sort = body.value(L("sort")).toArray();
        if (!body.value(L("sort")).isArray() || sort.size() > 1) {
            errs << QStringLiteral("sort must be an array with one {field, direction}");
        } else if (!sort.isEmpty()) {
            const QJsonObject so = sort.at(0).toObject();
            const QString f = so.value(L("field")).toString();
            const QString dir = so.value(L("direction")).toString(QStringLiteral("desc")).toLower();
            if (f == L("dateAdded"))
                s.m_sortField = GhlData::DateField::Added;
            else if (f == L("dateUpdated"))
                s.m_sortField = GhlData::DateField::Updated;
            else
                errs << QStringLiteral("sort.0.field must be one of the following values: dateAdded, dateUpdated");
            if (dir != L("asc") && dir != L("desc"))
                errs << QStringLiteral("sort.0.direction must be one of the following values: asc, desc");
            s.m_descending = dir != L("asc");
        }
    }

    if (body.contains(L("query"))) {
        const QJsonValue q = body.value(L("query"));
        if (!q.isString())
            errs << QStringLiteral("query must be a string");
        else if (q.toString().size() > maxStringLength)
            errs << QStringLiteral("query must be shorter than or equal to %1 characters").arg(maxStringLength);
        s.m_query = q.toString().trimmed();
    }

    if (body.contains(L("filters"))) {
        if (!body.value(L("filters")).isArray()) {
            errs << QStringLiteral("filters must be an array");
        } else {
            Parser p{&errs, s.m_sortField, {}, {}};
            const QJsonArray filters = body.value(L("filters")).toArray();
            for (qsizetype i = 0; i < filters.size(); ++i) {
                Predicate pred = p.filter(filters.at(i), QStringLiteral("filters.%1").arg(i), true);
                if (pred)
                    s.m_predicates.push_back(std::move(pred));
            }
            s.m_lowMs = p.lowMs;
            s.m_highMs = p.highMs;
        }
    }

    if (!errs.isEmpty()) {
        if (errors)
            *errors = errs;
        return std::nullopt;
    }
    return s;
}

QJsonObject ContactSearch::run(const GhlData &data) const
{
    const std::vector<int> &idx = data.index(m_sortField);
    // The slice [begin, end) of the ascending index that the sort-field range allows.
    size_t begin = 0, end = idx.size();
    if (m_lowMs)
        begin = data.lowerBound(m_sortField, *m_lowMs, QString(), true);
    if (m_highMs)
        end = *m_highMs == std::numeric_limits<qint64>::max() ? idx.size()
                                                               : data.lowerBound(m_sortField, *m_highMs + 1, QString(), true);
    end = std::max(begin, end);

    const QString query = m_query;
    const QString queryDigits = [&] {
        QString d;
        for (QChar ch : query)
            if (ch.isDigit())
                d += ch;
        return d.size() >= 3 ? d : QString();
    }();
    auto matches = [&](const Contact &c) {
        for (const Predicate &p : m_predicates)
            if (!p(c))
                return false;
        if (query.isEmpty())
            return true;
        const QString full = c.firstName + QLatin1Char(' ') + c.lastName;
        if (full.contains(query, Qt::CaseInsensitive) || c.name.contains(query, Qt::CaseInsensitive) ||
            c.email.contains(query, Qt::CaseInsensitive) || c.companyName.contains(query, Qt::CaseInsensitive) ||
            c.phone.contains(query))
            return true;
        if (!queryDigits.isEmpty()) {
            QString phoneDigits;
            for (QChar ch : c.phone)
                if (ch.isDigit())
                    phoneDigits += ch;
            return phoneDigits.contains(queryDigits);
        }
        return false;
    };

    // Where the page starts: after the cursor in sort order.
    size_t cursorPos = m_descending ? end : begin; // ascending: first index to read; descending: one past
    if (m_hasCursor) {
        if (m_descending)
            cursorPos = std::clamp(data.lowerBound(m_sortField, m_cursorMs, m_cursorId, true), begin, end);
        else
            cursorPos = std::clamp(data.lowerBound(m_sortField, m_cursorMs, m_cursorId, false), begin, end);
    }
    const bool unfiltered = m_predicates.empty() && query.isEmpty();
    const int skip = m_page > 0 ? (m_page - 1) * m_pageLimit : 0;

    QJsonArray out;
    int skipped = 0;
    auto take = [&](int slot) {
        const Contact &c = data.at(slot);
        if (!matches(c))
            return;
        if (skipped < skip) {
            ++skipped;
            return;
        }
        QJsonObject o = c.toJson();
        o.insert(L("searchAfter"), QJsonArray{double(GhlData::dateMs(c, m_sortField)), c.id});
        out.append(o);
    };
    if (m_descending) {
        for (size_t i = cursorPos; i > begin && out.size() < m_pageLimit; --i)
            take(idx[i - 1]);
    } else {
        for (size_t i = cursorPos; i < end && out.size() < m_pageLimit; ++i)
            take(idx[i]);
    }

    // total: everything that matches, independent of the page or cursor (as GHL reports it).
    qint64 total = 0;
    if (unfiltered) {
        total = qint64(end - begin);
    } else {
        for (size_t i = begin; i < end; ++i)
            if (matches(data.at(idx[i])))
                ++total;
    }
    return QJsonObject{{L("contacts"), out}, {L("total"), double(total)}};
}

} // namespace lb::sandbox
