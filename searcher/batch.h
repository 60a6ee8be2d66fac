// Batch runs: many queries against one index, counted per year,
// organisation and area (documents and occurrences), with the top results,
// and a keyword-in-context concordance.
//
// Data flow: QuerySource (queries file) -> BatchRunner (N worker threads,
// each with its own Searcher) -> BatchResults handed out in input order ->
// ReportWriters (report_writer.h). Memory stays flat: at most a window of
// results is held at a time, whatever the number of queries.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/field_schema.h"

#include "searcher/query_source.h"
#include "searcher/query_warning.h"
#include "searcher/searcher.h"
#include "searcher/spelling.h"

namespace policy {

// ValueCount and FieldCounts are defined in searcher.h, where
// Searcher::count produces them; KwicLine in kwic.h.

struct BatchResult {
  BatchQuery query;
  std::string error;                // "" on success; else the message with position and hint
  std::uint64_t documents = 0;      // matching documents (exact)
  std::uint64_t occurrences = 0;    // matches of the query's words and phrases in the texts
  std::vector<FieldCounts> counts;  // every counted field of the schema, in schema order
  Trend trend;                      // per year against the index's baseline (trends.h)
  std::vector<SearchHit> top;       // the best top_k documents, with snippets
  std::vector<KwicLine> kwic;       // when asked for
  // Filter values that name nothing in the index: the query ran, but its
  // zero may mean a misspelt filter rather than nothing to count.
  std::vector<QueryWarning> warnings;
  std::optional<SpellingSuggestion> did_you_mean;  // as MatchCounts::did_you_mean
};

// What a report records so it can be reproduced.
struct RunInfo {
  IndexInfo index;
  std::string schema_fingerprint;
  std::string program_version;  // POLICY_SEARCH_VERSION
  std::string queries_file;
  std::string started_at;                   // UTC, ISO 8601; SOURCE_DATE_EPOCH when set
  std::vector<std::string> counted_fields;  // schema order
};

struct RunSummary {
  std::size_t queries = 0;
  std::size_t failed = 0;
  std::size_t warned = 0;  // queries that ran with warnings
};

struct BatchOptions {
  std::size_t jobs = 0;  // worker threads; 0: one per core
  std::size_t top_k = 10;
  bool kwic = false;
  std::size_t kwic_width = 60;
  bool synonyms = true;                 // as SearchRequest::synonyms
  RankingChoices ranking;               // as SearchRequest::ranking
  QueryMode mode = QueryMode::kSyntax;  // how every query's text is read
  double remote_timeout_seconds = 10;   // as SearcherOptions's
};

// Runs queries on `jobs` threads, each with its own Searcher on the index,
// and hands results to `sink` in input order on the calling thread. At most
// a window of results waits for its turn, so memory stays flat.
class BatchRunner {
 public:
  BatchRunner(std::string index_path, BatchOptions options);
  // `progress(done)` is called on the calling thread after each result.
  RunSummary run(QuerySource& source, const std::function<void(const BatchResult&)>& sink,
                 const std::function<void(std::size_t)>& progress = {});

 private:
  std::string index_path_;
  BatchOptions options_;
};

// Runs one query: the work of one BatchRunner job. A query's own failure
// is its result's error; `budget` (the server's request, shared by its
// queries) once spent throws RequestStoppedError or TimeLimitError.
BatchResult run_batch_query(Searcher& searcher, const BatchQuery& query, const BatchOptions& options,
                            const RequestBudget& budget = {});

}  // namespace policy
