#!/usr/bin/env bash
# Peak memory of indexing one document, by the kind of its text (issue 27,
# F9; README "policy-index" states the bound this measures). For each text,
# one file is written and `policy-index --jobs 1` indexes it into a new
# index; the peak resident set of the child (getrusage, RUSAGE_CHILDREN) is
# reported with the file's bytes and words:
#   tiny      one line (the fixed cost)
#   prose     the synthetic corpus's texts (scripts/gen_synthetic_corpus.py,
#             2,000 documents, seed 42) joined into one file of at most
#             16 MiB
#   numbers   one- and two-digit numbers, 16 MiB (the default --max-doc-bytes)
#   letters   one-letter words, 16 MiB: the most words a document can have
#
#   scripts/bench_index_memory.sh
#
# The build is ${BUILD_DIR:-build}. Unless BENCH_NO_WRITE=1, the table
# replaces the section "## Indexing memory per document" of BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
build_dir="${BUILD_DIR:-build}"
cmake --build "$build_dir" --target policy-index >/dev/null
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
/usr/bin/python3 scripts/gen_synthetic_corpus.py --docs 2000 --out "$work/corpus" >/dev/null
/usr/bin/python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
limit = 16 * 1024 * 1024
open(f"{work}/tiny.txt", "w").write("A short note on river water.\n")
with open(f"{work}/prose.txt", "w") as out:
    size = 0
    for line in open(f"{work}/corpus/part-0000.jsonl"):
        text = json.loads(line)["text"] + "\n"
        if size + len(text.encode()) > limit:
            break
        out.write(text)
        size += len(text.encode())
rng = random.Random(1)
for name, words in (("numbers", [str(n) for n in range(100)]), ("letters", list("abcdefghij"))):
    parts, size = [], 0
    while size < limit - 3:
        word = rng.choice(words)
        parts.append(word)
        size += len(word) + 1
    open(f"{work}/{name}.txt", "w").write(" ".join(parts)[: limit - 1])
PY
report="$work/report.md"
{
  echo "## Indexing memory per document"
  echo
  echo "\`scripts/bench_index_memory.sh\` at $(git rev-parse --short HEAD): peak RSS of \`policy-index --jobs 1\` indexing one file into a new index."
  echo
  echo "| text | bytes | words | peak RSS | bytes of RSS per word above tiny |"
  echo "|---|---|---|---|---|"
} >"$report"
/usr/bin/python3 - "$work" "$build_dir/policy-index" >>"$report" <<'PY'
import resource, subprocess, sys
work, program = sys.argv[1:]
base = None
for name in ("tiny", "prose", "numbers", "letters"):
    path = f"{work}/{name}.txt"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run([program, "--quiet", "--jobs", "1", "--index", f"{work}/idx-{name}", path], check=True,
                   stdout=subprocess.DEVNULL)
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest of any child so far: run the
    # files from the smallest peak up, so each reading is its own.
    if peak_kb < before:
        raise SystemExit(f"{name}: peak below an earlier child's; order the files by size")
    text = open(path, encoding="utf-8").read()
    words = len(text.split())
    if base is None:
        base = peak_kb
    per_word = "" if name == "tiny" else f"{(peak_kb - base) * 1024 / words:.0f}"
    print(f"| {name} | {len(text.encode()):,} | {words:,} | {peak_kb / 1024:.0f} MB | {per_word} |")
PY
cat "$report"
write_benchmarks_section "Indexing memory per document" "$report"
