#!/usr/bin/env bash
# Layer gate: app -> ui -> models -> redis, and ui/ never talks to Redis itself.
# CMake keeps most arrows one way (a library sees only the include folders of what it
# links), but ui/ links models/, which links the whole Redis layer publicly, so redis/
# headers are on ui/'s include path; this script is what keeps them out. Fails, listing
# every offending line, when:
#   - ui/ sends a command (->send( .send( ->sendToNode( .sendToNode() or names
#     RedisConnection or RedisWorker;
#   - ui/ includes a header of redis/client, redis/cluster or redis/localserver other than
#     the value types it may share (ui_may_share below);
#   - models/ includes a ui/ header, or redis/ a models/ or ui/ header;
#   - the product's libraries (models/, ui/, redis/ outside localserver) include the
#     local-server scaffolding, which only the demo, the tests and the benchmarks link.
set -euo pipefail
cd "$(dirname "$0")/.."

# Value types and pure functions of the Redis layer a widget may use as they are.
ui_may_share=(connectionstate.h connectionoptions.h errorhint.h commandlog.h)

failed=0
fail() {
  echo "layers: $1"
  sed 's/^/  /'
  failed=1
}

# Headers (by base name, which is how Weir includes them) found under the given folders.
headers_of() {
  find "$@" -name '*.h' -printf '%f\n' | sort -u
}

# Lines of files under $1.. that include one of the headers read from stdin (one a line).
includes_of() {
  local names pattern
  names=$(grep -vxF -f <(printf '%s\n' "${allowed[@]:-}") | sed 's/\./\\./g' | paste -sd'|')
  [ -n "$names" ] || return 0
  pattern="^[[:space:]]*#[[:space:]]*include[[:space:]]*[\"<]($names)[\">]"
  grep -rnE --include='*.cpp' --include='*.h' "$pattern" "$@" || true
}

out=$(grep -rnE '(->|\.)(send|sendToNode)\(' ui/ || true)
[ -z "$out" ] || fail "ui/ sends Redis commands itself (move them behind an operation in models/):" <<<"$out"

out=$(grep -rnwE 'RedisConnection|RedisWorker' ui/ || true)
[ -z "$out" ] || fail "ui/ names RedisConnection or RedisWorker (widgets hold a ConnectionSession):" <<<"$out"

allowed=("${ui_may_share[@]}")
out=$(headers_of redis/client redis/cluster redis/localserver | includes_of ui/)
[ -z "$out" ] || fail "ui/ includes Redis-layer headers (may share only: ${ui_may_share[*]}):" <<<"$out"

allowed=()
out=$(headers_of ui | includes_of models/ redis/)
[ -z "$out" ] || fail "models/ or redis/ includes a ui/ header:" <<<"$out"

out=$(headers_of models | includes_of redis/)
[ -z "$out" ] || fail "redis/ includes a models/ header:" <<<"$out"

out=$(headers_of redis/localserver | includes_of ui/ models/ redis/protocol redis/cluster redis/client)
[ -z "$out" ] || fail "the product includes the local-server scaffolding:" <<<"$out"

if [ "$failed" = 0 ]; then
  echo "layers: app -> ui -> models -> redis holds; ui/ sends nothing to Redis itself"
fi
exit "$failed"
