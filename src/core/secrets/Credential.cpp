#include "secrets/Credential.h"

#include <QCoreApplication>

namespace lb {

QString credentialSlug(Credential credential)
{
    switch (credential) {
    case Credential::GhlToken:
        return QStringLiteral("ghl-token");
    case Credential::GhlOAuth:
        return QStringLiteral("ghl-oauth");
    case Credential::SaleshandyApiKey:
        return QStringLiteral("saleshandy-api-key");
    }
    Q_UNREACHABLE();
    return {};
}

QString credentialAccount(const QString &profile, Credential credential)
{
    return profile + QLatin1Char('/') + credentialSlug(credential);
}

QString credentialEnvironmentVariable(Credential credential)
{
    switch (credential) {
    case Credential::GhlToken:
        return QStringLiteral("LEADBRIDGE_GHL_TOKEN");
    case Credential::SaleshandyApiKey:
        return QStringLiteral("LEADBRIDGE_SALESHANDY_API_KEY");
    case Credential::GhlOAuth:
        return {};
    }
    Q_UNREACHABLE();
    return {};
}

QString credentialDisplayName(Credential credential)
{
    switch (credential) {
    case Credential::GhlToken:
        return QCoreApplication::translate("lb::CredentialStore", "GHL token");
    case Credential::GhlOAuth:
        return QCoreApplication::translate("lb::CredentialStore", "GHL sign-in");
    case Credential::SaleshandyApiKey:
        return QCoreApplication::translate("lb::CredentialStore", "Saleshandy API key");
    }
    Q_UNREACHABLE();
    return {};
}

bool isValidProfileName(const QString &profile)
{
    if (profile.isEmpty() || profile.size() > 100 || profile.trimmed() != profile)
        return false;
    for (const QChar c : profile) {
        if (c == QLatin1Char('/') || c.category() == QChar::Other_Control)
            return false;
    }
    return true;
}

} // namespace lb
