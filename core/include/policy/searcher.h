// The searcher: query text -> syntax tree -> bound Xapian query -> ranked
// matches (BM25) -> snippets. Reads an index written by IndexWriter and
// refuses one built with a different analyzer or schema.
//
// Not thread-safe: one Searcher per thread (each holds its own
// Xapian::Database, Analyzer and SnippetBuilder).
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "policy/analyzer.h"
#include "policy/facets.h"
#include "policy/field_extractor.h"
#include "policy/index_writer.h"
#include "policy/schema.h"
#include "policy/query_binder.h"
#include "policy/query_syntax.h"
#include "policy/snippet_builder.h"

namespace policy {

struct SearchRequest {
  std::string query;        // may be empty when filters are given: every document
  std::size_t offset = 0;
  std::size_t limit = 10;   // 0: every match
  bool snippets = true;
  // Extra filters in query syntax ("org:MEP", "year:2010..2015"); they join
  // the query's own top-level filters.
  std::vector<std::string> filters;
  bool facets = false;      // count the schema's counted fields
  std::size_t facet_limit = 10;
  // false (--fast): stop counting once the page is filled; the total and the
  // facet counts are then estimates, flagged exact = false.
  bool exact = true;
};

struct SearchHit {
  std::size_t rank = 0;     // 1-based, over the whole result list
  double score = 0;
  std::string id;
  std::string title;
  std::string source;
  nlohmann::json metadata;
  nlohmann::json fields;    // field name -> display values
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
  // Counted fields in schema order. A field with an active filter is counted
  // without its own filter (multi-select), so each value shows how many
  // documents it would add.
  std::vector<FacetResult> facets;
  std::map<std::string, std::vector<std::string>> active_filters;  // field -> values as typed
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
  const Schema& schema() const { return *schema_; }
  const Xapian::Database& database() const { return db_; }

 private:
  std::vector<MatchSpan> find_matches(Xapian::docid did, const std::vector<HighlightUnit>& units);

  std::string path_;
  SearcherOptions options_;
  Xapian::Database db_;
  std::unique_ptr<Analyzer> analyzer_;
  std::unique_ptr<Schema> schema_;
  std::unique_ptr<FieldExtractor> extractor_;
  SnippetBuilder snippets_;
};

}  // namespace policy
