#include "searcher/serve/api_requests.h"

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <httplib.h>

namespace policy {
namespace {

// Parameter `name` as an integer from `low` to `high`; `fallback` when the
// request has no such parameter.
std::size_t size_param(const httplib::Request& req, const char* name, std::size_t fallback, std::size_t low,
                       std::size_t high) {
  if (!req.has_param(name)) return fallback;
  const std::string text = req.get_param_value(name);
  std::size_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high) {
    throw ParameterError(std::string("parameter '") + name + "' must be an integer from " + std::to_string(low) +
                         " to " + std::to_string(high) + ", not '" + text + "'");
  }
  return value;
}

// 1, true or yes; 0, false or no; `fallback` when absent.
bool flag_param(const httplib::Request& req, const char* name, bool fallback) {
  if (!req.has_param(name)) return fallback;
  const std::string v = req.get_param_value(name);
  if (v == "1" || v == "true" || v == "yes") return true;
  if (v == "0" || v == "false" || v == "no") return false;
  throw ParameterError(std::string("parameter '") + name + "' must be 1 or 0, not '" + v + "'");
}

// "syntax" (query syntax) or "any" (any-words, any_words.h); nullopt for
// anything else.
std::optional<QueryMode> query_mode(const std::string& value) {
  if (value == "syntax") return QueryMode::kSyntax;
  if (value == "any") return QueryMode::kAnyWords;
  return std::nullopt;
}

// The mode= parameter; query syntax when absent.
QueryMode mode_param(const httplib::Request& req) {
  if (!req.has_param("mode")) return QueryMode::kSyntax;
  const std::string value = req.get_param_value("mode");
  if (const std::optional<QueryMode> mode = query_mode(value)) return *mode;
  throw ParameterError("parameter 'mode' must be syntax or any, not '" + value + "'");
}

// Every non-empty filter= parameter, in order.
std::vector<std::string> filters_of(const httplib::Request& req) {
  std::vector<std::string> filters;
  for (std::size_t i = 0; i < req.get_param_value_count("filter"); ++i) {
    const std::string f = req.get_param_value("filter", i);
    if (!f.empty()) filters.push_back(f);
  }
  return filters;
}

}  // namespace

void check_query_length(const std::string& query, std::size_t max_bytes) {
  if (query.size() > max_bytes) {
    throw RequestTooLarge("query is " + std::to_string(query.size()) + " bytes; the limit is " +
                          std::to_string(max_bytes));
  }
}

SearchRequest parse_search_request(const httplib::Request& req, const ServerOptions& limits) {
  SearchRequest request;
  request.query = req.get_param_value("q");
  check_query_length(request.query, limits.max_query_bytes);
  request.filters = filters_of(req);
  request.similar_to = req.get_param_value("similar");
  if (request.query.empty() && request.filters.empty() && request.similar_to.empty()) {
    throw ParameterError("give q, a filter, or both (or similar=ID)");
  }
  request.offset = size_param(req, "offset", 0, 0, 1'000'000);
  request.limit = size_param(req, "limit", 10, 0, limits.max_page_size);
  request.hits = request.limit > 0;  // limit=0: the total and facets only
  if (req.has_param("sort")) {
    const std::optional<ResultOrder> order = parse_result_order(req.get_param_value("sort"));
    if (!order) throw ParameterError("parameter 'sort' must be relevance, newest, oldest or title");
    request.order = *order;
  }
  request.facets = flag_param(req, "facets", true);
  request.facet_limit = size_param(req, "facet_limit", 10, 1, 1000);
  request.snippets = flag_param(req, "snippets", true);
  request.synonyms = flag_param(req, "synonyms", true);
  request.ranking.weightless_stopwords = !flag_param(req, "weigh_stopwords", false);
  request.collapse = flag_param(req, "collapse", true);  // collapse=0: every near-duplicate
  request.mode = mode_param(req);
  return request;
}

DocumentQuery parse_document_query(std::string id, const httplib::Request& req, const ServerOptions& limits) {
  DocumentQuery query{std::move(id), req.get_param_value("q"), flag_param(req, "synonyms", true)};
  check_query_length(query.query, limits.max_query_bytes);
  query.mode = mode_param(req);
  return query;
}

KwicQuery parse_kwic_query(const httplib::Request& req, const ServerOptions& limits) {
  KwicQuery kwic;
  CountRequest& request = kwic.count;
  request.query = req.get_param_value("q");
  check_query_length(request.query, limits.max_query_bytes);
  request.filters = filters_of(req);
  if (request.query.empty()) throw ParameterError("give q: the words or phrase to show in context");
  request.top_k = 0;
  request.kwic = true;
  request.kwic_width = size_param(req, "width", 40, 5, 200);
  request.synonyms = flag_param(req, "synonyms", true);
  request.mode = mode_param(req);
  kwic.limit = size_param(req, "limit", 500, 1, limits.max_page_size);
  kwic.offset = size_param(req, "offset", 0, 0, 100'000'000);
  if (req.has_param("sort")) {
    const std::optional<KwicOrder> order = parse_kwic_order(req.get_param_value("sort"));
    if (!order) throw ParameterError("parameter 'sort' must be doc, left, right or year");
    kwic.order = *order;
  }
  return kwic;
}

BatchRequest parse_batch_request(const std::string& body, const ServerOptions& limits) {
  BatchRequest batch;
  nlohmann::json json = nlohmann::json::parse(body);
  if (!json.is_object() || !json.contains("queries") || !json["queries"].is_array()) {
    throw ParameterError("the body must be {\"queries\": [{\"id\", \"query\", \"filters\"}, ...]}");
  }
  batch.queries = std::move(json["queries"]);
  if (batch.queries.size() > limits.max_batch_queries) {
    throw RequestTooLarge(std::to_string(batch.queries.size()) + " queries; the limit is " +
                          std::to_string(limits.max_batch_queries) + " per request (use policy-search batch for more)");
  }
  batch.options.top_k = 0;  // no documents unless asked
  if (const auto top = json.find("top"); top != json.end()) {
    // A negative number would wrap to a huge count in a size_t.
    if (!top->is_number_unsigned() || top->get<std::uint64_t>() > 100) {
      throw ParameterError("'top' must be a whole number from 0 to 100");
    }
    batch.options.top_k = top->get<std::size_t>();
  }
  if (const auto synonyms = json.find("synonyms"); synonyms != json.end()) {
    if (!synonyms->is_boolean()) throw ParameterError("'synonyms' must be true or false");
    batch.options.synonyms = synonyms->get<bool>();
  }
  if (const auto weigh = json.find("weigh_stopwords"); weigh != json.end()) {
    if (!weigh->is_boolean()) throw ParameterError("'weigh_stopwords' must be true or false");
    batch.options.ranking.weightless_stopwords = !weigh->get<bool>();
  }
  if (const auto mode = json.find("mode"); mode != json.end()) {
    const std::optional<QueryMode> read = mode->is_string() ? query_mode(mode->get<std::string>()) : std::nullopt;
    if (!read) throw ParameterError("'mode' must be \"syntax\" or \"any\"");
    batch.options.mode = *read;
  }
  return batch;
}

BatchQuery batch_query_from_json(const nlohmann::json& item, std::size_t index, std::size_t max_query_bytes) {
  BatchQuery query;
  query.index = index;
  query.id =
      item.contains("id") && item["id"].is_string() ? item["id"].get<std::string>() : "q" + std::to_string(index + 1);
  if (!item.is_object() || !item.contains("query") || !item["query"].is_string()) {
    query.error = "expected an object with a string \"query\"";
    return query;
  }
  query.query = item["query"].get<std::string>();
  check_query_length(query.query, max_query_bytes);
  if (auto f = item.find("filters"); f != item.end() && f->is_array()) {
    for (const auto& v : *f) {
      if (v.is_string()) query.filters.push_back(v.get<std::string>());
    }
  }
  return query;
}

}  // namespace policy
