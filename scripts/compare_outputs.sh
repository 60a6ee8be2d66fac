#!/usr/bin/env bash
# Compares what two builds of policy-search produce on corpus/: search
# results (terminal and JSON), KWIC lines (aligned and CSV), batch reports
# in every format, and policy-index --explain. For checking that a change
# meant to keep behaviour (a move, a tidy) keeps it byte for byte.
#
#   scripts/compare_outputs.sh OLD_BUILD_DIR NEW_BUILD_DIR
#
# Both searchers read one index, built by the old indexer, so their outputs
# must be identical to the byte (but for the time each search took). The index the new indexer builds is then
# searched too; its outputs may differ from the first only in the build id
# and time every index records, which are masked before comparing.
# Exits 0 when nothing else differs; prints the differences otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
old="$(cd "${1:?usage: compare_outputs.sh OLD_BUILD_DIR NEW_BUILD_DIR}" && pwd)"
new="$(cd "${2:?usage: compare_outputs.sh OLD_BUILD_DIR NEW_BUILD_DIR}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SOURCE_DATE_EPOCH=1700000000 NO_COLOR=1

cat >"$work/queries.txt" <<'QUERIES'
biodiversity
"green envoys program" biodiversity
air pollution NEAR/5 China
envir* -coal
org:MEP year:2010..2016 water
title:strategy OR area:"air quality"
ASEAN-China cooperation
"capacity building" org:"ASEAN Secretariat"
water "unterminated
QUERIES
cat >"$work/queries.csv" <<'QUERIES'
id,query,year,organisation
c1,cooperation,2016,
c2,"""climate change""",,EPA
c3,pollution NEAR/3 control,2010..2020,
QUERIES

# outputs BIN_DIR INDEX OUT: everything the searcher and --explain print.
outputs() {
  local bin="$1" index="$2" out="$3" n=0
  mkdir -p "$out"
  while IFS= read -r query; do
    n=$((n + 1))
    "$bin/policy-search" --index "$index" --json --limit 20 -- "$query" >"$out/search$n.json" 2>"$out/search$n.err" || true
    "$bin/policy-search" --index "$index" --facets --color never -- "$query" >"$out/search$n.txt" 2>&1 || true
    "$bin/policy-search" kwic --index "$index" --color never -- "$query" >"$out/kwic$n.txt" 2>&1 || true
    "$bin/policy-search" kwic --index "$index" --csv --sort left -- "$query" >"$out/kwic$n.csv" 2>&1 || true
  done <"$work/queries.txt"
  "$bin/policy-search" --index "$index" --json --filter org:EPA --filter year:2016 >"$out/filters.json" 2>&1 || true
  for queries in queries.txt queries.csv; do
    # Run from OUT so that the message names the same output path for both.
    (cd "$out" && "$bin/policy-search" batch --index "$index" --quiet --jobs 2 --format csv,jsonl,md,html,trec,kwic \
      --out "batch-$queries" "$work/$queries" >/dev/null 2>"batch-$queries.err") || true
  done
  # Times vary from run to run; nothing else may.
  sed -i 's/([0-9.]* s, [0-9.]* queries\/s)/(TIME)/' "$out"/batch-*.err
  sed -i -E 's/"elapsed_ms": [0-9.e+-]+/"elapsed_ms": TIME/' "$out"/*.json
  for doc in $(cd "$root/corpus" && ls *.txt); do
    "$bin/policy-index" --index "$index" --explain "$doc" >"$out/explain-$doc.json" 2>&1 || true
  done
}

"$old/policy-index" --quiet --index "$work/index-old" "$root/corpus" >/dev/null
"$new/policy-index" --quiet --index "$work/index-new" "$root/corpus" >/dev/null
outputs "$old" "$work/index-old" "$work/old"
outputs "$new" "$work/index-old" "$work/new"
outputs "$new" "$work/index-new" "$work/new-index"
status=0
echo "compare_outputs: $(find "$work/old" -type f | wc -l) files from each build"
if diff -r "$work/old" "$work/new"; then
  echo "compare_outputs: the same index, old and new searcher: byte-identical"
else
  status=1
fi
mask() { grep -rlZ . "$1" | xargs -0 sed -i -E \
  -e 's/("build_id": ?")[^"]*"/\1BUILD_ID"/g' -e 's/("indexed_at": ?")[^"]*"/\1INDEXED_AT"/g' \
  -e '/[Bb]uild id/s/\b[0-9a-f]{16}\b/BUILD_ID/g' -e '/[Ii]ndexed at/s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/INDEXED_AT/g' -e 's#'"$work"'/index-(old|new)#INDEX#g'; }
cp -r "$work/old" "$work/old-masked"
mask "$work/old-masked"
mask "$work/new-index"
if diff -r "$work/old-masked" "$work/new-index"; then
  echo "compare_outputs: the old and new indexer's indexes, searched: identical but for the build id and time"
else
  status=1
fi
exit $status
