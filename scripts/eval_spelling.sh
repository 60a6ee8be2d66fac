#!/usr/bin/env bash
# Spelling suggestions (searcher/spelling.h) on generated typos: indexes a
# test collection's documents (SMART format: ".I n", ".T" title, ".W"
# text; MED by default, or CACM) with policy-index, then draws words of 5+
# letters from the index by document frequency, gives each one random edit
# with a fixed seed, and measures how often the suggestion is the word
# meant, missing or wrong, and its time, beside Xapian's spelling table
# (scripts/eval_spelling.cc says how). Prints Markdown tables.
#
#   scripts/eval_spelling.sh [COLLECTION] [SEED] [TYPOS]
#
# The collection is not shipped with the project: without it the script says
# so and exits 0 having measured nothing. The build is ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
collection="${1:-../shared/testdata/ir/med/MED.ALL}"
shift || true
build_dir="${BUILD_DIR:-build}"
if [ ! -f "$collection" ]; then
  echo "eval_spelling: $collection not found (the shared test data is absent); nothing measured" >&2
  exit 0
fi
cmake --build "$build_dir" --target policy-index policy-eval-spelling >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One JSONL line per document: its .T and .W lines, id "I<n>".
python3 - "$collection" >"$work/docs.jsonl" <<'PY'
import json, sys
doc, field, parts = None, None, {}
def flush():
    if doc is not None:
        text = " ".join(parts.get(".W", []))
        title = " ".join(parts.get(".T", []))
        if text or title:
            print(json.dumps({"id": "I" + doc, "title": title, "text": text or title}))
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    line = line.rstrip("\n")
    if line.startswith(".I "):
        flush()
        doc, field, parts = line[3:].strip(), None, {}
    elif line[:2] in (".T", ".W", ".A", ".B", ".N", ".X", ".K", ".C") and len(line.strip()) == 2:
        field = line[:2]
    elif field in (".T", ".W"):
        parts.setdefault(field, []).append(line.strip())
flush()
PY
"$build_dir/policy-index" --quiet --index "$work/idx" "$work/docs.jsonl" >/dev/null
"$build_dir/policy-eval-spelling" "$work/idx" "$@"
