#!/usr/bin/env bash
# Precision and recall of near-duplicate grouping (core/near_duplicates.h)
# per resemblance threshold, on generated versions (insertions, deletions,
# reordered paragraphs, boilerplate) of the MED collection's abstracts in
# ../shared/testdata/ir/med/ (scripts/eval_near_duplicates.cc says how).
# Prints a Markdown table.
#
#   scripts/eval_near_duplicates.sh [MED.ALL] [SEED...]
#
# The collection is not shipped with the project: without it the script says
# so and exits 0 having measured nothing. The build is ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
med="${1:-../shared/testdata/ir/med/MED.ALL}"
shift || true
build_dir="${BUILD_DIR:-build}"
if [ ! -f "$med" ]; then
  echo "eval_near_duplicates: $med not found (the shared test data is absent); nothing measured" >&2
  exit 0
fi
cmake --build "$build_dir" --target policy-eval-near-duplicates >/dev/null
"$build_dir/policy-eval-near-duplicates" "$med" "$@"
