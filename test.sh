#!/usr/bin/env bash
# Runs every test: installs FFmpeg, Tesseract (the on-screen text tests), Chromium (the web page's browser test) and
# redis-server (the cluster tests start their own Redis) if missing, builds the solution and runs the xunit tests.
# Tests that need ../shared (real annotations, features and videos) skip with a message when it is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/ensure-ffmpeg.sh"
"$root/scripts/ensure-tesseract.sh" || echo "Without Tesseract the on-screen text tests skip (under CI they fail)." >&2
"$root/scripts/ensure-chromium.sh" || echo "Without Chromium the browser test skips (under CI it fails)." >&2
"$root/scripts/ensure-redis.sh" || echo "Without redis-server the cluster process test skips (under CI it fails)." >&2
cd "$root"
dotnet test --solution Vireo.slnx -c Release "$@"
