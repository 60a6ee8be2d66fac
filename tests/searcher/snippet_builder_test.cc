// SnippetBuilder tables: which passage is chosen, what is highlighted, and
// the length and sentence bounds of the result.

#include "searcher/snippet_builder.h"

#include <gtest/gtest.h>

#include "core/analyzer.h"
#include "core/utf8.h"

#include "searcher/result_rendering.h"

namespace policy {
namespace {

std::vector<TokenOffsets> offsets_of(const std::vector<Token>& tokens) {
  std::vector<TokenOffsets> offsets;
  for (const Token& t : tokens) offsets.push_back({t.begin, t.end});
  return offsets;
}

// Every occurrence of the word sequence `phrase` (analysed) as a MatchSpan.
std::vector<MatchSpan> find(const std::vector<Token>& tokens, const Analyzer& analyzer,
                            const std::vector<std::string>& phrases) {
  std::vector<MatchSpan> spans;
  for (std::uint32_t unit = 0; unit < phrases.size(); ++unit) {
    const std::vector<Token> words = analyzer.analyze(phrases[unit]);
    for (std::size_t i = 0; i + words.size() <= tokens.size(); ++i) {
      bool all = true;
      for (std::size_t k = 0; k < words.size() && all; ++k) all = tokens[i + k].term == words[k].term;
      if (all) spans.push_back({static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(i + words.size() - 1), unit});
    }
  }
  return spans;
}

std::string filler(int sentences, const std::string& topic) {
  std::string out;
  for (int i = 0; i < sentences; ++i) {
    out += "Sentence " + std::to_string(i) + " about " + topic + " goes on for a while with ordinary words. ";
  }
  return out;
}

struct SnippetCase {
  std::string name;
  std::string text;
  std::vector<std::string> query_units;
  std::vector<std::string> expected_marked;  // each snippet with [[ ]] around highlights
};

TEST(SnippetBuilderTest, Table) {
  const std::string long_text = filler(10, "budgets") +
                                "The Green Envoys Program trains young people in biodiversity conservation. " +
                                filler(10, "meetings");
  const std::vector<SnippetCase> cases = {
      {"phrase highlighted as one unit",
       "ASEAN and China implement the “Green Envoys Program” for young people.",
       {"green envoys program"},
       {"ASEAN and China implement the “[[Green Envoys Program]]” for young people."}},
      {"two units in one sentence",
       "Air pollution in China is a shared challenge. Water is another.",
       {"pollution", "china"},
       {"Air [[pollution]] in [[China]] is a shared challenge. Water is another."}},
      {"line breaks fold to spaces",
       "First line of the paragraph\nsecond line with cap and\ntrading mechanisms.",
       {"cap and trading"},
       {"First line of the paragraph second line with [[cap and trading]] mechanisms."}},
      {"no match gives the opening passage",
       "An opening sentence. Another sentence follows it.",
       {"absent"},
       {"An opening sentence. Another sentence follows it."}},
  };
  Analyzer analyzer;
  SnippetBuilder builder;
  for (const SnippetCase& c : cases) {
    SCOPED_TRACE(c.name);
    const std::vector<Token> tokens = analyzer.analyze(c.text);
    const std::vector<Snippet> snippets =
        builder.build(c.text, offsets_of(tokens), find(tokens, analyzer, c.query_units));
    ASSERT_EQ(snippets.size(), c.expected_marked.size());
    for (std::size_t i = 0; i < snippets.size(); ++i) {
      EXPECT_EQ(mark_highlights(snippets[i], "[[", "]]"), c.expected_marked[i]);
    }
  }
}

TEST(SnippetBuilderTest, LongTextPassageIsSentenceAlignedAndBounded) {
  const std::string text = filler(10, "budgets") +
                           "The Green Envoys Program trains young people in biodiversity conservation. " +
                           filler(10, "meetings");
  Analyzer analyzer;
  SnippetBuilder builder;
  const std::vector<Token> tokens = analyzer.analyze(text);
  const std::vector<Snippet> snippets =
      builder.build(text, offsets_of(tokens), find(tokens, analyzer, {"green envoys program"}));
  ASSERT_EQ(snippets.size(), 1u);
  const Snippet& s = snippets[0];
  EXPECT_GE(s.text.size(), 150u);
  EXPECT_LE(s.text.size(), 320u + 6);  // plus the ellipses
  // Starts at the sentence holding the match, so no ellipsis.
  EXPECT_TRUE(s.text.starts_with("The Green Envoys Program")) << s.text;
  ASSERT_EQ(s.highlights.size(), 1u);
  EXPECT_EQ(s.text.substr(s.highlights[0].begin, s.highlights[0].end - s.highlights[0].begin), "Green Envoys Program");
  EXPECT_EQ(text.substr(s.source_begin, 24), "The Green Envoys Program");
}

TEST(SnippetBuilderTest, DistantMatchesGiveTwoPassagesInTextOrder) {
  const std::string text = "Biodiversity matters here. " + filler(30, "other things") + "Air quality matters there.";
  Analyzer analyzer;
  SnippetBuilder builder;
  const std::vector<Token> tokens = analyzer.analyze(text);
  const std::vector<Snippet> snippets =
      builder.build(text, offsets_of(tokens), find(tokens, analyzer, {"biodiversity", "air quality"}));
  ASSERT_EQ(snippets.size(), 2u);
  EXPECT_LT(snippets[0].source_begin, snippets[1].source_begin);
  EXPECT_NE(mark_highlights(snippets[0], "[[", "]]").find("[[Biodiversity]]"), std::string::npos);
  EXPECT_NE(mark_highlights(snippets[1], "[[", "]]").find("[[Air quality]]"), std::string::npos);
}

TEST(SnippetBuilderTest, PrefersThePassageWithMoreDistinctUnits) {
  const std::string text =
      "Water water water water. " + filler(20, "padding") + "Water and biodiversity meet in one sentence.";
  Analyzer analyzer;
  SnippetBuilder builder(SnippetOptions{240, 320, 1});
  const std::vector<Token> tokens = analyzer.analyze(text);
  const std::vector<Snippet> snippets =
      builder.build(text, offsets_of(tokens), find(tokens, analyzer, {"water", "biodiversity"}));
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_NE(mark_highlights(snippets[0], "[[", "]]").find("[[Water]] and [[biodiversity]]"), std::string::npos)
      << snippets[0].text;
}

TEST(SnippetBuilderTest, MultibyteTextIsCutOnCharacterBoundaries) {
  // No spaces at all: cuts must fall between tokens, not inside a character.
  std::string text;
  for (int i = 0; i < 60; ++i) text += "环境合作";
  text += "东盟绿色使者计划";
  for (int i = 0; i < 60; ++i) text += "环境合作";
  Analyzer analyzer;
  SnippetBuilder builder;
  const std::vector<Token> tokens = analyzer.analyze(text);
  const std::vector<Snippet> snippets = builder.build(text, offsets_of(tokens), find(tokens, analyzer, {"东盟"}));
  ASSERT_EQ(snippets.size(), 1u);
  // Valid UTF-8 throughout: every highlight and cut lands between characters.
  EXPECT_TRUE(is_valid_utf8(snippets[0].text));
  EXPECT_LE(snippets[0].text.size(), 320u + 6);
  EXPECT_NE(mark_highlights(snippets[0], "[[", "]]").find("[[东盟]]"), std::string::npos);
}

TEST(SnippetBuilderTest, OutOfRangeMatchesAreIgnored) {
  Analyzer analyzer;
  SnippetBuilder builder;
  const std::string text = "Short text.";
  const std::vector<Token> tokens = analyzer.analyze(text);
  const std::vector<Snippet> snippets = builder.build(text, offsets_of(tokens), {{5, 9, 0}, {1, 0, 0}});
  ASSERT_EQ(snippets.size(), 1u);
  EXPECT_EQ(snippets[0].text, "Short text.");
  EXPECT_TRUE(snippets[0].highlights.empty());
}

TEST(DistinctOccurrencesTest, SpansSharingAPositionAreOneOccurrence) {
  using Spans = std::vector<MatchSpan>;
  const auto positions = [](const Spans& spans) {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
    for (const MatchSpan& s : spans) out.emplace_back(s.first, s.last);
    return out;
  };
  const struct {
    const char* name;
    Spans spans;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> expected;
  } cases[] = {
      {"none", {}, {}},
      {"the same word twice", {{4, 4, 0}, {4, 4, 1}}, {{4, 4}}},
      {"a phrase and one of its words", {{7, 7, 1}, {6, 7, 0}}, {{6, 7}}},
      {"neighbours stay apart", {{3, 3, 0}, {4, 4, 0}}, {{3, 3}, {4, 4}}},
      {"a chain of overlaps is one span", {{1, 2, 0}, {2, 3, 1}, {3, 5, 2}}, {{1, 5}}},
      {"unsorted input", {{9, 9, 0}, {1, 1, 0}, {9, 9, 1}}, {{1, 1}, {9, 9}}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(positions(distinct_occurrences(c.spans)), c.expected) << c.name;
  }
}

}  // namespace
}  // namespace policy
