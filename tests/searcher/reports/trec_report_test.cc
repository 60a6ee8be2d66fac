// The trec report: run.trec.
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

using TrecReportTest = WrittenReports;

TEST_F(TrecReportTest, TrecRunHasSixFieldsPerHitAndSkipsFailedQueries) {
  const std::vector<std::string> lines = lines_of(slurp(out() / "run.trec"));
  ASSERT_EQ(lines.size(), 3u);
  const std::vector<std::vector<std::string>> expected = {
      {"no-years", "Q0", "a.txt", "1", "policy-search"},
      {"q,_\"full\"", "Q0", "docs/annual_report_2016.txt", "1", "policy-search"},
      {"q,_\"full\"", "Q0", "b.txt", "2", "policy-search"},
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(lines[i]);
    std::istringstream in(lines[i]);
    std::vector<std::string> fields;
    for (std::string f; in >> f;) fields.push_back(f);
    ASSERT_EQ(fields.size(), 6u);
    EXPECT_EQ((std::vector<std::string>{fields[0], fields[1], fields[2], fields[3], fields[5]}), expected[i]);
    EXPECT_NO_THROW((void)std::stod(fields[4]));
  }
}

}  // namespace
}  // namespace policy
