#pragma once

#include "api/ghl/OAuthTokenProvider.h"

#include <QObject>
#include <QUrl>

#include <memory>

class QOAuth2AuthorizationCodeFlow;
class QOAuthHttpServerReplyHandler;

namespace lb::ghl {
class GhlClient;
}

namespace lb::gui {

/// Signs in to GHL with the person's own marketplace app: the system browser shows GHL's
/// location chooser, GHL redirects to a loopback address that this object serves, and the code is
/// exchanged at POST /oauth/token (lb::ghl::TokenRequest, through the app's request layer).
/// QtNetworkAuth builds the authorization URL (with its `state`) and serves the redirect.
class OAuthSignIn final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OAuthSignIn)

public:
    /// Register http://127.0.0.1:<this>/ as the app's redirect URL in the GHL marketplace.
    static constexpr quint16 kRedirectPort = 53682;
    static constexpr char kAuthorizeUrl[] = "https://marketplace.gohighlevel.com/v2/oauth/chooselocation";

    explicit OAuthSignIn(QObject *parent = nullptr);
    ~OAuthSignIn() override;

    [[nodiscard]] static QString redirectUri(quint16 port = kRedirectPort);

    /// Starts listening and asks for the browser (browserRequested; by default also opened with
    /// QDesktopServices). `authorizeUrl` may point elsewhere for tests.
    void start(const QUrl &ghlRoot, const QString &clientId, const QString &clientSecret,
               const QUrl &authorizeUrl = QUrl(QString::fromLatin1(kAuthorizeUrl)), quint16 port = kRedirectPort);
    void cancel();
    /// Whether start() opens the system browser itself (off in tests).
    void setOpenBrowser(bool on) { m_openBrowser = on; }

Q_SIGNALS:
    void browserRequested(const QUrl &url);
    /// ok with the tokens, or a sentence saying what went wrong.
    void finished(bool ok, const QString &message, const lb::ghl::OAuthTokens &tokens);

private:
    void onCallback(const QVariantMap &values);
    void fail(const QString &message);

    std::unique_ptr<ghl::GhlClient> m_client;
    QOAuth2AuthorizationCodeFlow *m_flow = nullptr;
    QOAuthHttpServerReplyHandler *m_handler = nullptr;
    QString m_clientId;
    QString m_clientSecret;
    QString m_redirectUri;
    bool m_openBrowser = true;
};

} // namespace lb::gui
