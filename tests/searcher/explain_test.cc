// --explain (searcher/explain.h): expansions with document counts, and
// scores computed part by part that add up to the search's own scores.

#include "searcher/explain.h"

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

using testing::source_document;

class SearchExplainTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("explain"));
    index_ = (*dir_ / "idx").string();
    testing::write_index(
        index_,
        {
            source_document("a", "Climate policy", "Climate policies and climate change; the policy of the US."),
            source_document("b", "Notes", "A policy on air. Climatic records and climates of the past."),
            source_document("c", "Water", "Water policy, water quality and the WHO guidelines."),
            source_document("d", "Other", "Nothing here about it."),
        });
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static SearchResults search(const std::string& query) {
    Searcher searcher(index_);
    SearchRequest request;
    request.query = query;
    request.limit = 0;
    request.snippets = false;
    request.explain = true;
    return searcher.search(request);
  }

  static const ExpansionCounts* expansion(const QueryExplanation& e, const std::string& kind,
                                          const std::string& typed) {
    for (const ExpansionCounts& x : e.expansions) {
      if (x.kind == kind && x.typed == typed) return &x;
    }
    return nullptr;
  }

  static Xapian::doccount count_of(const ExpansionCounts& x, const std::string& term) {
    for (const TermCount& t : x.terms) {
      if (t.term == term) return t.documents;
    }
    return 9999;
  }

  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* SearchExplainTest::dir_ = nullptr;
std::string SearchExplainTest::index_;

TEST_F(SearchExplainTest, ListsStemsWildcardsAndAcronymsWithDocumentCounts) {
  const SearchResults results = search("policy clim* US");
  ASSERT_TRUE(results.explanation);
  const QueryExplanation& e = *results.explanation;
  const ExpansionCounts* stem = expansion(e, "stem", "policy");
  ASSERT_NE(stem, nullptr);
  EXPECT_EQ(count_of(*stem, "policy"), 3u);
  EXPECT_EQ(count_of(*stem, "policies"), 1u);
  EXPECT_EQ(count_of(*stem, "polici"), 0u);  // the stem, a word of its own stem
  // Only what is searched: a title's words count in the body terms.
  EXPECT_EQ(stem->terms.size(), 3u);
  const ExpansionCounts* wildcard = expansion(e, "wildcard", "clim*");
  ASSERT_NE(wildcard, nullptr);
  EXPECT_EQ(count_of(*wildcard, "climate"), 1u);
  EXPECT_EQ(count_of(*wildcard, "climatic"), 1u);
  EXPECT_EQ(count_of(*wildcard, "climates"), 1u);
  EXPECT_EQ(wildcard->terms.size(), 3u);
  const ExpansionCounts* acronym = expansion(e, "acronym", "US");
  ASSERT_NE(acronym, nullptr);
  EXPECT_EQ(count_of(*acronym, "Cus"), 1u);
  EXPECT_EQ(acronym->terms.size(), 1u);
  const SearchResults in_titles = search("title:clim*");
  ASSERT_TRUE(in_titles.explanation);
  const ExpansionCounts* title_wildcard = expansion(*in_titles.explanation, "wildcard", "clim*");
  ASSERT_NE(title_wildcard, nullptr);
  EXPECT_EQ(count_of(*title_wildcard, "Sclimate"), 1u);
  EXPECT_EQ(title_wildcard->terms.size(), 1u);
  EXPECT_EQ(describe_term("SCus"), "title acronym us");
  EXPECT_EQ(describe_term("ZSpolici"), "title stem polici");
}

TEST_F(SearchExplainTest, PartsAddUpToEachScore) {
  for (const std::string query : {"policy", "climate policy", "policy OR water", "\"water quality\" policy",
                                  "clim* -water", "title:climate OR air", "policy NEAR/3 air", "WHO OR US"}) {
    SCOPED_TRACE(query);
    const SearchResults results = search(query);
    ASSERT_TRUE(results.explanation);
    ASSERT_EQ(results.explanation->scores.size(), results.hits.size());
    ASSERT_FALSE(results.hits.empty());
    for (const ScoreExplanation& s : results.explanation->scores) {
      SCOPED_TRACE(s.id);
      EXPECT_GT(s.score, 0);
      EXPECT_NEAR(s.sum, s.score, 1e-9 + 1e-6 * s.score);
      EXPECT_TRUE(s.sums_to_score);
    }
  }
}

// A word's title matches count in its body term (kTitleWordOccurrences,
// core/index_layout.h), so its title part is 0; a phrase found in a title
// only is weighed in its title part.
TEST_F(SearchExplainTest, TitleWordsCountInTheBodyPhrasesApart) {
  const SearchResults word = search("climate");
  const ScoreExplanation& top = word.explanation->scores.at(0);
  EXPECT_EQ(top.id, "a");
  ASSERT_EQ(top.parts.size(), 1u);
  EXPECT_EQ(top.parts[0].label, "(WORD \"climate\")");
  EXPECT_GT(top.parts[0].body, 0);
  EXPECT_EQ(top.parts[0].title, 0);

  const SearchResults phrase = search("\"climate policy\"");
  ASSERT_EQ(phrase.explanation->scores.size(), 1u);
  const ScoreExplanation& only = phrase.explanation->scores[0];
  EXPECT_EQ(only.id, "a");
  ASSERT_EQ(only.parts.size(), 1u);
  EXPECT_EQ(only.parts[0].body, 0);
  EXPECT_GT(only.parts[0].title, 0);
}

// A repeated phrase still adds up (Xapian weighs each leaf alone), and a
// sum that does not is said so.
TEST_F(SearchExplainTest, SumThatDiffersIsSaidSo) {
  const SearchResults repeated = search("\"water quality\" OR \"water quality\"");
  ASSERT_FALSE(repeated.explanation->scores.empty());
  EXPECT_TRUE(repeated.explanation->scores[0].sums_to_score);
  QueryExplanation differing;
  differing.scores.push_back(ScoreExplanation{1, "x", 2.0, {PartScore{"(WORD \"a\")", 1.0, 0.5}}, 1.5, false});
  EXPECT_NE(explanation_to_text(differing).find("sum of the parts 1.500 differs from the score"), std::string::npos);
}

TEST_F(SearchExplainTest, TextAndJsonForms) {
  const SearchResults results = search("water");
  const std::string text = explanation_to_text(*results.explanation);
  EXPECT_NE(text.find("expanded:\n  water (stem): "), std::string::npos) << text;
  EXPECT_NE(text.find("score of 1. c: "), std::string::npos) << text;
  EXPECT_NE(text.find("= the score\n"), std::string::npos) << text;
  const nlohmann::json json = explanation_to_json(*results.explanation);
  EXPECT_EQ(json["expansions"][0]["kind"], "stem");
  EXPECT_EQ(json["expansions"][0]["query"], "water");
  EXPECT_EQ(json["scores"][0]["id"], "c");
  EXPECT_EQ(json["scores"][0]["parts"][0]["part"], "(WORD \"water\")");
  EXPECT_TRUE(json["scores"][0]["sums_to_score"].get<bool>());
}

}  // namespace
}  // namespace policy
