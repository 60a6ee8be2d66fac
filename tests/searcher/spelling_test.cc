// Spelling suggestions (searcher/spelling.h) as Searcher::search gives
// them: typos of each kind of edit, phrases, fields and operators kept,
// and the cases with no suggestion.

#include "searcher/spelling.h"

#include <gtest/gtest.h>

#include "indexer/index_writer.h"

#include "searcher/result_rendering.h"
#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

using testing::source_document;

SourceDocument with_year(SourceDocument doc, int year) {
  doc.metadata = {{"year", year}};
  return doc;
}

class SpellingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("spelling"));
    index_ = (*dir_ / "idx").string();
    testing::write_index(
        index_,
        {
            with_year(source_document("a", "Government report",
                                      "The government published its environment policy and a fund for forests."),
                      2016),
            with_year(source_document("b", "Environment", "Environment and biodiversity: the fund pays for wetlands."),
                      2018),
            source_document("c", "Climate", "Climate policies of the government; a second fund."),
            source_document("d", "Water", "Water quality and rivers; find the data."),
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
    request.limit = 10;
    request.snippets = false;
    return searcher.search(request);
  }

  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* SpellingTest::dir_ = nullptr;
std::string SpellingTest::index_;

TEST_F(SpellingTest, SuggestsTheIntendedQuery) {
  struct Case {
    const char* query;
    const char* suggested;
  };
  const Case cases[] = {
      {"goverment", "government"},                          // deletion
      {"governmment", "government"},                        // insertion
      {"envirunment", "environment"},                       // substitution
      {"enviornment", "environment"},                       // transposition
      {"Goverment", "Government"},                          // capitalised as typed
      {"biodiversty wetlands", "biodiversity wetlands"},    // known words kept
      {"goverment OR watr", "government OR water"},         // two words, operator kept
      {"\"enviroment policy\"", "\"environment policy\""},  // phrase: quotes kept
      {"goverment year:2016", "government year:2016"},      // field filter kept
      {"title:goverment", "title:government"},              // title words are free text
      {"(goverment^2 OR climte) fund", "(government^2 OR climate) fund"},
      {"fond", "fund"},  // "find" is as close, in fewer documents
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    const SearchResults results = search(c.query);
    ASSERT_TRUE(results.did_you_mean.has_value());
    EXPECT_EQ(results.did_you_mean->query, c.suggested);
  }
}

TEST_F(SpellingTest, NamesTheCorrectedWords) {
  const SearchResults results = search("goverment OR watr");
  ASSERT_TRUE(results.did_you_mean.has_value());
  ASSERT_EQ(results.did_you_mean->corrections.size(), 2u);
  EXPECT_EQ(results.did_you_mean->corrections[0].typed, "goverment");
  EXPECT_EQ(results.did_you_mean->corrections[0].suggested, "government");
  EXPECT_EQ(results.did_you_mean->corrections[1].typed, "watr");
  EXPECT_EQ(results.did_you_mean->corrections[1].suggested, "water");
}

TEST_F(SpellingTest, NoSuggestion) {
  const char* queries[] = {
      "government",                 // correct
      "governments policy",         // an inflection of an indexed word
      "xylophone",                  // no close word
      "goverment rivers",           // the corrected query finds no more (still 0)
      "government -enviroment",     // excluded words are not corrected
      "goverment~1",                // fuzzy words search similar spellings already
      "goverm*",                    // wildcard
      "org:\"Enviroment Agency\"",  // field filter values are not corrected
      "ab",                         // too short to correct
      "NATOX",                      // written as an acronym
  };
  for (const char* query : queries) {
    SCOPED_TRACE(query);
    EXPECT_FALSE(search(query).did_you_mean.has_value());
  }
}

TEST_F(SpellingTest, ClosestIndexWord) {
  Searcher searcher(index_);
  struct Case {
    const char* word;
    std::optional<std::string> closest;
  };
  const Case cases[] = {
      {"goverment", "government"}, {"gvrnmnt", std::nullopt},  // 3 edits
      {"wter", "water"},           {"zzz", std::nullopt},     {"rivres", "rivers"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.word);
    EXPECT_EQ(closest_index_word(searcher.database(), c.word), c.closest);
  }
}

TEST_F(SpellingTest, JsonAndTerminalShowTheSuggestion) {
  const SearchResults results = search("goverment");
  Searcher searcher(index_);
  const nlohmann::json json = results_to_json(results, searcher.info());
  EXPECT_EQ(json["did_you_mean"]["query"], "government");
  EXPECT_EQ(json["did_you_mean"]["corrections"][0]["typed"], "goverment");
  EXPECT_TRUE(results_to_json(search("government"), searcher.info())["did_you_mean"].is_null());
  std::ostringstream out;
  render_terminal(results, out, {});
  EXPECT_EQ(out.str(), "0 matches\nDid you mean: government\n");
}

TEST_F(SpellingTest, BatchCountsCarryTheSuggestion) {
  Searcher searcher(index_);
  CountRequest request;
  request.query = "enviroment";
  const MatchCounts counts = searcher.count(request);
  ASSERT_TRUE(counts.did_you_mean.has_value());
  EXPECT_EQ(counts.did_you_mean->query, "environment");
}

// The vocabulary is the index's term list: a word leaves it with the last
// document that held it, in place as after a merge of segments.
TEST(SpellingVocabularyTest, FollowsReplacedAndDeletedDocuments) {
  const std::filesystem::path dir = testing::make_temp_dir("spelling-vocabulary");
  const std::string index = (dir / "idx").string();
  testing::write_index(index, {source_document("x", "Marsh", "Wetlands and a marsh."),
                               source_document("y", "Rivers", "Rivers and lakes.")});
  const auto suggested = [&](const std::string& query) -> std::string {
    Searcher searcher(index);
    SearchRequest request;
    request.query = query;
    const SearchResults results = searcher.search(request);
    return results.did_you_mean ? results.did_you_mean->query : "";
  };
  EXPECT_EQ(suggested("wetlnds"), "wetlands");
  EXPECT_EQ(suggested("lakse"), "lakes");
  {
    const Schema schema = Schema::load(testing::source_path("schemas"));
    Analyzer analyzer;
    IndexWriter writer(index, analyzer, schema, {});
    writer.add(source_document("x", "Marsh", "A marsh only."));
    EXPECT_EQ(writer.prune({"x"}), 1u);
    writer.commit();
  }
  EXPECT_EQ(suggested("wetlnds"), "");
  EXPECT_EQ(suggested("lakse"), "");
  EXPECT_EQ(suggested("marhs"), "marsh");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace policy
