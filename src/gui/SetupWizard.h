#pragma once

#include "api/ghl/OAuthTokenProvider.h"
#include "gui/AppSettings.h"

#include <QWizard>

#include <memory>
#include <optional>

namespace Ui {
class SetupWizard;
}

namespace lb {
class CredentialStore;
class GhlConnectionTest;
} // namespace lb

namespace lb::gui {

class OAuthSignIn;

/// The first-run wizard, also used to change a profile (ui/setupwizard.ui): demo or real
/// accounts; GHL by Private Integration Token or OAuth with the person's own marketplace app;
/// the Saleshandy API key; "Test connection". On Finish the secrets go to the keychain (and only
/// there) and the rest to AppSettings; the wizard stays open with the keychain's explanation
/// when a secret cannot be stored.
class SetupWizard final : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SetupWizard)

public:
    enum PageId { StartPage, GhlPage, SaleshandyPage, FinishPage };

    SetupWizard(AppSettings &settings, CredentialStore &credentials, QWidget *parent = nullptr);
    ~SetupWizard() override;

    /// Prefills the form to change an existing profile (its secrets are not read back).
    void setProfile(const ProfileSettings &profile);
    /// The profile as entered.
    [[nodiscard]] ProfileSettings profile() const;

    [[nodiscard]] int nextId() const override;
    [[nodiscard]] bool validateCurrentPage() override;
    void initializePage(int id) override;
    void accept() override;

    /// The result shown when saving failed (for tests); empty otherwise.
    [[nodiscard]] QString saveError() const { return m_saveError; }

Q_SIGNALS:
    void profileSaved(const lb::gui::ProfileSettings &profile);

private:
    void updateAuthBoxes();
    void testGhl();
    void testSaleshandy();
    void signIn();
    void saveSecrets();
    void finishSaving();
    [[nodiscard]] QUrl ghlRoot() const;

    std::unique_ptr<Ui::SetupWizard> m_ui;
    AppSettings &m_settings;
    CredentialStore &m_credentials;
    std::unique_ptr<GhlConnectionTest> m_test;
    std::unique_ptr<OAuthSignIn> m_oauth;
    std::optional<ghl::OAuthTokens> m_oauthTokens;
    int m_pendingStores = 0;
    bool m_saving = false;
    QString m_saveError;
};

} // namespace lb::gui
