#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds LeadBridge and starts the desktop app.
# Without GHL credentials (LEADBRIDGE_GHL_TOKEN, or a profile set up in the app) and without
# arguments it starts in demo mode, on the built-in sandbox.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
app=${BUILD_DIR:-build}/src/gui/leadbridge
args=("$@")
if [ ${#args[@]} -eq 0 ] && [ -z "${LEADBRIDGE_GHL_TOKEN:-}" ]; then
  args=(--demo)
fi
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "No display: starting the app under Xvfb (use --screenshot FILE to see what it shows)." >&2
  exec xvfb-run -a -s '-screen 0 1440x900x24' "$app" "${args[@]}"
fi
exec "$app" "${args[@]}"
