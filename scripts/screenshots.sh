#!/usr/bin/env bash
# Renders the README's screenshots from the demo (the in-process sandbox) under Xvfb.
# Needs a build (scripts/build.sh) and, for names in every script, fonts such as
# fonts-noto-core, fonts-wqy-microhei and fonts-thai-tlwg-ttf.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
app="$BUILD_DIR/src/gui/leadbridge"
out=docs/screenshots
mkdir -p "$out"
shot() { QT_QPA_PLATFORM=xcb xvfb-run -a -s '-screen 0 1440x900x24' "$app" "$@"; }
shot --demo --view contacts --screenshot "$out/contacts.png"
shot --demo --view mapping --screenshot "$out/mapping.png"
shot --demo --demo-runs 1 --demo-dry-run --view sync --screenshot "$out/dry-run.png"
shot --demo --demo-runs 4 --view sync --screenshot "$out/dashboard.png"
shot --demo --demo-runs 4 --view logs --screenshot "$out/logs.png"
# The wizard and the contact form are rendered by their tests.
for test in tst_setupwizard tst_contactsview; do
  LEADBRIDGE_TEST_SHOTS="$PWD/$out" QT_QPA_PLATFORM=xcb scripts/with-keychain.sh \
    xvfb-run -a -s '-screen 0 1440x900x24' "$BUILD_DIR/tests/gui/$test" >/dev/null
done
echo "Screenshots in $out/"
