// Batch report writers: one per output format, each streaming results as
// they come (begin, add per query in input order, finish), so memory stays
// flat and output is the same whatever the number of jobs.
//
// Formats and files written into the output directory:
//   csv    summary.csv  one row per query: query_id, query, filters, error,
//                       documents, occurrences
//          counts.csv   long format: query_id, facet, value, key, documents,
//                       occurrences
//          top.csv      query_id, rank, doc_id, title, score, year, snippet
//          (UTF-8, RFC 4180 quoting, CRLF line ends, header row)
//   jsonl  results.jsonl  one object per query: the policy-search --json
//                         fields (query, total, results with snippets) plus
//                         id, error, occurrences and counts
//   md     report.md      readable report: run information, a summary table,
//                         per query its counts tables and top documents
//   html   report.html    one self-contained file (no network, no
//                         JavaScript needed): run information, summary
//                         table, per query a trend chart of matching
//                         documents per year and bar charts of organisations
//                         and areas as inline SVG
//   trec   run.trec       TREC run: qid Q0 docid rank score tag
//   kwic   kwic.csv       concordance: query_id, doc_id, year, organisations,
//                         left, match, right
//   csv, jsonl, trec and kwic also write run.json: the index (path, document
//   count, build id, analyzer, schema and fingerprint), program version,
//   queries file, start time and totals, so the run can be reproduced; md
//   and html show the same at their top.
//
// Each format is its own unit (csv_report.cc, jsonl_report.cc, ...); this
// header is the interface they share and the factory that picks one.
//
// Not thread-safe: used from the thread that receives results in order.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "searcher/batch.h"
#include "searcher/reports/html_escape.h"  // html_escape, part of this header's API

namespace policy {

class ReportWriter {
 public:
  virtual ~ReportWriter() = default;
  virtual void begin(const RunInfo& run) = 0;
  virtual void add(const BatchResult& result) = 0;
  virtual void finish(const RunSummary& summary) = 0;
};

// The known format names, in the order above.
const std::vector<std::string>& report_formats();

// A writer for `format` writing into `out_dir` (created if missing). Throws
// RequestError for an unknown format (and creates nothing), and FileError
// naming the directory or file when it cannot be created or written.
std::unique_ptr<ReportWriter> make_report_writer(const std::string& format, const std::filesystem::path& out_dir);

}  // namespace policy
