#!/usr/bin/env bash
# Indexing and query benchmark on a synthetic corpus.
#
#   scripts/bench.sh [DOCS]        (default 10000)
#   scripts/bench.sh DIR           an existing corpus, e.g. corpus/
#
# Generates DOCS synthetic policy documents (scripts/gen_synthetic_corpus.py,
# seed 42), or takes the documents under DIR, indexes them with policy-index into a fresh index, and measures
# wall time, throughput, peak RSS and index size; then runs the term, phrase,
# boolean, NEAR and filtered queries of scripts/bench_queries.tsv in-process (policy-bench:
# one warm-up, then 5 timed rounds each) plain, with snippets, and with exact
# facets and snippets. Prints a
# Markdown report on stdout. Work files go to ${BENCH_DIR:-/tmp/policy-bench};
# the build to ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
arg="${1:-10000}"
build="${BUILD_DIR:-build}"
scripts/build.sh >/dev/null
if [ -d "$arg" ]; then
  work="${BENCH_DIR:-/tmp/policy-bench}/$(basename "$(realpath "$arg")")"
  rm -rf "$work"
  mkdir -p "$work"
  corpus="$(realpath "$arg")"
else
  work="${BENCH_DIR:-/tmp/policy-bench}/$arg"
  rm -rf "$work"
  mkdir -p "$work"
  corpus="$work/corpus"
  /usr/bin/python3 scripts/gen_synthetic_corpus.py --docs "$arg" --out "$corpus" >/dev/null
fi
corpus_bytes=$(du -sb --exclude='*.meta.json' "$corpus" | cut -f1)

/usr/bin/time -f '%e %M' -o "$work/time" "$build/policy-index" --quiet --index "$work/idx" "$corpus" >"$work/index.log"
read -r seconds max_rss_kb <"$work/time"
index_bytes=$(du -sb "$work/idx" | cut -f1)

"$build/policy-bench" "$work/idx" scripts/bench_queries.tsv 5 >"$work/latency.txt"

docs=$(grep -o 'holds [0-9]*' "$work/index.log" | cut -d' ' -f2)
awk -v docs="$docs" -v cb="$corpus_bytes" -v s="$seconds" -v rss="$max_rss_kb" -v ib="$index_bytes" 'BEGIN {
  printf "| documents | corpus MB | index time s | MB/s | peak RSS MB | index MB | index/corpus |\n"
  printf "|---|---|---|---|---|---|---|\n"
  printf "| %d | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f |\n", docs, cb/1e6, s, (cb/1e6)/s, rss/1024, ib/1e6, ib/cb
}'
echo
echo '| class | mode | samples | median ms | p99 ms |'
echo '|---|---|---|---|---|'
tail -n +2 "$work/latency.txt" | awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
