#include "gui/OAuthSignIn.h"

#include "api/ghl/GhlClient.h"
#include "api/ghl/OAuthRequests.h"

#include <QDesktopServices>
#include <QHostAddress>
#include <QOAuth2AuthorizationCodeFlow>
#include <QOAuthHttpServerReplyHandler>

namespace lb::gui {

namespace {
// What a desktop sync of one location reads and writes (GHL.md §2).
constexpr auto kScopes = "contacts.readonly contacts.write locations.readonly locations/customFields.readonly "
                         "calendars/events.readonly users.readonly";
} // namespace

OAuthSignIn::OAuthSignIn(QObject *parent) : QObject(parent) {}

OAuthSignIn::~OAuthSignIn() = default;

QString OAuthSignIn::redirectUri(quint16 port)
{
    return QStringLiteral("http://127.0.0.1:%1/").arg(port);
}

void OAuthSignIn::start(const QUrl &ghlRoot, const QString &clientId, const QString &clientSecret,
                        const QUrl &authorizeUrl, quint16 port)
{
    cancel();
    if (clientId.trimmed().isEmpty() || clientSecret.trimmed().isEmpty()) {
        fail(tr("Enter your marketplace app's client id and client secret first."));
        return;
    }
    m_clientId = clientId.trimmed();
    m_clientSecret = clientSecret.trimmed();
    m_client = std::make_unique<ghl::GhlClient>(ghlRoot, QString());

    m_flow = new QOAuth2AuthorizationCodeFlow(this);
    m_flow->setAuthorizationUrl(authorizeUrl);
    m_flow->setClientIdentifier(m_clientId);
    m_flow->setScope(QString::fromLatin1(kScopes));
    // Loopback only: the code must not be reachable from the network.
    m_handler = new QOAuthHttpServerReplyHandler(QHostAddress::LocalHost, port, this);
    m_handler->setCallbackText(tr("LeadBridge received GHL's answer. You can close this tab."));
    if (!m_handler->isListening()) {
        fail(tr("Cannot listen on %1 for GHL's answer: another program uses port %2. Close it and try again.")
                 .arg(redirectUri(port))
                 .arg(port));
        return;
    }
    m_redirectUri = redirectUri(m_handler->port());
    m_flow->setReplyHandler(m_handler);
    connect(m_flow, &QAbstractOAuth::authorizeWithBrowser, this, [this](const QUrl &url) {
        Q_EMIT browserRequested(url);
        if (m_openBrowser && !QDesktopServices::openUrl(url))
            fail(tr("Cannot open a web browser. Open this address yourself: %1").arg(url.toString()));
    });
    m_flow->grant();
    // The flow would exchange the code itself, in its own format and outside our request layer;
    // the exchange is ours (GHL wants user_type, and our scheduler and error texts apply).
    disconnect(m_handler, &QAbstractOAuthReplyHandler::callbackReceived, m_flow, nullptr);
    connect(m_handler, &QAbstractOAuthReplyHandler::callbackReceived, this, &OAuthSignIn::onCallback);
}

void OAuthSignIn::cancel()
{
    if (m_handler) {
        m_handler->close();
        m_handler->deleteLater();
        m_handler = nullptr;
    }
    if (m_flow) {
        m_flow->deleteLater();
        m_flow = nullptr;
    }
    if (m_client) {
        m_client->abortAll();
        m_client.release()->deleteLater();
    }
}

void OAuthSignIn::fail(const QString &message)
{
    cancel();
    Q_EMIT finished(false, message, {});
}

void OAuthSignIn::onCallback(const QVariantMap &values)
{
    if (!m_flow)
        return;
    const QString error = values.value(QStringLiteral("error")).toString();
    if (!error.isEmpty()) {
        fail(tr("GHL did not grant access: %1").arg(error));
        return;
    }
    if (values.value(QStringLiteral("state")).toString() != m_flow->state()) {
        // Not the answer to our request (or a forged one): ignore it, as OAuth requires.
        fail(tr("GHL's answer did not match the sign-in that was started. Try again."));
        return;
    }
    const QString code = values.value(QStringLiteral("code")).toString();
    if (code.isEmpty()) {
        fail(tr("GHL's answer carried no authorization code. Try again."));
        return;
    }
    m_handler->close(); // one answer is all we take
    auto *request = new ghl::TokenRequest(*m_client, ghl::TokenRequest::Grant::AuthorizationCode, m_clientId,
                                          m_clientSecret, code, m_redirectUri, m_client.get());
    connect(request, &ApiRequest::finished, this, [this, request] {
        request->deleteLater();
        if (!request->ok()) {
            fail(tr("GHL refused to issue a token: %1").arg(request->error().message));
            return;
        }
        ghl::OAuthTokens tokens = request->tokens();
        tokens.clientId = m_clientId;
        tokens.clientSecret = m_clientSecret;
        Q_EMIT finished(true, tr("Signed in to GHL."), tokens);
    });
    request->start();
}

} // namespace lb::gui
