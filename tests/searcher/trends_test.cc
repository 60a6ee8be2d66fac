// Trends against the index's baseline, on generated indexes with sparse
// years (one document every few years over 150 years) and dense years (many
// documents in 10 years): every number is checked against a count made
// directly from the generated texts.
#include "searcher/trends.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/temp_dir_test.h"

namespace policy {
namespace {

// A generated document and what a reader counts in it by hand.
struct Generated {
  SourceDocument source;
  std::optional<long> year;
  std::uint64_t words = 0;    // space-separated words of the text
  std::uint64_t matches = 0;  // "tariff" or "tariffs" in the text
};

// Words of the texts: "EU" gives an acronym term, "tariffs" an inflection
// of the query word; none holds a digit (the cleaner drops page numbers).
const std::vector<std::string> kVocabulary = {"trade", "policy", "EU",      "forest", "energy", "tariff",
                                              "plan",  "water",  "tariffs", "the",    "of",     "UN"};

Generated generate(std::mt19937& random, const std::string& id, std::optional<long> year) {
  Generated g;
  g.year = year;
  std::uniform_int_distribution<std::size_t> length(5, 400), word(0, kVocabulary.size() - 1);
  const std::size_t n = length(random);
  std::string text;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string& w = kVocabulary[word(random)];
    text += w;
    text += (i + 1) % 12 == 0 ? ".\n" : " ";
    ++g.words;
    if (w == "tariff" || w == "tariffs") ++g.matches;
  }
  // A title with words and an acronym, counted in neither the words nor the
  // occurrences, and no query word: a title match makes a document match.
  g.source = testing::source_document(id, "EU trade plan " + id, text);
  if (year) g.source.metadata["year"] = *year;
  g.source.metadata["language"] = "en";  // random words: no detection
  return g;
}

struct Expected {
  std::uint64_t index_documents = 0, index_words = 0, documents = 0, occurrences = 0;
};

class TrendsTest : public testing::TempDirTest {
 protected:
  // Indexes `docs` and counts "tariff" over them.
  MatchCounts index_and_count(const std::vector<Generated>& docs) {
    std::vector<SourceDocument> sources;
    for (const Generated& g : docs) sources.push_back(g.source);
    testing::write_index(dir_ / "idx", sources);
    Searcher searcher((dir_ / "idx").string());
    CountRequest request;
    request.query = "tariff";
    request.top_k = 0;
    return searcher.count(request);
  }

  static std::map<long, Expected> expected_by_year(const std::vector<Generated>& docs) {
    std::map<long, Expected> by_year;
    for (const Generated& g : docs) {
      if (!g.year) continue;
      Expected& e = by_year[*g.year];
      ++e.index_documents;
      e.index_words += g.words;
      if (g.matches) ++e.documents;
      e.occurrences += g.matches;
    }
    return by_year;
  }

  static void expect_points(const std::vector<TrendPoint>& points, const std::map<long, Expected>& expected) {
    ASSERT_EQ(points.size(), expected.size());
    auto e = expected.begin();
    for (const TrendPoint& p : points) {
      SCOPED_TRACE(p.period);
      EXPECT_EQ(p.first_year, e->first);
      EXPECT_EQ(p.index_documents, e->second.index_documents);
      EXPECT_EQ(p.index_words, e->second.index_words);
      EXPECT_EQ(p.documents, e->second.documents);
      EXPECT_EQ(p.occurrences, e->second.occurrences);
      ASSERT_TRUE(p.share());
      EXPECT_DOUBLE_EQ(*p.share(), static_cast<double>(e->second.documents) / e->second.index_documents);
      ASSERT_TRUE(p.per_10k_words());
      EXPECT_DOUBLE_EQ(*p.per_10k_words(), 10000.0 * e->second.occurrences / e->second.index_words);
      ++e;
    }
  }
};

TEST_F(TrendsTest, SparseYearsOver150YearsGiveExactYearsAndDecades) {
  std::mt19937 random(23);
  std::vector<Generated> docs;
  for (long year = 1870; year <= 2020; year += 7) docs.push_back(generate(random, "y" + std::to_string(year), year));
  docs.push_back(generate(random, "undated", std::nullopt));  // counted nowhere in the trend
  const MatchCounts counts = index_and_count(docs);
  EXPECT_EQ(counts.trend.field, "year");
  const std::map<long, Expected> years = expected_by_year(docs);
  expect_points(counts.trend.years, years);

  std::map<long, Expected> decades;
  for (const auto& [year, e] : years) {
    Expected& d = decades[year / 10 * 10];
    d.index_documents += e.index_documents;
    d.index_words += e.index_words;
    d.documents += e.documents;
    d.occurrences += e.occurrences;
  }
  expect_points(counts.trend.decades, decades);
  EXPECT_EQ(counts.trend.decades.front().period, "1870s");
  EXPECT_EQ(counts.trend.decades.front().last_year, 1879);
  EXPECT_EQ(chart_points(counts.trend).size(), decades.size());
  // At most one document a year, two a decade: sparse.
  EXPECT_EQ(smoothing_window(chart_points(counts.trend), true), 3u);
}

TEST_F(TrendsTest, DenseYearsGiveExactYearsAndNoDecades) {
  std::mt19937 random(42);
  std::vector<Generated> docs;
  for (int i = 0; i < 200; ++i) docs.push_back(generate(random, "d" + std::to_string(i), 2011 + i % 10));
  const MatchCounts counts = index_and_count(docs);
  expect_points(counts.trend.years, expected_by_year(docs));
  EXPECT_TRUE(counts.trend.decades.empty());
  EXPECT_EQ(smoothing_window(chart_points(counts.trend), false), 1u);
  std::uint64_t documents = 0, occurrences = 0;
  for (const TrendPoint& p : counts.trend.years) {
    documents += p.documents;
    occurrences += p.occurrences;
  }
  EXPECT_EQ(documents, counts.documents);
  EXPECT_EQ(occurrences, counts.occurrences);
}

TEST_F(TrendsTest, BaselineFollowsANewRevision) {
  std::mt19937 random(7);
  std::vector<Generated> docs = {generate(random, "a", 2001), generate(random, "b", 2002)};
  std::vector<SourceDocument> sources = {docs[0].source, docs[1].source};
  testing::write_index(dir_ / "idx", sources);
  Searcher searcher((dir_ / "idx").string());
  CountRequest request;
  request.query = "tariff";
  request.top_k = 0;
  EXPECT_EQ(searcher.count(request).trend.years.size(), 2u);
  docs.push_back(generate(random, "c", 2003));
  sources.push_back(docs.back().source);
  testing::write_index(dir_ / "idx", sources);
  searcher.refresh();
  const MatchCounts counts = searcher.count(request);
  expect_points(counts.trend.years, expected_by_year(docs));
}

TEST(MovingRatioTest, PoolsNumeratorsAndDenominatorsInTheWindow) {
  // (documents, index documents, occurrences, index words) per year.
  std::vector<TrendPoint> points;
  const std::vector<std::array<std::uint64_t, 4>> rows = {{1, 1, 2, 100}, {0, 1, 0, 200}, {1, 2, 4, 100}};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    TrendPoint p;
    p.first_year = p.last_year = 2000 + static_cast<long>(i);
    p.documents = rows[i][0];
    p.index_documents = rows[i][1];
    p.occurrences = rows[i][2];
    p.index_words = rows[i][3];
    points.push_back(p);
  }
  struct Case {
    std::size_t window;
    bool per_10k;
    std::vector<double> expected;
  };
  const std::vector<Case> cases = {
      {1, false, {1.0, 0.0, 0.5}},
      {3, false, {1.0 / 2, 2.0 / 4, 1.0 / 3}},
      {3, true, {10000.0 * 2 / 300, 10000.0 * 6 / 400, 10000.0 * 4 / 300}},
      {5, false, {2.0 / 4, 2.0 / 4, 2.0 / 4}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.window) + (c.per_10k ? " per 10k" : " share"));
    const std::vector<std::optional<double>> got = moving_ratio(points, c.window, c.per_10k);
    ASSERT_EQ(got.size(), c.expected.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      ASSERT_TRUE(got[i]);
      EXPECT_DOUBLE_EQ(*got[i], c.expected[i]);
    }
  }
}

}  // namespace
}  // namespace policy
