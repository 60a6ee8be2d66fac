// Tests of keyword in context (kwic.h): lines cut from the analyzer's
// offsets with context measured in characters, sorting that keeps document
// order among equals, aligned formatting, and the sort names.

#include "searcher/kwic.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/analyzer.h"

namespace policy {
namespace {

// A stored document whose offsets come from the analyzer, as the index
// writer stores them.
StoredDocument analysed(const std::string& id, const std::string& text, const std::string& year = "") {
  StoredDocument doc;
  doc.id = id;
  doc.text = text;
  doc.fields = nlohmann::json::object();
  if (!year.empty()) doc.fields["year"] = {year};
  doc.fields["organisation"] = {"ASEAN Secretariat"};
  Analyzer analyzer;
  for (const Token& token : analyzer.analyze(text)) doc.offsets.push_back({token.begin, token.end});
  return doc;
}

TEST(KwicTest, LinesAreCutFromTheOffsetsWithContextInCharacters) {
  const StoredDocument doc = analysed("d", "Clean water\nfor all: the water plan of Zürich’s water board.", "2016");
  // Tokens: 0 clean 1 water 2 for 3 all 4 the 5 water 6 plan 7 of 8 zurich 9 water 10 board
  const struct {
    MatchSpan span;
    std::size_t width;
    std::string left, match, right;
  } cases[] = {
      {{1, 1, 0}, 6, "Clean ", "water", " for a"},  // the line break folds to one space
      {{5, 6, 0}, 8, "ll: the ", "water plan", " of Züri"},
      {{9, 9, 0}, 3, "’s ", "water", " bo"},  // widths count characters, not bytes
      {{0, 0, 0}, 10, "", "Clean", " water for"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.match);
    const std::vector<KwicLine> lines = build_kwic_lines(doc, {c.span}, c.width);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].left, c.left);
    EXPECT_EQ(lines[0].match, c.match);
    EXPECT_EQ(lines[0].right, c.right);
    EXPECT_EQ(lines[0].year, "2016");
    EXPECT_EQ(lines[0].organisations, std::vector<std::string>{"ASEAN Secretariat"});
    EXPECT_EQ(doc.text.substr(lines[0].begin, 5), c.match.substr(0, 5));
  }
  // Spans past the offsets are dropped; the rest come in text order.
  const std::vector<KwicLine> lines = build_kwic_lines(doc, {{9, 9, 0}, {99, 99, 0}, {1, 1, 0}}, 5);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_LT(lines[0].begin, lines[1].begin);
}

TEST(KwicTest, SortingKeepsDocumentOrderAmongEquals) {
  auto line = [](std::string id, std::string year, std::string left, std::string right) {
    KwicLine l;
    l.doc_id = std::move(id);
    l.year = std::move(year);
    l.left = std::move(left);
    l.right = std::move(right);
    return l;
  };
  const std::vector<KwicLine> found = {line("1", "2016", "x beta", "Zeta"), line("2", "", "y alpha", "eta"),
                                       line("3", "2010", "gamma", "zeta"), line("4", "2016", "Y Alpha", "Eta")};
  auto ids = [](const std::vector<KwicLine>& lines) {
    std::string out;
    for (const KwicLine& l : lines) out += l.doc_id;
    return out;
  };
  const struct {
    KwicOrder order;
    std::string ids;
  } cases[] = {
      {KwicOrder::kDocument, "1234"},
      {KwicOrder::kLeft, "2413"},   // "alpha y" twice (case is ignored), beta, gamma
      {KwicOrder::kRight, "2413"},  // eta, eta, zeta, zeta: case is ignored
      {KwicOrder::kYear, "3142"},   // undated last
  };
  for (const auto& c : cases) {
    std::vector<KwicLine> lines = found;
    sort_kwic(lines, c.order);
    EXPECT_EQ(ids(lines), c.ids) << static_cast<int>(c.order);
  }
}

TEST(KwicTest, FormattedLinesAlignTheirMatches) {
  KwicLine line;
  line.doc_id = "été";
  line.year = "2016";
  line.left = "the ";
  line.match = "water";
  line.right = " plan";
  EXPECT_EQ(format_kwic_line(line, 8, "[", "]", 5), "été    2016 |     the [water] plan");
  line.year = "";
  EXPECT_EQ(format_kwic_line(line, 2, "<", ">", 0), "été  ---- | the <water> plan");
}

TEST(KwicTest, SortNames) {
  EXPECT_EQ(parse_kwic_order("doc"), KwicOrder::kDocument);
  EXPECT_EQ(parse_kwic_order("left"), KwicOrder::kLeft);
  EXPECT_EQ(parse_kwic_order("right"), KwicOrder::kRight);
  EXPECT_EQ(parse_kwic_order("year"), KwicOrder::kYear);
  EXPECT_EQ(parse_kwic_order("Year"), std::nullopt);
  EXPECT_EQ(parse_kwic_order(""), std::nullopt);
}

}  // namespace
}  // namespace policy
