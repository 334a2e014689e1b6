#!/usr/bin/env bash
# clang-tidy gate: runs the checks of .clang-tidy over Weir's own sources and fails on any
# finding (.clang-tidy makes every finding an error).
#   scripts/check-tidy.sh            every .cpp of app ui models redis (the product, the demo)
#   scripts/check-tidy.sh FILE…      only those files (tests/ too: the header filter takes them)
# Needs build/compile_commands.json (scripts/build.sh writes it) and a build whose
# generated files (moc, uic) are there, i.e. run it after scripts/build.sh. moc's and uic's
# output is not checked: generated files are not in the list, and the header filter only
# takes headers under app ui models redis tests of the source tree, not build/. The
# compiler's own warnings are the build's business (GCC's options it does not know and
# -Werror are turned off for clang here). Runs WEIR_TIDY_JOBS (default: the number of
# cores) files at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ ! -f build/compile_commands.json ]; then
  echo "tidy: no build/compile_commands.json: run scripts/build.sh first"
  exit 1
fi

if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(find app ui models redis -type f -name '*.cpp' | sort)
fi
jobs=${WEIR_TIDY_JOBS:-$(nproc)}

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$SECONDS
# One file per clang-tidy run, so a file's findings and its exit status stay together.
printf '%s\n' "${files[@]}" | xargs -P "$jobs" -I{} sh -c '
  f="$1"; log="$2/$(printf %s "$f" | tr / _).log"
  clang-tidy -p build --quiet --header-filter="^$3/(app|ui|models|redis|tests)/" \
    --extra-arg=-Wno-unknown-warning-option --extra-arg=-Wno-error "$f" \
    >"$log" 2>&1 || echo "$f" >>"$2/failed"
' sh {} "$out" "$root"

if [ ! -s "$out/failed" ]; then
  echo "tidy: ${#files[@]} files, no findings ($((SECONDS - start)) s)"
  exit 0
fi
# A header's finding is reported by every file that includes it: each is printed once.
sort "$out/failed" | while read -r f; do
  grep -vE '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^Error while processing' \
    "$out/$(printf %s "$f" | tr / _).log"
done | awk '/^[^ ].*: (warning|error): / { show = !seen[$0]++ } show' >"$out/report"
cat "$out/report"
findings=$(grep -cE ': (warning|error): ' "$out/report" || true)
echo "tidy: $findings findings in $(wc -l <"$out/failed") of ${#files[@]} files ($((SECONDS - start)) s)"
exit 1
