// The API's request parsing without a server: each table row is the query
// parameters (or body) of a request and what it parses to, or the error it
// is refused with.

#include "searcher/serve/api_requests.h"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

namespace policy {
namespace {

using Params = std::vector<std::pair<std::string, std::string>>;

httplib::Request request_with(const Params& params) {
  httplib::Request req;
  for (const auto& [name, value] : params) req.params.emplace(name, value);
  return req;
}

std::string join(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& v : values) out += (out.empty() ? "" : ",") + v;
  return "[" + out + "]";
}

// One line per parsed request, to compare with a table's expectation.
std::string describe(const SearchRequest& r) {
  return "q=" + r.query + " filters=" + join(r.filters) + " offset=" + std::to_string(r.offset) +
         " limit=" + std::to_string(r.limit) + " facets=" + std::to_string(r.facets) +
         " facet_limit=" + std::to_string(r.facet_limit) + " snippets=" + std::to_string(r.snippets) +
         (r.hits ? "" : " no-hits") +
         (r.order == ResultOrder::kRelevance ? "" : " sort=" + std::string(result_order_name(r.order))) +
         (r.collapse ? "" : " no-collapse") + (r.ranking.weightless_stopwords ? "" : " weigh-stopwords") +
         (r.similar_to.empty() ? "" : " similar=" + r.similar_to);
}
std::string describe(const KwicQuery& k) {
  EXPECT_TRUE(k.count.kwic);
  EXPECT_EQ(k.count.top_k, 0u);
  return "q=" + k.count.query + " filters=" + join(k.count.filters) + " width=" + std::to_string(k.count.kwic_width) +
         " offset=" + std::to_string(k.offset) + " limit=" + std::to_string(k.limit) +
         " sort=" + std::to_string(int(k.order));
}
std::string describe(const BatchRequest& b) {
  return "queries=" + std::to_string(b.queries.size()) + " top=" + std::to_string(b.options.top_k) +
         (b.options.ranking.weightless_stopwords ? "" : " weigh-stopwords");
}
std::string describe(const BatchQuery& q) {
  EXPECT_EQ(q.index, 2u);
  return "id=" + q.id + " query=" + q.query + " filters=" + join(q.filters) + " error=" + q.error;
}

// describe() of what `parse` returns, or "<error type>: <message>".
template <typename Parse>
std::string outcome(Parse parse) {
  try {
    return describe(parse());
  } catch (const ParameterError& e) {
    return std::string("ParameterError: ") + e.what();
  } catch (const RequestTooLarge& e) {
    return std::string("RequestTooLarge: ") + e.what();
  }
}

ServerOptions small_limits() {
  ServerOptions limits;
  limits.max_query_bytes = 10;
  limits.max_page_size = 50;
  limits.max_batch_queries = 2;
  return limits;
}

// A request's query parameters and the outcome of parsing them.
struct Case {
  Params params;
  std::string expected;
};

template <typename Request>
void expect_outcomes(const std::vector<Case>& cases, Request (*parse)(const httplib::Request&, const ServerOptions&)) {
  for (const Case& c : cases) {
    SCOPED_TRACE(c.expected);
    const httplib::Request req = request_with(c.params);
    EXPECT_EQ(outcome([&] { return parse(req, small_limits()); }), c.expected);
  }
}

TEST(ApiRequestsTest, SearchParameters) {
  const std::vector<Case> cases = {
      {{{"q", "water"}}, "q=water filters=[] offset=0 limit=10 facets=1 facet_limit=10 snippets=1"},
      {{{"filter", "year:2016"}}, "q= filters=[year:2016] offset=0 limit=10 facets=1 facet_limit=10 snippets=1"},
      {{{"q", "water"}, {"filter", "org:EPA"}, {"filter", ""}, {"filter", "year:2016"}},
       "q=water filters=[org:EPA,year:2016] offset=0 limit=10 facets=1 facet_limit=10 snippets=1"},
      {{{"q", "water"}, {"offset", "1000000"}, {"limit", "50"}, {"facet_limit", "1000"}},
       "q=water filters=[] offset=1000000 limit=50 facets=1 facet_limit=1000 snippets=1"},
      {{{"q", "water"}, {"facets", "0"}, {"snippets", "false"}},
       "q=water filters=[] offset=0 limit=10 facets=0 facet_limit=10 snippets=0"},
      {{{"q", "water"}, {"facets", "no"}, {"snippets", "yes"}},
       "q=water filters=[] offset=0 limit=10 facets=0 facet_limit=10 snippets=1"},
      {{}, "ParameterError: give q, a filter, or both (or similar=ID)"},
      {{{"q", ""}, {"filter", ""}}, "ParameterError: give q, a filter, or both (or similar=ID)"},
      {{{"q", "water"}, {"collapse", "0"}},
       "q=water filters=[] offset=0 limit=10 facets=1 facet_limit=10 snippets=1 no-collapse"},
      {{{"similar", "a.pdf"}}, "q= filters=[] offset=0 limit=10 facets=1 facet_limit=10 snippets=1 similar=a.pdf"},
      {{{"q", "water"}, {"collapse", "x"}}, "ParameterError: parameter 'collapse' must be 1 or 0, not 'x'"},
      {{{"q", "the water"}, {"weigh_stopwords", "1"}},
       "q=the water filters=[] offset=0 limit=10 facets=1 facet_limit=10 snippets=1 weigh-stopwords"},
      {{{"q", "water"}, {"weigh_stopwords", "x"}},
       "ParameterError: parameter 'weigh_stopwords' must be 1 or 0, not 'x'"},
      {{{"q", "01234567890"}}, "RequestTooLarge: query is 11 bytes; the limit is 10"},
      {{{"q", "water"}, {"limit", "0"}},
       "q=water filters=[] offset=0 limit=0 facets=1 facet_limit=10 snippets=1 no-hits"},
      {{{"q", "water"}, {"sort", "-year"}},
       "q=water filters=[] offset=0 limit=10 facets=1 facet_limit=10 snippets=1 sort=newest"},
      {{{"q", "water"}, {"sort", "title"}, {"limit", "0"}},
       "q=water filters=[] offset=0 limit=0 facets=1 facet_limit=10 snippets=1 no-hits sort=title"},
      {{{"q", "water"}, {"sort", "score"}},
       "ParameterError: parameter 'sort' must be relevance, newest, oldest or title"},
      {{{"q", "water"}, {"limit", "51"}},
       "ParameterError: parameter 'limit' must be an integer from 0 to 50, not '51'"},
      {{{"q", "water"}, {"limit", "5x"}},
       "ParameterError: parameter 'limit' must be an integer from 0 to 50, not '5x'"},
      {{{"q", "water"}, {"limit", ""}}, "ParameterError: parameter 'limit' must be an integer from 0 to 50, not ''"},
      {{{"q", "water"}, {"offset", "-1"}},
       "ParameterError: parameter 'offset' must be an integer from 0 to 1000000, not '-1'"},
      {{{"q", "water"}, {"facet_limit", "0"}},
       "ParameterError: parameter 'facet_limit' must be an integer from 1 to 1000, not '0'"},
      {{{"q", "water"}, {"facets", "maybe"}}, "ParameterError: parameter 'facets' must be 1 or 0, not 'maybe'"},
      {{{"q", "water"}, {"snippets", "2"}}, "ParameterError: parameter 'snippets' must be 1 or 0, not '2'"},
  };
  expect_outcomes(cases, parse_search_request);
}

TEST(ApiRequestsTest, KwicParameters) {
  const std::vector<Case> cases = {
      {{{"q", "water"}}, "q=water filters=[] width=40 offset=0 limit=500 sort=0"},
      {{{"q", "water"}, {"filter", "year:2016"}, {"width", "5"}, {"offset", "100000000"}, {"limit", "1"}},
       "q=water filters=[year:2016] width=5 offset=100000000 limit=1 sort=0"},
      {{{"q", "water"}, {"sort", "left"}}, "q=water filters=[] width=40 offset=0 limit=500 sort=1"},
      {{{"q", "water"}, {"sort", "year"}}, "q=water filters=[] width=40 offset=0 limit=500 sort=3"},
      {{{"filter", "year:2016"}}, "ParameterError: give q: the words or phrase to show in context"},
      {{{"q", "01234567890"}}, "RequestTooLarge: query is 11 bytes; the limit is 10"},
      {{{"q", "water"}, {"sort", "size"}}, "ParameterError: parameter 'sort' must be doc, left, right or year"},
      {{{"q", "water"}, {"width", "201"}},
       "ParameterError: parameter 'width' must be an integer from 5 to 200, not '201'"},
      {{{"q", "water"}, {"offset", "100000001"}},
       "ParameterError: parameter 'offset' must be an integer from 0 to 100000000, not '100000001'"},
  };
  expect_outcomes(cases, parse_kwic_query);
}

TEST(ApiRequestsTest, DocumentQuery) {
  const httplib::Request req = request_with({{"q", "water"}});
  const DocumentQuery query = parse_document_query("a.txt", req, small_limits());
  EXPECT_EQ(query.id, "a.txt");
  EXPECT_EQ(query.query, "water");
  EXPECT_EQ(parse_document_query("a.txt", request_with({}), small_limits()).query, "");
  EXPECT_THROW(parse_document_query("a.txt", request_with({{"q", "01234567890"}}), small_limits()), RequestTooLarge);
}

// A JSON text (a batch body or one of its queries) and the outcome of
// parsing it.
struct JsonCase {
  std::string json;
  std::string expected;
};

TEST(ApiRequestsTest, BatchBodies) {
  const std::string shape = "ParameterError: the body must be {\"queries\": [{\"id\", \"query\", \"filters\"}, ...]}";
  const std::vector<JsonCase> cases = {
      {R"({"queries": []})", "queries=0 top=0"},
      {R"({"queries": [{"query": "a"}, 5], "top": 100})", "queries=2 top=100"},
      {R"({"queries": [1, 2, 3]})",
       "RequestTooLarge: 3 queries; the limit is 2 per request (use policy-search batch for more)"},
      {R"({"queries": [], "top": 101})", "ParameterError: 'top' must be a whole number from 0 to 100"},
      {R"({"queries": [], "top": -1})", "ParameterError: 'top' must be a whole number from 0 to 100"},
      {R"({"queries": [], "top": 2.5})", "ParameterError: 'top' must be a whole number from 0 to 100"},
      {R"({"queries": [], "top": "5"})", "ParameterError: 'top' must be a whole number from 0 to 100"},
      {R"({"queries": [], "weigh_stopwords": true})", "queries=0 top=0 weigh-stopwords"},
      {R"({"queries": [], "weigh_stopwords": 1})", "ParameterError: 'weigh_stopwords' must be true or false"},
      {R"({"queries": {}})", shape},
      {R"([])", shape},
      {R"({})", shape},
  };
  for (const JsonCase& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_EQ(outcome([&] { return parse_batch_request(c.json, small_limits()); }), c.expected);
  }
  EXPECT_THROW(parse_batch_request("{not json", small_limits()), nlohmann::json::exception);
}

// Each query is number 2 of its batch: "q3" when it has no id.
TEST(ApiRequestsTest, BatchQueries) {
  const std::vector<JsonCase> cases = {
      {R"({"id": "a", "query": "water"})", "id=a query=water filters=[] error="},
      {R"({"query": "water", "filters": ["year:2016", 3, "org:EPA"]})",
       "id=q3 query=water filters=[year:2016,org:EPA] error="},
      {R"({"id": 7, "query": "water", "filters": "year:2016"})", "id=q3 query=water filters=[] error="},
      {R"({"id": "z"})", "id=z query= filters=[] error=expected an object with a string \"query\""},
      {R"({"query": 1})", "id=q3 query= filters=[] error=expected an object with a string \"query\""},
      {R"(5)", "id=q3 query= filters=[] error=expected an object with a string \"query\""},
      {R"({"query": "01234567890"})", "RequestTooLarge: query is 11 bytes; the limit is 10"},
  };
  for (const JsonCase& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_EQ(outcome([&] { return batch_query_from_json(nlohmann::json::parse(c.json), 2, 10); }), c.expected);
  }
}

}  // namespace
}  // namespace policy
