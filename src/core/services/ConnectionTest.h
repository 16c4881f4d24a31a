#pragma once

#include <QObject>
#include <QUrl>

#include <memory>

namespace lb {

class TokenProvider;
namespace ghl {
class GhlClient;
}

/// "Test connection" for a GHL location: one cheap authenticated read (the custom field
/// definitions, which needs both the token and the location id to be right), reported as a
/// sentence a person can act on.
class GhlConnectionTest final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GhlConnectionTest)

public:
    explicit GhlConnectionTest(QObject *parent = nullptr);
    ~GhlConnectionTest() override;

    /// Starts the test with a static token (a Private Integration Token or an OAuth access token).
    /// A running test is abandoned.
    void start(const QUrl &root, const QString &locationId, const QString &token);
    [[nodiscard]] bool isRunning() const { return m_running; }

Q_SIGNALS:
    void finished(bool ok, const QString &message);

private:
    std::unique_ptr<TokenProvider> m_token;
    std::unique_ptr<ghl::GhlClient> m_client;
    bool m_running = false;
    int m_generation = 0;
};

} // namespace lb
