#!/usr/bin/env bash
# Relevance of policy-search's ranking on classic judged test collections
# (issue 26), side by side with plain Xapian and SQLite FTS5 on the same
# texts and the same queries:
#
#   scripts/eval_ranking.sh [COLLECTION...]     (default: med cacm npl)
#
# For each collection, read in place from ${IR_DATA:-../shared/testdata/ir}/NAME
# (SMART-style files, never copied into the repository):
#   1. converts the documents to JSONL ({"id", "title", "text"}, the id the
#      collection's document number), the queries to a TSV (id, query) and
#      the judgments to a TREC qrels file, each as the embedded converter
#      below says (the format oddities it meets are printed and written down);
#   2. each query is its words (lower-cased runs of letters and digits, so no
#      query syntax can be triggered, repeats kept) joined with " OR ": the
#      same words for every engine;
#   3. indexes the JSONL with policy-index and runs the queries with
#      `policy-search batch --format trec --top 100`; a query it refuses (e.g.
#      "too many terms") is scored as an empty run and counted as failed;
#   4. runs the baselines of scripts/eval_ranking.cc (policy-eval-ranking):
#      plain Xapian with BM25Weight() defaults, plain Xapian with
#      BM25Weight(1.2, 0, 1, 0.75, 0.5), and FTS5 with bm25();
#   5. scores the four runs with scripts/trec_eval.py (trec_eval -c -M 100:
#      MAP@100, P@10, nDCG@10, recall@100, averaged over every query with at
#      least one judged document) and prints a Markdown table.
# Every judged document counts as relevant: the judgments are binary.
#
# Unless BENCH_NO_WRITE=1, the tables replace the section "## Judged
# collections" of RELEVANCE.md (created when missing). A collection whose
# files are absent is skipped with a note; when none is there (the shared
# test data is not installed) the script exits 0 having measured nothing.
# EVAL_RUNS=DIR keeps each collection's qrels, queries, documents (docs.jsonl)
# and runs in DIR/NAME
# (for `scripts/trec_eval.py -q DIR/NAME/qrels DIR/NAME/*.trec`, query by
# query). The build is ${BUILD_DIR:-build}; the script builds the targets it
# runs. About 20 s on 2 cores once built.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
data="${IR_DATA:-../shared/testdata/ir}"
if [ $# -eq 0 ]; then set -- med cacm npl; fi
for name in "$@"; do
  case "$name" in
    med | cacm | npl) ;;
    *) echo "usage: scripts/eval_ranking.sh [med|cacm|npl]..." >&2; exit 2 ;;
  esac
done
present=()
for name in "$@"; do
  if [ -d "$data/$name" ]; then present+=("$name"); else echo "eval_ranking: $data/$name not found; $name not measured" >&2; fi
done
if [ ${#present[@]} -eq 0 ]; then
  echo "eval_ranking: no collection found under $data (the shared test data is absent); nothing measured" >&2
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
started=$SECONDS
# The ranking code measured: its commit and any uncommitted change to it,
# the same before and after the build, and the programs unchanged until the
# end (someone may be editing and building in the same tree).
ranking_state() {
  git rev-parse --short HEAD
  git status --porcelain -- core indexer searcher schemas
  git diff HEAD -- core indexer searcher schemas | sha256sum
}
programs_hash() { sha256sum "$build_dir/policy-index" "$build_dir/policy-search"; }
ranking_state >"$work/state"
cmake --build "$build_dir" --target policy-index policy-search policy-eval-ranking >/dev/null
[ -x "$build_dir/policy-eval-ranking" ] || { echo "eval_ranking: $build_dir/policy-eval-ranking was not built (libsqlite3-dev missing?)" >&2; exit 2; }
if ! ranking_state | cmp -s - "$work/state"; then
  echo "eval_ranking: core/, indexer/, searcher/ or schemas/ changed during the build; run again" >&2
  exit 1
fi
programs_hash >"$work/programs"

# convert_collection NAME DATA_DIR OUT_DIR: writes OUT_DIR/docs.jsonl, queries.tsv,
# qrels (qid 0 docid 1) and collection.json (counts and format notes).
convert_collection() {
  python3 - "$@" <<'PY'
import json, os, re, sys

name, src, out = sys.argv[1:]
notes = []

def lines_of(path):
    # MED's files end their lines with CRLF; every line is stripped.
    with open(path, encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\r\n") for line in f]

def smart_records(path):
    """[(number, {field: [lines]})] of a SMART file: ".I n" starts a record,
    a line holding only ".X" starts field X; other lines belong to it."""
    records = []
    field = None
    for line in lines_of(path):
        m = re.fullmatch(r"\.I\s+(\d+)\s*", line)
        if m:
            records.append((str(int(m.group(1))), {}))
            field = None
        elif re.fullmatch(r"\.[A-Z]\s*", line):
            field = line.strip()[1]
        elif records and field:
            records[-1][1].setdefault(field, []).append(line)
    return records

def slash_blocks(path):
    """[(number, [lines])] of an NPL file: a number line, the lines of the
    record, a line holding only "/" (indented in doc-text and rlv-ass)."""
    blocks, current = [], []
    for line in lines_of(path):
        if line.strip() == "/":
            blocks.append((str(int(current[0].strip())), current[1:]))
            current = []
        elif line.strip() or current:
            current.append(line)
    if any(line.strip() for line in current):
        notes.append(f"{os.path.basename(path)}: text after the last '/' left out")
    return blocks

def text_of(lines):
    # The text as the file has it: its lines, each stripped of the padding
    # and indentation around it (runs of spaces made one), blank ones left
    # out. The line breaks are kept: policy-index gives a document without a
    # title the first line of its text as title when that line is short
    # (MED, NPL), and the file's first line is what a user's would be.
    return "\n".join(line for line in (" ".join(raw.split()) for raw in lines) if line)

def joined(lines):
    # Titles and queries: one line.
    return " ".join(" ".join(lines).split())

def words(text):
    return re.findall(r"[^\W_]+", text.lower())

documents, queries, judgments = [], {}, {}  # judgments: qid -> set of docids

if name == "med":
    for number, fields in smart_records(os.path.join(src, "MED.ALL")):
        documents.append({"id": number, "title": "", "text": text_of(fields.get("W", []))})
    for number, fields in smart_records(os.path.join(src, "MED.QRY")):
        queries[number] = joined(fields.get("W", []))
    for line in lines_of(os.path.join(src, "MED.REL")):
        if line.split():
            qid, _, docid, rel = line.split()
            if int(rel) >= 1:
                judgments.setdefault(str(int(qid)), set()).add(str(int(docid)))
    notes.append("documents have no title field (.I and .W only): title empty, the text is the .W "
                 "lines (the article's title, then its abstract), so policy-index takes the first "
                 "line as title (as it does for any document without one); the baselines have none")
    notes.append("MED.REL (qid 0 docid 1) is used; MED.REL.OLD holds the same pairs in another layout")
elif name == "cacm":
    fields_seen = set()
    no_abstract = 0
    for number, fields in smart_records(os.path.join(src, "cacm.all")):
        fields_seen.update(fields)
        title, text = joined(fields.get("T", [])), text_of(fields.get("W", []))
        if not text:
            no_abstract += 1
            text = title
        documents.append({"id": number, "title": title, "text": text})
    left_out = ", ".join("." + f for f in sorted(fields_seen - {"T", "W"}))
    notes.append(f".T is the title and .W the abstract; {left_out} (publication, authors, "
                 "entry date, citations, keywords, CR categories) are left out")
    notes.append(f"{no_abstract} documents have no abstract (.W): their text is their title, "
                 "so their title words count in both title and text, for every engine")
    with_authors = 0
    for number, fields in smart_records(os.path.join(src, "query.text")):
        queries[number] = joined(fields.get("W", []))
        with_authors += "A" in fields
    notes.append(f"queries are their .W text; .N (who asked) is left out, and so are the .A author "
                 f"lists of {with_authors} queries (documents' authors are not indexed)")
    for line in lines_of(os.path.join(src, "qrels.text")):
        if line.split():
            qid, docid, _, _ = line.split()
            judgments.setdefault(str(int(qid)), set()).add(str(int(docid)))
    notes.append("qrels.text is 'qid docid 0 0' (not TREC's 'qid iter docid rel'), with query "
                 "numbers zero-padded ('01') where query.text has '.I 1': both read as integers")
elif name == "npl":
    for number, lines in slash_blocks(os.path.join(src, "doc-text")):
        documents.append({"id": number, "title": "", "text": text_of(lines)})
    for number, lines in slash_blocks(os.path.join(src, "query-text")):
        queries[number] = joined(lines)
    for number, lines in slash_blocks(os.path.join(src, "rlv-ass")):
        judgments.setdefault(number, set()).update(str(int(d)) for d in " ".join(lines).split())
    notes.append("documents have no title: title empty, so policy-index takes the first line of "
                 "the text as title (the baselines have none); the texts are lower case with the "
                 "numbers and most punctuation removed (in most, a double space seems to end a title); "
                 "queries are upper case, two of them on two lines")

doc_ids = {d["id"] for d in documents}
if len(doc_ids) != len(documents):
    sys.exit(f"eval_ranking: {name}: duplicate document numbers")
empty = [d["id"] for d in documents if not d["text"]]
if empty:
    sys.exit(f"eval_ranking: {name}: documents without text: {empty[:5]}")
unjudged = sorted((q for q in queries if q not in judgments), key=int)
if unjudged:
    notes.append(f"{len(unjudged)} queries have no judgments and are not scored: {', '.join(unjudged)}")
missing_queries = sorted((q for q in judgments if q not in queries), key=int)
if missing_queries:
    notes.append(f"judged queries with no query text (scored 0 by every engine): {', '.join(missing_queries)}")
unknown = sum(1 for docs in judgments.values() for d in docs if d not in doc_ids)
if unknown:
    notes.append(f"{unknown} judgments name documents that are not in the collection")

query_words = {qid: words(text) for qid, text in queries.items()}
lengths = sorted(len(w) for w in query_words.values())
with open(os.path.join(out, "docs.jsonl"), "w") as f:
    for d in documents:
        f.write(json.dumps(d) + "\n")
with open(os.path.join(out, "queries.tsv"), "w") as f:
    f.write("id\tquery\n")
    for qid in sorted(queries, key=int):
        f.write(qid + "\t" + " OR ".join(query_words[qid]) + "\n")
with open(os.path.join(out, "qrels"), "w") as f:
    for qid in sorted(judgments, key=int):
        for docid in sorted(judgments[qid], key=int):
            f.write(f"{qid} 0 {docid} 1\n")
json.dump({
    "documents": len(documents),
    "queries": len(queries),
    "judged_queries": len(judgments),
    "judgments": sum(len(d) for d in judgments.values()),
    "query_words_median": lengths[len(lengths) // 2],
    "query_words_max": lengths[-1],
    "notes": notes,
}, open(os.path.join(out, "collection.json"), "w"))
PY
}

for name in "${present[@]}"; do
  dir="$work/$name"
  mkdir -p "$dir"
  t0=$SECONDS
  convert_collection "$name" "$data/$name" "$dir"
  # policy-index exits 1 when it skipped a document: every document must be in.
  "$build_dir/policy-index" --quiet --index "$dir/idx" "$dir/docs.jsonl" >"$dir/index.log" 2>&1 || {
    cat "$dir/index.log" >&2
    echo "eval_ranking: $name: policy-index did not index every document" >&2
    exit 1
  }
  set +e
  "$build_dir/policy-search" batch --index "$dir/idx" --format trec,csv --top 100 --out "$dir/ps" --quiet \
    "$dir/queries.tsv" >"$dir/batch.log" 2>&1
  status=$?
  set -e
  if [ $status -gt 1 ]; then
    cat "$dir/batch.log" >&2
    exit 1
  fi
  "$build_dir/policy-eval-ranking" "$dir/docs.jsonl" "$dir/queries.tsv" "$dir/base" >"$dir/baselines.log"
  python3 scripts/trec_eval.py --json "$dir/qrels" "$dir/ps/run.trec" "$dir/base/xapian-defaults.trec" \
    "$dir/base/xapian-bm25.trec" "$dir/base/fts5.trec" >"$dir/eval.json"
  echo $((SECONDS - t0)) >"$dir/seconds"
  if [ -n "${EVAL_RUNS:-}" ]; then
    mkdir -p "$EVAL_RUNS/$name"
    cp "$dir/qrels" "$dir/queries.tsv" "$dir/docs.jsonl" "$dir/base/"*.trec "$EVAL_RUNS/$name/"
    cp "$dir/ps/run.trec" "$EVAL_RUNS/$name/policy-search.trec"
  fi
  echo "eval_ranking: $name measured ($((SECONDS - t0)) s)" >&2
done

if ! programs_hash | cmp -s - "$work/programs"; then
  echo "eval_ranking: policy-index or policy-search was rebuilt during the run; run again" >&2
  exit 1
fi

# The report: the section's preamble, then one table per collection.
python3 - "$work" "$((SECONDS - started))" "$data" "${present[@]}" >"$work/report.md" <<'PY'
import csv, json, os, sys

work, seconds, data, names = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
labels = {"med": "MED", "cacm": "CACM", "npl": "NPL"}

provenance = "Glasgow IR group's SMART-format distributions"
sources = os.path.join(data, "..", "SOURCES.tsv")
if os.path.exists(sources):
    for row in csv.reader(open(sources), delimiter="\t"):
        if row and row[0].startswith("ir/"):
            provenance = f"{row[4]}; GitHub {row[1]} at {row[2][:12]}, {row[3]}"
# The ranking code measured (ranking_state above): the commit, and any
# uncommitted change to it.
state = open(os.path.join(work, "state")).read().splitlines()
changed = [line[3:] for line in state[1:-1]]
revision = state[0] + (" with uncommitted changes to " + ", ".join(changed) if changed else "")
command = "scripts/eval_ranking.sh" + ("" if names == ["med", "cacm", "npl"] else " " + " ".join(names))
versions = ""
first_log = os.path.join(work, names[0], "baselines.log")
for line in open(first_log):
    if line.startswith("versions "):
        versions = line.split(None, 1)[1].strip()

print(f"""## Judged collections

`{command}` ({seconds} s on {os.cpu_count()} cores; policy-search at {revision}; {versions}).

Collections: MED (medical abstracts), CACM (titles and abstracts of Communications of
the ACM) and NPL (physics abstracts), read in place from `../shared/testdata/ir/`
(SOURCES.tsv there: {provenance}). Each document's id is its number in the collection,
so the runs' docids are the judgments'. How each file was read, and its oddities, are
under each table.

Judgments: every judged document counts as relevant (binary). MED.REL, CACM's qrels.text
and NPL's rlv-ass list only relevant documents; graded or non-relevant judgments do not
occur. Queries with no judgment are not scored.

Queries: each query's text (MED.QRY, CACM query.text `.W`, NPL query-text) becomes its
words, lower-cased runs of letters and digits (repeats kept, no stopwords removed, so
no query syntax can be triggered), joined with ` OR `; every engine gets the same words:

- **policy-search**: the JSONL indexed by `policy-index` (defaults), the queries run
  by `policy-search batch --format trec --top 100` (defaults, synonyms on). A query it
  refuses is scored as an empty run and counted under "failed".
- **Xapian defaults**: `TermGenerator` with `Stem("english")` (STEM_SOME) over the title
  and then the text, `QueryParser` with the same stemmer and default op OR,
  `BM25Weight()` (k1=1, b=0.5); **Xapian BM25 k1=1.2 b=0.75**: the same with
  `BM25Weight(1.2, 0, 1, 0.75, 0.5)` (scripts/eval_ranking.cc).
- **FTS5**: SQLite FTS5 table (title, text), `tokenize='porter unicode61'`, the quoted
  words joined with OR, `ORDER BY bm25(docs)`, top 100.

Scores: scripts/trec_eval.py, as `trec_eval -c -M 100` (runs ordered by score, ties by
docid descending; a failed query scores 0): MAP@100 (average precision over the top 100,
divided by the query's relevant documents), P@10, nDCG@10 (binary gains, log2(rank+1)
discount), R@100 (recall in the top 100); means over the scored queries. To compare
engines query by query: `EVAL_RUNS=DIR scripts/eval_ranking.sh`, then
`scripts/trec_eval.py -q DIR/med/qrels DIR/med/*.trec`.
""")

engines = [
    ("policy-search", "ps/run.trec", None),
    ("Xapian defaults", "base/xapian-defaults.trec", "xapian-defaults"),
    ("Xapian BM25 k1=1.2 b=0.75", "base/xapian-bm25.trec", "xapian-bm25"),
    ("FTS5", "base/fts5.trec", "fts5"),
]
for name in names:
    d = os.path.join(work, name)
    info = json.load(open(os.path.join(d, "collection.json")))
    results = json.load(open(os.path.join(d, "eval.json")))
    failed = {}
    errors = {}
    for row in csv.DictReader(open(os.path.join(d, "ps", "summary.csv"), newline="")):
        if row["error"]:
            failed["policy-search"] = failed.get("policy-search", 0) + 1
            errors[row["error"]] = errors.get(row["error"], 0) + 1
    for line in open(os.path.join(d, "baselines.log")):
        fields = line.split()
        if len(fields) >= 5 and fields[1] == "queries":
            failed[fields[0]] = int(fields[4])
    print(f"### {labels[name]}\n")
    print(f"{info['documents']:,} documents, {info['queries']} queries, {info['judged_queries']} with judgments "
          f"({info['judgments']:,} relevant documents); words per query: median {info['query_words_median']}, "
          f"most {info['query_words_max']}. Measured in {open(os.path.join(d, 'seconds')).read().strip()} s.\n")
    print("| engine | MAP@100 | P@10 | nDCG@10 | R@100 | queries scored | queries failed |")
    print("|---|---|---|---|---|---|---|")
    for label, run, key in engines:
        m = results[os.path.join(d, run)]["all"]
        print(f"| {label} | {m['map']:.4f} | {m['P_10']:.4f} | {m['ndcg_cut_10']:.4f} | {m['recall_100']:.4f} "
              f"| {m['num_q']} | {failed.get(key or label, 0)} |")
    print()
    if errors:
        print("policy-search refused: " + "; ".join(f"{n} x \"{e}\"" for e, n in sorted(errors.items())) + ".\n")
    print("Conversion: " + "; ".join(info["notes"]) + ".\n")
PY
cat "$work/report.md"
if [ "${BENCH_NO_WRITE:-0}" != 1 ]; then
  python3 - RELEVANCE.md "$work/report.md" <<'PY'
import os, re, sys
path, report = sys.argv[1:]
section = open(report).read().rstrip() + "\n"
if os.path.exists(path):
    text = open(path).read()
else:
    text = ("# Relevance\n\nHow well policy-search puts the relevant documents first, measured on test "
            "collections with relevance judgments against plain Xapian and SQLite FTS5 (issue 26).\n")
pattern = re.compile(r"^## Judged collections\n.*?(?=^## |\Z)", re.S | re.M)
if pattern.search(text):
    text = pattern.sub(lambda m: section + "\n", text, count=1).rstrip() + "\n"
else:
    text = text.rstrip() + "\n\n" + section
open(path, "w").write(text)
PY
  echo "eval_ranking: wrote RELEVANCE.md" >&2
fi
