// The md report: report.md.
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

using MarkdownReportTest = WrittenReports;

TEST_F(MarkdownReportTest, MarkdownHasRunInformationSummaryAndSections) {
  const std::string md = slurp(out() / "report.md");
  for (const char* expected :
       {"/data/policy index", "build-42", "policy-analyzer/1 stem=english", "f00dfeed", "queries.tsv",
        "2024-05-02T10:00:00Z", "## Summary", "| Query | Text | Filters | Documents | Occurrences | Error | Warnings |",
        "| no-years | ozone \\| smog | area:air | 2 | 5 |  |", "3 queries, 1 failed, 1 with warnings.",
        "#### Top documents", "**green envoys**", "Climate \\| energy",
        "| 7 | 19 |  | org:Lincoln matches no organisation in the index; closest: \\<Linc\\> & Co |",
        "> **Warning:** org:Lincoln matches no organisation in the index; closest: \\<Linc\\> & Co"}) {
    SCOPED_TRACE(expected);
    EXPECT_NE(md.find(expected), std::string::npos);
  }
  // The summary table: header, separator and one row per query.
  const std::vector<std::string> lines = lines_of(md);
  const auto header =
      std::find(lines.begin(), lines.end(), "| Query | Text | Filters | Documents | Occurrences | Error | Warnings |");
  ASSERT_NE(header, lines.end());
  std::size_t rows = 0;
  for (auto it = header + 2; it != lines.end() && it->starts_with("| "); ++it) ++rows;
  EXPECT_EQ(rows, 3u);
  // A cell never holds a raw line break: the error's two lines are one.
  EXPECT_NE(md.find("unclosed quote hint: add a closing"), std::string::npos);
}

}  // namespace
}  // namespace policy
