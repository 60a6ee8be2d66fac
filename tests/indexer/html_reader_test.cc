// Web pages: title, date, language and main text from hand-made pages.

#include "indexer/html_reader.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace policy {
namespace {

struct MetadataCase {
  const char* name;
  std::string html;
  std::string title;
  std::string date;
  int year;
  std::string language;
};

TEST(HtmlReaderTest, TitleDateAndLanguageComeFromTheHead) {
  const std::vector<MetadataCase> cases = {
      {"title trimmed and collapsed", "<html><head><title>\n  Clean  Air\nPlan </title></head><body><p>x</p>",
       "Clean Air Plan", "", 0, ""},
      {"og:title wins over title",
       "<head><title>Site | Page</title><meta property=\"og:title\" content=\"Page\"></head><p>x</p>", "Page", "", 0,
       ""},
      {"article:published_time",
       "<head><meta property=\"article:published_time\" content=\"2016-10-21T09:00:00Z\"></head><p>x</p>", "",
       "2016-10-21T09:00:00Z", 2016, ""},
      {"DC.date in upper case", "<head><meta name=\"DC.date\" content=\"21 October 2015\"></head><p>x</p>", "",
       "21 October 2015", 2015, ""},
      {"dcterms.modified", "<head><meta name=\"dcterms.modified\" content=\"2019/03/01\"></head><p>x</p>", "",
       "2019/03/01", 2019, ""},
      {"citation_publication_date before date",
       "<head><meta name=\"date\" content=\"2001\"><meta name=\"citation_publication_date\" content=\"2012/5/3\">"
       "</head><p>x</p>",
       "", "2012/5/3", 2012, ""},
      {"a date without a year", "<head><meta name=\"date\" content=\"soon\"></head><p>x</p>", "", "soon", 0, ""},
      {"lang with region", "<html lang=\"en-GB\"><p>x</p></html>", "", "", 0, "en"},
      {"lang upper case", "<html lang=\"DE\"><p>x</p></html>", "", "", 0, "de"},
      {"xml:lang", "<html xml:lang=\"fr\"><p>x</p></html>", "", "", 0, "fr"},
      {"lang that is not a language", "<html lang=\"{{lang}}\"><p>x</p></html>", "", "", 0, ""},
  };
  for (const MetadataCase& c : cases) {
    SCOPED_TRACE(c.name);
    const HtmlPage page = read_html(c.html);
    EXPECT_EQ(page.refused, "");
    EXPECT_EQ(page.title, c.title);
    EXPECT_EQ(page.date, c.date);
    EXPECT_EQ(page.year, c.year);
    EXPECT_EQ(page.language, c.language);
  }
}

struct TextCase {
  const char* name;
  std::string html;
  std::string text;
};

TEST(HtmlReaderTest, MainTextLeavesBoilerplateOut) {
  const std::vector<TextCase> cases = {
      {"paragraphs and headings are blocks", "<body><h1>Title</h1><p>One  two\nthree.</p><p>Four.</p></body>",
       "Title\n\nOne two three.\n\nFour."},
      {"inline elements do not break", "<p>Air <b>quality</b> <a href=x>plan</a>.</p>", "Air quality plan."},
      {"list items and br are lines", "<ul><li>one</li><li>two</li></ul><p>a<br>b</p>", "one\ntwo\n\na\nb"},
      {"table rows are lines, cells tab-separated",
       "<table><tr><th>Year</th><th>Goal</th></tr><tr><td>2020</td>"
       "<td>Less coal</td></tr></table>",
       "Year\tGoal\n2020\tLess coal"},
      {"pre keeps its line ends", "<pre>a  b\nc</pre>", "a  b\nc"},
      {"script, style, noscript, template, svg and iframe are dropped",
       "<head><style>p{}</style></head><body><script>var x = 1;</script><noscript>Enable JS</noscript>"
       "<template><p>t</p></template><svg><text>chart</text></svg><iframe>frame</iframe><p>Text.</p></body>",
       "Text."},
      {"nav, header, footer, aside and form are dropped",
       "<body><header><p>Site name</p></header><nav><a>Home</a></nav><p>Body.</p><aside>Related</aside>"
       "<form><label>Search</label></form><footer>Contact</footer></body>",
       "Body."},
      {"boilerplate class and id words are dropped",
       "<body><div class=\"cookie-banner\">We use cookies</div><div id=\"breadcrumbs\">Home &gt; Policy</div>"
       "<ul class=\"main-menu\"><li>A</li></ul><div class=\"share_bar\">Share</div><a class=\"skip-link\">Skip</a>"
       "<div class=\"navbox\">Links</div><div class=\"page-footer\">(c)</div><div class=\"sidebar\">S</div>"
       "<p class=\"intro\">Kept.</p></body>",
       "Kept."},
      {"a word must start with the marker", "<div class=\"canvas\">Kept</div>", "Kept"},
      {"boilerplate roles are dropped",
       "<div role=\"navigation\">N</div><div role=\"banner\">B</div><div role=\"contentinfo\">C</div><p>Kept.</p>",
       "Kept."},
      {"hidden elements are dropped", "<p hidden>H</p><div aria-hidden=\"true\">A</div><p>Kept.</p>", "Kept."},
      {"body class is not boilerplate", "<body class=\"has-sidebar\"><p>Kept.</p></body>", "Kept."},
      {"main is preferred", "<body><div>Teaser</div><main><h1>T</h1><p>Body.</p></main><div>Other</div></body>",
       "T\n\nBody."},
      {"role=main is preferred", "<body><div>Teaser</div><div role=\"main\"><p>Body.</p></div></body>", "Body."},
      {"articles are preferred, the header of an article kept",
       "<body><header>Site</header><article><header><h1>One</h1></header><p>A.</p></article><div>Ad</div>"
       "<article><p>B.</p></article></body>",
       "One\n\nA.\n\nB."},
      {"an empty main falls back to the body", "<body><main></main><p>Body.</p></body>", "Body."},
      {"entities and UTF-8 are decoded", "<p>Caf&eacute; &amp; &#x4E2D;&#25991; &lt;b&gt; Maßnahme</p>",
       "Café & 中文 <b> Maßnahme"},
      {"a declared charset is converted", "<head><meta charset=\"iso-8859-1\"></head><p>Caf\xE9</p>", "Café"},
      {"undeclared bytes are read as UTF-8", "<p>\xE2\x80\x9CQuoted\xE2\x80\x9D</p>", "\xE2\x80\x9CQuoted\xE2\x80\x9D"},
  };
  for (const TextCase& c : cases) {
    SCOPED_TRACE(c.name);
    const HtmlPage page = read_html(c.html);
    EXPECT_EQ(page.refused, "");
    EXPECT_EQ(page.text, c.text);
  }
}

TEST(HtmlReaderTest, EverythingKeepsBoilerplateButNotScripts) {
  HtmlOptions everything;
  everything.main_content_only = false;
  const HtmlPage page = read_html("<nav>Home</nav><main><p>Body.</p></main><script>x()</script>", everything);
  EXPECT_EQ(page.text, "Home\n\nBody.");
}

TEST(HtmlReaderTest, HostileInputGivesAClearResult) {
  const auto started = std::chrono::steady_clock::now();
  std::string nested;
  for (int i = 0; i < 100000; ++i) nested += "<div>";
  nested += "deep";
  const HtmlPage deep = read_html("<p>Before.</p>" + nested);
  EXPECT_EQ(deep.refused, "");
  // libxml2 stops at 256 levels (HTML_PARSE_HUGE is not set) and says so.
  EXPECT_EQ(deep.stopped, "Excessive depth in document: 256");
  EXPECT_EQ(deep.text, "Before.");

  const HtmlPage truncated = read_html("<html><head><title>Cut</title></head><body><p>Half a para");
  EXPECT_EQ(truncated.stopped, "");
  EXPECT_EQ(truncated.title, "Cut");
  EXPECT_EQ(truncated.text, "Half a para");

  const HtmlPage binary = read_html(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16));
  EXPECT_EQ(binary.refused, "binary file (NUL byte at offset 8)");
  EXPECT_EQ(binary.text, "");

  const HtmlPage empty = read_html("");
  EXPECT_EQ(empty.refused, "");
  EXPECT_EQ(empty.text, "");

  const HtmlPage only_scripts = read_html("<html><body><script>app()</script><nav>Menu</nav></body></html>");
  EXPECT_EQ(only_scripts.text, "");

  const HtmlPage garbage = read_html("<<<>>> </p></div> <a <b");
  EXPECT_EQ(garbage.refused, "");

  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(20));
}

}  // namespace
}  // namespace policy
