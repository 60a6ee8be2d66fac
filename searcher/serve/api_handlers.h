// The JSON API's endpoints, one function each: the request parsed by
// api_requests.h and the worker's Searcher in, the response body out.
// Errors are thrown (QuerySyntaxError, RequestTooLarge, ...) for HttpServer
// to answer with their status.
//
// Not thread-safe: like the Searcher they use, call them from one thread.
#pragma once

#include <cstddef>
#include <optional>

#include <nlohmann/json.hpp>

#include "searcher/searcher.h"
#include "searcher/serve/api_requests.h"

namespace policy {

// GET /api/health
nlohmann::json answer_health(Searcher& searcher);

// GET /api/index
nlohmann::json answer_index(Searcher& searcher);

// GET /api/search: the policy-search --json object.
nlohmann::json answer_search(Searcher& searcher, const SearchRequest& request);

// GET /api/documents/ID; nullopt when the index has no document ID.
std::optional<nlohmann::json> answer_document(Searcher& searcher, const DocumentQuery& query);

// GET /api/kwic: one page of concordance lines, in the order asked for.
nlohmann::json answer_kwic(Searcher& searcher, const KwicQuery& query);

// POST /api/batch: the queries run one after another, in order, within
// batch.budget; a query that fails is answered with its error
// while the others go on. Throws RequestStoppedError once the budget is
// stopped, and TimeLimitError, naming the query, once it expires.
nlohmann::json answer_batch(Searcher& searcher, const BatchRequest& batch, std::size_t max_query_bytes);

}  // namespace policy
