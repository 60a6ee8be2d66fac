// The kwic report: kwic.csv.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

using KwicReportTest = WrittenReports;

TEST_F(KwicReportTest, KwicCsvHasEveryLine) {
  const Rows rows = parse_csv_strictly(slurp(out() / "kwic.csv"));
  Rows expected = {{"query_id", "doc_id", "page", "year", "organisations", "left", "match", "right"}};
  for (const BatchResult& r : sample_results()) {
    for (const KwicLine& k : r.kwic) {
      expected.push_back({r.query.id, k.doc_id, k.page ? std::to_string(k.page) : "", k.year,
                          join(k.organisations, "; "), k.left, k.match, k.right});
    }
  }
  ASSERT_EQ(expected.size(), 3u);
  EXPECT_EQ(expected[2][2], "7") << "the sample's second line stands on page 7";
  EXPECT_EQ(rows, expected);
}

}  // namespace
}  // namespace policy
