// The jsonl report: results.jsonl.
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "searcher/trends.h"

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

using JsonlReportTest = WrittenReports;

TEST_F(JsonlReportTest, JsonlHasOneObjectPerQuery) {
  const std::vector<std::string> lines = lines_of(slurp(out() / "results.jsonl"));
  const std::vector<BatchResult> results = sample_results();
  ASSERT_EQ(lines.size(), results.size());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(results[i].query.id);
    const nlohmann::json j = nlohmann::json::parse(lines[i]);
    ASSERT_TRUE(j.is_object());
    for (const char* key :
         {"id", "error", "total", "occurrences", "counts", "query", "results", "facets", "filters", "index"}) {
      EXPECT_TRUE(j.contains(key)) << key;
    }
    EXPECT_EQ(j["id"], results[i].query.id);
    EXPECT_EQ(j["query"], results[i].query.query);
    EXPECT_EQ(j["error"], results[i].error);
    EXPECT_EQ(j["total"], results[i].error.empty() ? results[i].documents : 0);
    EXPECT_EQ(j["occurrences"], results[i].error.empty() ? results[i].occurrences : 0);
    EXPECT_EQ(j["results"].size(), results[i].error.empty() ? results[i].top.size() : 0);
    EXPECT_EQ(j["index"]["build_id"], "build-42");
    EXPECT_EQ(j["trend"], trend_to_json(results[i].trend));
    for (const FieldCounts& f : results[i].counts) {
      ASSERT_TRUE(j["counts"].contains(f.field)) << f.field;
      ASSERT_EQ(j["counts"][f.field].size(), f.values.size());
      for (std::size_t v = 0; v < f.values.size(); ++v) {
        EXPECT_EQ(j["counts"][f.field][v]["value"], f.values[v].value);
        EXPECT_EQ(j["counts"][f.field][v]["documents"], f.values[v].documents);
        EXPECT_EQ(j["counts"][f.field][v]["occurrences"], f.values[v].occurrences);
      }
    }
  }
  const nlohmann::json full = nlohmann::json::parse(lines[2]);
  EXPECT_EQ(full["results"][0]["snippets"][0]["highlights"][0][0], results[2].top[0].snippets[0].highlights[0].begin);
  EXPECT_EQ(full["query_filters"], (nlohmann::json{"org:MEP", "year:2012..2016"}));
  // A filter value that names nothing: the line's "warnings", as in --json.
  ASSERT_EQ(full["warnings"].size(), 1u);
  EXPECT_EQ(full["warnings"][0]["code"], "unknown_filter_value");
  EXPECT_EQ(full["warnings"][0]["field"], "organisation");
  EXPECT_EQ(full["warnings"][0]["value"], "Lincoln");
  EXPECT_EQ(full["warnings"][0]["suggestions"], (nlohmann::json{"<Linc> & Co"}));
  EXPECT_EQ(nlohmann::json::parse(lines[1])["warnings"], nlohmann::json::array());
}

}  // namespace
}  // namespace policy
