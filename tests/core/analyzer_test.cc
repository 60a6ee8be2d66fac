// Analyzer golden tables: tokens with positions and byte offsets, pinned in
// tests/golden/analyzer_tokens.tsv, and the stemming contract.

#include "core/analyzer.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/errors.h"

#include "tests/support/test_support.h"

namespace policy {
namespace {

// "term@position:begin-end" for each token, "+acronym" after an acronym's,
// space-separated.
std::string render(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (!out.empty()) out += ' ';
    out += t.term + "@" + std::to_string(t.position) + ":" + std::to_string(t.begin) + "-" + std::to_string(t.end);
    if (t.acronym) out += "+acronym";
  }
  return out;
}

TEST(AnalyzerTest, GoldenTokenTable) {
  const auto path = testing::source_path("tests/golden/analyzer_tokens.tsv");
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  Analyzer analyzer;
  int cases = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const std::vector<std::string> fields = testing::split_tsv_line(line);
    ASSERT_EQ(fields.size(), 2u) << line;
    SCOPED_TRACE("input: " + fields[0]);
    EXPECT_EQ(render(analyzer.analyze(fields[0])), fields[1]);
    ++cases;
  }
  EXPECT_GE(cases, 30);
}

// Every token's bytes, analysed alone, give back the same term: offsets point
// at exactly the text a snippet will highlight.
TEST(AnalyzerTest, OffsetsCoverTheTokenText) {
  Analyzer analyzer;
  const std::string text =
      "EPA’s ASEAN-China S&ED (2016-2020): PM2.5, U.S. e-waste. Café “Green Envoys” "
      "中国与东盟环境合作 สวัสดีครับ";
  for (const Token& t : analyzer.analyze(text)) {
    SCOPED_TRACE(t.term);
    ASSERT_LE(t.end, text.size());
    const std::vector<Token> again = analyzer.analyze(text.substr(t.begin, t.end - t.begin));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].term, t.term);
  }
}

TEST(AnalyzerTest, PositionsAreConsecutive) {
  Analyzer analyzer;
  const std::vector<Token> tokens = analyzer.analyze("one, two... three! -- four (five) 六七");
  for (std::size_t i = 0; i < tokens.size(); ++i) EXPECT_EQ(tokens[i].position, i);
}

// The acronym mark is the written form's, so a query word and the same
// word in a document agree: "US" and "U.S." are acronyms alone as in a
// sentence, "us" and a heading's "US" are not.
TEST(AnalyzerTest, AcronymMarkIsTheSameInQueriesAndDocuments) {
  Analyzer analyzer;
  struct Case {
    std::string query_word;
    std::string sentence;  // holds query_word
    bool acronym;
  };
  const std::vector<Case> cases = {
      {"US", "The US said so.", true}, {"U.S.", "The U.S. said so.", true}, {"WHO", "Ask the WHO first.", true},
      {"us", "Tell us more.", false},  {"who", "People who care.", false},  {"EPA", "The EPA’s plan.", true},
      {"Who", "Who cares?", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.query_word);
    const std::vector<Token> alone = analyzer.analyze(c.query_word);
    ASSERT_EQ(alone.size(), 1u);
    EXPECT_EQ(alone[0].acronym, c.acronym);
    const std::size_t at = c.sentence.find(c.query_word);
    for (const Token& t : analyzer.analyze(c.sentence)) {
      if (t.begin == at) {
        EXPECT_EQ(t.acronym, c.acronym);
      }
    }
  }
}

TEST(AnalyzerTest, StemsEnglishByDefault) {
  Analyzer analyzer;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"cooperation", "cooper"}, {"environmental", "environment"},
      {"policies", "polici"},    {"trading", "trade"},
      {"pm2.5", "pm2.5"},        {"中国", "中国"},
  };
  for (const auto& [word, stem] : cases) {
    SCOPED_TRACE(word);
    EXPECT_EQ(analyzer.stem(word), stem);
  }
}

TEST(AnalyzerTest, StemmingCanBeDisabledOrChanged) {
  Analyzer none(AnalyzerOptions{"none"});
  EXPECT_EQ(none.stem("policies"), "policies");
  EXPECT_EQ(none.version(), "policy-analyzer/" + std::to_string(kAnalyzerVersion) + " stem=none");
  Analyzer french(AnalyzerOptions{"french"});
  EXPECT_EQ(french.stem("environnementales"), "environnemental");
}

TEST(AnalyzerTest, UnknownStemLanguageIsAClearError) {
  try {
    Analyzer bad(AnalyzerOptions{"klingon"});
    FAIL() << "expected an error";
  } catch (const RequestError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown stemming language 'klingon'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("english"), std::string::npos);
  }
}

TEST(AnalyzerTest, OverlongWordsAreNotTokens) {
  Analyzer analyzer;
  const std::string text = "before " + std::string(500, 'x') + " after";
  EXPECT_EQ(render(analyzer.analyze(text)), "before@0:0-6 after@1:508-513");
}

TEST(AnalyzerTest, InvalidUtf8NeverBecomesATokenOrCrashes) {
  Analyzer analyzer;
  const std::string text = std::string("ok \xFF\xFE bad \xC3") + " end";
  const std::vector<Token> tokens = analyzer.analyze(text);
  ASSERT_GE(tokens.size(), 3u);
  EXPECT_EQ(tokens.front().term, "ok");
  EXPECT_EQ(tokens.back().term, "end");
}

}  // namespace
}  // namespace policy
