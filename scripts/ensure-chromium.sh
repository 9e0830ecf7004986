#!/usr/bin/env bash
# Makes sure a Chromium browser is on PATH for the web page's end-to-end test. On Debian/Ubuntu it installs the
# distribution's package (as root, or through sudo); elsewhere it says how to get it and fails with exit code 3.
# $VIREO_CHROMIUM may name the executable instead.
set -euo pipefail
if [ -n "${VIREO_CHROMIUM:-}" ] && [ -x "${VIREO_CHROMIUM}" ]; then
  exit 0
fi
for name in chromium chromium-browser google-chrome google-chrome-stable; do
  if command -v "$name" >/dev/null 2>&1; then exit 0; fi
done
if "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" chromium; then
  command -v chromium >/dev/null 2>&1 && exit 0
fi
cat >&2 <<'TXT'
Chromium was not found. Install it and run again:
  Debian/Ubuntu: sudo apt-get install chromium
  Fedora:        sudo dnf install chromium
  macOS:         brew install --cask chromium
or set VIREO_CHROMIUM to a Chromium or Chrome executable.
TXT
exit 3
