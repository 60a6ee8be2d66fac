// Acronyms that are also everyday words, as a search sees them (issue 22):
// "US" and "U.S." find the country, not the pronoun "us"; "WHO" the
// organisation, not "who"; lower case finds every occurrence; a heading in
// capitals holds everyday words.

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

using testing::source_document;

class AcronymSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("acronym-search"));
    index_ = (*dir_ / "idx").string();
    testing::write_index(
        index_, {
                    source_document("us-policy", "Trade", "The US policy on trade changed in 2016."),
                    source_document("us-dotted", "Trade two", "Exports to the U.S. grew; U.S. policy helped."),
                    source_document("join-us", "Events", "Join us for the meeting. Let us talk about policy."),
                    source_document("heading", "About",
                                    "WHO WE ARE\nA group of people who care about air.\nCONTACT US\nwrite today."),
                    source_document("who-guidelines", "Air", "The WHO guidelines on air quality were updated."),
                    source_document("epa", "Cooperation", "The EPA works with partners; the epa.gov site lists them."),
                    source_document("us-title", "US Climate Strategy", "A strategy for the climate."),
                });
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static std::set<std::string> ids(const std::string& query) {
    Searcher searcher(index_);
    SearchRequest request;
    request.query = query;
    request.limit = 0;
    request.snippets = false;
    std::set<std::string> found;
    for (const SearchHit& hit : searcher.search(request).hits) found.insert(hit.id);
    return found;
  }

  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* AcronymSearchTest::dir_ = nullptr;
std::string AcronymSearchTest::index_;

TEST_F(AcronymSearchTest, CapitalsAndDotsFindTheAcronymNotTheEverydayWord) {
  using Ids = std::set<std::string>;
  const std::vector<std::pair<std::string, Ids>> cases = {
      {"US", {"us-policy", "us-dotted", "us-title"}},
      {"U.S.", {"us-policy", "us-dotted", "us-title"}},
      {"\"US policy\"", {"us-policy", "us-dotted"}},
      {"\"U.S. policy\"", {"us-policy", "us-dotted"}},
      {"US NEAR/2 policy", {"us-policy", "us-dotted"}},
      {"title:US", {"us-title"}},
      {"WHO", {"who-guidelines"}},
      // Lower case is the everyday word, found whatever its case.
      {"us", {"us-policy", "us-dotted", "join-us", "heading", "us-title"}},
      {"who", {"heading", "who-guidelines"}},
      // A heading in capitals holds everyday words.
      {"\"WHO WE ARE\"", {"heading"}},
      {"\"contact us\"", {"heading"}},
      // A gazetteer acronym finds the acronym only; an unknown one is a word.
      {"EPA", {"epa"}},
      {"epa", {"epa"}},
  };
  for (const auto& [query, expected] : cases) {
    SCOPED_TRACE(query);
    EXPECT_EQ(ids(query), expected);
  }
}

TEST_F(AcronymSearchTest, AcronymIsHighlightedInSnippets) {
  Searcher searcher(index_);
  SearchRequest request;
  request.query = "US";
  request.limit = 0;
  const SearchResults results = searcher.search(request);
  bool checked = false;
  for (const SearchHit& hit : results.hits) {
    if (hit.id != "us-dotted") continue;
    ASSERT_FALSE(hit.snippets.empty());
    const Snippet& snippet = hit.snippets[0];
    ASSERT_EQ(snippet.highlights.size(), 2u);
    for (const Highlight& h : snippet.highlights) {
      EXPECT_EQ(snippet.text.substr(h.begin, h.end - h.begin), "U.S");
    }
    checked = true;
  }
  EXPECT_TRUE(checked);
}

TEST_F(AcronymSearchTest, AcronymOccurrencesAreCountedOnce) {
  Searcher searcher(index_);
  CountRequest request;
  request.query = "US OR U.S.";
  const MatchCounts counts = searcher.count(request);
  EXPECT_EQ(counts.documents, 3u);
  EXPECT_EQ(counts.occurrences, 3u);  // one in us-policy, two in us-dotted; titles are not counted
}

}  // namespace
}  // namespace policy
