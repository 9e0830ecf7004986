#!/usr/bin/env bash
# Makes sure tesseract (Tesseract 5 with its English data) is on PATH for the on-screen text channel. On Debian/Ubuntu
# it installs the distribution's package (as root, or through sudo); elsewhere it says how to get it and fails with
# exit code 3. $VIREO_TESSERACT may name the executable instead.
set -euo pipefail
if [ -n "${VIREO_TESSERACT:-}" ] && [ -x "${VIREO_TESSERACT}" ]; then
  exit 0
fi
if command -v tesseract >/dev/null 2>&1; then
  exit 0
fi
if "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" tesseract-ocr; then
  command -v tesseract >/dev/null 2>&1 && exit 0
fi
cat >&2 <<'TXT'
Tesseract was not found. Install it and run again:
  Debian/Ubuntu: sudo apt-get install tesseract-ocr
  Fedora:        sudo dnf install tesseract
  macOS:         brew install tesseract
  Windows:       winget install UB-Mannheim.TesseractOCR
or set VIREO_TESSERACT to the executable.
TXT
exit 3
