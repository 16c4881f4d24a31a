#pragma once

#include "net/TokenProvider.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

#include <memory>

namespace lb::ghl {

class GhlClient;

/// The tokens of a GHL OAuth install, kept together so that they are saved together.
struct OAuthTokens
{
    QString accessToken;
    QString refreshToken;
    QDateTime expiresAt;
    QString locationId;
    QString clientId;
    QString clientSecret;

    /// For the keychain (one secret holds the whole set).
    [[nodiscard]] QByteArray serialize() const;
    [[nodiscard]] static OAuthTokens deserialize(const QByteArray &data);
};

/// GHL OAuth 2: the access token expires after about a day and is renewed with the single-use
/// refresh token at POST /oauth/token. A refresh runs once however many requests wait for it;
/// the new pair is announced through `tokensChanged` so that the caller stores it at once.
class OAuthTokenProvider final : public TokenProvider
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OAuthTokenProvider)

public:
    OAuthTokenProvider(QUrl root, OAuthTokens tokens, QObject *parent = nullptr);
    ~OAuthTokenProvider() override;

    [[nodiscard]] QString token() const override { return m_tokens.accessToken; }
    [[nodiscard]] bool canRefresh() const override { return !m_tokens.refreshToken.isEmpty(); }
    [[nodiscard]] bool isRefreshing() const override { return m_refreshing; }
    void refresh(const QString &rejectedToken) override;
    [[nodiscard]] const OAuthTokens &tokens() const { return m_tokens; }
    [[nodiscard]] int refreshCount() const { return m_refreshCount; }

Q_SIGNALS:
    void tokensChanged(const lb::ghl::OAuthTokens &tokens);

private:
    OAuthTokens m_tokens;
    std::unique_ptr<GhlClient> m_client; ///< its own scheduler: the API's is held during a refresh
    bool m_refreshing = false;
    int m_refreshCount = 0;
};

} // namespace lb::ghl
