#pragma once

#include <QObject>
#include <QString>

namespace lb {

/// Supplies the bearer token of a service and, where the kind of token allows, renews it.
/// Many requests may find the token expired at once: refresh() is idempotent while one is
/// under way, and everyone waits for the single `refreshed` signal.
class TokenProvider : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    [[nodiscard]] virtual QString token() const = 0;
    /// False for static tokens (a Private Integration Token): a 401 is final.
    [[nodiscard]] virtual bool canRefresh() const { return false; }
    [[nodiscard]] virtual bool isRefreshing() const { return false; }
    /// Starts a refresh unless one is running. `rejectedToken` is the token the server refused:
    /// if the current token differs, someone refreshed already and `refreshed(true)` follows at once.
    virtual void refresh(const QString &rejectedToken) { Q_UNUSED(rejectedToken) }

Q_SIGNALS:
    /// After refresh(): ok, or a sentence saying why not.
    void refreshed(bool ok, const QString &error);
};

/// A token that never changes: a Private Integration Token, a Saleshandy API key.
class StaticTokenProvider final : public TokenProvider
{
    Q_OBJECT

public:
    explicit StaticTokenProvider(QString token, QObject *parent = nullptr)
        : TokenProvider(parent), m_token(std::move(token))
    {
    }
    [[nodiscard]] QString token() const override { return m_token; }

private:
    QString m_token;
};

} // namespace lb
