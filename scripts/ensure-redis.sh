#!/usr/bin/env bash
# Makes sure redis-server is installed: the cluster's tests start their own Redis (a throw-away one on a free loopback
# port) as the membership store of their silos. On Debian/Ubuntu it installs the distribution's package (as root, or
# through sudo); elsewhere it says how to get it and fails with exit code 3. Nothing is started here.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; then
  exit 0
fi
if "$(dirname "${BASH_SOURCE[0]}")/apt-install.sh" redis-server; then
  # Debian's package may start a system Redis on 6379; the tests never use it.
  command -v redis-server >/dev/null 2>&1 && exit 0
fi
cat >&2 <<'TXT'
redis-server was not found. Install it and run again:
  Debian/Ubuntu: sudo apt-get install redis-server
  Fedora:        sudo dnf install redis
  macOS:         brew install redis
TXT
exit 3
