// The setup wizard: secrets go to the keychain (a real Secret Service, see scripts/with-keychain.sh)
// and nowhere else; the non-secret settings go to the settings file.
#include "gui/AppSettings.h"
#include "gui/SetupWizard.h"
#include "secrets/CredentialStore.h"

#include <QApplication>
#include <QDirIterator>
#include <QLineEdit>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace lb;
using lb::gui::AppSettings;
using lb::gui::SetupWizard;

namespace {

CredentialResult await(CredentialStore &store, const std::function<void(CredentialStore::Callback)> &call)
{
    CredentialResult out;
    bool done = false;
    call([&](const CredentialResult &r) {
        out = r;
        done = true;
    });
    for (int i = 0; i < 600 && !done; ++i)
        QTest::qWait(50);
    if (!done)
        out.error = CredentialError::Unavailable;
    return out;
}

QString randomText(const char *prefix)
{
    return QString::fromLatin1(prefix) + QString::number(QRandomGenerator::global()->generate64(), 36);
}

} // namespace

class TestSetupWizard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // The variables would win over the keychain on fetch, hiding what the wizard stored.
        qunsetenv("LEADBRIDGE_GHL_TOKEN");
        qunsetenv("LEADBRIDGE_SALESHANDY_API_KEY");
        QVERIFY(m_dir.isValid());
        m_credentials.setTimeout(std::chrono::milliseconds(15000));
        const QString probe = QStringLiteral("wizard-probe");
        const CredentialResult r = await(m_credentials, [&](auto done) {
            m_credentials.store(probe, Credential::SaleshandyApiKey, QStringLiteral("x"), nullptr, done);
        });
        if (!r.ok()) {
            if (qEnvironmentVariableIsEmpty("LEADBRIDGE_REQUIRE_KEYCHAIN"))
                QSKIP(qPrintable(QStringLiteral("No keychain is reachable (%1); run under scripts/with-keychain.sh")
                                     .arg(r.message)));
            QFAIL(qPrintable(r.message));
        }
        await(m_credentials, [&](auto done) { m_credentials.forget(probe, Credential::SaleshandyApiKey, nullptr, done); });
        m_keychain = true;
    }

    void storesSecretsInTheKeychainAndNowhereElse()
    {
        const QString profile = randomText("wiz-");
        const QString token = randomText("pit-secret-");
        const QString apiKey = randomText("sh-secret-");
        const QString ini = m_dir.filePath(QStringLiteral("settings.ini"));
        AppSettings settings(ini);

        SetupWizard wizard(settings, m_credentials);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        auto edit = [&](const char *name) { return wizard.findChild<QLineEdit *>(QLatin1String(name)); };
        edit("profileNameEdit")->setText(profile);
        wizard.findChild<QRadioButton *>(QStringLiteral("realRadio"))->setChecked(true);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::GhlPage));
        // Refused without a location id.
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::GhlPage));
        edit("locationIdEdit")->setText(QStringLiteral("loc123"));
        QTest::keyClicks(edit("tokenEdit"), token);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::SaleshandyPage));
        QTest::keyClicks(edit("saleshandyKeyEdit"), apiKey);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::FinishPage));

        const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS");
        QSignalSpy saved(&wizard, &SetupWizard::profileSaved);
        wizard.accept();
        QVERIFY2(saved.count() == 1 || saved.wait(30000), qPrintable(wizard.saveError()));
        QVERIFY(!wizard.isVisible());

        const CredentialResult ghl = await(m_credentials, [&](auto done) {
            m_credentials.fetch(profile, Credential::GhlToken, nullptr, done);
        });
        QVERIFY2(ghl.ok(), qPrintable(ghl.message));
        QCOMPARE(ghl.source, CredentialSource::Keychain);
        QCOMPARE(ghl.secret, token);
        const CredentialResult sh = await(m_credentials, [&](auto done) {
            m_credentials.fetch(profile, Credential::SaleshandyApiKey, nullptr, done);
        });
        QCOMPARE(sh.secret, apiKey);

        // The settings know the profile, and no file anywhere under the test's folders holds a secret.
        QVERIFY(settings.sync());
        const std::optional<gui::ProfileSettings> p = AppSettings(ini).profile(profile);
        QVERIFY(p);
        QCOMPARE(p->locationId, QStringLiteral("loc123"));
        int files = 0;
        for (const QString &root : {m_dir.path(), QDir::homePath() + QStringLiteral("/.config")}) {
            QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (f.fileName().contains(QLatin1String("keyrings")) || !f.open(QIODevice::ReadOnly))
                    continue; // the keyring's own (encrypted) file is where secrets belong
                const QByteArray bytes = f.readAll();
                ++files;
                QVERIFY2(!bytes.contains(token.toUtf8()), qPrintable(f.fileName()));
                QVERIFY2(!bytes.contains(apiKey.toUtf8()), qPrintable(f.fileName()));
            }
        }
        QVERIFY(files >= 1);

        for (Credential c : {Credential::GhlToken, Credential::SaleshandyApiKey})
            await(m_credentials, [&](auto done) { m_credentials.forget(profile, c, nullptr, done); });
        Q_UNUSED(shots)
    }

    void demoProfileNeedsNoSecret()
    {
        AppSettings settings(m_dir.filePath(QStringLiteral("demo.ini")));
        SetupWizard wizard(settings, m_credentials);
        wizard.show();
        wizard.findChild<QLineEdit *>(QStringLiteral("profileNameEdit"))->setText(QStringLiteral("trial"));
        wizard.findChild<QRadioButton *>(QStringLiteral("demoRadio"))->setChecked(true);
        wizard.next();
        QCOMPARE(wizard.currentId(), int(SetupWizard::FinishPage)); // skips the account pages
        const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS");
        QSignalSpy saved(&wizard, &SetupWizard::profileSaved);
        wizard.accept();
        QCOMPARE(saved.count(), 1);
        QVERIFY(settings.profile(QStringLiteral("trial"))->demo);
        Q_UNUSED(shots)
    }

    void screenshotsOfTheWizard()
    {
        const QString shots = qEnvironmentVariable("LEADBRIDGE_TEST_SHOTS");
        if (shots.isEmpty())
            QSKIP("LEADBRIDGE_TEST_SHOTS is not set");
        AppSettings settings(m_dir.filePath(QStringLiteral("shots.ini")));
        SetupWizard wizard(settings, m_credentials);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        wizard.grab().save(QDir(shots).filePath(QStringLiteral("wizard-start.png")));
        wizard.next();
        wizard.findChild<QLineEdit *>(QStringLiteral("locationIdEdit"))->setText(QStringLiteral("ve9EPM428h8vShlRW1KT"));
        wizard.findChild<QLineEdit *>(QStringLiteral("tokenEdit"))->setText(QStringLiteral("pit-0000-1111"));
        QTest::qWait(100);
        wizard.grab().save(QDir(shots).filePath(QStringLiteral("wizard-ghl.png")));
    }

private:
    QTemporaryDir m_dir;
    CredentialStore m_credentials;
    bool m_keychain = false;
};

QTEST_MAIN(TestSetupWizard)
#include "tst_setupwizard.moc"
