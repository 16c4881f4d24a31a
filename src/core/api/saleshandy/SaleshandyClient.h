#pragma once

#include "net/ApiRequest.h"
#include "net/ServiceClient.h"

#include <QJsonValue>

namespace lb::sh {

/// The Saleshandy Open API of one API key: its root URL, key and scheduler.
class SaleshandyClient final : public ServiceClient
{
    Q_OBJECT

public:
    static constexpr char kDefaultRoot[] = "https://open-api.saleshandy.com";

    explicit SaleshandyClient(QUrl root, QObject *parent = nullptr);

    /// Adds `x-api-key` from the token provider (never `Authorization`; SALESHANDY.md §1).
    void decorate(QNetworkRequest &request, const ApiRequest &call) const override;
    /// Saleshandy publishes no limits (§9): stay well under what a small server allows, 5 requests
    /// per second, and no daily budget (0). Any 429 and its Retry-After are honoured on top.
    [[nodiscard]] static ServiceScheduler::Policy defaultPolicy();
};

/// The base of every Saleshandy call: a subclass sets the method, path, query and body in its
/// constructor and reads the payload in parsePayload(). The `{message, payload}` envelope is
/// unwrapped here (a bare body is taken as the payload), and Saleshandy's numbered errors
/// ("1001: Invalid token") become ApiError::serviceCode and a readable detail.
class SaleshandyRequest : public ApiRequest
{
    Q_OBJECT

public:
    [[nodiscard]] QByteArray method() const override { return m_method; }
    [[nodiscard]] QString path() const override { return m_path; }
    [[nodiscard]] QUrlQuery query() const override { return m_query; }
    [[nodiscard]] std::optional<QJsonDocument> jsonBody() const override { return m_body; }
    [[nodiscard]] QString describe() const override;
    [[nodiscard]] SaleshandyClient &saleshandy() const { return static_cast<SaleshandyClient &>(client()); }
    /// The `message` of the last 2xx answer ("Prospect import has started successfully. ...").
    [[nodiscard]] QString serverMessage() const { return m_message; }

    /// Reads Saleshandy's error body: the code (a `code` field, or the number before ':' in
    /// `message`) and the text. Code 0 when there is none.
    static void readError(const QByteArray &body, int *code, QString *text, bool *isValidation);

protected:
    SaleshandyRequest(SaleshandyClient &client, QByteArray method, QString path, QObject *parent);
    /// Percent-encodes an id for a path segment.
    [[nodiscard]] static QString seg(const QString &id);

    bool parse(const QJsonDocument &body, QString *why) final;
    /// Reads the payload (the body's `payload`, or the whole body when it has none).
    [[nodiscard]] virtual bool parsePayload(const QJsonValue &payload, QString *why) = 0;
    void refineError(ApiError &error, const QByteArray &body) const override;
    /// Whether a 400 (or 409/422) answer's text contains one of `phrases` (lower case), e.g.
    /// "already completed": for acceptAsAlreadyDone().
    [[nodiscard]] static bool saysAlready(const ApiError &error, std::initializer_list<const char *> phrases);

    QByteArray m_method;
    QString m_path;
    QString m_pattern; ///< the path with ids replaced by {placeholders}, for logs
    QUrlQuery m_query;
    std::optional<QJsonDocument> m_body;
    QString m_message;
};

/// Reads a list that Saleshandy may send bare or inside an object under one of `keys`.
[[nodiscard]] QJsonArray listIn(const QJsonValue &payload, std::initializer_list<const char *> keys,
                                bool *found);

} // namespace lb::sh
