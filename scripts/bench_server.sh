#!/usr/bin/env bash
# HTTP load test of `policy-search serve` with wrk (Debian's package).
#
#   scripts/bench_server.sh [DOCS] [SECONDS]    (defaults 10000 and 30)
#
# Copies the synthetic index of scripts/bench.sh for DOCS documents (built
# if missing), starts the server (default worker threads) on it on a free
# loopback port, and runs wrk with 2 threads and 16 keep-alive connections
# for SECONDS per mix: term queries, phrase queries, and faceted queries
# (filters, exact facets; every /api/search answer has snippets and facets).
# A last mix ("all, indexing") sends all of those queries while policy-index
# adds 2,000 new documents to the served index, committing every 100, in a
# loop until wrk stops: the server must reopen and never fail a request.
# Prints requests per second, latency percentiles and failures (non-2xx
# answers plus socket errors) per mix, and what the indexer committed.
# Then what connections cost: /api/health and a term search (facets and
# snippets) with 1, 16 and 64 kept-alive connections and with 16 that close
# after each request, against the same term queries in-process on every
# core (policy-bench --throughput): the server's overhead.
# Traffic stays on 127.0.0.1; wrk stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-10000}"
seconds="${2:-30}"
build="${BUILD_DIR:-build}"
bench="${BENCH_DIR:-/tmp/policy-bench}"
scripts/build.sh >/dev/null
if [ ! -f "$bench/$docs/idx/iamglass" ]; then
  BUILD_DIR="$build" scripts/bench.sh "$docs" >/dev/null
fi
work="$bench/server-$docs"
rm -rf "$work"
mkdir -p "$work"
# The last mix writes to the index, so the server gets a copy.
cp -r "$bench/$docs/idx" "$work/idx"
source scripts/lib.sh
SERVER_PID=""
trap 'kill $SERVER_PID 2>/dev/null || true; wait $SERVER_PID 2>/dev/null || true' EXIT
start_server "$build" "$work/idx" "$work/serve.out" || exit 1
url="$SERVER_URL"

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
  wrk -t2 -c16 -d"${seconds}s" --timeout 10s --latency -s "$work/$name.lua" "${url%/}" >"$work/$name.txt"
  awk -v name="$name" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "90%" { p90 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx/ { failed += $NF }
    /Socket errors/ { gsub(",", ""); failed += $4 + $6 + $8; timeouts = $10 }
    END { printf "| %s | %s | %s | %s | %s | %d | %d |\n", name, rps, p50, p90, p99, failed, timeouts }' "$work/$name.txt"
}
# failed: non-2xx answers and connect/read/write errors; timeouts: answers
# slower than wrk's --timeout (10 s), counted apart because they measure the
# load, not a fault.
echo "| mix | requests/s | p50 | p90 | p99 | failed | timeouts |"
echo "|---|---|---|---|---|---|---|"
mix term "/api/search?q=biodiversity" "/api/search?q=pollution" "/api/search?q=mercury" "/api/search?q=wetlands"
mix phrase "/api/search?q=%22climate%20change%22" "/api/search?q=%22capacity%20building%22" \
  "/api/search?q=%22air%20quality%22" "/api/search?q=%22green%20envoys%20program%22"
mix faceted "/api/search?q=climate&filter=year:2010..2015" "/api/search?q=water&filter=area:water" \
  "/api/search?q=biodiversity&filter=org:%22ASEAN%20Secretariat%22" "/api/search?filter=year:2016&limit=20"

# Concurrent indexing: new ids (live-doc-N) so every document is an
# addition; policy-index starts with wrk and commits every 100 documents.
/usr/bin/python3 scripts/gen_synthetic_corpus.py --docs 4000 --seed 7 --out "$work/new" >/dev/null
sed -i 's/"id": "doc-/"id": "live-doc-/' "$work/new"/*.jsonl
/usr/bin/time -f '%e' -o "$work/indexer.time" \
  "$build/policy-index" --quiet --commit-every 100 --index "$work/idx" "$work/new" >"$work/indexer.log" 2>&1 &
indexer=$!
mix all+indexing \
  "/api/search?q=biodiversity" "/api/search?q=%22climate%20change%22" "/api/search?q=water&filter=area:water" \
  "/api/search?q=pollution" "/api/search?q=%22capacity%20building%22" "/api/search?q=climate&filter=year:2010..2015" \
  "/api/search?q=mercury&limit=20" "/api/search?filter=year:2016&limit=20"
indexer_status=0
wait "$indexer" || indexer_status=$?
echo
echo "Concurrent policy-index (exit $indexer_status, $(cat "$work/indexer.time") s while wrk ran for ${seconds} s): $(tail -1 "$work/indexer.log")"
/usr/bin/python3 -c 'import json, sys, urllib.request; print("The server now sees", json.load(urllib.request.urlopen(sys.argv[1] + "/api/index"))["documents"], "documents")' "${url%/}"

# Connections: keep-alive against closing, many clients, and the in-process
# ceiling for the same searches.
connections() {  # label, connections, close (0/1), path
  local extra=()
  [ "$3" = 1 ] && extra=(-H "Connection: close")
  wrk -t"$((${2} < 2 ? ${2} : 2))" -c"$2" -d"${seconds}s" --timeout 10s --latency "${extra[@]}" "${url%/}$4" >"$work/connections.txt"
  awk -v label="$1" -v c="$2" -v closing="$3" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx/ { failed += $NF }
    /Socket errors/ { gsub(",", ""); failed += $4 + $6 + $8 }
    END { printf "| %s | %d | %s | %s | %s | %s | %d |\n", label, c, closing ? "closed each time" : "kept alive", rps, p50, p99, failed }' \
    "$work/connections.txt"
}
echo
echo "| endpoint | connections | connection | requests/s | p50 | p99 | failed |"
echo "|---|---|---|---|---|---|---|"
for c in 1 16 64; do connections /api/health "$c" 0 /api/health; done
connections /api/health 16 1 /api/health
for c in 1 16 64; do connections "search biodiversity" "$c" 0 "/api/search?q=biodiversity"; done
connections "search biodiversity" 16 1 "/api/search?q=biodiversity"
printf 'term\tbiodiversity\n' >"$work/term.tsv"
echo
echo "In-process, the same search with facets and snippets on $(nproc) threads (policy-bench --throughput):"
"$build/policy-bench" "$work/idx" "$work/term.tsv" --throughput "$(nproc)" "$seconds" | tail -1
