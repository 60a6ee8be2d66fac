// The charts of the html report, read back from report.html: every point
// and bar against counts.csv.
#include "searcher/reports/svg_chart.h"

#include <cmath>
#include <map>
#include <regex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "searcher/trends.h"

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

namespace policy {
namespace {

struct Label {
  double x = 0;
  std::string text;
};

// The <text class="tick x"> labels of `svg`, in document order.
std::vector<Label> x_labels(const std::string& svg) {
  std::vector<Label> labels;
  static const std::regex label(R"re(<text class="tick x" x="([0-9.]+)"[^>]*>([^<]*)</text>)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator(); ++it) {
    labels.push_back(Label{std::stod((*it)[1]), (*it)[2]});
  }
  return labels;
}

std::vector<std::string> y_labels(const std::string& svg) {
  std::vector<std::string> labels;
  static const std::regex label(R"re(<text class="tick y"[^>]*>([^<]*)</text>)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), label); it != std::sregex_iterator(); ++it) {
    labels.push_back((*it)[1]);
  }
  return labels;
}

// A trend over `years`, each with `per_year` documents of 1,000 words in the
// index, about half of them matching, as make_trend makes it.
Trend sample_trend(const std::vector<long>& years, std::uint64_t per_year) {
  std::map<long, YearTotals> baseline;
  FieldCounts counts{"year", {}};
  for (long year : years) {
    baseline[year] = YearTotals{per_year, per_year * 1000};
    const std::uint64_t matching = (per_year + year % 2) / 2;
    if (matching) counts.values.push_back(ValueCount{std::to_string(year), std::to_string(year), matching, per_year});
  }
  return make_trend(baseline, counts);
}

std::vector<long> every(long first, long last, long step) {
  std::vector<long> years;
  for (long y = first; y <= last; y += step) years.push_back(y);
  return years;
}

bool round_step(long step) {
  for (long magnitude = 1; magnitude <= 1000; magnitude *= 10) {
    for (long m : {1L, 2L, 5L}) {
      if (step == m * magnitude) return true;
    }
  }
  return false;
}

// Year labels at round years, at most kMaxYearLabels, none overlapping
// another (each kLabelCharWidth per character wide), on every chart of
// sparse, dense, short and long trends.
TEST(SvgChartGeometryTest, YearLabelsAreRoundAndNeverOverlap) {
  struct Case {
    std::string name;
    std::vector<long> years;
    std::uint64_t per_year;
  };
  const std::vector<Case> cases = {
      {"one year", {2016}, 3},
      {"two years", {2015, 2016}, 1},
      {"dense ten years", every(2011, 2020, 1), 20},
      {"twenty years, one document each", every(2000, 2020, 1), 1},
      {"sparse years over 150 years", every(1870, 2020, 7), 1},
      {"sparse with a gap", {1901, 1902, 1990, 2021}, 1},
      {"four centuries", every(1620, 2020, 3), 2},
      {"odd years", every(2001, 2019, 2), 1},
  };
  for (const Case& c : cases) {
    const Trend trend = sample_trend(c.years, c.per_year);
    for (TrendMetric metric : {TrendMetric::kDocuments, TrendMetric::kShare, TrendMetric::kPer10kWords}) {
      SCOPED_TRACE(c.name + ", metric " + std::to_string(static_cast<int>(metric)));
      const std::string svg = trend_chart("q", trend, metric);
      const std::vector<Label> labels = x_labels(svg);
      ASSERT_FALSE(labels.empty());
      EXPECT_LE(labels.size(), kMaxYearLabels);
      std::vector<long> ticks;
      for (const Label& l : labels) ticks.push_back(std::stol(l.text));
      for (std::size_t i = 1; i < labels.size(); ++i) {
        const double half = kLabelCharWidth * labels[i].text.size() / 2;
        const double previous_half = kLabelCharWidth * labels[i - 1].text.size() / 2;
        EXPECT_LT(labels[i - 1].x + previous_half, labels[i].x - half) << labels[i - 1].text << " " << labels[i].text;
        EXPECT_EQ(ticks[i] - ticks[i - 1], ticks[1] - ticks[0]);
      }
      const long step = labels.size() > 1 ? ticks[1] - ticks[0] : 1;
      EXPECT_TRUE(round_step(step)) << step;
      for (long t : ticks) EXPECT_EQ(t % step, 0) << t;
      // Labels inside the chart.
      EXPECT_GE(labels.front().x - kLabelCharWidth * 2, 0);
      EXPECT_LE(labels.back().x + kLabelCharWidth * 2, 560);
      // The y axis: round steps from 0.
      const std::vector<std::string> ys = y_labels(svg);
      ASSERT_GE(ys.size(), 2u);
      EXPECT_EQ(ys[0].substr(0, 1), "0");
      const double y_step = std::stod(ys[1]);
      double magnitude = 1;
      while (magnitude > y_step) magnitude /= 10;
      while (magnitude * 10 <= y_step) magnitude *= 10;
      const double m = y_step / magnitude;
      EXPECT_TRUE(std::abs(m - 1) < 1e-9 || std::abs(m - 2) < 1e-9 || std::abs(m - 5) < 1e-9) << ys[1];
    }
  }
}

TEST(SvgChartGeometryTest, SparseYearsAreDecadesWithAMovingAverage) {
  const Trend sparse = sample_trend(every(1870, 2020, 7), 1);
  ASSERT_FALSE(sparse.decades.empty());
  const std::string share = trend_chart("q", sparse, TrendMetric::kShare);
  EXPECT_NE(share.find("<polyline class=\"smoothed\" data-window=\"3\""), std::string::npos);
  EXPECT_NE(share.find("3-decade centred moving average"), std::string::npos);
  EXPECT_NE(share.find("data-value=\"1870s\" data-key=\"1870..1879\""), std::string::npos);
  const std::string documents = trend_chart("q", sparse, TrendMetric::kDocuments);
  EXPECT_EQ(documents.find("smoothed"), std::string::npos);

  const Trend short_sparse = sample_trend(every(2001, 2019, 2), 1);
  ASSERT_TRUE(short_sparse.decades.empty());
  EXPECT_NE(trend_chart("q", short_sparse, TrendMetric::kPer10kWords).find("data-window=\"5\""), std::string::npos);

  const Trend dense = sample_trend(every(2011, 2020, 1), 20);
  EXPECT_EQ(trend_chart("q", dense, TrendMetric::kShare).find("smoothed"), std::string::npos);
}

TEST(SvgChartGeometryTest, YearTicksTable) {
  struct Case {
    long first, last;
    double width;
    long min_step;
    std::vector<long> expected;
  };
  const std::vector<Case> cases = {
      {2016, 2016, 484, 1, {2016}},
      {2011, 2020, 484, 1, {2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020}},
      {2000, 2020, 484, 1, {2000, 2005, 2010, 2015, 2020}},
      {1870, 2030, 484, 10, {1880, 1900, 1920, 1940, 1960, 1980, 2000, 2020}},
      {1993, 2007, 484, 1, {1994, 1996, 1998, 2000, 2002, 2004, 2006}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.first) + ".." + std::to_string(c.last));
    EXPECT_EQ(year_ticks(c.first, c.last, c.width, 4, c.min_step), c.expected);
  }
}

}  // namespace
}  // namespace policy
