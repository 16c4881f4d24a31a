#pragma once

#include "net/ApiRequest.h"
#include "net/ServiceClient.h"

namespace lb::ghl {

/// The `Version` header values of GHL API v2 (GHL.md §1).
inline constexpr char kVersion[] = "2021-07-28";
inline constexpr char kCalendarsVersion[] = "2021-04-15";

/// The GHL API of one location: its root URL, token and scheduler (GHL's limits are per location).
class GhlClient final : public ServiceClient
{
    Q_OBJECT

public:
    static constexpr char kDefaultRoot[] = "https://services.leadconnectorhq.com";

    GhlClient(QUrl root, QString locationId, QObject *parent = nullptr);

    [[nodiscard]] QString locationId() const { return m_locationId; }
    void decorate(QNetworkRequest &request, const ApiRequest &call) const override;
    /// GHL's published limits: 100 requests per 10 s and 200,000 a day, per location.
    [[nodiscard]] static ServiceScheduler::Policy defaultPolicy();

private:
    QString m_locationId;
};

/// The base of every GHL call: a subclass sets the method, path, query and body in its
/// constructor and reads the answer in parse().
class GhlRequest : public ApiRequest
{
    Q_OBJECT

public:
    [[nodiscard]] QByteArray method() const override { return m_method; }
    [[nodiscard]] QString path() const override { return m_path; }
    [[nodiscard]] QUrlQuery query() const override { return m_query; }
    [[nodiscard]] std::optional<QJsonDocument> jsonBody() const override { return m_body; }
    [[nodiscard]] QString describe() const override;
    [[nodiscard]] virtual QByteArray apiVersion() const { return kVersion; }
    [[nodiscard]] GhlClient &ghl() const { return static_cast<GhlClient &>(client()); }

protected:
    GhlRequest(GhlClient &client, QByteArray method, QString path, QObject *parent);
    /// Percent-encodes an id for a path segment.
    [[nodiscard]] static QString seg(const QString &id);

    QByteArray m_method;
    QString m_path;
    QString m_pattern; ///< the path with ids replaced by {placeholders}, for logs
    QUrlQuery m_query;
    std::optional<QJsonDocument> m_body;
};

/// Reads GHL's `{succeded: bool}` answer of deletes and updates (spelled so by GHL; the correct
/// spelling and an empty body are accepted too). False, with why, when it says it did not succeed.
[[nodiscard]] bool readSucceeded(const QJsonDocument &body, QString *why);

} // namespace lb::ghl
