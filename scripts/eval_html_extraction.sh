#!/usr/bin/env bash
# Word-level precision and recall of web-page main-text extraction
# (indexer/html_reader.h) against the pages of Mozilla Readability's test
# suite in ../shared/testdata/html/readability-*/ (source.html, and
# expected.html: what a person keeps). Prints a Markdown table
# (scripts/eval_html_extraction.cc says how words are counted).
#
#   scripts/eval_html_extraction.sh [TESTDATA_HTML_DIR]
#
# The pages are not shipped with the project: without them the script says
# so and exits 0 having measured nothing. The build is ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata/html}"
build_dir="${BUILD_DIR:-build}"
shopt -s nullglob
pages=("$data"/readability-*/)
if [ ${#pages[@]} -eq 0 ]; then
  echo "eval_html_extraction: no test pages: $data/readability-*/ not found (the shared test data is absent); nothing measured" >&2
  exit 0
fi
cmake --build "$build_dir" --target policy-eval-html >/dev/null
"$build_dir/policy-eval-html" "${pages[@]%/}"
