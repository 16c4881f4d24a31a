#include "gui/SetupWizard.h"

#include "api/ghl/GhlClient.h"
#include "gui/OAuthSignIn.h"
#include "gui/RecordDialogs.h"
#include "secrets/CredentialStore.h"
#include "services/ConnectionTest.h"
#include "ui_setupwizard.h"

#include <QPushButton>

namespace lb::gui {

SetupWizard::SetupWizard(AppSettings &settings, CredentialStore &credentials, QWidget *parent)
    : QWizard(parent), m_ui(std::make_unique<Ui::SetupWizard>()), m_settings(settings),
      m_credentials(credentials), m_test(std::make_unique<GhlConnectionTest>()),
      m_oauth(std::make_unique<OAuthSignIn>())
{
    m_ui->setupUi(this);
    m_ui->profileNameEdit->setText(QString::fromLatin1(kDefaultProfile));
    m_ui->redirectLabel->setText(
        tr("Register %1 as the redirect URL of your app in the GHL marketplace.").arg(OAuthSignIn::redirectUri()));
    for (QLabel *label : {m_ui->ghlResultLabel, m_ui->saleshandyResultLabel, m_ui->oauthStatusLabel,
                          m_ui->saveResultLabel})
        label->clear();
    connect(m_ui->tokenRadio, &QRadioButton::toggled, this, &SetupWizard::updateAuthBoxes);
    connect(m_ui->testGhlButton, &QPushButton::clicked, this, &SetupWizard::testGhl);
    connect(m_ui->testSaleshandyButton, &QPushButton::clicked, this, &SetupWizard::testSaleshandy);
    connect(m_ui->signInButton, &QPushButton::clicked, this, &SetupWizard::signIn);
    connect(m_test.get(), &GhlConnectionTest::finished, this, [this](bool ok, const QString &message) {
        m_ui->testGhlButton->setEnabled(true);
        m_ui->ghlResultLabel->setText(message);
        QFont font = m_ui->ghlResultLabel->font();
        font.setBold(!ok);
        m_ui->ghlResultLabel->setFont(font);
    });
    connect(m_oauth.get(), &OAuthSignIn::finished, this,
            [this](bool ok, const QString &message, const ghl::OAuthTokens &tokens) {
                m_ui->signInButton->setEnabled(true);
                m_ui->oauthStatusLabel->setText(message);
                if (!ok)
                    return;
                m_oauthTokens = tokens;
                if (!tokens.locationId.isEmpty())
                    m_ui->locationIdEdit->setText(tokens.locationId);
            });
    updateAuthBoxes();
}

SetupWizard::~SetupWizard() = default;

void SetupWizard::setProfile(const ProfileSettings &p)
{
    m_ui->profileNameEdit->setText(p.name);
    m_ui->demoRadio->setChecked(p.demo);
    m_ui->realRadio->setChecked(!p.demo);
    m_ui->locationIdEdit->setText(p.locationId);
    m_ui->ghlUrlEdit->setText(p.ghlUrl);
    m_ui->oauthRadio->setChecked(p.ghlAuth == ProfileSettings::GhlAuth::OAuth);
    m_ui->tokenRadio->setChecked(p.ghlAuth == ProfileSettings::GhlAuth::Token);
    m_ui->tokenEdit->setPlaceholderText(tr("Leave empty to keep the stored token"));
    m_ui->saleshandyKeyEdit->setPlaceholderText(tr("Leave empty to keep the stored key"));
    setWindowTitle(tr("Profile %1").arg(p.name));
}

ProfileSettings SetupWizard::profile() const
{
    ProfileSettings p;
    p.name = m_ui->profileNameEdit->text().trimmed();
    p.demo = m_ui->demoRadio->isChecked();
    if (!p.demo) {
        p.locationId = m_ui->locationIdEdit->text().trimmed();
        p.ghlUrl = m_ui->ghlUrlEdit->text().trimmed();
        p.ghlAuth = m_ui->oauthRadio->isChecked() ? ProfileSettings::GhlAuth::OAuth : ProfileSettings::GhlAuth::Token;
    }
    return p;
}

QUrl SetupWizard::ghlRoot() const
{
    const QString url = m_ui->ghlUrlEdit->text().trimmed();
    return QUrl(url.isEmpty() ? QString::fromLatin1(ghl::GhlClient::kDefaultRoot) : url);
}

void SetupWizard::updateAuthBoxes()
{
    const bool token = m_ui->tokenRadio->isChecked();
    m_ui->tokenBox->setEnabled(token);
    m_ui->oauthBox->setEnabled(!token);
}

int SetupWizard::nextId() const
{
    switch (currentId()) {
    case StartPage:
        return m_ui->demoRadio->isChecked() ? FinishPage : GhlPage;
    case GhlPage:
        return SaleshandyPage;
    case SaleshandyPage:
        return FinishPage;
    default:
        return -1;
    }
}

bool SetupWizard::validateCurrentPage()
{
    switch (currentId()) {
    case StartPage:
        if (!isValidProfileName(m_ui->profileNameEdit->text().trimmed())) {
            m_ui->profileNameEdit->setFocus();
            m_ui->profileNameEdit->selectAll();
            return false;
        }
        return true;
    case GhlPage: {
        QString problem;
        const bool editing = m_settings.profile(m_ui->profileNameEdit->text().trimmed()).has_value();
        if (m_ui->locationIdEdit->text().trimmed().isEmpty())
            problem = tr("Enter the location id.");
        else if (!ghlRoot().isValid() || !ghlRoot().scheme().startsWith(QLatin1String("http")))
            problem = tr("The service address must start with https://.");
        else if (m_ui->tokenRadio->isChecked() && m_ui->tokenEdit->text().trimmed().isEmpty() && !editing)
            problem = tr("Paste the Private Integration Token.");
        else if (m_ui->oauthRadio->isChecked() && !m_oauthTokens && !editing)
            problem = tr("Sign in with GHL first.");
        m_ui->ghlResultLabel->setText(problem);
        return problem.isEmpty();
    }
    default:
        return true;
    }
}

void SetupWizard::initializePage(int id)
{
    QWizard::initializePage(id);
    if (id != FinishPage)
        return;
    const ProfileSettings p = profile();
    if (p.demo) {
        m_ui->summaryLabel->setText(tr("Profile “%1” will use the demo: simulated GHL and Saleshandy services "
                                       "with sample contacts, on this computer only.")
                                        .arg(p.name));
    } else {
        m_ui->summaryLabel->setText(
            tr("Profile “%1” connects to GHL location %2 (%3). The secrets you entered go to the system "
               "keychain when you click Finish; everything else to LeadBridge's settings.")
                .arg(p.name, p.locationId,
                     p.ghlAuth == ProfileSettings::GhlAuth::OAuth ? tr("OAuth") : tr("Private Integration Token")));
    }
    m_ui->saveResultLabel->clear();
}

void SetupWizard::testGhl()
{
    m_ui->testGhlButton->setEnabled(false);
    m_ui->ghlResultLabel->setText(tr("Testing…"));
    const QString token = m_ui->oauthRadio->isChecked() ? (m_oauthTokens ? m_oauthTokens->accessToken : QString())
                                                        : m_ui->tokenEdit->text();
    if (token.trimmed().isEmpty()) {
        m_ui->testGhlButton->setEnabled(true);
        m_ui->ghlResultLabel->setText(m_ui->oauthRadio->isChecked() ? tr("Sign in with GHL first.")
                                                                    : tr("Paste the token first."));
        return;
    }
    m_test->start(ghlRoot(), m_ui->locationIdEdit->text(), token);
}

void SetupWizard::testSaleshandy()
{
    // LeadBridge has no Saleshandy client yet (it arrives with the sync engine): say so plainly
    // instead of pretending to test.
    if (m_ui->saleshandyKeyEdit->text().trimmed().isEmpty())
        m_ui->saleshandyResultLabel->setText(tr("Paste the API key first."));
    else
        m_ui->saleshandyResultLabel->setText(
            tr("The key will be stored. This version cannot test it yet: the first sync will tell."));
}

void SetupWizard::signIn()
{
    m_ui->signInButton->setEnabled(false);
    m_ui->oauthStatusLabel->setText(tr("Waiting for GHL in your browser…"));
    m_oauth->start(ghlRoot(), m_ui->clientIdEdit->text(), m_ui->clientSecretEdit->text());
}

void SetupWizard::accept()
{
    if (m_saving)
        return;
    const ProfileSettings p = profile();
    if (p.demo) {
        m_settings.saveProfile(p);
        if (!m_settings.sync()) {
            m_saveError = tr("Cannot write the settings file %1.").arg(m_settings.fileName());
            m_ui->saveResultLabel->setText(m_saveError);
            return;
        }
        Q_EMIT profileSaved(p);
        QWizard::accept();
        return;
    }
    saveSecrets();
}

void SetupWizard::saveSecrets()
{
    const ProfileSettings p = profile();
    QList<QPair<Credential, QString>> secrets;
    if (p.ghlAuth == ProfileSettings::GhlAuth::Token && !m_ui->tokenEdit->text().trimmed().isEmpty())
        secrets.append({Credential::GhlToken, m_ui->tokenEdit->text().trimmed()});
    if (p.ghlAuth == ProfileSettings::GhlAuth::OAuth && m_oauthTokens)
        secrets.append({Credential::GhlOAuth, QString::fromUtf8(m_oauthTokens->serialize())});
    if (!m_ui->saleshandyKeyEdit->text().trimmed().isEmpty())
        secrets.append({Credential::SaleshandyApiKey, m_ui->saleshandyKeyEdit->text().trimmed()});

    m_saving = true;
    m_saveError.clear();
    m_ui->saveResultLabel->setText(tr("Saving to the keychain…"));
    button(QWizard::FinishButton)->setEnabled(false);
    m_pendingStores = int(secrets.size());
    if (m_pendingStores == 0) {
        finishSaving();
        return;
    }
    for (const auto &[credential, secret] : secrets) {
        m_credentials.store(p.name, credential, secret, this, [this](const CredentialResult &r) {
            if (!r.ok() && m_saveError.isEmpty())
                m_saveError = r.message;
            if (--m_pendingStores == 0)
                finishSaving();
        });
    }
}

void SetupWizard::finishSaving()
{
    m_saving = false;
    button(QWizard::FinishButton)->setEnabled(true);
    if (!m_saveError.isEmpty()) {
        // Nothing is written to the settings either: a profile without its secrets would only fail later.
        showFormError(m_ui->saveResultLabel, tr("The credentials could not be saved: %1").arg(m_saveError));
        return;
    }
    const ProfileSettings p = profile();
    m_settings.saveProfile(p);
    if (!m_settings.sync()) {
        m_saveError = tr("Cannot write the settings file %1.").arg(m_settings.fileName());
        showFormError(m_ui->saveResultLabel, m_saveError);
        return;
    }
    Q_EMIT profileSaved(p);
    QWizard::accept();
}

} // namespace lb::gui
