// run.json, written by the csv, jsonl, trec and kwic reports.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

using RunJsonTest = WrittenReports;

TEST_F(RunJsonTest, RunJsonRecordsIndexProgramAndSummary) {
  const nlohmann::json run = nlohmann::json::parse(slurp(out() / "run.json"));
  EXPECT_EQ(run["index"]["path"], "/data/policy index");
  EXPECT_EQ(run["index"]["documents"], 1234);
  EXPECT_EQ(run["index"]["build_id"], "build-42");
  EXPECT_EQ(run["index"]["analyzer"], "policy-analyzer/1 stem=english");
  EXPECT_EQ(run["index"]["schema"], "policy-schema/1");
  EXPECT_EQ(run["index"]["schema_fingerprint"], "f00dfeed");
  EXPECT_EQ(run["program_version"], "0.1.0");
  EXPECT_EQ(run["queries_file"], "queries.tsv");
  EXPECT_EQ(run["started_at"], "2024-05-02T10:00:00Z");
  EXPECT_EQ(run["summary"]["queries"], 3);
  EXPECT_EQ(run["summary"]["failed"], 1);
}

}  // namespace
}  // namespace policy
