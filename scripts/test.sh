#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run every test.
#
#   scripts/test.sh               the whole suite on the redis-server on PATH (Debian's),
#                                 then, when ../shared/servers exists, every test that starts
#                                 a server (CTest label `server`) once per server build there
#   scripts/test.sh --server DIR  only the tests that start a server, on the build in DIR
#   scripts/test.sh ARGS…         ARGS go to ctest in every pass (e.g. -R tst_connection)
#   scripts/test.sh --no-gates …  without the gates below (only the build and the tests)
#
# First the gates: the layout of every source file (scripts/check-format.sh), the layers
# (scripts/check-layers.sh), the build with warnings as errors (scripts/build.sh) and
# clang-tidy (scripts/check-tidy.sh). A failed gate fails the run; the tests still run after
# any but the build, so that one run tells everything.
#
# Each pass runs on a private D-Bus session with an unlocked gnome-keyring of its own and
# private XDG directories (scripts/run-tests-in-session.sh), so passes never touch the
# user's keyring or settings, nor each other's. The matrix passes run two at a time
# (WEIR_TEST_PASSES_AT_ONCE to change it). At the end a table says, for each server and
# each suite, how many tests passed; a failure on any server fails the run. Above it, one
# line per gate.
set -euo pipefail
cd "$(dirname "$0")/.."

only_server=""
ctest_args=()
run_gates=1
while [ $# -gt 0 ]; do
  case "$1" in
    --server) only_server="${2:?--server needs a folder}"; shift 2 ;;
    --no-gates) run_gates=0; shift ;;
    *) ctest_args+=("$1"); shift ;;
  esac
done

# A gate: name, command. Its output goes to the console as it comes; its result to the table.
gates=()
declare -A gate_result=() gate_seconds=()
gates_failed=0
gate() {
  local name=$1 start=$SECONDS
  shift
  echo "==== gate $name: $*"
  if "$@"; then
    gate_result[$name]=passed
  else
    gate_result[$name]=FAILED
    gates_failed=1
  fi
  gate_seconds[$name]=$((SECONDS - start))
  gates+=("$name")
  echo "==== gate $name: ${gate_result[$name]} after ${gate_seconds[$name]} s"
}
print_gates() {
  local name
  for name in "${gates[@]}"; do
    printf '%-28s%-12s%ss\n' "gate: $name" "${gate_result[$name]}" "${gate_seconds[$name]}"
  done
}

if [ "$run_gates" = 1 ]; then
  ./scripts/install-deps.sh
  gate format ./scripts/check-format.sh
  gate layers ./scripts/check-layers.sh
  gate build ./scripts/build.sh
  if [ "${gate_result[build]}" != passed ]; then
    echo
    print_gates
    exit 1
  fi
  gate tidy ./scripts/check-tidy.sh
else
  ./scripts/build.sh
fi

logs=build/test-passes
rm -rf "$logs"
mkdir -p "$logs"

# "Valkey 8.0.1" for a folder's redis-server (PATH's when the folder is empty). A folder
# copied without its symbolic links holds text files that name the program instead.
server_name() {
  local exe
  if [ -z "$1" ]; then
    exe=$(command -v redis-server || true)
  else
    exe="$1/redis-server"
    [ -x "$exe" ] || exe="$1/$(cat "$exe" 2>/dev/null)"
  fi
  [ -x "$exe" ] || { echo "no redis-server"; return; }
  "$exe" --version | sed -E 's/^([^ ]+) server v=([^ ]+).*/\1 \2/'
}

# The build a pass's server is upgraded to in the test of a cluster of mixed versions
# (WEIR_TEST_OTHER_SERVER_DIR): the next one operators move to whose replicas can follow
# the older masters. Empty where none of those at hand is.
upgrade_of() {
  local first
  case "$1" in
    default) first=(../shared/servers/redis-7.2*/) ;;
    redis-6.2*) dirname "$(command -v redis-server)"; return ;;
    redis-7.2*) first=(../shared/servers/valkey-8*/) ;;
    *) return ;;
  esac
  [ -d "${first[0]}" ] && (cd "${first[0]}" && pwd)
  return 0
}

# One pass: name, server folder ("" for PATH), ctest arguments. Writes $logs/NAME.log and
# $logs/NAME.rc; prints nothing, so passes can run side by side.
run_pass() {
  local name=$1 dir=$2
  shift 2
  local start=$SECONDS rc=0
  WEIR_TEST_SERVER_DIR="$dir" WEIR_TEST_OTHER_SERVER_DIR="$(cat "$logs/$name.other")" \
    dbus-run-session -- bash scripts/run-tests-in-session.sh \
    "$@" >"$logs/$name.log" 2>&1 || rc=$?
  echo "$rc" >"$logs/$name.rc"
  echo "$((SECONDS - start))" >"$logs/$name.seconds"
}

# Prints a finished pass: its ctest output, then one line.
report_pass() {
  local name=$1
  echo
  echo "==== $name: $(cat "$logs/$name.label")"
  cat "$logs/$name.log"
  echo "==== $name: exit $(cat "$logs/$name.rc") after $(cat "$logs/$name.seconds") s"
}

passes=()
if [ -n "$only_server" ]; then
  dir=$(cd "$only_server" && pwd)
  passes+=("$(basename "$dir")")
  server_name "$dir" >"$logs/${passes[0]}.label"
  echo "$dir" >"$logs/${passes[0]}.dir"
  upgrade_of "${passes[0]}" >"$logs/${passes[0]}.other"
else
  passes+=("default")
  echo "$(server_name "") (PATH)" >"$logs/default.label"
  echo "" >"$logs/default.dir"
  [ -d ../shared/servers ] && upgrade_of default >"$logs/default.other"
  touch "$logs/default.other"
  if [ -d ../shared/servers ]; then
    for dir in ../shared/servers/*/; do
      dir=$(cd "$dir" && pwd)
      name=$(basename "$dir")
      passes+=("$name")
      server_name "$dir" >"$logs/$name.label"
      echo "$dir" >"$logs/$name.dir"
      upgrade_of "$name" >"$logs/$name.other"
    done
  fi
fi

# The default pass runs the whole suite; the others only the tests that start a server.
at_once=${WEIR_TEST_PASSES_AT_ONCE:-2}
running=()
for name in "${passes[@]}"; do
  args=("${ctest_args[@]}")
  if [ "$name" != "default" ]; then
    args+=(-L '^server$')
  fi
  echo "Starting pass $name: $(cat "$logs/$name.label")"
  run_pass "$name" "$(cat "$logs/$name.dir")" "${args[@]}" &
  running+=($!)
  if [ ${#running[@]} -ge "$at_once" ]; then
    wait "${running[0]}" || true
    running=("${running[@]:1}")
  fi
done
for pid in "${running[@]}"; do
  wait "$pid" || true
done
for name in "${passes[@]}"; do
  report_pass "$name"
done

# The table: for each pass, each suite of server tests: passed/total.
suites=(integration tls cluster sentinel models gui keychain demo ctl)
declare -A suite_of
for suite in "${suites[@]}"; do
  while read -r test; do
    suite_of[$test]=$suite
  done < <(ctest --test-dir build -N -L "^suite-$suite\$" | sed -nE 's/^ *Test +#[0-9]+: (.+)$/\1/p')
done

total_passed=0
total_failed=0
failed_any=0
echo
print_gates
printf '%-28s' "server"
for suite in "${suites[@]}"; do printf '%-12s' "$suite"; done
printf '%s\n' "time"
for name in "${passes[@]}"; do
  declare -A ok=() all=()
  while read -r test result; do
    suite=${suite_of[$test]:-}
    if [ "$result" = Passed ]; then
      total_passed=$((total_passed + 1))
    else
      total_failed=$((total_failed + 1))
    fi
    [ -n "$suite" ] || continue
    all[$suite]=$(( ${all[$suite]:-0} + 1 ))
    [ "$result" = Passed ] && ok[$suite]=$(( ${ok[$suite]:-0} + 1 ))
  done < <(sed -nE 's/^ *[0-9]+\/[0-9]+ Test +#[0-9]+: ([^ ]+) \.*[ *]*([A-Za-z]+).*$/\1 \2/p' \
             "$logs/$name.log")
  printf '%-28s' "$(cat "$logs/$name.label")"
  for suite in "${suites[@]}"; do
    if [ -z "${all[$suite]:-}" ]; then
      cell="-"
    elif [ "${ok[$suite]:-0}" = "${all[$suite]}" ]; then
      cell="${all[$suite]}/${all[$suite]}"
    else
      cell="${ok[$suite]:-0}/${all[$suite]} FAIL"
    fi
    printf '%-12s' "$cell"
  done
  printf '%ss\n' "$(cat "$logs/$name.seconds")"
  [ "$(cat "$logs/$name.rc")" = 0 ] || failed_any=1
  unset ok all
done
# What each failure said, in a few lines, so that the end of a long log tells where to look.
for name in "${passes[@]}"; do
  if grep -qE '^FAIL!|\*\*\*(Failed|Timeout|Exception)' "$logs/$name.log"; then
    echo
    echo "Failures in pass $name:"
    grep -E -A1 '^FAIL!|\*\*\*(Failed|Timeout|Exception)' "$logs/$name.log" | head -40 |
      sed 's/^/  /'
  fi
done
echo
echo "$total_passed passed, $total_failed failed"
if [ "$gates_failed" = 1 ]; then
  echo "A gate failed: see its lines above."
  failed_any=1
fi
exit $failed_any
