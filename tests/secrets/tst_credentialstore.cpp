// The CredentialStore against the real Secret Service (gnome-keyring under dbus-run-session; see
// scripts/with-keychain.sh). Keychain cases skip with the reason when no keychain is reachable, or
// fail instead when LEADBRIDGE_REQUIRE_KEYCHAIN=1. The "no keychain" cases run this executable again
// in a child process with a broken session bus, since qtkeychain picks its backend once per process.

#include "secrets/CredentialStore.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <cstdio>
#include <optional>

using lb::Credential;
using lb::CredentialError;
using lb::CredentialResult;
using lb::CredentialSource;
using lb::CredentialStore;

namespace {

constexpr auto kProbeVariable = "LB_TST_CREDENTIALSTORE_PROBE";

// Tests may spin an event loop; the library never does.
std::optional<CredentialResult> waitFor(const std::function<void(CredentialStore::Callback)> &call,
                                        int timeoutMs = 30000)
{
    std::optional<CredentialResult> result;
    call([&result](const CredentialResult &r) { result = r; });
    QDeadlineTimer deadline(timeoutMs);
    while (!result && !deadline.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 50);
    return result;
}

QString uniqueProfile(const char *what)
{
    return QStringLiteral("tst-%1-%2")
        .arg(QLatin1String(what), QUuid::createUuid().toString(QUuid::Id128).left(12));
}

QString uniqueSecret()
{
    return QStringLiteral("lb-secret-") + QUuid::createUuid().toString(QUuid::Id128);
}

// Child mode: one fetch with whatever bus the parent gave us, printed for the parent to check.
int runProbe(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    CredentialStore store;
    store.setTimeout(std::chrono::seconds(20));
    store.fetch(QStringLiteral("probe"), Credential::GhlToken, &app, [](const CredentialResult &r) {
        std::printf("error=%d\nmessage=%s\ndetail=%s\n", int(r.error), qPrintable(r.message),
                    qPrintable(r.detail));
        std::fflush(stdout);
        QCoreApplication::exit(0);
    });
    return app.exec();
}

} // namespace

class TestCredentialStore final : public QObject
{
    Q_OBJECT

private:
    CredentialStore m_store;
    QString m_keychainProblem; // empty when the keychain answered the probe as expected
    QStringList m_profilesToClean;

    std::optional<CredentialResult> fetch(const QString &profile, Credential credential)
    {
        return waitFor(
            [&](CredentialStore::Callback done) { m_store.fetch(profile, credential, this, done); });
    }
    std::optional<CredentialResult> store(const QString &profile, Credential credential,
                                          const QString &secret)
    {
        m_profilesToClean << profile;
        return waitFor(
            [&](CredentialStore::Callback done) { m_store.store(profile, credential, secret, this, done); });
    }
    std::optional<CredentialResult> forget(const QString &profile, Credential credential)
    {
        return waitFor(
            [&](CredentialStore::Callback done) { m_store.forget(profile, credential, this, done); });
    }

#define LB_REQUIRE_KEYCHAIN()                                                                                \
    do {                                                                                                     \
        if (!m_keychainProblem.isEmpty()) {                                                                  \
            if (qEnvironmentVariableIntValue("LEADBRIDGE_REQUIRE_KEYCHAIN") == 1)                            \
                QFAIL(qPrintable(QStringLiteral("No usable keychain: ") + m_keychainProblem));               \
            QSKIP(qPrintable(QStringLiteral("No usable keychain (run under scripts/with-keychain.sh): ") +   \
                             m_keychainProblem));                                                            \
        }                                                                                                    \
    } while (false)

private Q_SLOTS:
    void initTestCase()
    {
        // The variables would hide the keychain from fetch(); tests that want them set them.
        qunsetenv("LEADBRIDGE_GHL_TOKEN");
        qunsetenv("LEADBRIDGE_SALESHANDY_API_KEY");
        m_store.setTimeout(std::chrono::seconds(20));

        const auto probe = fetch(uniqueProfile("probe"), Credential::GhlToken);
        if (!probe)
            m_keychainProblem = QStringLiteral("the store never called back");
        else if (probe->error != CredentialError::NotFound)
            m_keychainProblem = QStringLiteral("%1 (%2)").arg(probe->message, probe->detail);
    }

    void cleanupTestCase()
    {
        if (!m_keychainProblem.isEmpty())
            return;
        m_profilesToClean.removeDuplicates();
        for (const QString &profile : std::as_const(m_profilesToClean)) {
            if (!lb::isValidProfileName(profile))
                continue;
            for (Credential c : {Credential::GhlToken, Credential::GhlOAuth, Credential::SaleshandyApiKey})
                (void)forget(profile, c);
        }
    }

    void cleanup()
    {
        qunsetenv("LEADBRIDGE_GHL_TOKEN");
        qunsetenv("LEADBRIDGE_SALESHANDY_API_KEY");
    }

    void keysArePerProfileUnderOneService()
    {
        QCOMPARE(QLatin1String(lb::kCredentialService), QLatin1String("LeadBridge"));
        QCOMPARE(lb::credentialAccount(QStringLiteral("acme"), Credential::GhlToken),
                 QStringLiteral("acme/ghl-token"));
        QCOMPARE(lb::credentialAccount(QStringLiteral("acme"), Credential::GhlOAuth),
                 QStringLiteral("acme/ghl-oauth"));
        QCOMPARE(lb::credentialAccount(QStringLiteral("acme"), Credential::SaleshandyApiKey),
                 QStringLiteral("acme/saleshandy-api-key"));
        QCOMPARE(lb::credentialEnvironmentVariable(Credential::GhlToken),
                 QStringLiteral("LEADBRIDGE_GHL_TOKEN"));
        QCOMPARE(lb::credentialEnvironmentVariable(Credential::SaleshandyApiKey),
                 QStringLiteral("LEADBRIDGE_SALESHANDY_API_KEY"));
        QVERIFY(lb::credentialEnvironmentVariable(Credential::GhlOAuth).isEmpty());
    }

    void storesAndFetchesBackFromKeychain()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("roundtrip");
        const QString secret = uniqueSecret();
        const auto stored = store(profile, Credential::GhlToken, secret);
        QVERIFY(stored);
        QVERIFY2(stored->ok(), qPrintable(stored->message));

        const auto fetched = fetch(profile, Credential::GhlToken);
        QVERIFY(fetched);
        QVERIFY2(fetched->ok(), qPrintable(fetched->message));
        QCOMPARE(fetched->secret, secret);
        QCOMPARE(fetched->source, CredentialSource::Keychain);
        QCOMPARE(fetched->profile, profile);
        QCOMPARE(fetched->credential, Credential::GhlToken);
    }

    void keepsNonAsciiAndJsonSecretsIntact()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("json");
        const QString oauth =
            QStringLiteral(R"({"access_token":"a.b.c","refresh_token":"r-ü-€","expires_in":86399})");
        QVERIFY(store(profile, Credential::GhlOAuth, oauth)->ok());
        QCOMPARE(fetch(profile, Credential::GhlOAuth)->secret, oauth);
    }

    void overwriteReplacesTheSecret()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("overwrite");
        QVERIFY(store(profile, Credential::SaleshandyApiKey, QStringLiteral("first-key"))->ok());
        QVERIFY(store(profile, Credential::SaleshandyApiKey, QStringLiteral("second-key"))->ok());
        const auto fetched = fetch(profile, Credential::SaleshandyApiKey);
        QVERIFY(fetched && fetched->ok());
        QCOMPARE(fetched->secret, QStringLiteral("second-key"));
    }

    void forgetThenFetchReportsNotFound()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("forget");
        QVERIFY(store(profile, Credential::GhlToken, uniqueSecret())->ok());

        const auto forgotten = forget(profile, Credential::GhlToken);
        QVERIFY(forgotten);
        QVERIFY2(forgotten->ok(), qPrintable(forgotten->message));

        const auto fetched = fetch(profile, Credential::GhlToken);
        QVERIFY(fetched);
        QCOMPARE(fetched->error, CredentialError::NotFound);
        QVERIFY(fetched->secret.isEmpty());
        // The sentence names what is missing, for which profile, and how to provide it.
        QVERIFY2(fetched->message.contains(profile), qPrintable(fetched->message));
        QVERIFY2(fetched->message.contains(QLatin1String("credentials set ghl")),
                 qPrintable(fetched->message));
        QVERIFY2(fetched->message.contains(QLatin1String("LEADBRIDGE_GHL_TOKEN")),
                 qPrintable(fetched->message));

        // Forgetting what is not there is not an error.
        const auto again = forget(profile, Credential::GhlToken);
        QVERIFY(again && again->ok());
    }

    void profilesAreIsolated()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString a = uniqueProfile("a");
        const QString b = uniqueProfile("b");
        QVERIFY(store(a, Credential::GhlToken, QStringLiteral("token-a"))->ok());
        QVERIFY(store(b, Credential::GhlToken, QStringLiteral("token-b"))->ok());

        QCOMPARE(fetch(a, Credential::GhlToken)->secret, QStringLiteral("token-a"));
        QCOMPARE(fetch(b, Credential::GhlToken)->secret, QStringLiteral("token-b"));

        QVERIFY(forget(a, Credential::GhlToken)->ok());
        QCOMPARE(fetch(a, Credential::GhlToken)->error, CredentialError::NotFound);
        QCOMPARE(fetch(b, Credential::GhlToken)->secret, QStringLiteral("token-b"));
    }

    void credentialsOfOneProfileAreSeparate()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("kinds");
        QVERIFY(store(profile, Credential::GhlToken, QStringLiteral("ghl"))->ok());
        QCOMPARE(fetch(profile, Credential::SaleshandyApiKey)->error, CredentialError::NotFound);
        QCOMPARE(fetch(profile, Credential::GhlOAuth)->error, CredentialError::NotFound);
        QVERIFY(store(profile, Credential::SaleshandyApiKey, QStringLiteral("sh"))->ok());
        QCOMPARE(fetch(profile, Credential::GhlToken)->secret, QStringLiteral("ghl"));
        QCOMPARE(fetch(profile, Credential::SaleshandyApiKey)->secret, QStringLiteral("sh"));
    }

    void environmentOverridesKeychainForFetch()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("env");
        QVERIFY(store(profile, Credential::GhlToken, QStringLiteral("from-keychain"))->ok());
        QVERIFY(store(profile, Credential::GhlOAuth, QStringLiteral("oauth-from-keychain"))->ok());

        qputenv("LEADBRIDGE_GHL_TOKEN", "from-environment");
        QVERIFY(CredentialStore::isOverriddenByEnvironment(Credential::GhlToken));
        const auto fetched = fetch(profile, Credential::GhlToken);
        QVERIFY(fetched && fetched->ok());
        QCOMPARE(fetched->secret, QStringLiteral("from-environment"));
        QCOMPARE(fetched->source, CredentialSource::Environment);
        QVERIFY(fetched->detail.contains(QLatin1String("LEADBRIDGE_GHL_TOKEN")));

        // GHL OAuth has no variable of its own: still the keychain.
        const auto oauth = fetch(profile, Credential::GhlOAuth);
        QVERIFY(oauth && oauth->ok());
        QCOMPARE(oauth->source, CredentialSource::Keychain);
        QCOMPARE(oauth->secret, QStringLiteral("oauth-from-keychain"));

        // An empty variable does not count as set.
        qputenv("LEADBRIDGE_GHL_TOKEN", "");
        QVERIFY(!CredentialStore::isOverriddenByEnvironment(Credential::GhlToken));
        QCOMPARE(fetch(profile, Credential::GhlToken)->secret, QStringLiteral("from-keychain"));

        // store and forget act on the keychain even when the variable is set.
        qputenv("LEADBRIDGE_GHL_TOKEN", "from-environment");
        QVERIFY(forget(profile, Credential::GhlToken)->ok());
        qunsetenv("LEADBRIDGE_GHL_TOKEN");
        QCOMPARE(fetch(profile, Credential::GhlToken)->error, CredentialError::NotFound);
    }

    void environmentWorksWithoutAnyKeychainEntry()
    {
        // No keychain needed at all: a server or CI job with only the variables.
        qputenv("LEADBRIDGE_SALESHANDY_API_KEY", "sh-from-env");
        const auto fetched = fetch(uniqueProfile("envonly"), Credential::SaleshandyApiKey);
        QVERIFY(fetched);
        QVERIFY(fetched->ok());
        QCOMPARE(fetched->secret, QStringLiteral("sh-from-env"));
        QCOMPARE(fetched->source, CredentialSource::Environment);
    }

    void nothingIsWrittenToConfigFiles()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("files");
        const QString secret = uniqueSecret();
        QVERIFY(store(profile, Credential::GhlToken, secret)->ok());
        QVERIFY(store(profile, Credential::SaleshandyApiKey, secret)->ok());
        QCOMPARE(fetch(profile, Credential::GhlToken)->secret, secret);

        // Where a plain-text fallback (qtkeychain's insecure fallback, or a QSettings slip) would put it.
        QStringList roots{
            QDir::homePath() + QStringLiteral("/.config"),
            QDir::homePath() + QStringLiteral("/.local/share/keyrings"),
            QFileInfo(QSettings().fileName()).absolutePath(),
            QFileInfo(QSettings(QString::fromLatin1(lb::kCredentialService)).fileName()).absolutePath()};
        roots << QStandardPaths::standardLocations(QStandardPaths::GenericConfigLocation)
              << QStandardPaths::standardLocations(QStandardPaths::AppConfigLocation);
        roots.removeDuplicates();

        const QByteArray needle = secret.toUtf8();
        int scanned = 0;
        for (const QString &root : std::as_const(roots)) {
            QDirIterator it(root, QDir::Files | QDir::Hidden | QDir::NoSymLinks,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                QFile file(path);
                if (file.size() > 16 * 1024 * 1024 || !file.open(QIODevice::ReadOnly))
                    continue;
                ++scanned;
                const QByteArray content = file.readAll();
                QVERIFY2(!content.contains(needle), qPrintable(QStringLiteral("secret found in ") + path));
                QVERIFY2(!content.contains(needle.toBase64()),
                         qPrintable(QStringLiteral("secret found in ") + path));
            }
        }
        qInfo("scanned %d files under %s", scanned, qPrintable(roots.join(QLatin1String(", "))));
    }

    void refusesInvalidProfileAndEmptySecret()
    {
        const auto badProfile = store(QStringLiteral("a/b"), Credential::GhlToken, QStringLiteral("x"));
        QVERIFY(badProfile);
        QCOMPARE(badProfile->error, CredentialError::Other);
        QVERIFY(badProfile->message.contains(QLatin1String("a/b")));
        QCOMPARE(fetch(QString(), Credential::GhlToken)->error, CredentialError::Other);

        const auto empty = store(uniqueProfile("empty"), Credential::GhlToken, QString());
        QVERIFY(empty);
        QCOMPARE(empty->error, CredentialError::Other);
        QVERIFY(!empty->message.isEmpty());
    }

    void callsBackFromTheEventLoopOnly()
    {
        qputenv("LEADBRIDGE_GHL_TOKEN", "env-token");
        bool called = false;
        m_store.fetch(QStringLiteral("default"), Credential::GhlToken, this,
                      [&called](const CredentialResult &) { called = true; });
        QVERIFY(!called); // not from inside fetch()
        QTRY_VERIFY(called);
    }

    void skipsCallbackWhenContextIsGone()
    {
        qputenv("LEADBRIDGE_GHL_TOKEN", "env-token");
        bool called = false;
        auto *context = new QObject;
        m_store.fetch(QStringLiteral("default"), Credential::GhlToken, context,
                      [&called](const CredentialResult &) { called = true; });
        delete context;
        // A later request on the same store still completes: the skipped one is queued before it.
        const auto later = fetch(QStringLiteral("default"), Credential::GhlToken);
        QVERIFY(later && later->ok());
        QVERIFY(!called);
    }

    void announcesChanges()
    {
        LB_REQUIRE_KEYCHAIN();
        const QString profile = uniqueProfile("signal");
        int changes = 0;
        const auto connection =
            connect(&m_store, &CredentialStore::credentialChanged, this, [&](const QString &p, Credential c) {
                QCOMPARE(p, profile);
                QCOMPARE(c, Credential::SaleshandyApiKey);
                ++changes;
            });
        QVERIFY(store(profile, Credential::SaleshandyApiKey, QStringLiteral("k"))->ok());
        QVERIFY(forget(profile, Credential::SaleshandyApiKey)->ok());
        (void)fetch(profile, Credential::SaleshandyApiKey);
        disconnect(connection);
        QCOMPARE(changes, 2);
    }

    void reportsMissingKeychainInPlainWords_data()
    {
        QTest::addColumn<QString>("busAddress");
        QTest::addColumn<bool>("unsetDisplay");
        // A session bus that is not there (a dead socket, as after a crashed session).
        QTest::newRow("bus socket missing") << QStringLiteral("unix:path=/nonexistent/lb-test-bus") << false;
        // No session bus at all and no X11 to autolaunch one: a plain SSH or CI shell.
        QTest::newRow("no session bus, no display") << QString() << true;
    }

    void reportsMissingKeychainInPlainWords()
    {
        QFETCH(QString, busAddress);
        QFETCH(bool, unsetDisplay);
        QTemporaryDir runtimeDir; // so GLib does not find a real $XDG_RUNTIME_DIR/bus
        QVERIFY(runtimeDir.isValid());

        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QString::fromLatin1(kProbeVariable), QStringLiteral("1"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtimeDir.path());
        env.remove(QStringLiteral("LEADBRIDGE_GHL_TOKEN"));
        env.remove(QStringLiteral("KDE_FULL_SESSION"));
        env.remove(QStringLiteral("XDG_CURRENT_DESKTOP"));
        if (busAddress.isEmpty())
            env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
        else
            env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), busAddress);
        if (unsetDisplay) {
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        }

        QProcess child;
        child.setProcessEnvironment(env);
        child.start(QCoreApplication::applicationFilePath(), {});
        QVERIFY(child.waitForFinished(40000));
        const QString out = QString::fromUtf8(child.readAllStandardOutput());
        QCOMPARE(child.exitCode(), 0);

        QVERIFY2(out.contains(QStringLiteral("error=%1").arg(int(CredentialError::Unavailable))),
                 qPrintable(out));
        // It says what to do, and the way around it for servers and CI.
        QVERIFY2(out.contains(QLatin1String("gnome-keyring")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("LEADBRIDGE_GHL_TOKEN")), qPrintable(out));
        qInfo("%s", qPrintable(out.trimmed()));
    }
};

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsSet(kProbeVariable))
        return runProbe(argc, argv);
    QCoreApplication app(argc, argv);
    // A QSettings location of our own, so the file scan has a definite place to look.
    QCoreApplication::setOrganizationName(QStringLiteral("LeadBridge"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_credentialstore"));
    TestCredentialStore test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_credentialstore.moc"
