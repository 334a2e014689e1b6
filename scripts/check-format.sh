#!/usr/bin/env bash
# Format gate: fails when a source file of Weir differs from what .clang-format makes of it.
#   scripts/check-format.sh          check every .cpp and .h of app ui models redis tests
#   scripts/check-format.sh --fix    rewrite them in place instead
# Uses Debian 12's clang-format (14); another version may lay some lines out differently.
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -d '' files < <(find app ui models redis tests -type f \( -name '*.cpp' -o -name '*.h' \) \
                          -print0 | sort -z)
if [ "${1:-}" = --fix ]; then
  exec clang-format -i "${files[@]}"
fi

report=$(mktemp)
trap 'rm -f "$report"' EXIT
if clang-format --dry-run --Werror "${files[@]}" 2>"$report"; then
  echo "format: ${#files[@]} files as .clang-format lays them out"
  exit 0
fi
head -n 40 "$report"
bad=$(grep -oE '^[^:]+\.(cpp|h):[0-9]+:[0-9]+: error' "$report" | cut -d: -f1 | sort -u | wc -l)
echo "format: $bad of ${#files[@]} files differ from .clang-format (scripts/check-format.sh --fix)"
exit 1
