#pragma once

#include "sandbox/Faults.h"
#include "sandbox/GhlData.h"
#include "sandbox/HttpServerBase.h"
#include "sandbox/RateLimiter.h"
#include "sandbox/Sandbox.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace lb::sandbox {

/// The simulated GHL API v2 (GHL.md §3) over real HTTP on 127.0.0.1: contacts, search, tags, tasks,
/// notes, appointments, custom field definitions, users, OAuth token exchange; with GHL's auth,
/// Version header, error shapes, rate limits and headers, plus switchable faults.
///
/// Order of checks per request: route (404) → auth (401) → Version (400) → rate limit (429) →
/// faults → handler. A 429, 5xx or cut fault rejects the request before it is processed;
/// 5xx-after, cut-after, timeout, truncated, malformed and wrongtypes faults happen after it was
/// processed (a lost or garbled response to a write that succeeded, as on the real network).
class GhlService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GhlService)

public:
    static constexpr const char *apiVersion = "2021-07-28";

    explicit GhlService(const SandboxOptions &options, QObject *parent = nullptr);
    ~GhlService() override;

    /// Generates the data and listens. False with a sentence in `error` on failure.
    [[nodiscard]] bool start(QString *error);
    [[nodiscard]] QUrl url() const;
    [[nodiscard]] QString locationId() const { return m_options.locationId; }
    [[nodiscard]] QString token() const { return m_options.ghlToken; }

    // --- The truth, read-only, to compare with what a client pulled.
    [[nodiscard]] const GhlData &data() const { return m_data; }
    [[nodiscard]] int contactCount() const { return m_data.contactCount(); }
    [[nodiscard]] const Contact *contact(const QString &id) const { return m_data.contact(id); }
    [[nodiscard]] ContactChildren children(const QString &contactId) const
    {
        return m_data.children(contactId);
    }

    // --- Changes made behind the API's back, as another GHL user would.
    /// Changes a field (city and a custom value) on `n` random contacts and bumps their dateUpdated
    /// to now. Returns their ids.
    QStringList touchContacts(int n);
    bool deleteContactDirect(const QString &id);
    /// Adds a contact as if created in GHL's UI; returns its id.
    QString createContactDirect(const Contact &contact);

    // --- Counters, for tests and benchmarks.
    [[nodiscard]] int requestCount() const { return m_requests; }
    /// Families: search, contacts, business, tags, tasks, notes, appointments, customFields, locations,
    /// users, oauth, unknown.
    [[nodiscard]] int requestCount(const QString &family) const { return m_byFamily.value(family); }
    [[nodiscard]] QHash<QString, int> requestCountsByFamily() const { return m_byFamily; }
    /// By route pattern, e.g. "POST /contacts/search", "GET /contacts/{contactId}/tasks".
    [[nodiscard]] QHash<QString, int> requestCountsByRoute() const { return m_byRoute; }
    [[nodiscard]] int tooManyRequestsSent() const { return m_tooMany; } ///< 429s, real and injected
    [[nodiscard]] int faultsInjected() const { return m_faultsInjected; }
    [[nodiscard]] int refreshCount() const { return m_refreshes; } ///< successful refresh_token grants
    [[nodiscard]] int unauthorizedSent() const { return m_unauthorized; }
    [[nodiscard]] int connectionsAccepted() const { return m_server->connectionsAccepted(); }
    void resetCounters();

    // --- Behaviour switches.
    /// Replaces the rules; the random decisions restart from the fault seed (see FaultInjector).
    [[nodiscard]] bool setFaults(const QString &spec, QString *error);
    void setFaults(const QList<FaultRule> &rules);
    /// The seed of the random fault decisions; the generator restarts from it.
    void setFaultSeed(quint32 seed) { m_faults.setSeed(seed); }
    void addFault(const FaultRule &rule);
    void clearFaults();
    [[nodiscard]] QList<FaultRule> faults() const { return m_faults.rules(); }
    void setRateLimit(int max, int intervalMs);
    void setDailyLimit(int perDay);
    void resetRateLimits() { m_limiter.reset(); }
    void setSendRetryAfter(bool on) { m_options.sendRetryAfter = on; }
    void setLatency(int ms) { m_options.latencyMs = ms; }

    // --- OAuth (GHL.md §2.1).
    struct OAuthTokens
    {
        QString accessToken;
        QString refreshToken;
        qint64 expiresAtMs = 0;
    };
    /// A fresh pair, as if the user had just installed the app.
    OAuthTokens issueOAuthTokens();
    /// Every access token issued so far expires now (the static token keeps working).
    void expireAccessTokens();
    void setOAuthTokenLifetime(int seconds) { m_options.oauthTokenLifetimeSec = seconds; }

Q_SIGNALS:
    /// After each answer (or fault), for the GUI's demo log.
    void requestServed(const QString &method, const QString &path, int status);

private:
    HttpResponse dispatch(HttpRequest &request);
    void setupRoutes();
    [[nodiscard]] QString familyOf(const HttpRequest &request) const;
    void addRateHeaders(HttpResponse &response, const RateLimiter::State &state) const;
    [[nodiscard]] HttpResponse applyFault(const FaultRule &fault, HttpResponse response);
    [[nodiscard]] bool authorized(const HttpRequest &request) const;
    [[nodiscard]] qint64 nowMs() const;

    // Handlers
    HttpResponse searchContacts(const HttpRequest &r);
    HttpResponse getContact(const HttpRequest &r);
    HttpResponse createContact(const HttpRequest &r);
    HttpResponse updateContact(const HttpRequest &r);
    HttpResponse deleteContact(const HttpRequest &r);
    HttpResponse upsertContact(const HttpRequest &r);
    HttpResponse businessContacts(const HttpRequest &r);
    HttpResponse addTags(const HttpRequest &r);
    HttpResponse removeTags(const HttpRequest &r);
    HttpResponse listTasks(const HttpRequest &r);
    HttpResponse getTask(const HttpRequest &r);
    HttpResponse createTask(const HttpRequest &r);
    HttpResponse updateTask(const HttpRequest &r, bool completedOnly);
    HttpResponse deleteTask(const HttpRequest &r);
    HttpResponse listNotes(const HttpRequest &r);
    HttpResponse getNote(const HttpRequest &r);
    HttpResponse createNote(const HttpRequest &r);
    HttpResponse updateNote(const HttpRequest &r);
    HttpResponse deleteNote(const HttpRequest &r);
    HttpResponse listAppointments(const HttpRequest &r);
    HttpResponse customFields(const HttpRequest &r);
    HttpResponse locationTags(const HttpRequest &r);
    HttpResponse users(const HttpRequest &r);
    HttpResponse oauthToken(const HttpRequest &r);

    SandboxOptions m_options;
    GhlData m_data;
    RateLimiter m_limiter;
    FaultInjector m_faults;
    Router m_router;
    HttpServerBase *m_server = nullptr;

    int m_requests = 0;
    int m_tooMany = 0;
    int m_faultsInjected = 0;
    int m_refreshes = 0;
    int m_unauthorized = 0;
    QHash<QString, int> m_byFamily;
    QHash<QString, int> m_byRoute;

    QHash<QString, qint64> m_accessTokens; ///< token → expiry (ms)
    QSet<QString> m_refreshTokens;         ///< each valid once
    QSet<QString> m_authCodes;
    int m_tokenSerial = 0;
};

} // namespace lb::sandbox
