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
# program's whole output is kept in build/bench-logs/<bench>.log. The convention the
# programs follow is in DEVELOPERS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=()
build=1
benches=()
for arg in "$@"; do
  case "$arg" in
    --quick) quick=(--quick) ;;
    --no-build) build=0 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
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

echo "Load average before: $(load) ($(nproc) cores)"
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
  while read -r _ figure value unit target verdict; do
    rows+=("$bench $figure $value $unit $target $verdict")
  done <<<"$lines"
done
echo "Load average after: $(load)"
echo

{
  echo "bench figure value unit target result"
  printf '%s\n' "${rows[@]}"
} | column -t

misses=$(printf '%s\n' "${rows[@]}" | grep -c ' MISS$' || true)
echo
echo "${#rows[@]} figures, $misses missed their target; ${#failed[@]} benchmarks failed${failed[*]:+: ${failed[*]}}"
[ ${#failed[@]} -eq 0 ]
