// The API's response bodies without a server: KWIC paging, error bodies and
// a batch query's result (the whole answers are checked against their JSON
// Schemas through a real server in http_server_test.cc).

#include "searcher/serve/api_json.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace policy {
namespace {

TEST(ApiJsonTest, KwicPages) {
  MatchCounts counts;
  counts.documents = 2;
  for (const char* id : {"a", "b", "c", "d", "e"}) {
    KwicLine line;
    line.doc_id = id;
    line.match = "water";
    counts.kwic.push_back(line);
  }
  struct Case {
    std::size_t offset, limit;
    std::string lines;  // doc ids of the page
    std::size_t more;
  };
  const std::vector<Case> cases = {
      {0, 500, "abcde", 0}, {0, 2, "ab", 3}, {2, 2, "cd", 1}, {3, 2, "de", 0},
      {4, 2, "e", 0},       {5, 1, "", 0},   {9, 1, "", 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("offset " + std::to_string(c.offset) + " limit " + std::to_string(c.limit));
    const nlohmann::json page = kwic_page_to_json("water", counts, c.offset, c.limit);
    std::string lines;
    for (const nlohmann::json& line : page["lines"]) lines += line["doc_id"].get<std::string>();
    EXPECT_EQ(lines, c.lines);
    EXPECT_EQ(page["more"], c.more);
    EXPECT_EQ(page["offset"], c.offset);
    EXPECT_EQ(page["occurrences"], 5);
    EXPECT_EQ(page["documents"], 2);
    EXPECT_EQ(page["query"], "water");
  }
}

TEST(ApiJsonTest, ErrorBodies) {
  EXPECT_EQ(api_error_to_json("parameter", "bad").dump(), R"({"error":{"kind":"parameter","message":"bad"}})");
  EXPECT_EQ(api_error_to_json("query", "unterminated phrase", {{"position", 6}, {"hint", "close it"}}).dump(),
            R"({"error":{"hint":"close it","kind":"query","message":"unterminated phrase","position":6}})");
}

TEST(ApiJsonTest, FailedBatchQuery) {
  BatchResult result;
  result.query.id = "q2";
  result.query.query = "(x";
  result.error = "unclosed '('";
  EXPECT_EQ(batch_result_to_json(result).dump(),
            R"({"counts":{},"did_you_mean":null,"documents":0,"error":"unclosed '('","filters":[],"id":"q2",)"
            R"("occurrences":0,"query":"(x","top":[],"trend":{"decades":[],"field":"","years":[]},"warnings":[]})");
}

TEST(ApiJsonTest, WarningsOfBatchAndKwic) {
  const QueryWarning warning{warning_code::kUnknownFilterValue,
                             "org:Lincoln matches no organisation in the index",
                             "organisation",
                             "Lincoln",
                             {"Lincoln University"}};
  const nlohmann::json expected =
      R"([{"code":"unknown_filter_value","field":"organisation","message":"org:Lincoln matches no organisation in the index",)"
      R"("suggestions":["Lincoln University"],"value":"Lincoln"}])"_json;
  BatchResult result;
  result.warnings = {warning};
  EXPECT_EQ(batch_result_to_json(result)["warnings"], expected);
  MatchCounts counts;
  counts.warnings = {warning};
  EXPECT_EQ(kwic_page_to_json("water", counts, 0, 10)["warnings"], expected);
}

}  // namespace
}  // namespace policy
