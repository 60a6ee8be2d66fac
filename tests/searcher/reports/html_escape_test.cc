#include "searcher/reports/html_escape.h"

#include <string>

#include <gtest/gtest.h>

namespace policy {
namespace {

TEST(HtmlEscapeTest, EscapesMarkupAndQuotes) {
  const struct {
    std::string in, out;
  } cases[] = {
      {"", ""},
      {"plain ü", "plain ü"},
      {"<b>&</b>", "&lt;b&gt;&amp;&lt;/b&gt;"},
      {"\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"},
      {"&amp;", "&amp;amp;"},
      {"bell\x07", "bell "},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(html_escape(c.in), c.out);
  }
}

}  // namespace
}  // namespace policy
