// The csv report: summary.csv, counts.csv, trends.csv and top.csv.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

using CsvReportTest = WrittenReports;

TEST_F(CsvReportTest, SummaryCsvHasOneRowPerQuery) {
  const Rows rows = parse_csv_strictly(slurp(out() / "summary.csv"));
  Rows expected = {{"query_id", "query", "filters", "error", "documents", "occurrences", "warnings"}};
  for (const BatchResult& r : sample_results()) {
    const bool failed = !r.error.empty();
    expected.push_back({r.query.id, r.query.query, join(r.query.filters, " "), r.error,
                        failed ? "0" : std::to_string(r.documents), failed ? "0" : std::to_string(r.occurrences),
                        r.warnings.empty() ? "" : r.warnings[0].message});
  }
  EXPECT_EQ(rows, expected);
  // The row of a query whose filter names nothing says so.
  EXPECT_EQ(rows[3][6], "org:Lincoln matches no organisation in the index; closest: <Linc> & Co");
  EXPECT_EQ(rows[3][2], "org:MEP year:2012..2016");
}

TEST_F(CsvReportTest, CountsCsvEqualsTheInputCounts) {
  const Rows rows = parse_csv_strictly(slurp(out() / "counts.csv"));
  Rows expected = {{"query_id", "facet", "value", "key", "documents", "occurrences"}};
  for (const BatchResult& r : sample_results()) {
    for (const FieldCounts& f : r.counts) {
      for (const ValueCount& v : f.values) {
        expected.push_back(
            {r.query.id, f.field, v.value, v.key, std::to_string(v.documents), std::to_string(v.occurrences)});
      }
    }
  }
  EXPECT_EQ(rows, expected);
}

TEST_F(CsvReportTest, TrendsCsvEqualsTheInputTrends) {
  const Rows rows = parse_csv_strictly(slurp(out() / "trends.csv"));
  ASSERT_EQ(rows.size(), 6u);  // the header and 2012..2016 of the full query
  EXPECT_EQ(rows[0], (std::vector<std::string>{"query_id", "bin", "period", "first_year", "last_year",
                                               "index_documents", "documents", "share", "index_words", "occurrences",
                                               "occurrences_per_10k_words"}));
  const Rows expected = {
      {"q, \"full\"", "year", "2012", "2012", "2012", "4", "2", "0.500000", "4000", "6", "15.000000"},
      {"q, \"full\"", "year", "2013", "2013", "2013", "2", "0", "0.000000", "1500", "0", "0.000000"},
      {"q, \"full\"", "year", "2014", "2014", "2014", "1", "0", "0.000000", "800", "0", "0.000000"},
      {"q, \"full\"", "year", "2015", "2015", "2015", "3", "2", "0.666667", "2500", "5", "20.000000"},
      {"q, \"full\"", "year", "2016", "2016", "2016", "5", "3", "0.600000", "6000", "8", "13.333333"},
  };
  EXPECT_EQ(Rows(rows.begin() + 1, rows.end()), expected);
}

TEST_F(CsvReportTest, TopCsvHasEveryHit) {
  const Rows rows = parse_csv_strictly(slurp(out() / "top.csv"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0],
            (std::vector<std::string>{"query_id", "rank", "doc_id", "title", "score", "year", "page", "snippet"}));
  const struct {
    std::size_t row;
    std::string query_id, rank, doc_id, title, year, page;
  } cases[] = {
      {1, "no-years", "1", "a.txt", "Ozone", "", ""},
      {2, "q, \"full\"", "1", "docs/annual report 2016.txt", "Green envoys, \"the\" report\nsecond line", "2016", ""},
      {3, "q, \"full\"", "2", "b.txt", "B & <c>", "2012", "7"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.row);
    ASSERT_EQ(rows[c.row].size(), 8u);
    EXPECT_EQ(rows[c.row][0], c.query_id);
    EXPECT_EQ(rows[c.row][1], c.rank);
    EXPECT_EQ(rows[c.row][2], c.doc_id);
    EXPECT_EQ(rows[c.row][3], c.title);
    EXPECT_EQ(std::stod(rows[c.row][4]),
              sample_results()[c.query_id == "no-years" ? 1 : 2].top[c.rank == "1" ? 0 : 1].score);
    EXPECT_EQ(rows[c.row][5], c.year);
    EXPECT_EQ(rows[c.row][6], c.page);
  }
  EXPECT_EQ(rows[3][7], "a green, envoy-like <tag>");
  EXPECT_NE(rows[2][7].find("naïvely, in Zürich"), std::string::npos);
  EXPECT_NE(rows[2][7].find("Green envoys again"), std::string::npos);
}

}  // namespace
}  // namespace policy
