#!/usr/bin/env bash
# HTTP load test of `policy-search serve` with wrk (Debian's package).
#
#   scripts/bench_server.sh [DOCS] [SECONDS]    (defaults 10000 and 30)
#
# Copies the synthetic index of scripts/bench.sh for DOCS documents (built
# if missing), starts the server (default worker threads) on it on a free
# loopback port, and runs wrk with 2 threads and 16 keep-alive connections
# for SECONDS per mix, after 5 s of warm-up: term queries, phrase queries, and faceted queries
# (filters, exact facets; every /api/search answer has snippets and facets);
# a heavy mix, where every other request is an OR of 4 NEAR/0 pairs of
# stopwords (each over 100 ms alone) among term queries; and the term mix
# again while 64 slow clients (scripts/slow_clients.py) each hold a
# connection open by sending one header line every 4 s.
# A last mix ("all, indexing") sends all of those queries while policy-index
# adds 2,000 new documents to the served index, committing every 100, in a
# loop until wrk stops: the server must reopen and never fail a request.
# Prints requests per second, latency percentiles and failures (non-2xx
# answers plus socket errors) per mix, and what the indexer committed.
# Then what connections cost: /api/health and a term search (facets and
# snippets) with 1, 16 and 64 kept-alive connections and with 16 that close
# after each request; then three rounds of that search with 16 kept-alive
# connections taking turns with the same search in-process on every core
# (policy-bench --throughput): the server's overhead. Prints the
# tables, and writes them with issue 25's server targets (met or not) into
# the section "## HTTP server, DOCS documents" of BENCHMARKS.md
# (BENCH_NO_WRITE=1: prints only).
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
# What is printed from here on is the body of the BENCHMARKS.md section,
# printed with it at the end.
exec 3>&1 >"$work/tables.md"

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
  wrk -t2 -c16 -d"${mix_seconds:-$seconds}s" --timeout 10s --latency -s "$work/$name.lua" "${url%/}" >"$work/$name.txt"
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
# Warm-up, not reported: the pool opens its searchers and reads the facet
# table on first use, which would otherwise fall on the first mix.
mix_seconds=5 mix warm-up "/api/search?q=biodiversity" "/api/search?q=%22climate%20change%22" \
  "/api/search?q=water&filter=area:water" >/dev/null
echo "| mix | requests/s | p50 | p90 | p99 | failed | timeouts |"
echo "|---|---|---|---|---|---|---|"
mix term "/api/search?q=biodiversity" "/api/search?q=pollution" "/api/search?q=mercury" "/api/search?q=wetlands"
mix phrase "/api/search?q=%22climate%20change%22" "/api/search?q=%22capacity%20building%22" \
  "/api/search?q=%22air%20quality%22" "/api/search?q=%22green%20envoys%20program%22"
mix faceted "/api/search?q=climate&filter=year:2010..2015" "/api/search?q=water&filter=area:water" \
  "/api/search?q=biodiversity&filter=org:%22ASEAN%20Secretariat%22" "/api/search?filter=year:2016&limit=20"
heavy='/api/search?q=the%20NEAR/0%20in%20OR%20of%20NEAR/0%20is%20OR%20and%20NEAR/0%20that%20OR%20to%20NEAR/0%20for'
mix heavy "$heavy" "/api/search?q=biodiversity" "$heavy" "/api/search?q=pollution" "$heavy" \
  "/api/search?q=mercury" "$heavy" "/api/search?q=wetlands"
# Slow clients hold a connection thread each (cpp-httplib reads a request's
# head on its connection's thread, with a time limit per read only).
port="${url%/}"
port="${port##*:}"
/usr/bin/python3 scripts/slow_clients.py 127.0.0.1 "$port" 64 "$((seconds + 4))" >"$work/slow.out" 2>&1 &
slow=$!
sleep 2
mix "term, 64 slow clients" "/api/search?q=biodiversity" "/api/search?q=pollution" "/api/search?q=mercury" \
  "/api/search?q=wetlands"
wait "$slow" || true

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
echo "$(cat "$work/slow.out")"
echo
echo "Concurrent policy-index (exit $indexer_status, $(cat "$work/indexer.time") s while wrk ran for ${seconds} s): $(tail -1 "$work/indexer.log")"
/usr/bin/python3 -c 'import json, sys, urllib.request; print("The server now sees", json.load(urllib.request.urlopen(sys.argv[1] + "/api/index"))["documents"], "documents")' "${url%/}"

# Connections: keep-alive against closing, many clients, and the in-process
# ceiling for the same searches.
connections() {  # label, connections, close (0/1), path
  local extra=()
  [ "$3" = 1 ] && extra=(-H "Connection: close")
  local out="$work/connections-${4//[^a-z]/_}-$2-$3.txt"
  wrk -t"$((${2} < 2 ? ${2} : 2))" -c"$2" -d"${seconds}s" --timeout 10s --latency "${extra[@]}" "${url%/}$4" >"$out"
  # The row, and the same numbers for the targets in connections.tsv.
  awk -v label="$1" -v c="$2" -v closing="$3" -v tsv="$work/connections.tsv" '
    /Requests\/sec/ { rps = $2 }
    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
    /Non-2xx/ { failed += $NF }
    /Socket errors/ { gsub(",", ""); failed += $4 + $6 + $8 }
    END {
      printf "| %s | %d | %s | %s | %s | %s | %d |\n", label, c, closing ? "closed each time" : "kept alive", rps, p50, p99, failed
      printf "%s\t%d\t%d\t%s\t%s\t%s\n", label, c, closing, rps, p50, p99 >> tsv
    }' "$out"
}
echo
echo "| endpoint | connections | connection | requests/s | p50 | p99 | failed |"
echo "|---|---|---|---|---|---|---|"
for c in 1 16 64; do connections /api/health "$c" 0 /api/health; done
connections /api/health 16 1 /api/health
for c in 1 16 64; do connections "search biodiversity" "$c" 0 "/api/search?q=biodiversity"; done
connections "search biodiversity" 16 1 "/api/search?q=biodiversity"

# The server against the same search in-process on every core, each thread
# with its own Searcher (policy-bench --throughput), taking turns: the
# machine's speed drifts over minutes, so each ratio is of two runs side by
# side; the target takes the median of the rounds.
printf 'term\tbiodiversity\n' >"$work/term.tsv"
round_seconds=$((seconds / 3 > 5 ? seconds / 3 : 5))
echo
echo "| round | server, 16 kept alive: requests/s | in-process on $(nproc) threads: queries/s | server / in-process |"
echo "|---|---|---|---|"
for round in 1 2 3; do
  server_rate=$(wrk -t2 -c16 -d"${round_seconds}s" --timeout 10s "${url%/}/api/search?q=biodiversity" |
    awk '/Requests\/sec/ { print $2 }')
  in_rate=$("$build/policy-bench" "$work/idx" "$work/term.tsv" --throughput "$(nproc)" "$round_seconds" |
    tail -1 | awk '{ print $4 }')
  echo "$server_rate $in_rate" >>"$work/rounds.txt"
  echo "| $round | $server_rate | $in_rate | $(awk -v s="$server_rate" -v i="$in_rate" 'BEGIN { printf "%.0f%%", 100 * s / i }') |"
done
exec >&3 3>&-

# The section "## HTTP server, DOCS documents" of BENCHMARKS.md, with issue
# 25's server targets worked out from the tables (BENCH_NO_WRITE=1: printed
# only).
/usr/bin/python3 - "$work" "$docs" "$seconds" "$round_seconds" >"$work/report.md" <<'PY'
import pathlib, re, statistics, sys
work, docs, seconds, round_seconds = sys.argv[1:]
work = pathlib.Path(work)
rounds = [tuple(map(float, line.split())) for line in (work / "rounds.txt").read_text().splitlines()]
def ms(text):  # wrk's latency: 127.00us, 35.01ms, 1.20s, 2.00m
    value, unit = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]
rows = {}
for line in (work / "connections.tsv").read_text().splitlines():
    label, c, closing, rps, p50, p99 = line.split("\t")
    rows[(label, int(c), closing == "1")] = (float(rps), ms(p50), ms(p99))
out = [f"## HTTP server, {docs} documents\n",
       f"Command: `scripts/bench_server.sh {docs} {seconds}`: wrk with 2 threads, `--timeout 10s`, {seconds} s "
       f"per row after 5 s of warm-up ({round_seconds} s per run in the last table), against `policy-search serve` (default threads and searchers) on a copy "
       f"of the {docs}-document index of scripts/bench.sh, on 127.0.0.1. Every `/api/search` answer carries 10 "
       "results with snippets and exact facets over all matches. \"failed\" counts non-2xx answers and "
       "connect/read/write errors, \"timeouts\" answers slower than 10 s. What the numbers mean is in "
       "\"HTTP server under load\".\n",
       (work / "tables.md").read_text().strip() + "\n", "### Targets\n",
       "| target | measured | met |", "|---|---|---|"]
def target(what, measured, met):
    out.append(f"| {what} | {measured} | {'yes' if met else 'no'} |")
health, search = "/api/health", "search biodiversity"
h_keep, h_close = rows[(health, 16, False)][0], rows[(health, 16, True)][0]
s_keep, s_close = rows[(search, 16, False)][0], rows[(search, 16, True)][0]
target("keep-alive throughput within 80% of `Connection: close` (16 connections)",
       f"health {h_keep:.0f} against {h_close:.0f} req/s; search {s_keep:.0f} against {s_close:.0f}",
       h_keep >= 0.8 * h_close and s_keep >= 0.8 * s_close)
target("/api/health over 10,000 req/s", f"{h_keep:.0f} (16 connections)", h_keep > 10000)
ratio = statistics.median(server / in_process for server, in_process in rounds)
target("search endpoint within 80% of in-process on all cores",
       f"median of the rounds {100 * ratio:.0f}% (" + ", ".join(f"{100 * s / i:.0f}%" for s, i in rounds) + ")",
       ratio >= 0.8)
ratios = {name: rows[(name, 64, False)][2] / rows[(name, 64, False)][1] for name in (health, search)}
target("p99 under 10x p50 with 64 connections",
       "; ".join(f"{name.split()[0].replace('/api/', '')} {rows[(name, 64, False)][2]:.2f} / "
                 f"{rows[(name, 64, False)][1]:.2f} ms ({r:.1f}x)" for name, r in ratios.items()),
       all(r < 10 for r in ratios.values()))
print("\n".join(out))
PY
cat "$work/report.md"
write_benchmarks_section "HTTP server, $docs documents" "$work/report.md"
