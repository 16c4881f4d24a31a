#include "gui/AppSettings.h"

#include <QSettings>

namespace lb::gui {

namespace {
// The only place these keys are spelled.
constexpr auto kGeometry = "mainWindow/geometry";
constexpr auto kState = "mainWindow/state";
constexpr auto kLastView = "mainWindow/lastView";
constexpr auto kLastProfile = "session/lastProfile";
} // namespace

AppSettings::AppSettings() : m_settings(std::make_unique<QSettings>()) {}

AppSettings::AppSettings(const QString &iniFile)
    : m_settings(std::make_unique<QSettings>(iniFile, QSettings::IniFormat))
{
}

AppSettings::~AppSettings() = default;

QByteArray AppSettings::mainWindowGeometry() const
{
    return m_settings->value(QLatin1String(kGeometry)).toByteArray();
}

void AppSettings::setMainWindowGeometry(const QByteArray &geometry)
{
    m_settings->setValue(QLatin1String(kGeometry), geometry);
}

QByteArray AppSettings::mainWindowState() const
{
    return m_settings->value(QLatin1String(kState)).toByteArray();
}

void AppSettings::setMainWindowState(const QByteArray &state)
{
    m_settings->setValue(QLatin1String(kState), state);
}

QString AppSettings::lastView() const
{
    return m_settings->value(QLatin1String(kLastView)).toString();
}

void AppSettings::setLastView(const QString &view)
{
    m_settings->setValue(QLatin1String(kLastView), view);
}

QString AppSettings::lastProfile() const
{
    return m_settings->value(QLatin1String(kLastProfile)).toString();
}

void AppSettings::setLastProfile(const QString &profile)
{
    m_settings->setValue(QLatin1String(kLastProfile), profile);
}

bool AppSettings::sync()
{
    m_settings->sync();
    return m_settings->status() == QSettings::NoError;
}

QString AppSettings::fileName() const
{
    return m_settings->fileName();
}

} // namespace lb::gui
