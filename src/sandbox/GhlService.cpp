#include "sandbox/GhlService.h"

#include <algorithm>

#include "domain/Json.h"
#include "sandbox/GhlSearch.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QUuid>

#include <cmath>

namespace lb::sandbox {

namespace {

using L = QLatin1StringView;

QString traceId()
{
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

const char *reasonOf(int status)
{
    switch (status) {
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    default:
        return nullptr;
    }
}

HttpResponse ok(QJsonObject body, int status = 200)
{
    body.insert(L("traceId"), traceId());
    return HttpResponse::json(status, body);
}

// GHL's error shape (GHL.md §9): {statusCode, message[, error]}.
HttpResponse fail(int status, const QString &message, QJsonObject extra = {})
{
    extra.insert(L("statusCode"), status);
    extra.insert(L("message"), message);
    if (const char *reason = reasonOf(status); reason && status != 429 && !extra.contains(L("error")))
        extra.insert(L("error"), QLatin1String(reason));
    extra.insert(L("traceId"), traceId());
    return HttpResponse::json(status, extra);
}

// 422: `message` is an array of strings.
HttpResponse unprocessable(const QStringList &messages)
{
    return HttpResponse::json(422, QJsonObject{{L("statusCode"), 422},
                                               {L("message"), QJsonArray::fromStringList(messages)},
                                               {L("error"), QStringLiteral("Unprocessable Entity")},
                                               {L("traceId"), traceId()}});
}

// Parses a JSON object body. An empty body reads as {} (validation then names what is missing).
std::optional<QJsonObject> jsonBody(const HttpRequest &r, HttpResponse *error)
{
    if (r.body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(r.body, &pe);
    if (pe.error != QJsonParseError::NoError) {
        *error = fail(400, QStringLiteral("Unexpected token in JSON at position %1: %2")
                               .arg(pe.offset)
                               .arg(pe.errorString()));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        *error = fail(400, QStringLiteral("The request body must be a JSON object"));
        return std::nullopt;
    }
    return doc.object();
}

bool isEmail(const QString &s)
{
    static const QRegularExpression re(QStringLiteral("^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$"));
    return re.match(s).hasMatch();
}

QJsonObject taskJson(const Task &t)
{
    return t.toJson();
}

QJsonObject appointmentJson(const Appointment &a, const QString &locationId)
{
    QJsonObject o = a.toJson();
    o.insert(L("locationId"), locationId);
    o.insert(L("users"), a.assignedUserId.isEmpty() ? QJsonArray() : QJsonArray{a.assignedUserId});
    o.insert(L("assignedResources"), QJsonArray());
    o.insert(L("groupId"), QString());
    return o;
}

// Applies the contact fields of a Create/Update DTO (GHL.md §4.3) to `c`, collecting 422 messages.
void applyContactFields(Contact &c, const QJsonObject &b, const GhlData &data, QStringList *errs)
{
    static const std::pair<const char *, QString Contact::*> textFields[] = {
        {"firstName", &Contact::firstName},
        {"lastName", &Contact::lastName},
        {"name", &Contact::name},
        {"email", &Contact::email},
        {"phone", &Contact::phone},
        {"companyName", &Contact::companyName},
        {"address1", &Contact::address1},
        {"city", &Contact::city},
        {"state", &Contact::state},
        {"postalCode", &Contact::postalCode},
        {"country", &Contact::country},
        {"website", &Contact::website},
        {"timezone", &Contact::timezone},
        {"source", &Contact::source},
        {"assignedTo", &Contact::assignedTo},
        {"dateOfBirth", &Contact::dateOfBirth},
        {"type", &Contact::type},
    };
    bool nameParts = false;
    for (const auto &[key, member] : textFields) {
        const QLatin1String k(key);
        if (!b.contains(k))
            continue;
        const QJsonValue v = b.value(k);
        if (v.isNull()) {
            c.*member = QString();
        } else if (!v.isString()) {
            errs->append(QStringLiteral("%1 must be a string").arg(k));
            continue;
        } else {
            c.*member = v.toString();
        }
        if (k == L("firstName") || k == L("lastName"))
            nameParts = true;
    }
    if (nameParts && !b.contains(L("name")))
        c.name = (c.firstName + QLatin1Char(' ') + c.lastName).trimmed();
    if (b.contains(L("email")) && !c.email.isEmpty() && !isEmail(c.email))
        errs->append(QStringLiteral("email must be an email"));
    if (b.contains(L("country")) && !c.country.isEmpty() && c.country.size() != 2)
        errs->append(QStringLiteral("country must be a 2-letter country code"));
    if (b.contains(L("dnd"))) {
        if (!b.value(L("dnd")).isBool())
            errs->append(QStringLiteral("dnd must be a boolean value"));
        c.dnd = b.value(L("dnd")).toBool();
    }
    if (b.contains(L("tags"))) {
        const QJsonValue v = b.value(L("tags"));
        if (!v.isArray()) {
            errs->append(QStringLiteral("tags must be an array"));
        } else {
            QStringList tags;
            for (const QJsonValue &t : v.toArray()) {
                if (!t.isString()) {
                    errs->append(QStringLiteral("each value in tags must be a string"));
                    break;
                }
                if (!tags.contains(t.toString(), Qt::CaseInsensitive))
                    tags << t.toString();
            }
            c.tags = tags;
        }
    }
    if (b.contains(L("customFields"))) {
        const QJsonValue v = b.value(L("customFields"));
        if (!v.isArray()) {
            errs->append(QStringLiteral("customFields must be an array"));
            return;
        }
        const QJsonArray list = v.toArray();
        for (qsizetype i = 0; i < list.size(); ++i) {
            const QJsonObject f = list.at(i).toObject();
            const QString ref =
                f.contains(L("id")) ? f.value(L("id")).toString() : f.value(L("key")).toString();
            const QString fieldId = data.customFieldIdForKey(ref);
            if (fieldId.isEmpty()) {
                errs->append(QStringLiteral("customFields.%1 refers to an unknown custom field \"%2\"")
                                 .arg(i)
                                 .arg(ref));
                continue;
            }
            const QJsonValue value =
                f.contains(L("field_value")) ? f.value(L("field_value")) : f.value(L("value"));
            bool replaced = false;
            for (CustomFieldValue &cv : c.customFields) {
                if (cv.fieldId == fieldId) {
                    cv.value = value;
                    replaced = true;
                }
            }
            if (!replaced)
                c.customFields.append({fieldId, value});
            // An empty value clears the field, as in GHL's UI.
            if (value.isNull() || (value.isString() && value.toString().isEmpty()))
                c.customFields.erase(
                    std::remove_if(c.customFields.begin(), c.customFields.end(),
                                   [&](const CustomFieldValue &x) { return x.fieldId == fieldId; }),
                    c.customFields.end());
        }
    }
}

QJsonValue mangleItem(const QJsonValue &v)
{
    if (!v.isObject())
        return v;
    QJsonObject o = v.toObject();
    if (o.contains(L("id")))
        o.insert(L("id"), double(qHash(o.value(L("id")).toString()) % 100000));
    if (o.value(L("tags")).isArray()) {
        QStringList tags;
        for (const QJsonValue &t : o.value(L("tags")).toArray())
            tags << t.toString();
        o.insert(L("tags"), tags.join(QLatin1Char(',')));
    }
    o.remove(L("email"));
    o.remove(L("firstName"));
    if (o.contains(L("completed")))
        o.insert(L("completed"), QStringLiteral("yes"));
    if (o.contains(L("dateUpdated")))
        o.insert(L("dateUpdated"), true);
    if (o.contains(L("customFields")))
        o.insert(L("customFields"), QStringLiteral("n/a"));
    if (o.contains(L("searchAfter")))
        o.insert(L("searchAfter"), QStringLiteral("cursor"));
    if (o.contains(L("body")))
        o.insert(L("body"), QJsonArray{o.value(L("body"))});
    return o;
}

// "wrongtypes": valid JSON whose lists are objects, ids numbers, tags strings, fields missing.
QByteArray mangle(const QByteArray &body)
{
    const QJsonObject in = QJsonDocument::fromJson(body).object();
    QJsonObject out;
    for (auto it = in.begin(); it != in.end(); ++it) {
        const QJsonValue v = it.value();
        if (v.isArray()) {
            QJsonObject asObject;
            const QJsonArray a = v.toArray();
            for (qsizetype i = 0; i < a.size(); ++i)
                asObject.insert(QString::number(i), mangleItem(a.at(i)));
            out.insert(it.key(), asObject);
        } else if (v.isObject()) {
            out.insert(it.key(), mangleItem(v));
        } else if (v.isDouble()) {
            out.insert(it.key(), QString::number(v.toDouble()));
        } else if (v.isBool()) {
            out.insert(it.key(), v.toBool() ? 1 : 0);
        } else {
            out.insert(it.key(), v);
        }
    }
    return QJsonDocument(out).toJson(QJsonDocument::Compact);
}

} // namespace

GhlService::GhlService(const SandboxOptions &options, QObject *parent)
    : QObject(parent), m_options(options), m_faults(options.faultSeed)
{
    m_limiter.setLimits({options.ghlBurstMax, options.ghlBurstIntervalMs, options.ghlDailyLimit});
    m_refreshTokens.insert(options.oauthRefreshToken);
    m_authCodes.insert(options.oauthAuthCode);
    m_server = new HttpServerBase([this](HttpRequest &r) { return dispatch(r); }, this);
    setupRoutes();
}

GhlService::~GhlService() = default;

bool GhlService::start(QString *error)
{
    if (!m_options.faults.isEmpty() && !setFaults(m_options.faults, error))
        return false;
    QDateTime ref = m_options.referenceTime;
    if (!ref.isValid())
        ref = QDateTime(QDateTime::currentDateTimeUtc().date(), QTime(0, 0), Qt::UTC);
    m_data.generate(m_options.seed, m_options.contacts, m_options.locationId, ref.toMSecsSinceEpoch());
    return m_server->listenLocal(m_options.port, error) != 0;
}

QUrl GhlService::url() const
{
    return m_server->baseUrl();
}

qint64 GhlService::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch();
}

void GhlService::setupRoutes()
{
    auto add = [this](const char *method, const char *pattern,
                      HttpResponse (GhlService::*fn)(const HttpRequest &)) {
        m_router.add(method, QLatin1String(pattern),
                     [this, fn](const HttpRequest &r) { return (this->*fn)(r); });
    };
    add("POST", "/contacts/search", &GhlService::searchContacts);
    add("POST", "/contacts/upsert", &GhlService::upsertContact);
    add("POST", "/contacts", &GhlService::createContact); // "/contacts/" too: empty segments are ignored
    add("GET", "/contacts/business/{businessId}", &GhlService::businessContacts);
    add("GET", "/contacts/{contactId}", &GhlService::getContact);
    add("PUT", "/contacts/{contactId}", &GhlService::updateContact);
    add("DELETE", "/contacts/{contactId}", &GhlService::deleteContact);
    add("POST", "/contacts/{contactId}/tags", &GhlService::addTags);
    add("DELETE", "/contacts/{contactId}/tags", &GhlService::removeTags);
    add("GET", "/contacts/{contactId}/tasks", &GhlService::listTasks);
    add("POST", "/contacts/{contactId}/tasks", &GhlService::createTask);
    add("GET", "/contacts/{contactId}/tasks/{taskId}", &GhlService::getTask);
    m_router.add("PUT", QStringLiteral("/contacts/{contactId}/tasks/{taskId}"),
                 [this](const HttpRequest &r) { return updateTask(r, false); });
    m_router.add("PUT", QStringLiteral("/contacts/{contactId}/tasks/{taskId}/completed"),
                 [this](const HttpRequest &r) { return updateTask(r, true); });
    add("DELETE", "/contacts/{contactId}/tasks/{taskId}", &GhlService::deleteTask);
    add("GET", "/contacts/{contactId}/notes", &GhlService::listNotes);
    add("POST", "/contacts/{contactId}/notes", &GhlService::createNote);
    add("GET", "/contacts/{contactId}/notes/{id}", &GhlService::getNote);
    add("PUT", "/contacts/{contactId}/notes/{id}", &GhlService::updateNote);
    add("DELETE", "/contacts/{contactId}/notes/{id}", &GhlService::deleteNote);
    add("GET", "/contacts/{contactId}/appointments", &GhlService::listAppointments);
    add("GET", "/locations/{locationId}/customFields", &GhlService::customFields);
    add("GET", "/locations/{locationId}/tags", &GhlService::locationTags);
    add("GET", "/users", &GhlService::users);
    add("POST", "/oauth/token", &GhlService::oauthToken);
}

QString GhlService::familyOf(const HttpRequest &r) const
{
    const QString &route = r.route;
    if (route.isEmpty())
        return QStringLiteral("unknown");
    if (route.endsWith(L("/contacts/search")))
        return QStringLiteral("search");
    if (route.contains(L("/business/")))
        return QStringLiteral("business");
    if (route.contains(L("/tasks")))
        return QStringLiteral("tasks");
    if (route.contains(L("/notes")))
        return QStringLiteral("notes");
    if (route.contains(L("/appointments")))
        return QStringLiteral("appointments");
    if (route.contains(L("/customFields")))
        return QStringLiteral("customFields");
    if (route.contains(L("/locations/")))
        return QStringLiteral("locations");
    if (route.contains(L("/tags")))
        return QStringLiteral("tags");
    if (route.contains(L("/oauth/")))
        return QStringLiteral("oauth");
    if (route.contains(L("/users")))
        return QStringLiteral("users");
    return QStringLiteral("contacts");
}

void GhlService::addRateHeaders(HttpResponse &response, const RateLimiter::State &s) const
{
    const RateLimiter::Limits &l = m_limiter.limits();
    response.setHeader("X-RateLimit-Max", QByteArray::number(l.burstMax));
    response.setHeader("X-RateLimit-Interval-Milliseconds", QByteArray::number(l.burstIntervalMs));
    response.setHeader("X-RateLimit-Remaining", QByteArray::number(s.remaining));
    response.setHeader("X-RateLimit-Limit-Daily", QByteArray::number(l.dailyLimit));
    response.setHeader("X-RateLimit-Daily-Remaining", QByteArray::number(s.dailyRemaining));
}

bool GhlService::authorized(const HttpRequest &r) const
{
    const QByteArray auth = r.header("authorization").trimmed();
    if (!auth.startsWith("Bearer ") && !auth.startsWith("bearer "))
        return false;
    const QString token = QString::fromUtf8(auth.mid(7).trimmed());
    if (!m_options.ghlToken.isEmpty() && token == m_options.ghlToken)
        return true;
    const auto it = m_accessTokens.constFind(token);
    return it != m_accessTokens.cend() && nowMs() < *it;
}

namespace {

/// Removes the record with `id` from a contact's child list; false when there is none.
template <typename T> bool removeById(QList<T> &list, const QString &id)
{
    const auto it = std::find_if(list.begin(), list.end(), [&id](const T &item) { return item.id == id; });
    if (it == list.end())
        return false;
    list.erase(it);
    return true;
}

} // namespace

HttpResponse GhlService::dispatch(HttpRequest &r)
{
    ++m_requests;
    const Router::Handler *handler = m_router.match(r);
    const QString family = familyOf(r);
    ++m_byFamily[family];
    if (!r.route.isEmpty())
        ++m_byRoute[r.route];

    const QString bucket = m_options.locationId; // one location per sandbox
    const qint64 now = nowMs();
    RateLimiter::State rate = m_limiter.peek(bucket, now);
    HttpResponse response;
    std::optional<FaultRule> fault;
    int extraDelay = 0;
    const bool isOAuth = family == L("oauth");

    if (!handler) {
        // NestJS's answer for an unknown route, which is what GHL sends.
        response = fail(404, QStringLiteral("Cannot %1 %2").arg(QString::fromLatin1(r.method), r.path));
    } else if (!isOAuth && !authorized(r)) {
        ++m_unauthorized;
        response = fail(401, QStringLiteral("Invalid token: access token is invalid"));
    } else if (!isOAuth && r.header("version").trimmed() != apiVersion) {
        response =
            fail(400, r.header("version").isEmpty()
                          ? QStringLiteral("Version header was not found")
                          : QStringLiteral("Version header must be %1 for this endpoint, got \"%2\"")
                                .arg(QLatin1String(apiVersion), QString::fromUtf8(r.header("version"))));
    } else {
        if (!isOAuth) {
            rate = m_limiter.acquire(bucket, now);
            if (!rate.allowed) {
                response = fail(429, QStringLiteral("Too many requests"));
                if (m_options.sendRetryAfter)
                    response.setHeader("Retry-After", QByteArray::number((rate.retryAfterMs + 999) / 1000));
            }
        }
        if (response.status != 429) {
            const FaultDecision d = m_faults.decide(r.path);
            extraDelay = d.extraDelayMs;
            fault = d.fault;
            if (!fault || faultActsFirst(fault->kind))
                response = (*handler)(r);
            if (fault) {
                ++m_faultsInjected;
                if (fault->kind == FaultKind::TooManyRequests)
                    rate.remaining = 0;
                response = applyFault(*fault, response);
            }
            if (extraDelay > 0 && !fault)
                ++m_faultsInjected;
        }
    }
    if (response.status == 429)
        ++m_tooMany;
    addRateHeaders(response, rate);
    response.delayMs = std::max(0, m_options.latencyMs) + extraDelay;
    emit requestServed(QString::fromLatin1(r.method), r.path,
                       response.delivery == Delivery::Normal ? response.status : 0);
    return response;
}

HttpResponse GhlService::applyFault(const FaultRule &fault, HttpResponse response)
{
    switch (fault.kind) {
    case FaultKind::TooManyRequests:
        return fail(429, QStringLiteral("Too many requests"));
    case FaultKind::ServerError:
    case FaultKind::ServerErrorAfter: {
        if (fault.param == 502 || fault.param == 504) {
            // Gateways answer in HTML, not in GHL's JSON.
            HttpResponse h;
            h.status = fault.param;
            h.contentType = "text/html";
            const QByteArray title = fault.param == 502 ? "502 Bad Gateway" : "504 Gateway Time-out";
            h.body = "<html><head><title>" + title + "</title></head><body><center><h1>" + title +
                     "</h1></center><hr><center>nginx</center></body></html>\n";
            return h;
        }
        return fail(fault.param, fault.param == 503 ? QStringLiteral("Service Unavailable")
                                                    : QStringLiteral("Internal server error"));
    }
    case FaultKind::Reject:
        return fail(fault.param, QStringLiteral("The request was refused (sandbox fault)"));
    case FaultKind::Slow:
        return response;
    case FaultKind::Cut:
    case FaultKind::CutAfter:
        response.delivery = Delivery::Cut;
        return response;
    case FaultKind::Timeout:
        response.delivery = Delivery::Never;
        return response;
    case FaultKind::Truncated:
        response.delivery = Delivery::Truncated;
        if (response.body.size() < 2)
            response.body = QByteArrayLiteral("{\"statusCode\":200,\"message\":\"ok\"}");
        return response;
    case FaultKind::Malformed:
        response.status = 200;
        response.body =
            response.body.left(std::max<qsizetype>(1, response.body.size() / 2)) + "\x01<html>oops";
        return response;
    case FaultKind::WrongTypes:
        response.status = 200;
        response.body = mangle(response.body);
        return response;
    }
    return response;
}

// ---------------------------------------------------------------------------------------------
// Contacts

HttpResponse GhlService::searchContacts(const HttpRequest &r)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errors;
    const std::optional<ContactSearch> search = ContactSearch::parse(*body, &errors);
    if (!search)
        return unprocessable(errors);
    if (search->locationId() != m_options.locationId)
        return fail(403, QStringLiteral("The token does not have access to this location."));
    return ok(search->run(m_data));
}

HttpResponse GhlService::getContact(const HttpRequest &r)
{
    const Contact *c = m_data.contact(r.param(QStringLiteral("contactId")));
    if (!c)
        return fail(404, QStringLiteral("Contact not found"));
    return ok({{L("contact"), c->toJson()}});
}

HttpResponse GhlService::createContact(const HttpRequest &r)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    const QJsonValue loc = body->value(L("locationId"));
    if (!loc.isString() || loc.toString().isEmpty())
        errs << QStringLiteral("locationId should not be empty");
    Contact c;
    applyContactFields(c, *body, m_data, &errs);
    if (!errs.isEmpty())
        return unprocessable(errs);
    if (loc.toString() != m_options.locationId)
        return fail(403, QStringLiteral("The token does not have access to this location."));
    // GHL's default: a location does not allow duplicate contacts (same email or phone).
    QString dup = m_data.findByEmail(c.email);
    QString matching = QStringLiteral("email");
    if (dup.isEmpty()) {
        dup = m_data.findByPhone(c.phone);
        matching = QStringLiteral("phone");
    }
    if (!dup.isEmpty()) {
        const Contact *other = m_data.contact(dup);
        return fail(400, QStringLiteral("This location does not allow duplicated contacts."),
                    {{L("meta"), QJsonObject{{L("contactName"), other->displayName()},
                                             {L("contactId"), dup},
                                             {L("matchingField"), matching}}}});
    }
    const QString id = m_data.insert(c, nowMs());
    return ok({{L("contact"), m_data.contact(id)->toJson()}}, 201);
}

HttpResponse GhlService::updateContact(const HttpRequest &r)
{
    const QString id = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(id))
        return fail(404, QStringLiteral("Contact not found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    for (const char *forbidden : {"locationId", "gender"})
        if (body->contains(QLatin1String(forbidden)))
            errs << QStringLiteral("property %1 should not exist").arg(QLatin1String(forbidden));
    Contact probe = *m_data.contact(id);
    applyContactFields(probe, *body, m_data, &errs); // validate before changing anything
    if (!errs.isEmpty())
        return unprocessable(errs);
    m_data.update(id, nowMs(), [&](Contact &c) {
        QStringList ignored;
        applyContactFields(c, *body, m_data, &ignored);
    });
    return ok({{L("succeded"), true}, {L("contact"), m_data.contact(id)->toJson()}});
}

HttpResponse GhlService::deleteContact(const HttpRequest &r)
{
    if (!m_data.remove(r.param(QStringLiteral("contactId"))))
        return fail(404, QStringLiteral("Contact not found"));
    return ok({{L("succeded"), true}});
}

HttpResponse GhlService::upsertContact(const HttpRequest &r)
{
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    QStringList errs;
    const QJsonValue loc = body->value(L("locationId"));
    if (!loc.isString() || loc.toString().isEmpty())
        errs << QStringLiteral("locationId should not be empty");
    Contact probe;
    applyContactFields(probe, *body, m_data, &errs);
    if (!errs.isEmpty())
        return unprocessable(errs);
    if (loc.toString() != m_options.locationId)
        return fail(403, QStringLiteral("The token does not have access to this location."));
    // The location's duplicate rule: email first, then phone.
    QString id = m_data.findByEmail(probe.email);
    if (id.isEmpty())
        id = m_data.findByPhone(probe.phone);
    if (id.isEmpty()) {
        id = m_data.insert(probe, nowMs());
        return ok({{L("new"), true}, {L("contact"), m_data.contact(id)->toJson()}});
    }
    QJsonObject fields = *body;
    fields.remove(L("locationId"));
    fields.remove(L("tags"));
    m_data.update(id, nowMs(), [&](Contact &c) {
        QStringList ignored;
        applyContactFields(c, fields, m_data, &ignored);
        // Upsert adds tags rather than replacing them.
        for (const QString &t : probe.tags)
            if (!c.tags.contains(t, Qt::CaseInsensitive))
                c.tags << t;
    });
    return ok({{L("new"), false}, {L("contact"), m_data.contact(id)->toJson()}});
}

HttpResponse GhlService::businessContacts(const HttpRequest &r)
{
    const QString loc = r.query.queryItemValue(QStringLiteral("locationId"));
    if (loc.isEmpty())
        return unprocessable({QStringLiteral("locationId should not be empty")});
    if (loc != m_options.locationId)
        return fail(403, QStringLiteral("The token does not have access to this location."));
    bool okLimit = true, okSkip = true;
    const QString limitText = r.query.queryItemValue(QStringLiteral("limit"));
    const QString skipText = r.query.queryItemValue(QStringLiteral("skip"));
    const int limit = limitText.isEmpty() ? 25 : limitText.toInt(&okLimit);
    const int skip = skipText.isEmpty() ? 0 : skipText.toInt(&okSkip);
    if (!okLimit || !okSkip || limit < 1 || skip < 0)
        return unprocessable({QStringLiteral("limit and skip must be non-negative whole numbers")});
    const QString query = r.query.queryItemValue(QStringLiteral("query"), QUrl::FullyDecoded);
    const QString businessId = r.param(QStringLiteral("businessId"));
    QJsonArray out;
    int count = 0;
    for (const Contact &c : m_data.contacts()) {
        if (c.businessId != businessId)
            continue;
        if (!query.isEmpty() && !c.displayName().contains(query, Qt::CaseInsensitive) &&
            !c.email.contains(query, Qt::CaseInsensitive))
            continue;
        if (count >= skip && out.size() < limit)
            out.append(c.toJson());
        ++count;
    }
    return ok({{L("contacts"), out}, {L("count"), count}});
}

HttpResponse GhlService::addTags(const HttpRequest &r)
{
    const QString id = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(id))
        return fail(404, QStringLiteral("Contact not found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    if (!body->value(L("tags")).isArray())
        return unprocessable({QStringLiteral("tags must be an array")});
    QStringList add;
    for (const QJsonValue &t : body->value(L("tags")).toArray()) {
        if (!t.isString())
            return unprocessable({QStringLiteral("each value in tags must be a string")});
        add << t.toString();
    }
    m_data.update(id, nowMs(), [&](Contact &c) {
        for (const QString &t : add)
            if (!c.tags.contains(t, Qt::CaseInsensitive))
                c.tags << t;
    });
    return ok({{L("tags"), QJsonArray::fromStringList(m_data.contact(id)->tags)}}, 201);
}

HttpResponse GhlService::removeTags(const HttpRequest &r)
{
    const QString id = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(id))
        return fail(404, QStringLiteral("Contact not found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    if (!body->value(L("tags")).isArray())
        return unprocessable({QStringLiteral("tags must be an array")});
    QStringList remove;
    for (const QJsonValue &t : body->value(L("tags")).toArray())
        remove << t.toString();
    m_data.update(id, nowMs(), [&](Contact &c) {
        c.tags.erase(
            std::remove_if(c.tags.begin(), c.tags.end(),
                           [&](const QString &t) { return remove.contains(t, Qt::CaseInsensitive); }),
            c.tags.end());
    });
    return ok({{L("tags"), QJsonArray::fromStringList(m_data.contact(id)->tags)}});
}

// ---------------------------------------------------------------------------------------------
// Tasks, notes, appointments. A change bumps the parent contact's dateUpdated, so an incremental
// pull by dateUpdated sees it.

HttpResponse GhlService::listTasks(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    QJsonArray tasks;
    for (const Task &t : m_data.children(cid).tasks)
        tasks.append(taskJson(t));
    return ok({{L("tasks"), tasks}});
}

HttpResponse GhlService::getTask(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    for (const Task &t : m_data.children(cid).tasks)
        if (t.id == r.param(QStringLiteral("taskId")))
            return ok({{L("task"), taskJson(t)}});
    return fail(404, QStringLiteral("Task not found"));
}

// Validates task fields; `required` for create (title, dueDate, completed).
static void applyTaskFields(Task &t, const QJsonObject &b, bool required, QStringList *errs)
{
    if (b.contains(L("title")) || required) {
        if (!b.value(L("title")).isString() || b.value(L("title")).toString().trimmed().isEmpty())
            errs->append(QStringLiteral("title should not be empty"));
        else
            t.title = b.value(L("title")).toString();
    }
    if (b.contains(L("body"))) {
        if (!b.value(L("body")).isString())
            errs->append(QStringLiteral("body must be a string"));
        t.body = b.value(L("body")).toString();
    }
    if (b.contains(L("assignedTo"))) {
        if (!b.value(L("assignedTo")).isString())
            errs->append(QStringLiteral("assignedTo must be a string"));
        t.assignedTo = b.value(L("assignedTo")).toString();
    }
    if (b.contains(L("dueDate")) || required) {
        const QDateTime due =
            b.value(L("dueDate")).isString() ? json::dateTime(b.value(L("dueDate"))) : QDateTime();
        if (!due.isValid())
            errs->append(QStringLiteral("dueDate must be a valid ISO 8601 date string"));
        t.dueDate = due;
    }
    if (b.contains(L("completed")) || required) {
        if (!b.value(L("completed")).isBool())
            errs->append(QStringLiteral("completed must be a boolean value"));
        t.completed = b.value(L("completed")).toBool();
    }
}

HttpResponse GhlService::createTask(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    Task t;
    QStringList errs;
    applyTaskFields(t, *body, true, &errs);
    if (!errs.isEmpty())
        return unprocessable(errs);
    t.id = m_data.newId();
    t.contactId = cid;
    m_data.mutableChildren(cid).tasks.append(t);
    m_data.update(cid, nowMs(), nullptr);
    return ok({{L("task"), taskJson(t)}}, 201);
}

HttpResponse GhlService::updateTask(const HttpRequest &r, bool completedOnly)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    ContactChildren &kids = m_data.mutableChildren(cid);
    for (Task &t : kids.tasks) {
        if (t.id != r.param(QStringLiteral("taskId")))
            continue;
        Task changed = t;
        QStringList errs;
        if (completedOnly) {
            if (!body->value(L("completed")).isBool())
                errs << QStringLiteral("completed must be a boolean value");
            changed.completed = body->value(L("completed")).toBool();
        } else {
            applyTaskFields(changed, *body, false, &errs);
        }
        if (!errs.isEmpty())
            return unprocessable(errs);
        t = changed;
        m_data.update(cid, nowMs(), nullptr);
        return ok({{L("task"), taskJson(changed)}});
    }
    return fail(404, QStringLiteral("Task not found"));
}

HttpResponse GhlService::deleteTask(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    if (!removeById(m_data.mutableChildren(cid).tasks, r.param(QStringLiteral("taskId"))))
        return fail(404, QStringLiteral("Task not found"));
    m_data.update(cid, nowMs(), nullptr); // a child's change bumps its contact, as GHL's search sees it
    return ok({{L("succeded"), true}});
}

HttpResponse GhlService::listNotes(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    QJsonArray notes;
    for (const Note &n : m_data.children(cid).notes)
        notes.append(n.toJson());
    return ok({{L("notes"), notes}});
}

HttpResponse GhlService::getNote(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    for (const Note &n : m_data.children(cid).notes)
        if (n.id == r.param(QStringLiteral("id")))
            return ok({{L("note"), n.toJson()}});
    return fail(404, QStringLiteral("Note not found"));
}

static void applyNoteFields(Note &n, const QJsonObject &b, bool required, QStringList *errs)
{
    if (b.contains(L("body")) || required) {
        if (!b.value(L("body")).isString() || b.value(L("body")).toString().isEmpty())
            errs->append(QStringLiteral("body should not be empty"));
        n.body = b.value(L("body")).toString();
    }
    if (b.contains(L("title"))) {
        if (!b.value(L("title")).isString())
            errs->append(QStringLiteral("title must be a string"));
        n.title = b.value(L("title")).toString();
    }
    if (b.contains(L("userId"))) {
        if (!b.value(L("userId")).isString())
            errs->append(QStringLiteral("userId must be a string"));
        n.userId = b.value(L("userId")).toString();
    }
}

HttpResponse GhlService::createNote(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    Note n;
    QStringList errs;
    applyNoteFields(n, *body, true, &errs);
    if (!errs.isEmpty())
        return unprocessable(errs);
    n.id = m_data.newId();
    n.contactId = cid;
    n.dateAdded = json::fromMs(nowMs());
    m_data.mutableChildren(cid).notes.append(n);
    m_data.update(cid, nowMs(), nullptr);
    return ok({{L("note"), n.toJson()}}, 201);
}

HttpResponse GhlService::updateNote(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    HttpResponse err;
    const std::optional<QJsonObject> body = jsonBody(r, &err);
    if (!body)
        return err;
    for (Note &n : m_data.mutableChildren(cid).notes) {
        if (n.id != r.param(QStringLiteral("id")))
            continue;
        Note changed = n;
        QStringList errs;
        applyNoteFields(changed, *body, false, &errs);
        if (!errs.isEmpty())
            return unprocessable(errs);
        n = changed;
        m_data.update(cid, nowMs(), nullptr);
        return ok({{L("note"), changed.toJson()}});
    }
    return fail(404, QStringLiteral("Note not found"));
}

HttpResponse GhlService::deleteNote(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    if (!removeById(m_data.mutableChildren(cid).notes, r.param(QStringLiteral("id"))))
        return fail(404, QStringLiteral("Note not found"));
    m_data.update(cid, nowMs(), nullptr); // a child's change bumps its contact, as GHL's search sees it
    return ok({{L("succeded"), true}});
}

HttpResponse GhlService::listAppointments(const HttpRequest &r)
{
    const QString cid = r.param(QStringLiteral("contactId"));
    if (!m_data.contact(cid))
        return fail(404, QStringLiteral("Contact not found"));
    QJsonArray events;
    for (const Appointment &a : m_data.children(cid).appointments)
        events.append(appointmentJson(a, m_options.locationId));
    return ok({{L("events"), events}});
}

// ---------------------------------------------------------------------------------------------
// Location-level

HttpResponse GhlService::customFields(const HttpRequest &r)
{
    if (r.param(QStringLiteral("locationId")) != m_options.locationId)
        return fail(403, QStringLiteral("The token does not have access to this location."));
    const QString model = r.query.queryItemValue(QStringLiteral("model"));
    if (!model.isEmpty() && model != L("contact") && model != L("opportunity") && model != L("all"))
        return unprocessable(
            {QStringLiteral("model must be one of the following values: contact, opportunity, all")});
    QJsonArray out;
    if (model != L("opportunity")) {
        for (const CustomField &f : m_data.customFields()) {
            QJsonObject o = f.toJson();
            o.insert(L("placeholder"), QString());
            o.insert(L("picklistImageOptions"), QJsonArray());
            o.insert(L("isAllowedCustomOption"), false);
            o.insert(L("isMultiFileAllowed"), false);
            o.insert(L("maxFileLimit"), 0);
            out.append(o);
        }
    }
    return ok({{L("customFields"), out}});
}

HttpResponse GhlService::locationTags(const HttpRequest &r)
{
    if (r.param(QStringLiteral("locationId")) != m_options.locationId)
        return fail(403, QStringLiteral("The token does not have access to this location."));
    QJsonArray out;
    int n = 0;
    for (const QString &t : m_data.tagPool())
        out.append(QJsonObject{{L("id"), QStringLiteral("sbxTag%1").arg(++n, 14, 10, QLatin1Char('0'))},
                               {L("name"), t},
                               {L("locationId"), m_options.locationId}});
    return ok({{L("tags"), out}});
}

HttpResponse GhlService::users(const HttpRequest &r)
{
    const QString loc = r.query.queryItemValue(QStringLiteral("locationId"));
    if (loc.isEmpty())
        return unprocessable({QStringLiteral("locationId should not be empty")});
    if (loc != m_options.locationId)
        return fail(403, QStringLiteral("The token does not have access to this location."));
    // The users behind assignedTo/userId values in the data.
    QStringList ids;
    for (const Contact &c : m_data.contacts()) {
        if (!c.assignedTo.isEmpty() && !ids.contains(c.assignedTo))
            ids << c.assignedTo;
        if (ids.size() >= 5)
            break;
    }
    static const char *const names[][2] = {
        {"Alex", "Admin"}, {"Sam", "Sales"}, {"Jordan", "Jäger"}, {"Priya", "Patel"}, {"Kim", "Lee"}};
    QJsonArray out;
    for (qsizetype i = 0; i < ids.size(); ++i) {
        const QString first = QString::fromUtf8(names[i % 5][0]), last = QString::fromUtf8(names[i % 5][1]);
        out.append(QJsonObject{{L("id"), ids.at(i)},
                               {L("name"), first + QLatin1Char(' ') + last},
                               {L("firstName"), first},
                               {L("lastName"), last},
                               {L("email"), first.toLower() + QStringLiteral("@agency.example")}});
    }
    return ok({{L("users"), out}});
}

// ---------------------------------------------------------------------------------------------
// OAuth

GhlService::OAuthTokens GhlService::issueOAuthTokens()
{
    ++m_tokenSerial;
    OAuthTokens t;
    t.accessToken = QStringLiteral("sbx-at-%1-%2").arg(m_tokenSerial).arg(m_data.newId());
    t.refreshToken = QStringLiteral("sbx-rt-%1-%2").arg(m_tokenSerial).arg(m_data.newId());
    t.expiresAtMs = nowMs() + qint64(m_options.oauthTokenLifetimeSec) * 1000;
    m_accessTokens.insert(t.accessToken, t.expiresAtMs);
    m_refreshTokens.insert(t.refreshToken);
    return t;
}

void GhlService::expireAccessTokens()
{
    const qint64 now = nowMs();
    for (auto it = m_accessTokens.begin(); it != m_accessTokens.end(); ++it)
        *it = now;
}

HttpResponse GhlService::oauthToken(const HttpRequest &r)
{
    if (!r.header("content-type").toLower().startsWith("application/x-www-form-urlencoded"))
        return fail(400, QStringLiteral("Content-Type must be application/x-www-form-urlencoded"));
    QByteArray form = r.body;
    form.replace('+', "%20"); // form encoding writes spaces as '+'
    const QUrlQuery q(QString::fromUtf8(form));
    auto field = [&q](const char *name) { return q.queryItemValue(QLatin1String(name), QUrl::FullyDecoded); };
    QStringList errs;
    if (field("client_id").isEmpty())
        errs << QStringLiteral("client_id should not be empty");
    if (field("client_secret").isEmpty())
        errs << QStringLiteral("client_secret should not be empty");
    const QString grant = field("grant_type");
    if (grant != L("authorization_code") && grant != L("refresh_token") && grant != L("client_credentials"))
        errs << QStringLiteral("grant_type must be one of the following values: authorization_code, "
                               "refresh_token, client_credentials");
    if (!errs.isEmpty())
        return unprocessable(errs);
    if (field("client_id") != m_options.oauthClientId ||
        field("client_secret") != m_options.oauthClientSecret)
        return fail(401, QStringLiteral("Invalid client credentials"),
                    {{L("error"), QStringLiteral("invalid_client")}});
    auto invalidGrant = [](const QString &what) {
        return fail(400, what,
                    {{L("error"), QStringLiteral("invalid_grant")}, {L("error_description"), what}});
    };
    if (grant == L("refresh_token")) {
        // Single use: the old refresh token dies with the exchange.
        if (!m_refreshTokens.remove(field("refresh_token")))
            return invalidGrant(QStringLiteral("Invalid grant: refresh token is invalid"));
        ++m_refreshes;
    } else if (grant == L("authorization_code")) {
        if (!m_authCodes.remove(field("code")))
            return invalidGrant(QStringLiteral("Invalid grant: authorization code is invalid"));
    } else {
        return fail(400, QStringLiteral("client_credentials is not supported for location tokens"),
                    {{L("error"), QStringLiteral("unsupported_grant_type")}});
    }
    const OAuthTokens t = issueOAuthTokens();
    return ok({{L("access_token"), t.accessToken},
               {L("token_type"), QStringLiteral("Bearer")},
               {L("expires_in"), m_options.oauthTokenLifetimeSec},
               {L("refresh_token"), t.refreshToken},
               {L("scope"), QStringLiteral("contacts.readonly contacts.write locations/customFields.readonly "
                                           "locations/tags.readonly users.readonly")},
               {L("userType"), QStringLiteral("Location")},
               {L("locationId"), m_options.locationId},
               {L("companyId"), QStringLiteral("sbxCompany0000000001")},
               {L("userId"), QStringLiteral("sbxUser000000000001")},
               {L("approvedLocations"), QJsonArray{m_options.locationId}},
               {L("planId"), QStringLiteral("sbxPlan")},
               {L("isBulkInstallation"), false},
               {L("installToFutureLocations"), false},
               {L("approveAllLocations"), false}});
}

// ---------------------------------------------------------------------------------------------
// Introspection and switches

QStringList GhlService::touchContacts(int n)
{
    const QStringList ids = m_data.pickContacts(n);
    const qint64 now = nowMs();
    const QString referralFieldId = m_data.customFieldIdForKey(QStringLiteral("referral_code"));
    int serial = 0;
    for (const QString &id : ids) {
        m_data.update(id, now, [&](Contact &c) {
            c.city =
                c.city == L("Springfield") ? QStringLiteral("Shelbyville") : QStringLiteral("Springfield");
            bool found = false;
            const QJsonValue v(QStringLiteral("TOUCH-%1-%2").arg(now).arg(++serial));
            for (CustomFieldValue &cv : c.customFields) {
                if (cv.fieldId == referralFieldId) {
                    cv.value = v;
                    found = true;
                }
            }
            if (!found)
                c.customFields.append({referralFieldId, v});
        });
    }
    return ids;
}

bool GhlService::deleteContactDirect(const QString &id)
{
    return m_data.remove(id);
}

QString GhlService::createContactDirect(const Contact &contact)
{
    return m_data.insert(contact, nowMs());
}

void GhlService::resetCounters()
{
    m_requests = m_tooMany = m_faultsInjected = m_refreshes = m_unauthorized = 0;
    m_byFamily.clear();
    m_byRoute.clear();
}

bool GhlService::setFaults(const QString &spec, QString *error)
{
    const std::optional<QList<FaultRule>> rules = parseFaultSpec(spec, error);
    if (!rules)
        return false;
    m_faults.setRules(*rules);
    return true;
}

void GhlService::setFaults(const QList<FaultRule> &rules)
{
    m_faults.setRules(rules);
}

void GhlService::addFault(const FaultRule &rule)
{
    m_faults.addRule(rule);
}

void GhlService::clearFaults()
{
    m_faults.clear();
}

void GhlService::setRateLimit(int max, int intervalMs)
{
    RateLimiter::Limits l = m_limiter.limits();
    l.burstMax = max;
    l.burstIntervalMs = intervalMs;
    m_limiter.setLimits(l);
}

void GhlService::setDailyLimit(int perDay)
{
    RateLimiter::Limits l = m_limiter.limits();
    l.dailyLimit = perDay;
    m_limiter.setLimits(l);
}

} // namespace lb::sandbox
