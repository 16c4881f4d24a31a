#pragma once

#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthTokenProvider.h"

namespace lb::ghl {

/// POST /oauth/token (form-encoded, no Version header, no bearer): exchanges an authorization
/// code or a refresh token for a new token pair (GHL.md §2.1).
class TokenRequest final : public GhlRequest
{
    Q_OBJECT

public:
    enum class Grant { AuthorizationCode, RefreshToken };

    TokenRequest(GhlClient &client, Grant grant, const QString &clientId, const QString &clientSecret,
                 const QString &codeOrRefreshToken, const QString &redirectUri = {}, QObject *parent = nullptr);

    [[nodiscard]] QByteArray formBody() const override { return m_form; }
    [[nodiscard]] bool needsAuthorization() const override { return false; }
    [[nodiscard]] QByteArray apiVersion() const override { return {}; }
    /// A refresh token is single-use: a repeat after a lost answer would fail anyway.
    [[nodiscard]] bool isIdempotent() const override { return false; }
    [[nodiscard]] QString describe() const override { return QStringLiteral("POST /oauth/token"); }
    [[nodiscard]] const OAuthTokens &tokens() const { return m_tokens; }

protected:
    bool parse(const QJsonDocument &body, QString *why) override;

private:
    QByteArray m_form;
    OAuthTokens m_tokens;
};

} // namespace lb::ghl
