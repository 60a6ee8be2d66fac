// The JSON API's requests: query parameters and POST bodies, parsed and
// checked against the server's limits, into the searcher's request types.
// Parsing reads only the HTTP request, so a malformed one is refused before
// the worker's Searcher is opened or refreshed. Query syntax is not checked
// here: the Searcher does that, throwing QuerySyntaxError.
//
// Errors are RequestErrors, each answered with its own status by HttpServer:
//   ParameterError   400, kind "parameter"
//   RequestTooLarge  413, kind "too_large"
// A body that is not JSON throws nlohmann::json::exception (400, kind
// "parameter", "malformed JSON body: ...").
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "core/errors.h"

#include "searcher/batch.h"
#include "searcher/kwic.h"
#include "searcher/query_source.h"
#include "searcher/searcher.h"
#include "searcher/serve/http_server.h"

namespace httplib {
struct Request;
}

namespace policy {

// A parameter or body that is missing, malformed or out of its range.
class ParameterError : public RequestError {
 public:
  using RequestError::RequestError;
};

// A request over one of the server's limits (query bytes, batch queries).
class RequestTooLarge : public RequestError {
 public:
  using RequestError::RequestError;
};

// Throws RequestTooLarge when `query` has more than `max_bytes` bytes.
void check_query_length(const std::string& query, std::size_t max_bytes);

// GET /api/search?q=&filter=&offset=&limit=&facets=&facet_limit=&snippets=&mode=
// Needs q, a filter, or both.
SearchRequest parse_search_request(const httplib::Request& req, const ServerOptions& limits);

// GET /api/documents/ID?q=&mode=
struct DocumentQuery {
  std::string id;
  std::string query;     // "" for no highlighted matches
  bool synonyms = true;  // as SearchRequest::synonyms
  QueryMode mode = QueryMode::kSyntax;
};
DocumentQuery parse_document_query(std::string id, const httplib::Request& req, const ServerOptions& limits);

// GET /api/kwic?q=&filter=&width=&sort=&limit=&offset=&mode=
struct KwicQuery {
  CountRequest count;  // every occurrence (kwic), no top documents
  KwicOrder order = KwicOrder::kDocument;
  std::size_t offset = 0;  // the page of lines to answer
  std::size_t limit = 0;
};
KwicQuery parse_kwic_query(const httplib::Request& req, const ServerOptions& limits);

// POST /api/batch {"queries": [{"id", "query", "filters"}, ...], "top": K}
// The body's shape, the number of queries and top; the queries themselves
// are read one at a time by batch_query_from_json.
struct BatchRequest {
  nlohmann::json queries;  // an array
  BatchOptions options;
  RequestBudget budget;  // for all of its queries together
};
BatchRequest parse_batch_request(const std::string& body, const ServerOptions& limits);

// The batch's query number `index` (0-based). An item that is not an object
// with a string "query" becomes a BatchQuery with its error set, answered as
// a failed query while the batch goes on; a query over `max_query_bytes`
// throws RequestTooLarge. Filters that are not strings are skipped.
BatchQuery batch_query_from_json(const nlohmann::json& item, std::size_t index, std::size_t max_query_bytes);

}  // namespace policy
