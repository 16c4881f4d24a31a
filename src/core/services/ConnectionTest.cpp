#include "services/ConnectionTest.h"

#include "api/ghl/ChildRequests.h"
#include "api/ghl/GhlClient.h"
#include "net/TokenProvider.h"

namespace lb {

GhlConnectionTest::GhlConnectionTest(QObject *parent) : QObject(parent) {}

GhlConnectionTest::~GhlConnectionTest() = default;

void GhlConnectionTest::start(const QUrl &root, const QString &locationId, const QString &token)
{
    // Abandons a running test: its answer is ignored (generation) and the old client goes later,
    // after its requests have wound down.
    ++m_generation;
    if (m_client) {
        m_client->abortAll();
        m_client.release()->deleteLater();
    }
    if (m_token)
        m_token.release()->deleteLater();
    if (locationId.trimmed().isEmpty() || token.trimmed().isEmpty()) {
        m_running = false;
        Q_EMIT finished(false, tr("Enter the location id and the token first."));
        return;
    }
    m_running = true;
    m_token = std::make_unique<StaticTokenProvider>(token.trimmed());
    m_client = std::make_unique<ghl::GhlClient>(root, locationId.trimmed());
    m_client->setTokenProvider(m_token.get());
    // A person is waiting: one quick try rather than the sync's patient retries.
    m_client->retryPolicy().maxAttempts = 1;
    m_client->retryPolicy().transferTimeoutMs = 15000;

    auto *request = new ghl::ListCustomFieldsRequest(*m_client, m_client.get());
    connect(request, &ApiRequest::finished, this, [this, request, locationId, generation = m_generation] {
        request->deleteLater();
        if (generation != m_generation)
            return;
        m_running = false;
        const ApiError &e = request->error();
        QString message;
        switch (e.kind) {
        case ApiError::Kind::None:
            message = tr("Connected: GHL accepted the token for location %1.").arg(locationId.trimmed());
            break;
        case ApiError::Kind::Auth:
            message = tr("GHL refused the token. Check that you copied all of it and that it has not been "
                         "deleted or replaced in GHL.");
            break;
        case ApiError::Kind::Forbidden:
            message = tr("GHL accepted the token but it may not read this location's contacts. Give it the "
                         "contacts, locations and calendars scopes, or check the location id.");
            break;
        case ApiError::Kind::NotFound:
        case ApiError::Kind::BadRequest:
            message = tr("GHL does not know the location id %1. Copy it from the location's Settings → "
                         "Business Profile page.")
                          .arg(locationId.trimmed());
            break;
        default:
            message = e.message;
            break;
        }
        Q_EMIT finished(e.isOk(), message);
    });
    request->start();
}

} // namespace lb
