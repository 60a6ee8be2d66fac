// Tests of the rendering of results for a terminal (result_rendering.h).

#include "searcher/result_rendering.h"

#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "searcher/searcher.h"

namespace policy {
namespace {

TEST(RenderTerminalTest, ControlCharactersInTitlesAndSnippetsAreNeutralised) {
  SearchResults results;
  results.total = 1;
  SearchHit hit;
  hit.rank = 1;
  hit.id = "x\x1b[2J";
  hit.title = "Evil \x1b[31mtitle";
  hit.snippets.push_back(Snippet{"bell \x07 water", {{7, 12}}, 0, 0});
  results.hits.push_back(hit);
  std::ostringstream out;
  render_terminal(results, out, TerminalStyle{false});
  EXPECT_EQ(out.str().find('\x1b'), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find('\x07'), std::string::npos);
  EXPECT_NE(out.str().find("bell   **water**"), std::string::npos) << out.str();
}

// Issue 22: text facets listed years by count, and an empty field as
// "document_type  -". Years are listed in their own order (the values
// shown are still the most frequent), an empty field as "(none)".
TEST(RenderTerminalTest, FacetsListYearsInOrderAndEmptyFieldsAsNone) {
  SearchResults results;
  results.total = 9;
  FacetResult years;
  years.field = "year";
  years.exact = true;
  years.values = {{"2016", "2016", 5}, {"1861", "1861", 3}, {"2001", "2001", 1}};
  years.histogram = {{"1861", "1861", 3}, {"1999", "1999", 1}, {"2001", "2001", 1}, {"2016", "2016", 5}};
  years.more = 1;
  FacetResult organisations;
  organisations.field = "organisation";
  organisations.exact = true;
  organisations.values = {{"MEP", "mep", 4}, {"ASEAN", "asean", 7}};
  FacetResult empty;
  empty.field = "document_type";
  empty.exact = true;
  results.facets = {organisations, years, empty};
  std::ostringstream out;
  render_terminal(results, out, TerminalStyle{false});
  const std::string text = out.str();
  EXPECT_NE(text.find("  year           1861 (3), 2001 (1), 2016 (5), +1 more\n"), std::string::npos) << text;
  // Other fields keep the order they were given in (by count).
  EXPECT_NE(text.find("  organisation   MEP (4), ASEAN (7)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  document_type  (none)\n"), std::string::npos) << text;
}

TEST(RenderWarningsTest, JsonAndTextOfAWarning) {
  const QueryWarning warning{warning_code::kUnknownFilterValue,
                             "org:Lincoln matches no organisation in the index; closest: Lincoln University",
                             "organisation",
                             "Lincoln",
                             {"Lincoln University"}};
  EXPECT_EQ(format_warning(warning),
            "warning: org:Lincoln matches no organisation in the index; closest: Lincoln University\n");
  EXPECT_EQ(warnings_to_json({warning}).dump(),
            R"([{"code":"unknown_filter_value","field":"organisation",)"
            R"("message":"org:Lincoln matches no organisation in the index; closest: Lincoln University",)"
            R"("suggestions":["Lincoln University"],"value":"Lincoln"}])");
  EXPECT_EQ(warnings_to_json({}).dump(), "[]");
}

}  // namespace
}  // namespace policy
