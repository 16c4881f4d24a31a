#include "api/ghl/OAuthTokenProvider.h"

#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthRequests.h"
#include "domain/Json.h"
#include "net/Logging.h"

#include <QJsonDocument>

namespace lb::ghl {

using L = QLatin1StringView;

QByteArray OAuthTokens::serialize() const
{
    return QJsonDocument(QJsonObject{{L("accessToken"), accessToken},
                                     {L("refreshToken"), refreshToken},
                                     {L("expiresAt"), json::isoString(expiresAt)},
                                     {L("locationId"), locationId},
                                     {L("clientId"), clientId},
                                     {L("clientSecret"), clientSecret}})
        .toJson(QJsonDocument::Compact);
}

OAuthTokens OAuthTokens::deserialize(const QByteArray &data)
{
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    OAuthTokens t;
    t.accessToken = json::str(o, L("accessToken"));
    t.refreshToken = json::str(o, L("refreshToken"));
    t.expiresAt = json::dateTime(o, L("expiresAt"));
    t.locationId = json::str(o, L("locationId"));
    t.clientId = json::str(o, L("clientId"));
    t.clientSecret = json::str(o, L("clientSecret"));
    return t;
}

OAuthTokenProvider::OAuthTokenProvider(QUrl root, OAuthTokens tokens, QObject *parent)
    : TokenProvider(parent), m_tokens(std::move(tokens)),
      m_client(std::make_unique<GhlClient>(std::move(root), m_tokens.locationId))
{
    m_client->retryPolicy().maxAttempts = 3;
}

OAuthTokenProvider::~OAuthTokenProvider() = default;

void OAuthTokenProvider::refresh(const QString &rejectedToken)
{
    if (m_refreshing)
        return; // everyone waiting hears the one `refreshed`
    if (!rejectedToken.isEmpty() && rejectedToken != m_tokens.accessToken) {
        Q_EMIT refreshed(true, {}); // renewed since that request left
        return;
    }
    m_refreshing = true;
    ++m_refreshCount;
    qCInfo(lcGhl) << "refreshing the GHL access token";
    auto *request = new TokenRequest(*m_client, TokenRequest::Grant::RefreshToken, m_tokens.clientId,
                                     m_tokens.clientSecret, m_tokens.refreshToken, {}, this);
    connect(request, &ApiRequest::finished, this, [this, request] {
        request->deleteLater();
        m_refreshing = false;
        if (!request->ok()) {
            Q_EMIT refreshed(false, tr("Renewing the GHL access token failed: %1 Connect the account again.")
                                        .arg(request->error().message));
            return;
        }
        OAuthTokens next = request->tokens();
        next.clientId = m_tokens.clientId;
        next.clientSecret = m_tokens.clientSecret;
        if (next.locationId.isEmpty())
            next.locationId = m_tokens.locationId;
        m_tokens = next;
        Q_EMIT tokensChanged(m_tokens);
        Q_EMIT refreshed(true, {});
    });
    request->start();
}

TokenRequest::TokenRequest(GhlClient &client, Grant grant, const QString &clientId, const QString &clientSecret,
                           const QString &codeOrRefreshToken, const QString &redirectUri, QObject *parent)
    : GhlRequest(client, "POST", QStringLiteral("/oauth/token"), parent)
{
    // Encoded by hand: QUrlQuery leaves '+' alone, which a form decoder reads as a space.
    auto add = [this](const char *key, const QString &value) {
        if (!m_form.isEmpty())
            m_form += '&';
        m_form += key;
        m_form += '=';
        m_form += QUrl::toPercentEncoding(value);
    };
    add("client_id", clientId);
    add("client_secret", clientSecret);
    if (grant == Grant::AuthorizationCode) {
        add("grant_type", QStringLiteral("authorization_code"));
        add("code", codeOrRefreshToken);
        if (!redirectUri.isEmpty())
            add("redirect_uri", redirectUri);
    } else {
        add("grant_type", QStringLiteral("refresh_token"));
        add("refresh_token", codeOrRefreshToken);
    }
    add("user_type", QStringLiteral("Location"));
}

bool TokenRequest::parse(const QJsonDocument &body, QString *why)
{
    const QJsonObject o = body.object();
    m_tokens.accessToken = json::str(o, L("access_token"));
    m_tokens.refreshToken = json::str(o, L("refresh_token"));
    m_tokens.locationId = json::str(o, L("locationId"));
    const int expiresIn = o.value(L("expires_in")).toInt(86399);
    m_tokens.expiresAt = QDateTime::currentDateTimeUtc().addSecs(expiresIn);
    if (m_tokens.accessToken.isEmpty()) {
        *why = tr("the token answer has no access token");
        return false;
    }
    return true;
}

} // namespace lb::ghl
