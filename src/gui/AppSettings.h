#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

class QSettings;

namespace lb::gui {

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

    /// Writes pending changes; returns false (with QSettings' status) if the file could not be written.
    [[nodiscard]] bool sync();

    [[nodiscard]] QString fileName() const;

private:
    std::unique_ptr<QSettings> m_settings;
};

} // namespace lb::gui
