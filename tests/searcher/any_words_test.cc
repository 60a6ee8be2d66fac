// Any-words queries (searcher/any_words.h): a text read as its words, any
// of them matching, through the analyzer that indexes documents.

#include "searcher/any_words.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "searcher/searcher.h"

#include "tests/support/small_index.h"
#include "tests/support/test_support.h"

namespace policy {
namespace {

TEST(AnyWordsQueryTest, ReadsTheTextAsTheAnalyzersWords) {
  struct Case {
    std::string text;
    bool leave_out_stopwords;
    std::string tree;
    std::vector<std::string> left_out;
  };
  const std::vector<Case> cases = {
      // Stopwords left out, each listed once; an acronym keeps its capitals;
      // a repeated word is one, boosted by its count.
      {"Coral reefs of the ASEAN region, the reefs and Reefs",
       true,
       R"((OR (WORD "coral") (WORD "reefs")^3 (WORD "ASEAN") (WORD "region")))",
       {"of", "the", "and"}},
      // Acronyms, dotted or possessive, as their terms in capitals: "U.S."
      // and "US" are one word.
      {"U.S. and EPA's programmes for the US",
       true,
       R"((OR (WORD "US")^2 (WORD "EPA") (WORD "programmes")))",
       {"and", "for", "the"}},
      {"Coral reefs of the ASEAN region",
       false,
       R"((OR (WORD "coral") (WORD "reefs") (WORD "of") (WORD "the") (WORD "ASEAN") (WORD "region")))",
       {}},
      // Query syntax is text: quotes, parentheses, '-', '*' and operators in
      // capitals are punctuation or words (an acronym, as written).
      {R"("water" (air) OR soil* -coal)",
       true,
       R"((OR (WORD "water") (WORD "air") (WORD "OR") (WORD "soil") (WORD "coal")))",
       {}},
      // A line in capitals is a heading: its words are everyday words.
      {"WHO WE ARE\nreef survey",
       false,
       R"((OR (WORD "who") (WORD "we") (WORD "are") (WORD "reef") (WORD "survey")))",
       {}},
      {"WHO WE ARE\nreef survey", true, R"((OR (WORD "reef") (WORD "survey")))", {"who", "we", "are"}},
      // Nothing but stopwords: they are all searched.
      {"to be or not to be", true, R"((OR (WORD "to")^2 (WORD "be")^2 (WORD "or") (WORD "not")))", {}},
      {"mangroves", true, R"((WORD "mangroves"))", {}},
  };
  Analyzer analyzer;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const AnyWordsQuery query = any_words_query(c.text, analyzer, QueryLimits{}, c.leave_out_stopwords);
    EXPECT_EQ(describe(query.tree), c.tree);
    EXPECT_EQ(query.left_out, c.left_out);
  }
}

TEST(AnyWordsQueryTest, ErrorsSayWhatAndWhere) {
  struct Case {
    std::string text;
    std::size_t max_words;
    std::string message;
    std::size_t position;
  };
  const std::vector<Case> cases = {
      {"", 1024, "empty query", 0},
      {" \n\t", 1024, "empty query", 0},
      {"!!! -- ?", 1024, "no words in the text", 0},
      {"reef \xff survey", 1024, "invalid UTF-8 (byte 0xFF)", 5},
      // Three distinct words searched at most: the fourth is named;
      // stopwords and repeats do not count.
      {"a1 the b2 of a1 c3 d4", 3, "too many words (more than 3)", 19},
  };
  Analyzer analyzer;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    QueryLimits limits;
    limits.max_words = c.max_words;
    try {
      any_words_query(c.text, analyzer, limits, /*leave_out_stopwords=*/true);
      ADD_FAILURE() << "no error";
    } catch (const QuerySyntaxError& e) {
      EXPECT_EQ(e.message(), c.message);
      EXPECT_EQ(e.position(), c.position);
    }
  }
  QueryLimits short_limit;
  short_limit.max_query_bytes = 8;
  EXPECT_THROW(any_words_query("coral reef survey", analyzer, short_limit, true), QuerySyntaxError);
}

// A pasted paragraph: in query syntax its "region:" is a field without a
// value, and without it the AND of its words matches no document; read as
// any words it finds the related one first.
class AnyWordsSearchTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("any-words"));
    index_ = (*dir_ / "idx").string();
    testing::write_index(
        index_, {
                    testing::source_document("reefs", "Coral reefs",
                                             "The coral reefs of the region are surveyed each year. Damaged reefs are "
                                             "restored with the fishing communities, and marine protected areas grow."),
                    testing::source_document("forests", "Forests",
                                             "Forest cover and the protected areas of the river basins are mapped."),
                    testing::source_document("air", "Air", "Air quality in the cities is measured every hour."),
                    testing::source_document("none", "Budget", "A budget line for 2016 and 2017."),
                });
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static SearchRequest request(QueryMode mode) {
    SearchRequest request;
    request.query = kParagraph;
    request.mode = mode;
    request.snippets = false;
    return request;
  }
  static bool has_warning(const std::vector<QueryWarning>& warnings, const std::string& code) {
    return std::any_of(warnings.begin(), warnings.end(), [&](const QueryWarning& w) { return w.code == code; });
  }

  static constexpr const char* kParagraph =
      "Member states agreed to survey the coral reefs of the region: damaged reefs will be restored, "
      "with the fishing communities, inside new marine protected areas.";
  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* AnyWordsSearchTest::dir_ = nullptr;
std::string AnyWordsSearchTest::index_;

TEST_F(AnyWordsSearchTest, APastedParagraphFindsTheRelatedDocumentFirst) {
  Searcher searcher(index_);
  EXPECT_THROW(searcher.search(request(QueryMode::kSyntax)), QuerySyntaxError);
  SearchRequest without_colon = request(QueryMode::kSyntax);
  std::replace(without_colon.query.begin(), without_colon.query.end(), ':', ',');
  EXPECT_EQ(searcher.search(without_colon).total, 0u);

  const SearchResults any = searcher.search(request(QueryMode::kAnyWords));
  // "reefs" shares most words; "forests" only "protected areas"; the others
  // share only stopwords, which are not searched.
  ASSERT_EQ(any.total, 2u);
  EXPECT_EQ(any.hits[0].id, "reefs");
  EXPECT_EQ(any.hits[1].id, "forests");
  EXPECT_TRUE(has_warning(any.warnings, warning_code::kStopwordsLeftOut));
  EXPECT_EQ(any.parsed.rfind("(OR (WORD \"member\")", 0), 0u) << any.parsed;
  EXPECT_FALSE(any.did_you_mean.has_value());

  // With stopwords weighed they are searched too: "air" shares "the".
  SearchRequest weighed = request(QueryMode::kAnyWords);
  weighed.ranking.weightless_stopwords = false;
  const SearchResults all = searcher.search(weighed);
  EXPECT_EQ(all.total, 3u);
  EXPECT_FALSE(has_warning(all.warnings, warning_code::kStopwordsLeftOut));
  EXPECT_EQ(all.hits[0].id, "reefs");

  // Filters still apply, and the batch counts read the text the same way.
  CountRequest count;
  count.query = kParagraph;
  count.mode = QueryMode::kAnyWords;
  EXPECT_EQ(searcher.count(count).documents, 2u);
  count.filters = {"year:2016"};
  EXPECT_EQ(searcher.count(count).documents, 0u);
}

}  // namespace
}  // namespace policy
