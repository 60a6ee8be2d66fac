// How titles and stopwords weigh (searcher/ranking.h, core/index_layout.h): a given
// title's words count as kTitleWordOccurrences body occurrences of their
// terms; a title derived from the text's first line adds nothing; counts of
// occurrences are the body's alone either way.

#include "searcher/ranking.h"

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

using testing::source_document;

class TitleRankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("ranking"));
    index_ = (*dir_ / "idx").string();
    testing::write_index(index_,
                         {
                             // "mercury" in the given title only.
                             source_document("titled", "Mercury", "A note on metals and their uses in industry."),
                             // Once in the body, under another title.
                             source_document("body", "Metals", "A note on mercury and metals in industry."),
                             // Once in the body's first line, which becomes the title.
                             source_document("derived", "", "Mercury\nReadings of rivers and of lakes, one by one."),
                             source_document("other", "Lead", "A note on lead and other metals in industry."),
                         });
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* TitleRankingTest::dir_ = nullptr;
std::string TitleRankingTest::index_;

TEST_F(TitleRankingTest, AGivenTitleWeighsAsBodyOccurrencesADerivedOneDoesNot) {
  Searcher searcher(index_);
  SearchRequest request;
  request.query = "mercury";
  request.snippets = false;
  const SearchResults results = searcher.search(request);
  ASSERT_EQ(results.hits.size(), 3u);
  EXPECT_EQ(results.hits[0].id, "titled");
  // The derived title's word is the body's one occurrence, weighed once:
  // its document scores as the one holding the word once in a longer body
  // would, within what the lengths make.
  double body = 0;
  double derived = 0;
  for (const SearchHit& hit : results.hits) {
    if (hit.id == "body") body = hit.score;
    if (hit.id == "derived") derived = hit.score;
  }
  EXPECT_GT(results.hits[0].score, 1.5 * std::max(body, derived));
  EXPECT_NEAR(derived, body, 0.25 * body);
}

TEST_F(TitleRankingTest, OccurrencesAreTheBodysAlone) {
  Searcher searcher(index_);
  for (const bool kwic : {false, true}) {
    SCOPED_TRACE(kwic ? "from positions" : "from term frequencies");
    CountRequest request;
    request.query = "mercury";
    request.kwic = kwic;
    const MatchCounts counts = searcher.count(request);
    EXPECT_EQ(counts.documents, 3u);
    EXPECT_EQ(counts.occurrences, 2u);  // "body" and "derived"; not the title of "titled"
  }
}

// Unquoted English stopwords weigh nothing (BindOptions::
// weightless_stopwords) but still match: the set of matches is the query's.
class StopwordRankingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("stopword-ranking"));
    index_ = (*dir_ / "idx").string();
    testing::write_index(index_, {
                                     source_document("mercury", "Rivers", "Mercury in rivers."),
                                     source_document("function-words", "Lakes",
                                                     "Of the lakes of the north and of the south, the one "
                                                     "of the most mercury is the one of the mill."),
                                     source_document("only-stopwords", "Notes", "Of the the of the and of the."),
                                 });
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static SearchResults search(const std::string& query, bool weightless, bool explain = false) {
    Searcher searcher(index_);
    SearchRequest request;
    request.query = query;
    request.snippets = false;
    request.explain = explain;
    request.ranking.weightless_stopwords = weightless;
    return searcher.search(request);
  }
  static double score_of(const SearchResults& results, const std::string& id) {
    for (const SearchHit& hit : results.hits) {
      if (hit.id == id) return hit.score;
    }
    ADD_FAILURE() << id << " not in the results";
    return -1;
  }

  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* StopwordRankingTest::dir_ = nullptr;
std::string StopwordRankingTest::index_;

TEST_F(StopwordRankingTest, StopwordsMatchButWeighNothing) {
  const SearchResults weightless = search("the OR of OR mercury", true);
  const SearchResults weighed = search("the OR of OR mercury", false);
  // The same matches and counts either way.
  EXPECT_EQ(weightless.total, 3u);
  EXPECT_EQ(weighed.total, 3u);
  EXPECT_EQ(score_of(weightless, "only-stopwords"), 0.0);
  EXPECT_GT(score_of(weighed, "only-stopwords"), 0.0);
  // Mercury once in a short text beats mercury once among many stopwords
  // only when the stopwords weigh nothing.
  ASSERT_FALSE(weightless.hits.empty());
  EXPECT_EQ(weightless.hits[0].id, "mercury");
  EXPECT_EQ(weighed.hits[0].id, "function-words");
}

TEST_F(StopwordRankingTest, AQueryOfStopwordsAloneAndPhrasesKeepTheirWeight) {
  for (const char* query : {"the OR of", "\"of the\" mercury", "title:the OR mercury", "the NEAR/2 of"}) {
    SCOPED_TRACE(query);
    const SearchResults results = search(query, true);
    ASSERT_FALSE(results.hits.empty());
    EXPECT_GT(results.hits.back().score, 0.0);
  }
}

TEST_F(StopwordRankingTest, ExplainSaysWhichWordsWeighNothing) {
  const SearchResults results = search("the OR mercury", true, /*explain=*/true);
  ASSERT_TRUE(results.explanation.has_value());
  ASSERT_FALSE(results.explanation->scores.empty());
  bool said = false;
  for (const PartScore& part : results.explanation->scores[0].parts) {
    if (part.label.find("\"the\") (stopword: weighs nothing)") != std::string::npos) {
      said = true;
      EXPECT_EQ(part.body, 0.0);
    }
  }
  EXPECT_TRUE(said);
  EXPECT_TRUE(results.explanation->scores[0].sums_to_score);
  // A NEAR of stopwords weighs, so beside it a stopword weighs nothing.
  const SearchResults beside_near = search("the OR (of NEAR/3 and)", true, /*explain=*/true);
  ASSERT_TRUE(beside_near.explanation.has_value());
  ASSERT_FALSE(beside_near.explanation->scores.empty());
  bool labelled = false;
  for (const PartScore& part : beside_near.explanation->scores[0].parts) {
    labelled = labelled || part.label.find("\"the\") (stopword: weighs nothing)") != std::string::npos;
  }
  EXPECT_TRUE(labelled);
}

// The time limit covers snippets: once it has passed, later results come
// without them and a time_limit warning says from which rank.
TEST_F(StopwordRankingTest, SnippetsStopAtTheTimeLimitWithAWarning) {
  SearcherOptions options;
  options.time_limit_seconds = 1e-9;  // spent before the first snippet
  Searcher searcher(index_, options);
  SearchRequest request;
  request.query = "of";
  request.exact = false;  // the matcher ranks what it finds in the time
  const SearchResults results = searcher.search(request);
  std::size_t with_snippets = 0;
  for (const SearchHit& hit : results.hits) with_snippets += hit.snippets.empty() ? 0 : 1;
  bool warned = false;
  for (const QueryWarning& warning : results.warnings) {
    if (warning.code != warning_code::kTimeLimit) continue;
    warned = true;
    EXPECT_NE(warning.message.find("results from rank 1 on have none"), std::string::npos) << warning.message;
  }
  if (results.hits.empty()) GTEST_SKIP() << "the matcher found nothing in the time";
  EXPECT_EQ(with_snippets, 0u);
  EXPECT_TRUE(warned);
  // Without a limit, the same search has its snippets and no warning.
  Searcher unlimited(index_);
  const SearchResults whole = unlimited.search(request);
  ASSERT_FALSE(whole.hits.empty());
  EXPECT_FALSE(whole.hits[0].snippets.empty());
  EXPECT_TRUE(whole.warnings.empty());
}

}  // namespace
}  // namespace policy
