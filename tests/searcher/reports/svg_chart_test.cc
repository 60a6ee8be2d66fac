// The charts of the html report, read back from report.html: every point
// and bar against counts.csv.
#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

using namespace testing;

std::string html_unescape(std::string text) {
  const std::vector<std::pair<std::string, std::string>> entities = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}, {"&amp;", "&"}};
  for (const auto& [entity, plain] : entities) {
    for (std::size_t at = text.find(entity); at != std::string::npos; at = text.find(entity, at + plain.size())) {
      text.replace(at, entity.size(), plain);
    }
  }
  return text;
}

class SvgChartTest : public WrittenReports {
 protected:
  struct Element {
    std::string tag;
    std::map<std::string, std::string> attributes;  // unescaped
  };

  // Every <rect class="bar"> and <circle class="point">.
  static std::vector<Element> chart_elements(const std::string& html) {
    std::vector<Element> elements;
    static const std::regex element(R"re(<(rect|circle) class="(bar|point)"([^>]*)>)re");
    static const std::regex attribute(R"re(([a-z-]+)="([^"]*)")re");
    for (auto it = std::sregex_iterator(html.begin(), html.end(), element); it != std::sregex_iterator(); ++it) {
      Element e{(*it)[1], {}};
      const std::string attributes = (*it)[3];
      for (auto a = std::sregex_iterator(attributes.begin(), attributes.end(), attribute); a != std::sregex_iterator();
           ++a) {
        e.attributes[(*a)[1]] = html_unescape((*a)[2]);
      }
      elements.push_back(e);
    }
    return elements;
  }
};

TEST_F(SvgChartTest, ChartNumbersMatchCountsCsv) {
  const std::string html = slurp(out() / "report.html");
  // (query_id, facet, value) -> documents from counts.csv
  std::map<std::tuple<std::string, std::string, std::string>, std::string> counts;
  for (const auto& row : parse_csv_strictly(slurp(out() / "counts.csv"))) counts[{row[0], row[1], row[2]}] = row[4];

  const std::vector<Element> elements = chart_elements(html);
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_chart;  // (query, facet) -> values
  for (const Element& e : elements) {
    const auto& a = e.attributes;
    SCOPED_TRACE(a.count("data-value") ? a.at("data-value") : "?");
    ASSERT_TRUE(a.count("data-query") && a.count("data-facet") && a.count("data-value") && a.count("data-documents"));
    by_chart[{a.at("data-query"), a.at("data-facet")}].push_back(a.at("data-value"));
    auto row = counts.find({a.at("data-query"), a.at("data-facet"), a.at("data-value")});
    if (row != counts.end()) {
      EXPECT_EQ(a.at("data-documents"), row->second);
    } else {
      // Only years between the first and the last may be drawn without a row: as 0.
      EXPECT_EQ(e.tag, "circle");
      EXPECT_EQ(a.at("data-facet"), "year");
      EXPECT_EQ(a.at("data-documents"), "0");
    }
  }
  const std::string full = "q, \"full\"";
  EXPECT_EQ((by_chart[{full, "year"}]), (std::vector<std::string>{"2012", "2013", "2014", "2015", "2016"}));
  EXPECT_EQ((by_chart[{full, "organisation"}].size()), 10u) << "top 10 of 12";
  EXPECT_EQ((by_chart[{full, "organisation"}].front()), "Ministère de l'Environnement, \"Énergie\" & Co <x>");
  EXPECT_EQ((by_chart[{full, "area"}]), (std::vector<std::string>{"Air & water", "Climate | energy"}));
  EXPECT_EQ((by_chart[{"no-years", "organisation"}].size()), 2u);
  EXPECT_EQ((by_chart.count({"no-years", "year"})), 0u);
  EXPECT_EQ((by_chart.count({"bad", "organisation"})), 0u);
  // Visible numbers next to the bars and points.
  EXPECT_NE(html.find("<text class=\"num\""), std::string::npos);
}

}  // namespace
}  // namespace policy
