// How titles, stopwords, phrases and NEAR weigh (searcher/ranking.h,
// searcher/span_weight.h, core/index_layout.h): a given
// title's words count as kTitleWordOccurrences body occurrences of their
// terms; a title derived from the text's first line adds nothing; counts of
// occurrences are the body's alone either way.

#include "searcher/ranking.h"

#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "searcher/searcher.h"
#include "searcher/span_weight.h"

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
    // A match the limit cut has a warning of its own ("while matching").
    if (warning.code != warning_code::kTimeLimit || warning.message.find("snippets") == std::string::npos) continue;
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

// A phrase weighs by its own occurrences and a NEAR by its matches
// (searcher/span_weight.h), not by their words' separate frequencies.
// Every document is 60 words long under the same title, so only the
// counts differ; the order is known from them.
class SpanRankingTest : public ::testing::Test {
 protected:
  // `parts` joined, then "filler" up to 60 words.
  static std::string text_of(const std::vector<std::string>& parts) {
    std::string text;
    std::size_t words = 0;
    for (const std::string& part : parts) {
      text += part + " ";
      words += static_cast<std::size_t>(std::count(part.begin(), part.end(), ' ')) + 1;
    }
    for (; words < 60; ++words) text += "filler ";
    return text;
  }
  static std::vector<std::string> repeated(const std::string& part, int times) {
    return std::vector<std::string>(static_cast<std::size_t>(times), part);
  }
  static std::vector<std::string> joined(std::vector<std::vector<std::string>> lists) {
    std::vector<std::string> out;
    for (auto& list : lists) out.insert(out.end(), list.begin(), list.end());
    return out;
  }

  static void SetUpTestSuite() {
    dir_ = new std::filesystem::path(testing::make_temp_dir("span-ranking"));
    index_ = (*dir_ / "idx").string();
    const std::string apart = "filler filler filler";
    testing::write_index(
        index_,
        {
            source_document("phrase-five", "Report", text_of(repeated("national debt " + apart, 5))),
            source_document("phrase-three", "Report", text_of(repeated("national debt " + apart, 3))),
            // Once as a phrase, its words eight more times each, apart.
            source_document(
                "phrase-once", "Report",
                text_of(joined(
                    {repeated("national " + apart, 8), {"national debt " + apart}, repeated("debt " + apart, 8)}))),
            // Its words only, never adjacent: no match.
            source_document("phrase-none", "Report",
                            text_of(joined({repeated("national " + apart, 5), repeated("debt " + apart, 5)}))),
            source_document("near-four", "Report", text_of(repeated("tax and reform " + apart, 4))),
            source_document(
                "near-once", "Report",
                text_of(
                    joined({repeated("tax " + apart, 6), {"tax reform " + apart}, repeated("reform " + apart, 6)}))),
        });
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  static SearchResults search(const std::string& query, bool rescored, bool explain = false) {
    SearcherOptions options;
    options.rescore_phrases = rescored;
    Searcher searcher(index_, options);
    SearchRequest request;
    request.query = query;
    request.snippets = false;
    request.explain = explain;
    request.collapse = false;  // the texts are near-duplicates of each other
    return searcher.search(request);
  }
  static std::vector<std::string> ids(const SearchResults& results) {
    std::vector<std::string> out;
    for (const SearchHit& hit : results.hits) out.push_back(hit.id);
    return out;
  }

  static std::filesystem::path* dir_;
  static std::string index_;
};

std::filesystem::path* SpanRankingTest::dir_ = nullptr;
std::string SpanRankingTest::index_;

TEST_F(SpanRankingTest, PhrasesAndNearRankByTheirOwnMatches) {
  struct Case {
    std::string query;
    std::vector<std::string> by_matches;  // the order, most matches first
  };
  const std::vector<Case> cases = {
      {"\"national debt\"", {"phrase-five", "phrase-three", "phrase-once"}},
      {"\"national debt\"~0", {"phrase-five", "phrase-three", "phrase-once"}},
      {"\"national debts\"~0", {"phrase-five", "phrase-three", "phrase-once"}},
      {"tax NEAR/2 reform", {"near-four", "near-once"}},
      {"\"tax and\" NEAR/1 reform", {"near-four"}},
      {"(\"tax and\" OR tax) NEAR/2 reform", {"near-four", "near-once"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query);
    const SearchResults results = search(c.query, /*rescored=*/true);
    EXPECT_EQ(ids(results), c.by_matches);
    for (std::size_t i = 1; i < results.hits.size(); ++i) EXPECT_GT(results.hits[i - 1].score, results.hits[i].score);
    // The same matches, whatever weighs them.
    EXPECT_EQ(search(c.query, /*rescored=*/false).total, results.total);
  }
  // Weighed by its words, the phrase once among many of them comes first.
  EXPECT_EQ(ids(search("\"national debt\"", /*rescored=*/false)).front(), "phrase-once");
  EXPECT_EQ(ids(search("tax NEAR/2 reform", /*rescored=*/false)).front(), "near-once");
}

TEST_F(SpanRankingTest, APhraseWeighsTheSameBesideOtherWordsAndExplainSumsToTheScore) {
  // Beside a word that these documents lack, the phrase weighs the same,
  // and --explain's parts (the phrase weighed alone among them) sum to
  // each score.
  const SearchResults phrase = search("\"national debt\"", true);
  const SearchResults with_word = search("\"national debt\" OR tax", true, /*explain=*/true);
  ASSERT_EQ(phrase.hits.size(), 3u);
  for (const SearchHit& hit : phrase.hits) {
    for (const SearchHit& other : with_word.hits) {
      if (other.id == hit.id) {
        EXPECT_NEAR(other.score, hit.score, 1e-9);
      }
    }
  }
  ASSERT_TRUE(with_word.explanation.has_value());
  for (const ScoreExplanation& score : with_word.explanation->scores) EXPECT_TRUE(score.sums_to_score) << score.id;
}

// More matches than the rescoring window (kRescoreWindow): its results are
// ranked by their own matches, those after it keep Xapian's order, and
// every page is cut from that one order.
TEST(SpanRescoringWindowTest, PagesAreCutFromOneOrderThatRescoresTheWindowOnly) {
  const std::filesystem::path dir = testing::make_temp_dir("span-window");
  const std::string index = (dir / "idx").string();
  std::vector<SourceDocument> docs;
  const int count = static_cast<int>(kRescoreWindow) + 30;
  for (int i = 0; i < count; ++i) {
    // The phrase 1-7 times; its words apart 0-11 more times; lengths vary.
    std::string text;
    for (int k = 0; k <= i % 7; ++k) text += "national debt filler filler ";
    for (int k = 0; k < i % 12; ++k) text += "national filler filler debt filler ";
    for (int k = 0; k < i % 5; ++k) text += "ledger" + std::to_string(i) + " ";
    docs.push_back(source_document("doc-" + std::to_string(i), "Report", text));
  }
  testing::write_index(index, docs);
  const auto ranked = [&](bool rescore, std::size_t offset, std::size_t limit, bool explain = false) {
    SearcherOptions options;
    options.rescore_phrases = rescore;
    Searcher searcher(index, options);
    SearchRequest request;
    request.query = "\"national debt\"";
    request.snippets = false;
    request.collapse = false;
    request.offset = offset;
    request.limit = limit;
    request.explain = explain;
    return searcher.search(request);
  };
  const SearchResults whole = ranked(true, 0, 0);
  const SearchResults plain = ranked(false, 0, 0);
  ASSERT_EQ(whole.hits.size(), static_cast<std::size_t>(count));
  ASSERT_EQ(plain.hits.size(), whole.hits.size());
  // The window holds Xapian's first results, reordered.
  std::set<std::string> window, first_by_xapian;
  for (std::size_t i = 0; i < kRescoreWindow; ++i) {
    window.insert(whole.hits[i].id);
    first_by_xapian.insert(plain.hits[i].id);
    if (i > 0) {
      EXPECT_GE(whole.hits[i - 1].score, whole.hits[i].score) << i;
    }
  }
  EXPECT_EQ(window, first_by_xapian);
  bool reordered = false;
  for (std::size_t i = 0; i < kRescoreWindow; ++i) reordered = reordered || whole.hits[i].id != plain.hits[i].id;
  EXPECT_TRUE(reordered);
  // After it, Xapian's order and scores.
  for (std::size_t i = kRescoreWindow; i < whole.hits.size(); ++i) {
    EXPECT_EQ(whole.hits[i].id, plain.hits[i].id) << i;
    EXPECT_DOUBLE_EQ(whole.hits[i].score, plain.hits[i].score) << i;
  }
  // Pages of 10 (one across the window's edge) are the whole list's.
  for (std::size_t offset = 0; offset < whole.hits.size(); offset += 10) {
    const SearchResults page = ranked(true, offset + 5, 10);
    for (std::size_t i = 0; i < page.hits.size(); ++i) {
      EXPECT_EQ(page.hits[i].id, whole.hits[offset + 5 + i].id) << offset + 5 + i;
      EXPECT_EQ(page.hits[i].rank, offset + 5 + i + 1);
    }
  }
  // --explain's parts sum to each score, on both sides of the edge.
  const SearchResults explained = ranked(true, kRescoreWindow - 3, 6, /*explain=*/true);
  ASSERT_TRUE(explained.explanation.has_value());
  ASSERT_EQ(explained.explanation->scores.size(), 6u);
  for (const ScoreExplanation& score : explained.explanation->scores) {
    EXPECT_TRUE(score.sums_to_score) << score.rank << " " << score.id;
  }
  std::filesystem::remove_all(dir);
}

TEST(SpanFrequencyTest, CountsMatchesLeftToRight) {
  struct Case {
    std::vector<std::vector<NearSpan>> spans;
    unsigned distance;
    std::size_t matches;
  };
  const std::vector<Case> cases = {
      {{{{1, 2}, {5, 6}, {7, 8}}}, 0, 3},                // a phrase: its occurrences
      {{{{1, 1}, {10, 10}}, {{2, 2}, {11, 11}}}, 0, 2},  // two adjacent pairs
      {{{{1, 1}, {10, 10}}, {{3, 3}, {11, 11}}}, 0, 1},  // one pair is a word apart
      {{{{1, 1}, {10, 10}}, {{3, 3}, {11, 11}}}, 1, 2},  // within one word
      {{{{1, 1}, {2, 2}, {3, 3}}, {{4, 4}}}, 5, 1},      // one "b" serves one match
      {{{{1, 1}}, {{2, 2}, {3, 3}, {4, 4}}}, 5, 1},      // one "a" likewise
      {{{{1, 1}, {5, 5}}, {{3, 3}}}, 1, 1},              // the first a-b match takes b
      {{{{4, 4}}, {{1, 1}}, {{7, 7}}}, 5, 1},            // three operands, any order
      {{{{4, 4}}, {{1, 1}}, {{9, 9}}}, 5, 0},            // too far apart
      {{{{1, 2}}, {{2, 2}}}, 3, 0},                      // overlapping spans never pair
      {{{}, {{1, 1}}}, 3, 0},                            // an operand absent
  };
  for (const Case& c : cases) {
    EXPECT_EQ(span_frequency(c.spans, c.distance), c.matches)
        << "distance " << c.distance << ", " << c.spans.size() << " operands";
  }
}

}  // namespace
}  // namespace policy
