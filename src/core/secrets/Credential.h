#pragma once

#include <QString>

namespace lb {

/// The secrets LeadBridge keeps, one per profile. The only place that names them: the keychain
/// account is "<profile>/<slug>" under the service kCredentialService.
enum class Credential {
    GhlToken,         ///< GHL private integration token or location API key ("<profile>/ghl-token")
    GhlOAuth,         ///< GHL OAuth access + refresh token, as JSON ("<profile>/ghl-oauth")
    SaleshandyApiKey, ///< Saleshandy API key ("<profile>/saleshandy-api-key")
};

/// The keychain service name shared by every LeadBridge secret.
inline constexpr char kCredentialService[] = "LeadBridge";

/// The profile used when none is given.
inline constexpr char kDefaultProfile[] = "default";

/// "ghl-token", "ghl-oauth", "saleshandy-api-key".
[[nodiscard]] QString credentialSlug(Credential credential);

/// The keychain account: "<profile>/<slug>".
[[nodiscard]] QString credentialAccount(const QString &profile, Credential credential);

/// The environment variable that overrides the keychain for this credential, or an empty string
/// when there is none (GhlOAuth: a refreshable token cannot live in a static variable).
[[nodiscard]] QString credentialEnvironmentVariable(Credential credential);

/// A translated name for people: "GHL token", "Saleshandy API key".
[[nodiscard]] QString credentialDisplayName(Credential credential);

/// A profile name must be non-empty, at most 100 characters, and free of '/' and control characters,
/// so that "<profile>/<slug>" can never collide with another profile's account.
[[nodiscard]] bool isValidProfileName(const QString &profile);

} // namespace lb
