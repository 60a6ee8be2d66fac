// The JSON API's response bodies, besides the search results themselves
// (results_to_json in searcher/result_rendering.h, shared with
// policy-search --json). Each shape is documented by its schema in schemas/:
// api-error, api-health, api-index, api-document, api-kwic, api-batch.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/field_schema.h"
#include "core/index_reader.h"

#include "searcher/batch.h"
#include "searcher/example_queries.h"
#include "searcher/searcher.h"

namespace policy {

// {"error": {"kind", "message", ...extra}}: every API error, whatever its
// status. `extra` holds the kind's own members (a query error's position
// and hint).
nlohmann::json api_error_to_json(const std::string& kind, const std::string& message,
                                 const nlohmann::json& extra = nlohmann::json::object());

// GET /api/health
// {"status": "ok" or "unavailable", "documents", "shards": [...]}; the
// documents are `index`'s when given, else those of the databases that
// answer.
nlohmann::json health_to_json(const std::optional<IndexInfo>& index, const std::vector<ShardHealth>& databases);

// GET /api/index: the index's record, the schema's fields and example
// queries made from the index (the web page's "Try" list).
nlohmann::json index_to_json(const IndexInfo& index, const Schema& schema, const std::vector<ExampleQuery>& examples);

// GET /api/documents/ID: the stored record, the cleaned text and the byte
// ranges of the query's matches in it.
nlohmann::json document_to_json(const DocumentView& view);

// GET /api/kwic: the lines from `offset`, at most `limit` of them, in the
// order of counts.kwic; "more" counts the lines after the page.
nlohmann::json kwic_page_to_json(const std::string& query, const MatchCounts& counts, std::size_t offset,
                                 std::size_t limit);

// POST /api/batch: one query's result, and the whole answer around them.
nlohmann::json batch_result_to_json(const BatchResult& result);
nlohmann::json batch_to_json(nlohmann::json results, const IndexInfo& index);

}  // namespace policy
