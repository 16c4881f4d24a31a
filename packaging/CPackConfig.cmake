# Debian package: `cpack -G DEB` in the build directory (needs dpkg-dev and file for shlibdeps).
# Included at the end of the root CMakeLists, after every install() rule is known.
set(CPACK_PACKAGE_NAME "leadbridge")
set(CPACK_PACKAGE_VENDOR "LeadBridge")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_DESCRIPTION
    "LeadBridge copies contacts, tasks, notes and appointments from GoHighLevel locations to\n"
    "Saleshandy, with an editable field mapping, dry runs and a log of every run. It contains the\n"
    "desktop application (leadbridge) and the command-line tool (leadbridge-cli) for servers and CI.\n"
    "Credentials are kept in the system keychain (Secret Service).")
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGE_CONTACT "LeadBridge maintainers <maintainers@leadbridge.invalid>")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "leadbridge")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_PACKAGE_SECTION "net")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Libraries linked directly are found by shlibdeps; what Qt and qtkeychain load at run time
# (SQL drivers, libsecret, the SVG plugins for the icon) is not, so it is listed here.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6sql6-psql, libsecret-1-0")
if(LEADBRIDGE_BUILD_GUI)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libqt6svg6")
endif()
# A Secret Service to keep the credentials in; servers may use the environment variables instead.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnome-keyring | kwalletmanager")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "postgresql-client")

include(CPack)
