#!/usr/bin/env bash
# PDF text extraction (indexer/pdf_reader.h) on the PDFs in
# ../shared/testdata/pdf/: pages, words and time per file, word-level
# precision and recall against the five *.expected.md readings, and the
# throughput of read_pdf against pdftotext (poppler-utils) on the same
# files, in one run. Prints Markdown (scripts/eval_pdf_extraction.cc says
# how words are counted).
#
#   scripts/eval_pdf_extraction.sh [TESTDATA_PDF_DIR]
#
# The PDFs are not shipped with the project: without them the script says so
# and exits 0 having measured nothing. The build is ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata/pdf}"
build_dir="${BUILD_DIR:-build}"
repeat=3
shopt -s nullglob
files=("$data"/*.pdf)
if [ ${#files[@]} -eq 0 ]; then
  echo "eval_pdf_extraction: no PDFs: $data/*.pdf not found (the shared test data is absent); nothing measured" >&2
  exit 0
fi
cmake --build "$build_dir" --target policy-eval-pdf >/dev/null

# pdftotext over the same files, best of $repeat runs (one process per file,
# as a caller of the tool pays it).
pdftotext_seconds=""
if command -v pdftotext >/dev/null 2>&1; then
  for _ in $(seq "$repeat"); do
    start=$(date +%s.%N)
    for f in "${files[@]}"; do pdftotext -q "$f" - >/dev/null || true; done
    seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
    if [ -z "$pdftotext_seconds" ] || [ "$(echo "$seconds < $pdftotext_seconds" | bc -l)" = 1 ]; then
      pdftotext_seconds=$seconds
    fi
  done
else
  echo "eval_pdf_extraction: pdftotext not installed (poppler-utils); no comparison" >&2
fi
"$build_dir/policy-eval-pdf" --repeat "$repeat" ${pdftotext_seconds:+--pdftotext-seconds "$pdftotext_seconds"} "${files[@]}"
