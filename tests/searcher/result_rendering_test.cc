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

}  // namespace
}  // namespace policy
