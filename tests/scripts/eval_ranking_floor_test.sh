#!/usr/bin/env bash
# The ranking on the MED judged collection (scripts/eval_ranking.sh med,
# about 2 s): policy-search's MAP@100 must not fall below FLOOR, a guard
# against ranking changes that lose relevance. RELEVANCE.md has the full
# tables; this checks the one number. Exits 77 (CTest: skipped) when the
# collection is not there (the shared test data sits beside the clone).
#
#   eval_ranking_floor_test.sh SOURCE_DIR BUILD_DIR FLOOR
set -euo pipefail
root="$1"
build="$2"
floor="$3"
data="${IR_DATA:-$root/../shared/testdata/ir}"
if [ ! -d "$data/med" ]; then
  echo "no MED collection under $data: not measured"
  exit 77
fi
runs="$(mktemp -d)"
trap 'rm -rf "$runs"' EXIT
(cd "$root" && BUILD_DIR="$build" BENCH_NO_WRITE=1 EVAL_RUNS="$runs" IR_DATA="$(cd "$data" && pwd)" \
  bash scripts/eval_ranking.sh med)
map="$(python3 "$root/scripts/trec_eval.py" "$runs/med/qrels" "$runs/med/policy-search.trec" | awk '$1 == "map" {print $3}')"
echo "MED MAP@100 of policy-search: $map (floor $floor)"
python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)" "$map" "$floor"
