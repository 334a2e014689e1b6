#!/usr/bin/env bash
# Builds every benchmark (tests/bench/bench_*.cpp) into build/, runs each one (each starts
# its own private servers), and prints one table of their BENCH lines:
#
#   scripts/bench.sh            full sizes (many minutes; run on a quiet machine)
#   scripts/bench.sh --quick    smaller sizes, the same figures (under a minute each)
#   scripts/bench.sh [--quick] bench_entries bench_bulk …   only those
#   scripts/bench.sh --no-build …    run what build/ holds, without building first
#
# A figure that misses its target is reported (MISS), not a failure: the exit status is
# non-zero only when a benchmark did not build, failed, or printed no BENCH line. Each
# program's whole output is kept in build/bench-logs/<bench>.log, and the table, with the
# date, the machine and its load before and after, in Markdown in build/bench-logs/summary.md
# (the README's performance section is made from it). The convention the programs follow
# is in DEVELOPERS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=()
build=1
benches=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) benches+=("$arg") ;;
  esac
done
if [ ${#benches[@]} -eq 0 ]; then
  for source in tests/bench/bench_*.cpp; do
    benches+=("$(basename "$source" .cpp)")
  done
fi

if [ "$build" -eq 1 ]; then
  if [ ! -f build/CMakeCache.txt ]; then
    ./scripts/install-deps.sh
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  cmake --build build -j"$(nproc)" --target "${benches[@]}"
fi

logs=build/bench-logs
rm -rf "$logs"
mkdir -p "$logs"
load() { cut -d' ' -f1-3 /proc/loadavg; }

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, $(. /etc/os-release && echo "$PRETTY_NAME")"
started=$(date -u '+%Y-%m-%d %H:%M UTC')
load_before=$(load)
echo "Machine: $machine"
echo "Load average before: $load_before"
failed=()
rows=()
for bench in "${benches[@]}"; do
  start=$SECONDS
  rc=0
  "build/tests/bench/$bench" "${quick[@]}" >"$logs/$bench.log" 2>&1 || rc=$?
  lines=$(grep -E '^BENCH ' "$logs/$bench.log" || true)
  if [ "$rc" -ne 0 ] || [ -z "$lines" ]; then
    failed+=("$bench")
    echo "$bench: FAILED (exit $rc, $((SECONDS - start)) s); the end of $logs/$bench.log:" >&2
    tail -n 5 "$logs/$bench.log" >&2
    continue
  fi
  echo "$bench: $((SECONDS - start)) s"
  # A figure measured over rounds has a SPREAD line (lowest, highest, rounds) before it.
  declare -A spread=()
  while read -r _ figure low high count; do
    spread[$figure]="$low-$high/$count"
  done < <(grep -E '^SPREAD ' "$logs/$bench.log" || true)
  while read -r _ figure value unit target verdict; do
    rows+=("$bench $figure $value ${spread[$figure]:--} $unit $target $verdict")
  done <<<"$lines"
  unset spread
done
load_after=$(load)
echo "Load average after: $load_after"
echo

table() {
  echo "bench figure value spread/rounds unit target result"
  printf '%s\n' "${rows[@]}"
}
table | column -t

# The same table in Markdown, for the README's performance section.
{
  echo "Measured $started on $machine; load average $load_before before, $load_after after${quick:+ (--quick)}."
  echo
  echo "| Benchmark | Figure | Median | Spread (rounds) | Unit | Target | |"
  echo "|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}" | awk '{ printf "| `%s` | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }'
} >"$logs/summary.md"

misses=$(printf '%s\n' "${rows[@]}" | grep -c ' MISS$' || true)
echo
echo "${#rows[@]} figures, $misses missed their target; ${#failed[@]} benchmarks failed${failed[*]:+: ${failed[*]}}"
echo "Markdown table: $logs/summary.md"
[ ${#failed[@]} -eq 0 ]
