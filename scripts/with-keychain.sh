#!/usr/bin/env bash
# Runs a command with a throwaway, unlocked gnome-keyring on a private D-Bus session, e.g.
#   scripts/with-keychain.sh ctest --test-dir build -L secrets --output-on-failure
# HOME, the XDG folders and the runtime folder point into a temporary folder that is removed
# afterwards, so the test keyring never touches the caller's; every other variable is passed
# through. Sets LEADBRIDGE_REQUIRE_KEYCHAIN=1 so keychain tests fail instead of skipping.
set -euo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGUMENT...]" >&2
  exit 2
fi
for tool in dbus-run-session gnome-keyring-daemon dbus-send; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "$0: $tool is missing; install the packages dbus and gnome-keyring (scripts/setup-deps.sh)" >&2
    exit 2
  fi
done

scratch=$(mktemp -d "${TMPDIR:-/tmp}/leadbridge-keychain.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/home" "$scratch/runtime"
chmod 700 "$scratch/runtime"

export HOME="$scratch/home"
export XDG_CONFIG_HOME="$HOME/.config" XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
# gnome-keyring keeps its control socket here: a private one keeps a running desktop keyring out.
export XDG_RUNTIME_DIR="$scratch/runtime"
export LEADBRIDGE_REQUIRE_KEYCHAIN=1
unset GNOME_KEYRING_CONTROL SSH_AUTH_SOCK DBUS_SESSION_BUS_ADDRESS

# Inside the private bus: start the keyring unlocked with a throwaway password, wait until it owns
# org.freedesktop.secrets, then run the command (its exit status becomes ours).
status=0
dbus-run-session -- bash -c '
  set -euo pipefail
  printf %s "leadbridge-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  for _ in $(seq 1 100); do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
         org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"; then
      exec "$@"
    fi
    sleep 0.1
  done
  echo "with-keychain.sh: gnome-keyring did not register org.freedesktop.secrets within 10 s" >&2
  exit 3
' with-keychain "$@" || status=$?
exit "$status"
