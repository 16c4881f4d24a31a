#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs every test: the store against SQLite and a
# real PostgreSQL server started here, the keychain against a real Secret Service (gnome-keyring
# in a private D-Bus session), the clients against the sandbox over loopback, the widgets offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
export BUILD_DIR
scripts/build.sh
if url=$(scripts/start-postgres.sh); then
  export LEADBRIDGE_TEST_PG_URL="$url"
else
  echo "PostgreSQL could not be started: the PostgreSQL cases will be skipped." >&2
fi
export QT_QPA_PLATFORM=offscreen
scripts/with-keychain.sh ctest --test-dir "$BUILD_DIR" --output-on-failure -j 2 "$@"
