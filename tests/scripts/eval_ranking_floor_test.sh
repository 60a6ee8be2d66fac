#!/usr/bin/env bash
# The ranking on the MED judged collection (scripts/eval_ranking.sh med,
# about 2 s): policy-search's MAP@100 must be at least MARGIN times that of
# each baseline run beside it (plain Xapian, FTS5), a guard against ranking
# changes that lose relevance. RELEVANCE.md has the full tables; this checks
# their MAP column. Exits 77 (CTest: skipped) when the collection is not
# there (the shared test data sits beside the clone).
#
#   eval_ranking_floor_test.sh SOURCE_DIR BUILD_DIR MARGIN
set -euo pipefail
root="$1"
build="$2"
margin="$3"
data="${IR_DATA:-$root/../shared/testdata/ir}"
if [ ! -d "$data/med" ]; then
  echo "no MED collection under $data: not measured"
  exit 77
fi
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
(cd "$root" && BUILD_DIR="$build" BENCH_NO_WRITE=1 EVAL_RUNS="$runs" IR_DATA="$(cd "$data" && pwd)" \
  bash scripts/eval_ranking.sh med)
# The MAP@100 of one run; exits (failing the test) when the evaluator gives none.
map_of() {
  local value
  value="$(python3 "$root/scripts/trec_eval.py" "$runs/med/qrels" "$1" | awk '$1 == "map" {print $3}')"
  if [ -z "$value" ]; then
    echo "no MAP for $1" >&2
    exit 1
  fi
  echo "$value"
}
map="$(map_of "$runs/med/policy-search.trec")" || exit 1
echo "MED MAP@100 of policy-search: $map"
status=0
baselines=0
for run in "$runs"/med/*.trec; do
  [ "$(basename "$run")" = policy-search.trec ] && continue
  baselines=$((baselines + 1))
  other="$(map_of "$run")" || exit 1
  if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) * float(sys.argv[3]) else 1)" \
    "$map" "$other" "$margin"; then
    echo "  ahead of $(basename "$run" .trec) ($other) by at least x$margin"
  else
    echo "  NOT ahead of $(basename "$run" .trec) ($other) by x$margin"
    status=1
  fi
done
if [ "$baselines" -eq 0 ]; then
  echo "no baseline run beside policy-search's"
  exit 1
fi
exit "$status"
