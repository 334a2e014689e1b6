#!/usr/bin/env bash
# The README's first command: install what is missing, build, and start Weir on its
# demo (a private redis-server on a free loopback port with a live workload).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "No display found (DISPLAY and WAYLAND_DISPLAY are unset): starting Weir under Xvfb." >&2
  echo "To watch it, run this from a desktop session." >&2
  exec xvfb-run -a -s "-screen 0 1400x900x24" build/app/weir --demo "$@"
fi
exec build/app/weir --demo "$@"
