#pragma once

#include "secrets/Credential.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <chrono>
#include <functional>
#include <memory>

namespace lb {

/// Why a credential operation failed.
enum class CredentialError {
    None,
    NotFound,     ///< nothing is stored under that profile and credential
    Unavailable,  ///< no usable keychain: no Secret Service / KWallet, no session bus, a locked
                  ///< collection, or no answer in time
    AccessDenied, ///< the keychain refused (e.g. the person dismissed the unlock prompt)
    Other,        ///< anything else, including an invalid profile name or an empty secret
};

/// Where a fetched secret came from.
enum class CredentialSource { None, Keychain, Environment };

/// The outcome of fetch(), store() or forget(). Never log `secret`.
struct CredentialResult
{
    QString profile;
    Credential credential = Credential::GhlToken;
    CredentialError error = CredentialError::None;
    CredentialSource source = CredentialSource::None;
    QString secret;  ///< fetch only, and only when ok()
    QString message; ///< one translated sentence for a person, saying what to do; empty when ok()
    QString detail;  ///< the keychain's own words (untranslated, for logs and bug reports); may be empty

    [[nodiscard]] bool ok() const { return error == CredentialError::None; }
};

/// Secrets in the system keychain (Secret Service or KWallet through qtkeychain), per profile.
///
/// Asynchronous: each call returns at once and later calls `done` exactly once, from the event loop
/// (never from inside the call), unless `context` was given and has been destroyed by then.
/// There is no plain-text fallback: without a usable keychain, operations fail with Unavailable
/// and a sentence saying what to install or start, or which environment variable to set.
/// For fetch, LEADBRIDGE_GHL_TOKEN and LEADBRIDGE_SALESHANDY_API_KEY take precedence over the
/// keychain (source Environment); store and forget always act on the keychain.
class CredentialStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialStore)

public:
    using Callback = std::function<void(const lb::CredentialResult &)>;

    explicit CredentialStore(QObject *parent = nullptr);
    ~CredentialStore() override;

    /// Reads a secret: from the environment variable when set and non-empty, else from the keychain.
    void fetch(const QString &profile, lb::Credential credential, const QObject *context, Callback done);
    /// Writes (or overwrites) a secret in the keychain. An empty secret is refused: use forget().
    void store(const QString &profile, lb::Credential credential, const QString &secret,
               const QObject *context, Callback done);
    /// Removes a secret from the keychain. Removing one that is not there succeeds.
    void forget(const QString &profile, lb::Credential credential, const QObject *context, Callback done);

    /// How long to wait for the keychain before reporting Unavailable (default 60 s; a keychain may
    /// be waiting for the person to type an unlock password).
    void setTimeout(std::chrono::milliseconds timeout);
    [[nodiscard]] std::chrono::milliseconds timeout() const;

    /// True when the credential's environment variable is set and non-empty, so fetch() will not
    /// read the keychain (useful to warn after store()).
    [[nodiscard]] static bool isOverriddenByEnvironment(lb::Credential credential);

Q_SIGNALS:
    /// A store() or forget() succeeded.
    void credentialChanged(const QString &profile, lb::Credential credential);

private:
    struct Request;

    void start(const std::shared_ptr<Request> &request, const QString &secret);
    void finish(const std::shared_ptr<Request> &request, lb::CredentialResult result);

    std::chrono::milliseconds m_timeout{60000};
};

} // namespace lb

Q_DECLARE_METATYPE(lb::Credential)
