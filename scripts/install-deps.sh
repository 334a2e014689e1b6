#!/usr/bin/env bash
# Installs the Debian 12 packages Weir needs to build, run its demo and its tests.
# Only what is missing is installed; nothing happens when everything is there.
set -euo pipefail

packages=(
  # build
  cmake g++ make pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools
  qt6-l10n-tools
  libhiredis-dev qtkeychain-qt6-dev libgl-dev zlib1g-dev
  # the history store: Qt SQL's SQLite driver
  libqt6sql6-sqlite
  # run: the Qt platform plugins and the TLS backend
  qt6-qpa-plugins libqt6network6
  # the gates of scripts/test.sh: Debian 12's clang-format and clang-tidy (14)
  clang-format clang-tidy
  # demo and tests: a real Redis, a display, a real keyring
  redis-server redis-tools openssl xvfb xauth dbus dbus-x11 gnome-keyring
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "Installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
# The distribution's redis-server service is not needed: Weir starts its own.
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet redis-server 2>/dev/null; then
  $SUDO systemctl disable --now redis-server >/dev/null 2>&1 || true
fi
