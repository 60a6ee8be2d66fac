#!/usr/bin/env bash
# Document extraction throughput, in one run, on the same files:
#   PDF (every ../shared/testdata/pdf/*.pdf): pages/s of read_pdf in this
#     process, of extract_isolated() (a child process per file, the
#     indexer's path), of `pdftotext FILE -` (a process per file, as a user
#     runs it) and of policy-index end to end on a folder of symbolic links
#     to them (reading, extraction, cleaning, analysis, indexing, merging);
#   web pages (readability-*/source.html and every other .html under
#     ../shared/testdata/html/ but the readings, readability-*/expected.html):
#     documents/s and MB/s of a plain libxml2 parse (the floor), read_html in
#     this process, extract_isolated() and policy-index end to end. The pages
#     are few and small, so each way reads each page HTML_COPIES times (25):
#     policy-index gets that many links to each.
# Each way is timed REPEAT times (3) and the best is kept; policy-index runs
# with --jobs 1 and with one job per core, into a new index each time.
# Prints Markdown (scripts/bench_extraction.cc says what each in-process way
# does). policy-index's start-up and commit on a one-line text file is given
# too, to tell its fixed cost from its cost per document.
#
#   scripts/bench_extraction.sh [TESTDATA_DIR]
#
# The test data is not shipped with the project: without it the script says
# so and exits 0 having measured nothing. The build is ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/testdata}"
build_dir="${BUILD_DIR:-build}"
repeat="${REPEAT:-3}"
html_copies="${HTML_COPIES:-25}"
# fork() copies the page tables of the memory the caller has written: the
# child per file is measured again with this much written in the caller,
# about policy-index's peak resident memory on these files.
ballast_mib="${BALLAST_MIB:-50}"

shopt -s nullglob
pdfs=("$data"/pdf/*.pdf)
pages=("$data"/html/readability-*/source.html)
while IFS= read -r -d '' page; do pages+=("$page"); done < <(
  find "$data/html" -name '*.html' -not -path '*/readability-*/*' -print0 2>/dev/null | sort -z)
if [ ${#pdfs[@]} -eq 0 ] && [ ${#pages[@]} -eq 0 ]; then
  echo "bench_extraction: no test data: $data/pdf/*.pdf and $data/html/ not found (the shared test data is absent); nothing measured" >&2
  exit 0
fi
cmake --build "$build_dir" --target policy-index policy-bench-extraction >/dev/null

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

now() { date +%s.%N; }
# best_of CMD...: the least wall time, in seconds, of $repeat runs of CMD.
best_of() {
  local best="" start seconds
  for _ in $(seq "$repeat"); do
    start=$(now)
    "$@"
    seconds=$(echo "$(now) - $start" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$seconds < $best" | bc -l)" = 1 ]; then best=$seconds; fi
  done
  echo "$best"
}
pdftotext_all() { for f in "${pdfs[@]}"; do pdftotext -q "$f" - >/dev/null || true; done; }
# policy-index into a new index; exit 1 (some file skipped) is not a failure here.
index_folder() {
  rm -rf "$work/idx"
  "$build_dir/policy-index" --quiet --index "$work/idx" --jobs "$1" --report "$work/report.json" "$2" \
    >/dev/null 2>"$work/index.err" || [ $? -eq 1 ] || { cat "$work/index.err" >&2; return 1; }
}
# index_row LABEL JOBS FOLDER: a TSV row of policy-index's best time and what it read.
index_row() {
  local seconds
  seconds=$(best_of index_folder "$2" "$3")
  if [ "$(jq '.skipped + .failed' "$work/report.json")" != 0 ]; then
    echo "bench_extraction: policy-index skipped or failed some of $3:" >&2
    jq -r '.diagnostics[] | "  \(.location): \(.message)"' "$work/report.json" >&2
  fi
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$(jq .added "$work/report.json")" "$(jq .pages "$work/report.json")" \
    "$(cat "$3"/* | wc -c)" "$seconds"
}

# Prints the rows of a TSV (way, documents, pages, bytes, seconds) as a
# Markdown table; by pages or by documents.
pdf_table() {
  echo "| way | files | pages | MB | seconds | pages/s | ms per file |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %d | %d | %.1f | %.2f | %.0f | %.1f |\n", $1, $2, $3, $4 / 1e6, $5, $3 / $5, 1000 * $5 / $2 }' "$1"
}
html_table() {
  echo "| way | documents | MB | seconds | documents/s | MB/s | ms per document |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  awk -F'\t' '{ printf "| %s | %d | %.1f | %.2f | %.0f | %.1f | %.2f |\n", $1, $2, $4 / 1e6, $5, $2 / $5, $4 / 1e6 / $5, 1000 * $5 / $2 }' "$1"
}
# fork_cost TSV: what the child process adds per file, against the same work in-process.
fork_cost() {
  awk -F'\t' '$1 ~ /isolate=false/ { base = $5; n = $2 } $1 == "extract_isolated, a child process per file" { forked = $5 }
    $1 ~ /MiB written/ { heavy = $5 }
    END { printf "The child process per file adds %.1f ms per file (%.2f s against %.2f s in-process, %.1fx)", 1000 * (forked - base) / n, forked, base, forked / base
          if (heavy) printf "; %.1f ms with %s MiB written in the parent", 1000 * (heavy - base) / n, "'"$ballast_mib"'"
          print "." }' "$1"
}

# The tables go to $work/body.md, printed after the header, which gives the
# load at the end.
exec 3>&1 >"$work/body.md"

# One-line text file: policy-index's fixed cost (start-up, index creation, commit).
mkdir -p "$work/text"
echo "One line of text about water quality." >"$work/text/one.txt"
fixed_seconds=$(best_of index_folder 1 "$work/text")

if [ ${#pdfs[@]} -gt 0 ]; then
  mkdir -p "$work/pdf"
  for f in "${pdfs[@]}"; do ln -s "$(realpath "$f")" "$work/pdf/$(basename "$f")"; done
  "$build_dir/policy-bench-extraction" --repeat "$repeat" --ballast-mib "$ballast_mib" pdf "${pdfs[@]}" >"$work/pdf.tsv"
  pdf_pages=$(awk -F'\t' 'NR == 1 { print $3 }' "$work/pdf.tsv")
  if command -v pdftotext >/dev/null 2>&1; then
    printf 'pdftotext FILE -, a process per file\t%s\t%s\t%s\t%s\n' "${#pdfs[@]}" "$pdf_pages" \
      "$(cat "${pdfs[@]}" | wc -c)" "$(best_of pdftotext_all)" >>"$work/pdf.tsv"
  else
    echo "bench_extraction: pdftotext not installed (poppler-utils); no comparison" >&2
  fi
  index_row "policy-index --jobs 1, end to end" 1 "$work/pdf" >>"$work/pdf.tsv"
  index_row "policy-index --jobs $(nproc), end to end" "$(nproc)" "$work/pdf" >>"$work/pdf.tsv"
  echo
  echo "### PDF: ${#pdfs[@]} files of $data/pdf, $pdf_pages pages"
  echo
  pdf_table "$work/pdf.tsv"
  echo
  fork_cost "$work/pdf.tsv"
fi

if [ ${#pages[@]} -gt 0 ]; then
  mkdir -p "$work/html"
  for f in "${pages[@]}"; do
    name="$(basename "$(dirname "$f")")-$(basename "$f")"
    for copy in $(seq -w "$html_copies"); do ln -s "$(realpath "$f")" "$work/html/$copy-$name"; done
  done
  "$build_dir/policy-bench-extraction" --repeat "$repeat" --passes "$html_copies" --ballast-mib "$ballast_mib" \
    html "${pages[@]}" >"$work/html.tsv"
  index_row "policy-index --jobs 1, end to end" 1 "$work/html" >>"$work/html.tsv"
  index_row "policy-index --jobs $(nproc), end to end" "$(nproc)" "$work/html" >>"$work/html.tsv"
  echo
  echo "### Web pages: ${#pages[@]} pages of $data/html, each read $html_copies times"
  echo
  html_table "$work/html.tsv"
  echo
  fork_cost "$work/html.tsv"
fi

echo
printf 'policy-index on a one-line text file (start-up, a new index, commit): %.2f s.\n' "$fixed_seconds"

exec >&3 3>&-
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "## Document extraction throughput"
echo
echo "Command: \`scripts/bench_extraction.sh\` (REPEAT=$repeat, HTML_COPIES=$html_copies, BALLAST_MIB=$ballast_mib), at commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u +%Y-%m-%d)."
echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'))," \
  "$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), shared with other sessions" \
  "(load average $load_before at the start, $load_after at the end)." \
  "Each time is the best of $repeat runs."

cat "$work/body.md"
