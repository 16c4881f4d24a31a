#pragma once

#include <QByteArray>
#include <QString>

#include <QStringList>

#include <memory>
#include <optional>

class QSettings;

namespace lb::gui {

/// One profile: a GHL location with its own credentials (in the keychain) and local database.
/// Nothing here is secret.
struct ProfileSettings
{
    enum class GhlAuth { Token, OAuth };

    QString name;
    bool demo = false;
    QString locationId;
    QString ghlUrl; ///< empty: GHL's public API
    GhlAuth ghlAuth = GhlAuth::Token;
};

/// The desktop app's settings that are not secret: window geometry, the last view, the last profile.
/// Every key is spelled once, in AppSettings.cpp. Secrets never come here: they live in the keychain
/// (lb::CredentialStore).
class AppSettings final
{
    Q_DISABLE_COPY_MOVE(AppSettings)

public:
    /// The user's settings (QSettings with the application's organisation and name).
    AppSettings();
    /// Settings in an INI file of its own, for tests.
    explicit AppSettings(const QString &iniFile);
    ~AppSettings();

    [[nodiscard]] QByteArray mainWindowGeometry() const;
    void setMainWindowGeometry(const QByteArray &geometry);

    [[nodiscard]] QByteArray mainWindowState() const;
    void setMainWindowState(const QByteArray &state);

    /// "contacts", "mapping", "sync" or "logs"; empty when never saved.
    [[nodiscard]] QString lastView() const;
    void setLastView(const QString &view);

    [[nodiscard]] QString lastProfile() const;
    void setLastProfile(const QString &profile);

    [[nodiscard]] QByteArray contactsHeaderState() const;
    void setContactsHeaderState(const QByteArray &state);
    [[nodiscard]] QByteArray contactsSplitterState() const;
    void setContactsSplitterState(const QByteArray &state);

    /// Minutes between automatic incremental syncs while the app runs; 0: off.
    [[nodiscard]] int syncScheduleMinutes() const;
    void setSyncScheduleMinutes(int minutes);

    /// The names of the saved profiles, sorted.
    [[nodiscard]] QStringList profiles() const;
    [[nodiscard]] std::optional<ProfileSettings> profile(const QString &name) const;
    void saveProfile(const ProfileSettings &profile);
    void removeProfile(const QString &name);

    /// Writes pending changes; returns false (with QSettings' status) if the file could not be written.
    [[nodiscard]] bool sync();

    [[nodiscard]] QString fileName() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace lb::gui
