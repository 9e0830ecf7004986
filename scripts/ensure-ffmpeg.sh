#!/usr/bin/env bash
# Makes sure ffmpeg and ffprobe are on PATH. On Debian/Ubuntu it installs the distribution's package
# (as root, or through sudo); elsewhere it says how to get FFmpeg and fails with exit code 3.
set -euo pipefail
if command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1; then
  exit 0
fi
if "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" ffmpeg; then
  command -v ffmpeg >/dev/null 2>&1 && command -v ffprobe >/dev/null 2>&1 && exit 0
fi
cat >&2 <<'TXT'
FFmpeg (ffmpeg and ffprobe) was not found. Install it and run again:
  Debian/Ubuntu: sudo apt-get install ffmpeg
  Fedora:        sudo dnf install ffmpeg     (RPM Fusion)
  macOS:         brew install ffmpeg
  Windows:       winget install Gyan.FFmpeg
or set VIREO_FFMPEG and VIREO_FFPROBE to the two executables.
TXT
exit 3
