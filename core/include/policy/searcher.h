// The searcher: query text -> syntax tree -> bound Xapian query -> ranked
// matches (BM25) -> snippets. Reads an index written by IndexWriter and
// refuses one built with a different analyzer or schema.
//
// Not thread-safe: one Searcher per thread (each holds its own
// Xapian::Database, Analyzer and SnippetBuilder).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "policy/analyzer.h"
#include "policy/index_writer.h"
#include "policy/query_binder.h"
#include "policy/query_syntax.h"
#include "policy/snippet_builder.h"

namespace policy {

struct SearchRequest {
  std::string query;
  std::size_t offset = 0;
  std::size_t limit = 10;   // 0: every match
  bool snippets = true;
};

struct SearchHit {
  std::size_t rank = 0;     // 1-based, over the whole result list
  double score = 0;
  std::string id;
  std::string title;
  std::string source;
  nlohmann::json metadata;
  std::vector<Snippet> snippets;
};

struct SearchResults {
  std::string query;
  std::string parsed;        // describe() of the syntax tree
  std::size_t total = 0;     // number of matching documents
  bool total_exact = true;   // always true here: every match is counted
  std::size_t offset = 0;
  std::size_t limit = 0;
  std::vector<SearchHit> hits;
  double elapsed_ms = 0;
};

struct IndexInfo {
  std::string path;
  Xapian::doccount documents = 0;
  std::string analyzer;
  std::string schema;
  std::string icu;
  std::string build_id;
  std::string indexed_at;
};

struct SearcherOptions {
  QueryLimits limits;
  BindOptions bind;
  SnippetOptions snippet;
};

class Searcher {
 public:
  // Throws IndexError when the index is missing, unreadable, or was built
  // with another analyzer or schema version.
  explicit Searcher(const std::string& index_path, SearcherOptions options = {});

  // Throws QueryError (a QuerySyntaxError) for a malformed query.
  SearchResults search(const SearchRequest& request);

  IndexInfo info() const;
  const Analyzer& analyzer() const { return *analyzer_; }
  const Xapian::Database& database() const { return db_; }

 private:
  std::vector<MatchSpan> find_matches(Xapian::docid did, const std::vector<HighlightUnit>& units);

  std::string path_;
  SearcherOptions options_;
  Xapian::Database db_;
  std::unique_ptr<Analyzer> analyzer_;
  SnippetBuilder snippets_;
};

}  // namespace policy
