#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run every test.
# Tests run on a private D-Bus session with an unlocked gnome-keyring of their own and
# private XDG directories, so they never touch the user's keyring or settings.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
exec dbus-run-session -- bash scripts/run-tests-in-session.sh "$@"
