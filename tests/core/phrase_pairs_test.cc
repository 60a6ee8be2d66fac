// Tests of the common words and their pair terms (core/phrase_pairs.h):
// which words a build chooses, how they are stored and shared by shards,
// and which pair postings a document gets.

#include "core/phrase_pairs.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/analyzer.h"
#include "core/errors.h"

namespace policy {
namespace {

std::vector<std::vector<Token>> analysed(const std::vector<std::string>& texts) {
  const Analyzer analyzer;
  std::vector<std::vector<Token>> documents;
  for (const std::string& text : texts) documents.push_back(analyzer.analyze(text));
  return documents;
}

// A pair posting share no sample can reach: the choice by documents alone.
constexpr double kNoBudget = 1e9;

std::vector<std::string> listed(const CommonWords& words) { return {words.words().begin(), words.words().end()}; }

TEST(CommonWordsTest, ChoosesTheWordsMostDocumentsHold) {
  const struct {
    const char* name;
    std::vector<std::string> texts;
    std::vector<std::string> expected;
  } cases[] = {
      {"a word in one document only is never common", {"alpha beta", "alpha gamma"}, {"alpha"}},
      {"documents, not occurrences, rank first",
       {"beta beta beta alpha", "alpha delta", "alpha delta beta", "delta"},
       {"alpha", "beta", "delta"}},
      {"nothing to choose from", {}, {}},
      {"case folds as the analyzer does", {"Climate change", "climate CHANGE"}, {"change", "climate"}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(listed(CommonWords::choose(analysed(c.texts), kNoBudget)), c.expected) << c.name;
  }
}

TEST(CommonWordsTest, KeepsAtMostTheLimitPreferringMoreDocumentsThenMoreOccurrences) {
  // Word i is held by 2 + i % 7 documents and occurs i times more in the first.
  std::vector<std::string> texts(10);
  const std::size_t distinct = CommonWords::kCommonWords + 40;
  for (std::size_t i = 0; i < distinct; ++i) {
    const std::string word = "w" + std::string(1, static_cast<char>('a' + i / 26 % 26)) +
                             std::string(1, static_cast<char>('a' + i % 26)) + "x";
    for (std::size_t d = 0; d < 2 + i % 7; ++d) texts[d] += word + " ";
    for (std::size_t k = 0; k < i % 5; ++k) texts[0] += word + " ";
  }
  const CommonWords chosen = CommonWords::choose(analysed(texts), kNoBudget);
  ASSERT_EQ(chosen.size(), CommonWords::kCommonWords);
  // Every word held by 8 documents (i % 7 == 6) outranks every word held by 2.
  EXPECT_TRUE(chosen.contains("wagx"));   // i = 6
  EXPECT_FALSE(chosen.contains("waax"));  // i = 0: two documents, no extra occurrence
}

TEST(CommonWordsTest, PairsStayWithinTheirShareOfThePostings) {
  // Each document: "of the" and eight filler words, each filler held by
  // two documents. "of" and "the" are held by every document, and "of the"
  // alone is one pair posting per document, a tenth of the word postings.
  std::vector<std::string> texts;
  for (int d = 0; d < 20; ++d) {
    std::string text = "of the";
    for (int k = 0; k < 8; ++k) text += " filler" + std::string(1, static_cast<char>('a' + (d / 2 * 8 + k) % 26));
    texts.push_back(text);
  }
  const CommonWords within_budget = CommonWords::choose(analysed(texts), 0.05);
  EXPECT_NE(within_budget.contains("of"), within_budget.contains("the"));
  const CommonWords with_room = CommonWords::choose(analysed(texts), 0.2);
  EXPECT_TRUE(with_room.contains("of") && with_room.contains("the"));
}

TEST(CommonWordsTest, LongWordsAreNeverCommon) {
  const std::string long_word(CommonWords::kMaxWordBytes + 1, 'q');
  const CommonWords chosen = CommonWords::choose(analysed({long_word + " short", long_word + " short"}), kNoBudget);
  EXPECT_EQ(listed(chosen), std::vector<std::string>{"short"});
}

TEST(CommonWordsTest, StoredFormRoundTripsAndRejectsWhatIsNoWord) {
  const CommonWords words(std::set<std::string, std::less<>>{"of", "the", "climate"});
  EXPECT_EQ(words.serialise(), "climate\nof\nthe");
  EXPECT_EQ(listed(CommonWords::parse(words.serialise())), listed(words));
  EXPECT_TRUE(CommonWords::parse("").empty());
  for (const std::string& bad :
       std::vector<std::string>{"of\n\nthe", "two words", std::string(CommonWords::kMaxWordBytes + 1, 'x')}) {
    EXPECT_THROW(CommonWords::parse(bad), CorruptDataError) << bad;
  }
}

TEST(CommonWordsTest, ShardsShareOnlyTheWordsCommonInEach) {
  const CommonWords a(std::set<std::string, std::less<>>{"of", "the", "climate"});
  const CommonWords b(std::set<std::string, std::less<>>{"of", "the", "trade"});
  EXPECT_EQ(listed(CommonWords::shared({a, b})), (std::vector<std::string>{"of", "the"}));
  EXPECT_EQ(listed(CommonWords::shared({a})), listed(a));
  EXPECT_TRUE(CommonWords::shared({}).empty());
  EXPECT_TRUE(CommonWords::shared({a, CommonWords()}).empty());
}

TEST(CommonWordsTest, BooleanPairTermsForAdjacentCommonWords) {
  const CommonWords words(std::set<std::string, std::less<>>{"of", "the", "climate", "change"});
  const Analyzer analyzer;
  Xapian::Document doc;
  words.add_pair_postings(analyzer.analyze("The climate change of the rare climate change. The"), doc);
  // No positions and no wdf: the document's length, and so its scores,
  // are the same with pairs as without.
  std::vector<std::string> pairs;
  for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
    EXPECT_EQ(term.positionlist_count(), 0u) << *term;
    EXPECT_EQ(term.get_wdf(), 0u) << *term;
    pairs.push_back(*term);
  }
  const std::vector<std::string> expected = {"Wchange of", "Wchange the", "Wclimate change", "Wof the", "Wthe climate"};
  EXPECT_EQ(pairs, expected);
  EXPECT_EQ(pair_term("climate", "change"), "Wclimate change");
}

TEST(CommonWordsTest, NoCommonWordsNoPairs) {
  const Analyzer analyzer;
  Xapian::Document doc;
  CommonWords().add_pair_postings(analyzer.analyze("the climate change of the"), doc);
  EXPECT_EQ(doc.termlist_count(), 0u);
}

}  // namespace
}  // namespace policy
