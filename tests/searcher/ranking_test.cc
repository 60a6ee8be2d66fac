// How titles weigh (searcher/ranking.h, core/index_layout.h): a given
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

}  // namespace
}  // namespace policy
