#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds LeadBridge and starts the desktop app.
# Without GHL credentials (LEADBRIDGE_GHL_TOKEN, or a token stored with
# `leadbridge-cli credentials set ghl`) it starts in demo mode, on the built-in sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
app=${BUILD_DIR:-build}/src/gui/leadbridge
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: starting the app under Xvfb (install a desktop session to see it)." >&2
  exec xvfb-run -a -s '-screen 0 1440x900x24' "$app" "$@"
fi
if [ -z "${LEADBRIDGE_GHL_TOKEN:-}" ] && [ $# -eq 0 ]; then
  exec "$app" --demo
fi
exec "$app" "$@"
