#!/usr/bin/env bash
# HTTP load test of `policy-search serve` with wrk (Debian's package).
#
#   scripts/bench_server.sh [DOCS] [SECONDS]    (defaults 10000 and 20)
#
# Uses (or builds) the synthetic index of scripts/bench.sh for DOCS
# documents, starts the server (default worker threads) on a free loopback
# port, and runs wrk with 2 threads and 16 keep-alive connections for
# SECONDS per mix: term queries, phrase queries, and faceted queries (filters, exact facets; every /api/search
# answer has snippets and facets). Prints requests per second and latency
# percentiles per mix. Traffic stays on 127.0.0.1; wrk stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-10000}"
seconds="${2:-20}"
build="${BUILD_DIR:-build}"
bench="${BENCH_DIR:-/tmp/policy-bench}"
scripts/build.sh >/dev/null
if [ ! -f "$bench/$docs/idx/iamglass" ]; then
  BUILD_DIR="$build" scripts/bench.sh "$docs" >/dev/null
fi
work="$bench/server-$docs"
rm -rf "$work"
mkdir -p "$work"
"$build/policy-search" serve --index "$bench/$docs/idx" --listen 127.0.0.1:0 >"$work/serve.out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
url=""
for _ in $(seq 1 100); do
  url="$(grep -o 'http://[^ ]*' "$work/serve.out" || true)"
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.out" >&2; exit 1; }

mix() {  # name, then paths
  local name="$1"
  shift
  {
    echo "local paths = {"
    for p in "$@"; do echo "  \"$p\","; done
    echo "}"
    echo 'local i = 0'
    echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
  } >"$work/$name.lua"
  wrk -t2 -c16 -d"${seconds}s" --latency -s "$work/$name.lua" "${url%/}" >"$work/$name.txt"
  awk -v name="$name" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "90%" { p90 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx/ { errors = $NF }
    END { printf "| %s | %s | %s | %s | %s | %s |\n", name, rps, p50, p90, p99, (errors == "" ? 0 : errors) }' "$work/$name.txt"
}
echo "| mix | requests/s | p50 | p90 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"
mix term "/api/search?q=biodiversity" "/api/search?q=pollution" "/api/search?q=mercury" "/api/search?q=wetlands"
mix phrase "/api/search?q=%22climate%20change%22" "/api/search?q=%22capacity%20building%22" \
  "/api/search?q=%22air%20quality%22" "/api/search?q=%22green%20envoys%20program%22"
mix faceted "/api/search?q=climate&filter=year:2010..2015" "/api/search?q=water&filter=area:water" \
  "/api/search?q=biodiversity&filter=org:%22ASEAN%20Secretariat%22" "/api/search?filter=year:2016&limit=20"
