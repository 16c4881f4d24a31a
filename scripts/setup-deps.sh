#!/usr/bin/env bash
# Installs the Debian 12 packages that LeadBridge needs to build, run and test.
# Skips apt-get entirely when everything is present, so a warm machine starts fast.
set -euo pipefail
packages=(
  build-essential cmake ninja-build file dpkg-dev ccache
  qt6-base-dev qt6-tools-dev qt6-l10n-tools libqt6opengl6-dev
  qt6-websockets-dev qt6-httpserver-dev qt6-charts-dev qt6-networkauth-dev
  qtkeychain-qt6-dev libsecret-1-0 libqt6sql6-sqlite libqt6sql6-psql libssl-dev
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools postgresql libqt6svg6 libsqlite3-dev desktop-file-utils
)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing: ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
