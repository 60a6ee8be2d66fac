#!/usr/bin/env bash
# Shards against one index, on this machine's loopback, in one run.
#
#   scripts/bench_shards.sh [DOCS]     (default 10000)
#
# 1. Generates (or reuses) the synthetic corpus of scripts/bench.sh for DOCS
#    documents and indexes it as one database and as 2 and 4 shards
#    (policy-index --shards N).
# 2. Serves the shards with xapian-tcpsrv on loopback (scripts/shard-servers.sh).
# 3. Times the queries of scripts/bench_queries.tsv in-process (policy-bench:
#    one warm-up and 5 timed rounds each; plain, with 10 snippets, with exact
#    facets and snippets) on: the index, the shards' stub (local), and the
#    stub of the served shards (remote).
# 4. The first search of a new process (policy-search, with facets), which
#    reads the per-revision tables; throughput: `policy-search batch --jobs 2`
#    (exact counts per query) on the same 300 generated queries per layout.
# 5. What a connection costs: policy-search health's time to open each
#    database and read its document count, local and remote.
# 6. Replaces the section "## Shards" of BENCHMARKS.md (BENCH_NO_WRITE=1:
#    prints only).
# Work files go to ${BENCH_DIR:-/tmp/policy-bench}/shards-DOCS; the build to ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-10000}"
build="${BUILD_DIR:-build}"
bench="${BENCH_DIR:-/tmp/policy-bench}"
work="$bench/shards-$docs"
scripts/build.sh >/dev/null
corpus="$bench/$docs/corpus"
if [ ! -d "$corpus" ]; then
  mkdir -p "$bench/$docs"
  /usr/bin/python3 scripts/gen_synthetic_corpus.py --docs "$docs" --out "$corpus" >/dev/null
fi
rm -rf "$work"
mkdir -p "$work"
cleanup() { for n in 2 4; do scripts/shard-servers.sh stop "$work/shards$n" 2>/dev/null || true; done; }
trap cleanup EXIT

"$build/policy-index" --quiet --index "$work/one" "$corpus" >/dev/null
for n in 2 4; do
  "$build/policy-index" --quiet --shards "$n" --index "$work/shards$n" "$corpus" >/dev/null
  scripts/shard-servers.sh start "$work/shards$n" "$work/remote$n" --first-port $((34000 + 10 * n)) >/dev/null
done

/usr/bin/python3 - "$corpus" "$work/queries.txt" <<'PY'
import json, pathlib, random, re, sys
random.seed(11)
words = {}
for part in sorted(pathlib.Path(sys.argv[1]).glob("*.jsonl"))[:2]:
    for line in open(part, encoding="utf-8"):
        for w in re.findall(r"[a-z]{4,}", json.loads(line)["text"].lower()):
            words[w] = words.get(w, 0) + 1
common = [w for w, n in sorted(words.items(), key=lambda kv: -kv[1])[:2000]]
with open(sys.argv[2], "w") as out:
    for i in range(300):
        a, b = random.sample(common, 2)
        out.write((f'"{a} {b}"' if i % 3 == 0 else a) + "\n")
PY

layouts=(one shards2 shards4 remote2 remote4)
for layout in "${layouts[@]}"; do
  # A new process: opening, the per-revision tables (facet values, groups), one search.
  start=$(date +%s.%N)
  "$build/policy-search" --index "$work/$layout" --facets --limit 10 climate >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$start $end" >"$work/$layout.first-time"
  "$build/policy-bench" "$work/$layout" scripts/bench_queries.tsv 5 >"$work/$layout.latency"
  start=$(date +%s.%N)
  "$build/policy-search" batch --index "$work/$layout" --jobs 2 --format csv --out "$work/$layout.batch" \
    "$work/queries.txt" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$start $end" >"$work/$layout.batch-time"
  "$build/policy-search" health --index "$work/$layout" --json >"$work/$layout.health" || true
done

/usr/bin/python3 - "$work" "$docs" "${layouts[@]}" >"$work/section.md" <<'PY'
import json, platform, sys
work, docs, layouts = sys.argv[1], sys.argv[2], sys.argv[3:]
names = {"one": "one index", "shards2": "2 shards, local stub", "shards4": "4 shards, local stub",
         "remote2": "2 shards, xapian-tcpsrv", "remote4": "4 shards, xapian-tcpsrv"}
lat = {}
for l in layouts:
    for line in open(f"{work}/{l}.latency").read().splitlines()[1:]:
        cls, mode, n, med, p99 = line.split()
        lat[(l, cls, mode)] = (float(med), float(p99))
print("## Shards\n")
print(f"Command: `scripts/bench_shards.sh {docs}`. Machine: 2 cores, loopback; the shards' servers share "
      "the cores with the searcher. Corpus: the synthetic corpus of scripts/bench.sh.\n")
print("### Query latency (ms, median; limit 10; policy-bench, 5 rounds of scripts/bench_queries.tsv)\n")
print("| class | mode | " + " | ".join(names[l] for l in layouts) + " |")
print("|---|---|" + "---|" * len(layouts))
for cls in ["term", "phrase", "boolean", "near", "filtered"]:
    for mode in ["plain", "facets+snippets"]:
        print(f"| {cls} | {mode} | " + " | ".join(f"{lat[(l, cls, mode)][0]:.2f}" for l in layouts) + " |")
print("\n### First search of a new process (opening, per-revision facet and group tables, one search with facets)\n")
print("| layout | seconds |")
print("|---|---|")
for l in layouts:
    s, e = map(float, open(f"{work}/{l}.first-time").read().split())
    print(f"| {names[l]} | {e - s:.2f} |")
print("\n### Throughput (policy-search batch --jobs 2, 300 queries, exact counts)\n")
print("| layout | seconds | queries/s |")
print("|---|---|---|")
for l in layouts:
    s, e = map(float, open(f"{work}/{l}.batch-time").read().split())
    print(f"| {names[l]} | {e - s:.2f} | {300 / (e - s):.1f} |")
print("\n### Opening a database and reading its document count (policy-search health, ms)\n")
print("| layout | databases | ms each |")
print("|---|---|---|")
for l in layouts:
    h = json.load(open(f"{work}/{l}.health"))
    ms = ", ".join(f"{s['milliseconds']:.1f}" for s in h["shards"])
    print(f"| {names[l]} | {len(h['shards'])} | {ms} |")
PY
cat "$work/section.md"
if [ "${BENCH_NO_WRITE:-0}" != 1 ]; then
  /usr/bin/python3 - BENCHMARKS.md "$work/section.md" <<'PY'
import re, sys
path, section = sys.argv[1], open(sys.argv[2]).read()
text = open(path).read()
start = text.find("## Shards\n")
if start < 0:
    text = text.rstrip("\n") + "\n\n" + section
else:
    nxt = re.search(r"^## ", text[start + 3:], re.M)
    end = start + 3 + nxt.start() if nxt else len(text)
    text = text[:start] + section + ("\n" if nxt else "") + text[end:]
open(path, "w").write(text)
PY
fi
