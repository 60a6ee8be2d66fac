#!/usr/bin/env python3
"""Pins scripts/trec_eval.py to numbers worked out by hand.

    python3 tests/scripts/trec_eval_test.py scripts/trec_eval.py

A tiny qrels and run exercise what trec_eval does and a careless evaluator
does not: ties ordered by docno descending as strings ("9" before "10"), the
rank column and the line order ignored, average precision divided by every
relevant document (also those not retrieved), the cut at 100 documents made
after sorting, a query missing from the run scored 0 and averaged in, a query
with no relevant document and a query absent from the qrels left out, and a
docno twice in one query refused. Exits 1 on the first difference.
"""

import json
import math
import os
import subprocess
import sys
import tempfile

# qid iter docno rel. Query 1: 3, 10, 20 relevant, 9 judged not relevant.
# Query 2: 5 and 6 relevant. Query 3: 7 relevant, not in the run. Query 4:
# only a non-relevant judgment, so not averaged.
QRELS = """\
1 0 3 1
1 0 10 1
1 0 9 0
1 0 20 1
2 0 5 1
2 0 6 1
3 0 7 1
4 0 8 0
"""


def run_lines():
    # Query 1, shuffled, with ranks as the engine gave them (10 before 9);
    # trec_eval's order is 3 (2.5), 9 and 10 tied at 2.0 with "9" > "10",
    # 4, 20: relevant at ranks 1, 3 and 5.
    lines = [
        "1 Q0 20 5 0.5 t",
        "1 Q0 10 2 2.0 t",
        "1 Q0 3 1 2.5 t",
        "1 Q0 9 3 2 t",
        "1 Q0 4 4 1.0 t",
    ]
    # Query 2: ten non-relevant documents, 6 (relevant) at rank 11, 89 more
    # non-relevant ones, then 5 (relevant) at rank 101, beyond the cut. The
    # lines are written best last, and the rank column counts backwards.
    docs = [f"10{i:02d}" for i in range(10)] + ["6"] + [f"20{i:02d}" for i in range(89)] + ["5"]
    for position, docno in reversed(list(enumerate(docs, 1))):
        lines.append(f"2 Q0 {docno} {102 - position} {201 - position} t")
    # Query 5 is in no qrels: ignored.
    lines.append("5 Q0 3 1 9.0 t")
    return "\n".join(lines) + "\n"


log2 = math.log2

# Worked out by hand from the comments above.
EXPECTED_QUERIES = {
    "1": {
        "map": (1 / 1 + 2 / 3 + 3 / 5) / 3,
        "P_10": 3 / 10,
        "ndcg_cut_10": (1 / log2(2) + 1 / log2(4) + 1 / log2(6)) / (1 / log2(2) + 1 / log2(3) + 1 / log2(4)),
        "recall_100": 3 / 3,
    },
    "2": {"map": (1 / 11) / 2, "P_10": 0.0, "ndcg_cut_10": 0.0, "recall_100": 1 / 2},
    "3": {"map": 0.0, "P_10": 0.0, "ndcg_cut_10": 0.0, "recall_100": 0.0},
}
# The same averages, rounded as printed: map (0.755556 + 0.045455 + 0) / 3,
# P_10 0.3 / 3, ndcg_cut_10 0.885460 / 3, recall_100 1.5 / 3.
EXPECTED_PRINTED = """\
num_q\tall\t3
map\tall\t0.2670
P_10\tall\t0.1000
ndcg_cut_10\tall\t0.2952
recall_100\tall\t0.5000
"""

failures = []


def check(what, got, expected):
    if isinstance(expected, float):
        ok = isinstance(got, float) and abs(got - expected) < 1e-12
    else:
        ok = got == expected
    if not ok:
        failures.append(f"{what}: got {got!r}, expected {expected!r}")


def main():
    evaluator = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        qrels = os.path.join(tmp, "qrels")
        run = os.path.join(tmp, "run")
        with open(qrels, "w") as f:
            f.write(QRELS)
        with open(run, "w") as f:
            f.write(run_lines())

        def evaluate(*args):
            return subprocess.run(
                [sys.executable, evaluator, *args], capture_output=True, text=True, check=False
            )

        printed = evaluate(qrels, run)
        check("exit code", printed.returncode, 0)
        check("printed averages", printed.stdout, EXPECTED_PRINTED)

        as_json = evaluate("--json", qrels, run)
        result = json.loads(as_json.stdout)[run]
        check("queries averaged", sorted(result["queries"]), ["1", "2", "3"])
        check("num_q", result["all"]["num_q"], 3)
        for qid, measures in EXPECTED_QUERIES.items():
            for measure, value in measures.items():
                check(f"query {qid} {measure}", result["queries"].get(qid, {}).get(measure), value)
        for measure in ("map", "P_10", "ndcg_cut_10", "recall_100"):
            mean = sum(q[measure] for q in EXPECTED_QUERIES.values()) / 3
            check(f"mean {measure}", result["all"][measure], mean)

        duplicate = os.path.join(tmp, "duplicate")
        with open(duplicate, "w") as f:
            f.write("1 Q0 3 1 2.0 t\n1 Q0 3 2 1.0 t\n")
        refused = evaluate(qrels, duplicate)
        check("duplicate docno exit code", refused.returncode, 2)
        check("duplicate docno message", "duplicate docs" in refused.stderr, True)

    if failures:
        print("trec_eval_test: FAILED", *failures, sep="\n  ", file=sys.stderr)
        return 1
    print("trec_eval_test: all measures as worked out by hand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
