#!/usr/bin/env bash
# Batch throughput and memory.
#
#   scripts/bench_batch.sh [DOCS]     (default 100000)
#
# 1. Builds (or reuses) the synthetic index of scripts/bench.sh for DOCS
#    documents, writes 1,000 queries (words and two-word phrases drawn from
#    the corpus vocabulary with a fixed seed, a tenth of them with a year
#    filter) and runs `policy-search batch --format csv` on them with 1 job
#    and with all cores; prints queries per second and peak RSS for each.
# 2. Runs a 100,000-query batch on the corpus/ index and prints its peak RSS,
#    to show that memory stays flat whatever the number of queries.
# Work files go to ${BENCH_DIR:-/tmp/policy-bench}; the build to ${BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
docs="${1:-100000}"
build="${BUILD_DIR:-build}"
bench="${BENCH_DIR:-/tmp/policy-bench}"
scripts/build.sh >/dev/null
if [ ! -f "$bench/$docs/idx/iamglass" ]; then  # the index of scripts/bench.sh DOCS
  mkdir -p "$bench/$docs"
  [ -d "$bench/$docs/corpus" ] ||
    /usr/bin/python3 scripts/gen_synthetic_corpus.py --docs "$docs" --out "$bench/$docs/corpus" >/dev/null
  "$build/policy-index" --quiet --index "$bench/$docs/idx" "$bench/$docs/corpus" >/dev/null
fi
work="$bench/batch-$docs"
rm -rf "$work"
mkdir -p "$work"

/usr/bin/python3 - "$bench/$docs/corpus" "$work/queries.txt" <<'PY'
import json, pathlib, random, re, sys
random.seed(7)
words = {}
for part in sorted(pathlib.Path(sys.argv[1]).glob("*.jsonl"))[:2]:
    for line in open(part, encoding="utf-8"):
        for w in re.findall(r"[a-z]{4,}", json.loads(line)["text"].lower()):
            words[w] = words.get(w, 0) + 1
common = [w for w, n in sorted(words.items(), key=lambda kv: -kv[1])[:3000]]
with open(sys.argv[2], "w") as out:
    for i in range(1000):
        if i % 3 == 0:
            q = '"%s %s"' % (random.choice(common), random.choice(common))
        else:
            q = random.choice(common)
        if i % 10 == 0:
            q += " year:%d..%d" % (2000 + i % 15, 2010 + i % 15)
        out.write(q + "\n")
PY

run() {  # jobs
  /usr/bin/time -f '%e %M' -o "$work/time-$1" "$build/policy-search" batch --quiet --index "$bench/$docs/idx" \
    --jobs "$1" --format csv --out "$work/out-$1" "$work/queries.txt" 2>"$work/log-$1" || true
  read -r seconds rss_kb <"$work/time-$1"
  awk -v j="$1" -v s="$seconds" -v r="$rss_kb" 'BEGIN { printf "| %s | 1000 | %.1f | %.1f | %.0f |\n", j, s, 1000 / s, r / 1024 }'
}
echo "| jobs | queries | seconds | queries/s | peak RSS MB |"
echo "|---|---|---|---|---|"
run 1
run "$(nproc)"
cmp -s "$work/out-1/counts.csv" "$work/out-$(nproc)/counts.csv" && echo "(counts.csv identical for 1 and $(nproc) jobs)"

# Memory with many queries: 100,000 queries on the small corpus/ index.
"$build/policy-index" --quiet --index "$work/corpus-idx" corpus/ >/dev/null
/usr/bin/python3 -c '
import itertools, sys
words = ["climate", "water", "\"capacity building\"", "ASEAN", "biodiversity", "policy", "energy", "China"]
sys.stdout.writelines(w + "\n" for w in itertools.islice(itertools.cycle(words), 100000))' >"$work/many.txt"
for n in 1000 100000; do
  head -n "$n" "$work/many.txt" >"$work/many-$n.txt"
  /usr/bin/time -f '%e %M' -o "$work/time-many-$n" "$build/policy-search" batch --quiet --index "$work/corpus-idx" \
    --format csv,jsonl --out "$work/many-out-$n" "$work/many-$n.txt" 2>/dev/null || true
  read -r seconds rss_kb <"$work/time-many-$n"
  echo "corpus/ index, $n queries: $seconds s, peak RSS $((rss_kb / 1024)) MB"
done
