#!/usr/bin/env bash
# The yardsticks of issue #7 on the synthetic corpus of scripts/bench.sh:
# the engine floor (Xapian's TermGenerator + add_document, QueryParser,
# ValueCountMatchSpy, MSet::snippet) and SQLite FTS5 (porter unicode61,
# bm25, snippet, GROUP BY facets), both run by policy-bench-baselines.
#
#   scripts/bench_baselines.sh [DOCS]    (default 10000)
#
# Uses $BENCH_DIR/DOCS/corpus (default BENCH_DIR /tmp/policy-bench), which
# scripts/bench.sh DOCS generates (seed 42); generates it the same way if
# missing. Indexes it with each baseline (wall time, MB/s, peak RSS, size),
# then times the queries of scripts/bench_queries.tsv as policy-bench does.
# Prints Markdown tables on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-10000}"
build="${BUILD_DIR:-build}"
work="${BENCH_DIR:-/tmp/policy-bench}/$docs"
scripts/build.sh >/dev/null
[ -x "$build/policy-bench-baselines" ] || { echo "bench_baselines.sh: $build/policy-bench-baselines was not built (libsqlite3-dev missing?)" >&2; exit 2; }
if [ ! -d "$work/corpus" ]; then
  mkdir -p "$work"
  /usr/bin/python3 scripts/gen_synthetic_corpus.py --docs "$docs" --out "$work/corpus" >/dev/null
fi
rm -rf "$work/floor-idx" "$work/fts5.db"

echo "| engine | documents | corpus MB | index time s | MB/s | peak RSS MB | index MB | index/corpus |"
echo "|---|---|---|---|---|---|---|---|"
for engine in floor fts5; do
  out="$work/floor-idx"
  [ "$engine" = fts5 ] && out="$work/fts5.db"
  /usr/bin/time -f '%e %M' -o "$work/$engine.time" \
    "$build/policy-bench-baselines" "$engine-index" "$work/corpus" "$out" >"$work/$engine.index"
  read -r n bytes _ <"$work/$engine.index"
  read -r seconds rss_kb <"$work/$engine.time"
  size=$(du -sb "$out" | cut -f1)
  awk -v e="$engine" -v n="$n" -v b="$bytes" -v s="$seconds" -v rss="$rss_kb" -v ib="$size" 'BEGIN {
    printf "| %s | %d | %.2f | %.2f | %.2f | %.0f | %.2f | %.2f |\n", e, n, b/1e6, s, (b/1e6)/s, rss/1024, ib/1e6, ib/b }'
done

for engine in floor fts5; do
  out="$work/floor-idx"
  [ "$engine" = fts5 ] && out="$work/fts5.db"
  "$build/policy-bench-baselines" "$engine-search" "$out" scripts/bench_queries.tsv 5 >"$work/$engine.latency" 2>/dev/null
  echo
  echo "$engine:"
  echo
  echo '| class | mode | samples | median ms | p99 ms |'
  echo '|---|---|---|---|---|'
  tail -n +2 "$work/$engine.latency" | awk '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
done
