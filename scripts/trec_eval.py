#!/usr/bin/env python3
"""A trec_eval-compatible evaluator of TREC runs (python3 standard library).

    scripts/trec_eval.py [-q] [-M N] [--json] QRELS RUN [RUN...]

Computes, for each RUN, the measures of `trec_eval -c -M 100 -m map -m P.10
-m ndcg_cut.10 -m recall.100` (trec_eval 9.0.8, usnistgov/trec_eval):

  num_q        queries averaged over: every query of QRELS with at least one
               relevant document, whether the run has it or not (-c); a
               query the run lacks (a failed query) scores 0 on every
               measure. Run lines of queries not in QRELS are ignored.
               (trec_eval also counts, as 0, a query of QRELS whose
               judgments are all non-relevant; this leaves it out.)
  map          average precision over the top M documents: the sum of the
               precision at the rank of each relevant document retrieved,
               divided by the number of relevant documents of the query
               (retrieved or not).
  P_10         relevant documents among the first 10, divided by 10 (also
               when fewer than 10 were retrieved).
  ndcg_cut_10  DCG of the first 10 (gain = the qrels relevance value, rank r
               discounted by log2(r + 1)) over the DCG of the ideal order of
               the query's judged documents, cut at 10.
  recall_100   relevant documents among the first 100 (and M), divided by
               the number of relevant documents.

QRELS lines are "qid iter docno rel"; a document is relevant when rel >= 1.
RUN lines are "qid Q0 docno rank score tag". As trec_eval does, each query's
lines are sorted by score descending, ties by docno descending (byte order,
strcmp: "9" before "10"), and only then cut at M (default 100); the rank
column and the order of the lines are ignored. A docno twice in one query of
a run, or in QRELS, is an error (exit 2), as in trec_eval.

Prints, per run, trec_eval's layout ("measure<TAB>qid<TAB>value", qid "all"
for the averages; -q adds each query); --json prints
{RUN: {"all": {measure: value}, "queries": {qid: {...}}}} instead.
"""

import argparse
import json
import math
import sys

MEASURES = ("map", "P_10", "ndcg_cut_10", "recall_100")


class FormatError(Exception):
    pass


def records(path, layout):
    """(line number, fields) of each non-blank line, which must have as many
    whitespace-separated fields as `layout` names."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            fields = line.split()
            if not fields:
                continue
            if len(fields) != len(layout.split()):
                raise FormatError(f"{path}:{number}: expected '{layout}'")
            yield number, fields


def read_qrels(path):
    """{qid: {docno: rel}}."""
    qrels = {}
    for number, (qid, _, docno, rel) in records(path, "qid iter docno rel"):
        judged = qrels.setdefault(qid, {})
        if docno in judged:
            raise FormatError(f"{path}:{number}: duplicate docs {docno} for query {qid}")
        judged[docno] = int(rel)
    return qrels


def read_run(path):
    """{qid: [(score, docno)]} in file order."""
    run = {}
    for _, (qid, _, docno, _, score, _) in records(path, "qid Q0 docno rank score tag"):
        run.setdefault(qid, []).append((float(score), docno))
    return run


def ranked(results, depth, path, qid):
    """The docnos in trec_eval's order, cut at depth."""
    docnos = [docno for _, docno in results]
    if len(set(docnos)) != len(docnos):
        raise FormatError(f"{path}: duplicate docs in query {qid}")
    # Score descending, then docno descending in byte order (strcmp).
    order = sorted(results, key=lambda r: (r[0], r[1].encode("utf-8")), reverse=True)
    return [docno for _, docno in order[:depth]]


def dcg(gains):
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, 1) if gain > 0)


def evaluate_query(judged, docnos):
    relevant = {docno for docno, rel in judged.items() if rel >= 1}
    hits = 0
    precision_sum = 0.0
    for rank, docno in enumerate(docnos, 1):
        if docno in relevant:
            hits += 1
            precision_sum += hits / rank
    ideal = sorted((rel for rel in judged.values() if rel > 0), reverse=True)[:10]
    gains = [max(judged.get(docno, 0), 0) for docno in docnos[:10]]
    return {
        "map": precision_sum / len(relevant),
        "P_10": sum(1 for docno in docnos[:10] if docno in relevant) / 10,
        "ndcg_cut_10": dcg(gains) / dcg(ideal),
        "recall_100": sum(1 for docno in docnos[:100] if docno in relevant) / len(relevant),
    }


def evaluate(qrels, run, depth=100, path="run"):
    """{"all": {measure: mean, "num_q": n}, "queries": {qid: {measure: value}}}."""
    queries = {}
    for qid, judged in qrels.items():
        if not any(rel >= 1 for rel in judged.values()):
            continue
        queries[qid] = evaluate_query(judged, ranked(run.get(qid, []), depth, path, qid))
    averages = {m: (sum(q[m] for q in queries.values()) / len(queries) if queries else 0.0) for m in MEASURES}
    averages["num_q"] = len(queries)
    return {"all": averages, "queries": queries}


def query_order(qid):
    return (0, int(qid), qid) if qid.isdigit() else (1, 0, qid)


def main(argv):
    parser = argparse.ArgumentParser(description="trec_eval-compatible MAP, P@10, nDCG@10, recall@100")
    parser.add_argument("-q", action="store_true", help="also print each query's measures")
    parser.add_argument("-M", type=int, default=100, help="documents per query evaluated (default 100)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("qrels")
    parser.add_argument("runs", nargs="+")
    args = parser.parse_args(argv)
    try:
        qrels = read_qrels(args.qrels)
        results = {path: evaluate(qrels, read_run(path), args.M, path) for path in args.runs}
    except (OSError, ValueError, FormatError) as e:
        print(f"trec_eval.py: {e}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(results, sys.stdout, indent=1, sort_keys=True)
        print()
        return 0
    for path, result in results.items():
        if len(results) > 1:
            print(f"runid\tall\t{path}")
        if args.q:
            for qid in sorted(result["queries"], key=query_order):
                for m in MEASURES:
                    print(f"{m}\t{qid}\t{result['queries'][qid][m]:.4f}")
        print(f"num_q\tall\t{result['all']['num_q']}")
        for m in MEASURES:
            print(f"{m}\tall\t{result['all'][m]:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
