#include "gui/AppSettings.h"

#include <QSettings>

namespace lb::gui {

namespace {
// The only place these keys are spelled.
constexpr auto kGeometry = "mainWindow/geometry";
constexpr auto kState = "mainWindow/state";
constexpr auto kLastView = "mainWindow/lastView";
constexpr auto kSyncSchedule = "sync/scheduleMinutes";
constexpr auto kLastProfile = "session/lastProfile";
constexpr auto kContactsHeader = "contacts/headerState";
constexpr auto kContactsSplitter = "contacts/splitterState";
constexpr auto kProfiles = "profiles";
constexpr auto kDemo = "demo";
constexpr auto kLocationId = "locationId";
constexpr auto kGhlUrl = "ghlUrl";
constexpr auto kGhlAuth = "ghlAuth";
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

int AppSettings::syncScheduleMinutes() const
{
    return std::max(0, m_settings->value(QLatin1String(kSyncSchedule), 0).toInt());
}

void AppSettings::setSyncScheduleMinutes(int minutes)
{
    m_settings->setValue(QLatin1String(kSyncSchedule), std::max(0, minutes));
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

QByteArray AppSettings::contactsHeaderState() const
{
    return m_settings->value(QLatin1String(kContactsHeader)).toByteArray();
}

void AppSettings::setContactsHeaderState(const QByteArray &state)
{
    m_settings->setValue(QLatin1String(kContactsHeader), state);
}

QByteArray AppSettings::contactsSplitterState() const
{
    return m_settings->value(QLatin1String(kContactsSplitter)).toByteArray();
}

void AppSettings::setContactsSplitterState(const QByteArray &state)
{
    m_settings->setValue(QLatin1String(kContactsSplitter), state);
}

QStringList AppSettings::profiles() const
{
    m_settings->beginGroup(QLatin1String(kProfiles));
    QStringList names = m_settings->childGroups();
    m_settings->endGroup();
    names.sort(Qt::CaseInsensitive);
    return names;
}

std::optional<ProfileSettings> AppSettings::profile(const QString &name) const
{
    if (!profiles().contains(name))
        return std::nullopt;
    ProfileSettings p;
    p.name = name;
    m_settings->beginGroup(QLatin1String(kProfiles));
    m_settings->beginGroup(name);
    p.demo = m_settings->value(QLatin1String(kDemo), false).toBool();
    p.locationId = m_settings->value(QLatin1String(kLocationId)).toString();
    p.ghlUrl = m_settings->value(QLatin1String(kGhlUrl)).toString();
    p.ghlAuth = m_settings->value(QLatin1String(kGhlAuth)).toString() == QLatin1String("oauth")
                    ? ProfileSettings::GhlAuth::OAuth
                    : ProfileSettings::GhlAuth::Token;
    m_settings->endGroup();
    m_settings->endGroup();
    return p;
}

void AppSettings::saveProfile(const ProfileSettings &p)
{
    m_settings->beginGroup(QLatin1String(kProfiles));
    m_settings->beginGroup(p.name);
    m_settings->setValue(QLatin1String(kDemo), p.demo);
    m_settings->setValue(QLatin1String(kLocationId), p.locationId);
    m_settings->setValue(QLatin1String(kGhlUrl), p.ghlUrl);
    m_settings->setValue(QLatin1String(kGhlAuth), p.ghlAuth == ProfileSettings::GhlAuth::OAuth
                                                       ? QStringLiteral("oauth")
                                                       : QStringLiteral("token"));
    m_settings->endGroup();
    m_settings->endGroup();
}

void AppSettings::removeProfile(const QString &name)
{
    m_settings->beginGroup(QLatin1String(kProfiles));
    m_settings->remove(name);
    m_settings->endGroup();
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
