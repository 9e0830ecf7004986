#!/usr/bin/env bash
# apt-install.sh PACKAGE: installs a Debian/Ubuntu package non-interactively, as root or through sudo.
# Exit 0 when installed; 3 when there is no apt-get, or installing needs root and there is no sudo.
set -euo pipefail
package="$1"
command -v apt-get >/dev/null 2>&1 || exit 3
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "$package is missing and installing it needs root: run 'apt-get install $package' as root." >&2
    exit 3
  fi
fi
echo "Installing $package (apt-get install $package)..." >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$package" >&2
