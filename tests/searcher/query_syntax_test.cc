// Tests for the query syntax parser: the golden table, every error with its
// hint, node positions, limits, and a deterministic fuzz run with a round
// trip through a query-string rendering of the tree.

#include "searcher/query_syntax.h"

#include <pthread.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/invariants.h"

#ifndef POLICY_SOURCE_DIR
#error "POLICY_SOURCE_DIR must be defined as the repository root (a string literal)"
#endif

namespace policy {
namespace {

using Kind = QueryNode::Kind;

// describe() of the tree, or "ERROR@<pos>: <message>".
std::string Outcome(std::string_view query, const QueryLimits& limits = {}) {
  try {
    return describe(parse_query_syntax(query, limits));
  } catch (const QuerySyntaxError& error) {
    return "ERROR@" + std::to_string(error.position()) + ": " + error.message();
  }
}

// ---------------------------------------------------------------------------
// Golden table.

// Decodes \t \n \r \\ \xNN; nullopt for any other backslash sequence.
std::optional<std::string> Unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
      continue;
    }
    if (i + 1 >= text.size()) return std::nullopt;
    const char code = text[++i];
    if (code == 't') {
      out += '\t';
    } else if (code == 'n') {
      out += '\n';
    } else if (code == 'r') {
      out += '\r';
    } else if (code == '\\') {
      out += '\\';
    } else if (code == 'x' && i + 2 < text.size()) {
      const std::string hex(text.substr(i + 1, 2));
      if (hex.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos) {
        return std::nullopt;
      }
      out += static_cast<char>(std::stoi(hex, nullptr, 16));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

struct GoldenCase {
  int line = 0;
  std::string raw_query;  // as written in the file, for messages
  std::string query;
  std::string expected;
};

std::vector<GoldenCase> ReadGolden(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot open " << path;
  std::vector<GoldenCase> cases;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      ADD_FAILURE() << path << ":" << number << ": no TAB between query and expected";
      continue;
    }
    GoldenCase golden;
    golden.line = number;
    golden.raw_query = line.substr(0, tab);
    golden.expected = line.substr(tab + 1);
    const std::optional<std::string> query = Unescape(golden.raw_query);
    if (!query) {
      ADD_FAILURE() << path << ":" << number << ": bad escape in query";
      continue;
    }
    golden.query = *query;
    cases.push_back(golden);
  }
  return cases;
}

TEST(QuerySyntaxGoldenTest, MatchesTable) {
  const std::string path = POLICY_SOURCE_DIR "/tests/golden/query_syntax.tsv";
  const std::vector<GoldenCase> cases = ReadGolden(path);
  EXPECT_GE(cases.size(), 60u);
  for (const GoldenCase& golden : cases) {
    SCOPED_TRACE(path + ":" + std::to_string(golden.line) + ": " + golden.raw_query);
    EXPECT_EQ(Outcome(golden.query), golden.expected);
  }
}

TEST(QuerySyntaxGoldenTest, UnescapeRejectsUnknownEscapes) {
  EXPECT_EQ(Unescape("a\\tb\\\\c\\x41\\n"), std::optional<std::string>("a\tb\\cA\n"));
  EXPECT_EQ(Unescape("a\\qb"), std::nullopt);
  EXPECT_EQ(Unescape("a\\x4"), std::nullopt);
  EXPECT_EQ(Unescape("a\\"), std::nullopt);
}

// ---------------------------------------------------------------------------
// Errors: every kind, with position, message and hint.

struct ErrorCase {
  std::string query;
  std::size_t position;
  std::string message;
  std::string hint;
};

TEST(QuerySyntaxErrorTest, EveryErrorHasPositionMessageAndHint) {
  const std::vector<ErrorCase> cases = {
      {"", 0, "empty query", "type at least one word to search for"},
      {" \t\n\r", 0, "empty query", "type at least one word to search for"},
      {"energy law, \"green deal", 12, "unterminated phrase", "close the quote or remove it"},
      {"a \xE2\x80\x9Cx", 2, "unterminated phrase", "close the quote or remove it"},
      {"\"\"", 0, "empty phrase", "put words between the quotes, or remove them"},
      {"a ()", 2, "empty parentheses", "put terms inside the parentheses, or remove them"},
      {"(a OR b", 0, "unclosed '('", "add a matching ')' or remove the '('"},
      {"a (", 2, "unclosed '('", "add a matching ')' or remove the '('"},
      {"a b)", 3, "unmatched ')'", "remove it or add a matching '('"},
      {") a", 0, "unmatched ')'", "remove it or add a matching '('"},
      {"a OR", 2, "OR has no term after it", "add a term after OR, or remove it"},
      {"OR a", 0, "OR has no term before it", "add a term before OR, or remove it"},
      {"AND OR", 0, "AND has no term before it", "add a term before AND, or remove it"},
      {"a AND OR b", 2, "missing term between AND and OR", "put a term between them, or remove one of them"},
      {"NOT", 0, "NOT has no term after it", "add a term after NOT, or remove it"},
      {"a NOT)", 2, "NOT has no term after it", "add a term after NOT, or remove it"},
      {"NEAR/3 a", 0, "NEAR/3 has no term before it", "add a term before NEAR/3, or remove it"},
      {"a NEAR/3", 2, "NEAR/3 has no term after it", "add a term after NEAR/3, or remove it"},
      {"a NEAR b", 2, "NEAR without a distance", "write NEAR/n, e.g. NEAR/5"},
      {"a NEAR/ b", 2, "malformed NEAR operator", "write NEAR/n with n a number from 0 to 1000, e.g. NEAR/5"},
      {"a NEAR/1001 b", 2, "NEAR distance above the limit of 1000", "use a distance from 0 to 1000, e.g. NEAR/5"},
      {"a NEAR/3 b NEAR/4 c", 11, "different NEAR distances in one chain",
       "use one distance, or group with parentheses, e.g. (a NEAR/3 b) NEAR/5 c"},
      {"*", 0, "'*' without a prefix", "put at least one character before the wildcard, e.g. environ* or te?ror"},
      {"a near/5 b", 2, "'near/5' is not an operator", "operators are upper case: NEAR/5"},
      {"a || b ~c", 7, "'~' before a word", "to exclude a word write -word; for similar spellings write word~1"},
      {"a | b", 2, "'|' is not an operator", "write OR (or ||)"},
      {"year:[2000 TO 2010]", 5, "ranges are not written with brackets", "write year:2000..2010 (a range of years)"},
      {"a^x", 1, "'^' must be followed by a boost",
       "write a number from 0 to 1000 with at most three decimals, e.g. tariff^2"},
      {"\"a * b\"", 3, "'*' inside a phrase must end a word",
       "write a prefix as the end of a word, e.g. \"national debt*\"; a '*' for a whole word is not supported"},
      {"x title:", 2, "field \"title\" has no value", "write the value right after the colon, e.g. title:water"},
      {"Title: x", 0, "field \"Title\" has no value", "write the value right after the colon, e.g. Title:water"},
      {"title:-coal", 6, "a field value cannot start with '-'",
       "to exclude, put the '-' before the field: -title:word"},
      {"title:(a body:b)", 9, "field \"body\" inside a field group",
       "a field before '(' applies to everything inside; remove one of the two fields"},
      {"a - b", 2, "'-' is not directly followed by a term",
       "write -word with no space to exclude a word, e.g. -coal, or remove the '-'"},
      {"ab\xFF", 2, "invalid UTF-8 (byte 0xFF)",
       "the query must be UTF-8 text; check the encoding of the terminal or client"},
      {std::string("a\0b", 3), 1, "control character 0x00 in the query",
       "remove it; only spaces, tabs and line breaks may separate words"},
      {std::string(4097, 'a'), 4096, "query too long (4097 bytes; the limit is 4096)", "shorten the query"},
      {std::string(33, '(') + "a" + std::string(33, ')'), 32,
       "query nested too deeply (more than 32 levels of parentheses and NOT)", "remove unneeded parentheses or NOTs"},
  };
  for (const ErrorCase& expected : cases) {
    SCOPED_TRACE("query: " + expected.query.substr(0, 80));
    try {
      const QueryNode node = parse_query_syntax(expected.query);
      ADD_FAILURE() << "parsed as " << describe(node);
    } catch (const QuerySyntaxError& error) {
      EXPECT_EQ(error.position(), expected.position);
      EXPECT_EQ(error.message(), expected.message);
      EXPECT_EQ(error.hint(), expected.hint);
      EXPECT_EQ(std::string(error.what()),
                expected.message + " (at position " + std::to_string(expected.position) + "); hint: " + expected.hint);
    }
  }
}

TEST(QuerySyntaxErrorTest, WhatFormat) {
  const QuerySyntaxError with_hint("unterminated phrase", 12, "close the quote or remove it");
  EXPECT_STREQ(with_hint.what(), "unterminated phrase (at position 12); hint: close the quote or remove it");
  const QuerySyntaxError without_hint("bad", 0, "");
  EXPECT_STREQ(without_hint.what(), "bad (at position 0)");
  EXPECT_EQ(without_hint.message(), "bad");
  EXPECT_EQ(without_hint.hint(), "");
}

// ---------------------------------------------------------------------------
// Positions.

// Like describe(), with "@position" after every node's name.
std::string DescribeWithPositions(const QueryNode& node) {
  static const char* const kNames[] = {"WORD", "PHRASE", "WILDCARD", "AND",   "OR",
                                       "NOT",  "NEAR",   "PATTERN",  "FUZZY", "PROXIMITY"};
  std::string out = "(";
  out += kNames[static_cast<int>(node.kind)];
  if (node.kind == Kind::kNear) out += "/" + std::to_string(node.near_distance);
  out += "@" + std::to_string(node.position);
  if (node.children.empty()) out += " " + (node.field.empty() ? "" : node.field + ":") + node.text;
  for (const QueryNode& child : node.children) out += " " + DescribeWithPositions(child);
  return out + ")";
}

TEST(QuerySyntaxPositionTest, NodesStartAtTheirFirstByte) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a b", "(AND@0 (WORD@0 a) (WORD@2 b))"},
      {"  x", "(WORD@2 x)"},
      {"-a", "(NOT@0 (WORD@1 a))"},
      {"NOT  a", "(NOT@0 (WORD@5 a))"},
      {"x title:y", "(AND@0 (WORD@0 x) (WORD@2 title:y))"},
      {"x title:\"y z\"", "(AND@0 (WORD@0 x) (PHRASE@2 title:y z))"},
      {"title:(a b)", "(AND@7 (WORD@7 title:a) (WORD@9 title:b))"},
      {"x \xE2\x80\x9Cy z\xE2\x80\x9D", "(AND@0 (WORD@0 x) (PHRASE@2 y z))"},
      {"(a OR b) NEAR/2 c", "(NEAR/2@1 (OR@1 (WORD@1 a) (WORD@6 b)) (WORD@16 c))"},
      {"\xC3\xA9 b", "(AND@0 (WORD@0 \xC3\xA9) (WORD@3 b))"},
      {"a\xE3\x80\x80z", "(AND@0 (WORD@0 a) (WORD@4 z))"},
      {"x OR -(y z*)", "(OR@0 (WORD@0 x) (NOT@5 (AND@7 (WORD@7 y) (WILDCARD@9 z))))"},
      {"+a !b", "(AND@1 (WORD@1 a) (NOT@3 (WORD@4 b)))"},
      {"x \"a b\"~2 te?ror y~1", "(AND@0 (WORD@0 x) (PROXIMITY@2 a b) (PATTERN@10 te?ror) (FUZZY@17 y))"},
  };
  for (const auto& [query, expected] : cases) {
    SCOPED_TRACE("query: " + query);
    EXPECT_EQ(DescribeWithPositions(parse_query_syntax(query)), expected);
  }
}

// ---------------------------------------------------------------------------
// describe().

TEST(QuerySyntaxDescribeTest, EscapesQuotesBackslashesAndControlBytes) {
  QueryNode word;
  word.text = "a\"b\\c\td\ne\rf\x01g\x7fh\xC3\xA9";
  word.field = "title";
  EXPECT_EQ(describe(word), "(WORD title:\"a\\\"b\\\\c\\td\\ne\\rf\\x01g\\x7Fh\xC3\xA9\")");
}

TEST(QuerySyntaxDescribeTest, AllKinds) {
  EXPECT_EQ(describe(parse_query_syntax("a* \"b c\" d NEAR/7 e -f g OR h")),
            "(OR (AND (WILDCARD \"a\") (PHRASE \"b c\") (NEAR/7 (WORD \"d\") (WORD \"e\")) "
            "(NOT (WORD \"f\")) (WORD \"g\")) (WORD \"h\"))");
  EXPECT_EQ(describe(parse_query_syntax("te?ror x~1 \"a b\"~3 y^2")),
            "(AND (PATTERN \"te?ror\") (FUZZY~1 \"x\") (PHRASE~3 \"a b\") (WORD \"y\")^2)");
}

// After '+' or '-', operator spellings are words of every kind, and the
// rendering used by the round-trip checks keeps them words.
TEST(QuerySyntaxDescribeTest, OperatorSpellingsAfterPlusRoundTrip) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"a +NEAR/05O~", "(AND (WORD \"a\") (FUZZY~2 \"NEAR/05O\"))"},
      {"+NEAR/5", "(WORD \"NEAR/5\")"},
      {"+NEAR/5*", "(WILDCARD \"NEAR/5\")"},
      {"+OR~1", "(FUZZY~1 \"OR\")"},
      {"+NEAR/?5", "(PATTERN \"NEAR/?5\")"},
      {"-NOT~1", "(NOT (FUZZY~1 \"NOT\"))"},
  };
  for (const auto& [query, expected] : cases) {
    SCOPED_TRACE("query: " + query);
    const QueryNode tree = parse_query_syntax(query);
    EXPECT_EQ(describe(tree), expected);
    EXPECT_EQ(describe(parse_query_syntax(testing::query_text_of(tree))), expected);
  }
}

// ---------------------------------------------------------------------------
// Limits.

std::string Repeat(std::string_view part, std::size_t times) {
  std::string out;
  out.reserve(part.size() * times);
  for (std::size_t i = 0; i < times; ++i) out += part;
  return out;
}

QueryLimits Unlimited() {
  QueryLimits limits;
  limits.max_query_bytes = std::numeric_limits<std::size_t>::max();
  limits.max_clauses = std::numeric_limits<std::size_t>::max();
  limits.max_words = std::numeric_limits<std::size_t>::max();
  limits.max_depth = std::numeric_limits<std::size_t>::max();
  limits.max_near_distance = std::numeric_limits<unsigned>::max();
  return limits;
}

TEST(QuerySyntaxLimitsTest, QueryBytes) {
  EXPECT_EQ(Outcome(std::string(4096, 'a')), "(WORD \"" + std::string(4096, 'a') + "\")");
  QueryLimits limits;
  limits.max_query_bytes = 5;
  EXPECT_EQ(Outcome("abcde", limits), "(WORD \"abcde\")");
  EXPECT_EQ(Outcome("abc de", limits), "ERROR@5: query too long (6 bytes; the limit is 5)");
}

// Plain words have a limit of their own, high enough for a pasted
// paragraph; phrases, wildcards, patterns, fuzzy words and proximities share
// the lower one. Operators count in neither.
TEST(QuerySyntaxLimitsTest, WordsAndClauses) {
  const std::string words_1024 = Repeat("w ", 1024);
  EXPECT_EQ(parse_query_syntax(words_1024).children.size(), 1024u);
  EXPECT_EQ(Outcome(words_1024 + "x"), "ERROR@2048: too many words (more than 1024)");
  const std::string phrases_256 = Repeat("\"a b\" ", 256);
  EXPECT_EQ(parse_query_syntax(phrases_256 + Repeat("w ", 100)).children.size(), 356u);
  EXPECT_EQ(Outcome(phrases_256 + "x*"), "ERROR@1536: too many phrases, wildcards and fuzzy words (more than 256)");
  QueryLimits limits;
  limits.max_clauses = 3;
  limits.max_words = 2;
  EXPECT_EQ(Outcome("a OR \"b c\" AND NOT d* e", limits),
            "(OR (WORD \"a\") (AND (PHRASE \"b c\") (NOT (WILDCARD \"d\")) (WORD \"e\")))");
  EXPECT_EQ(Outcome("a \"b c\" d* e f", limits), "ERROR@13: too many words (more than 2)");
  EXPECT_EQ(Outcome("\"b c\" d* e~1 f?g", limits),
            "ERROR@13: too many phrases, wildcards and fuzzy words (more than 3)");
  limits.max_words = 0;
  EXPECT_EQ(Outcome("a", limits), "ERROR@0: too many words (more than 0)");
}

TEST(QuerySyntaxLimitsTest, DepthCountsParenthesesAndNot) {
  const std::string nested_32 = Repeat("(", 32) + "a" + Repeat(")", 32);
  EXPECT_EQ(Outcome(nested_32), "(WORD \"a\")");
  EXPECT_EQ(Outcome(Repeat("NOT ", 32) + "a").substr(0, 5), "(NOT ");
  EXPECT_EQ(Outcome(Repeat("-", 33) + "a"),
            "ERROR@32: query nested too deeply (more than 32 levels of parentheses and NOT)");
  EXPECT_EQ(Outcome(Repeat("(-", 17) + "a" + Repeat(")", 17)),
            "ERROR@32: query nested too deeply (more than 32 levels of parentheses and NOT)");
  // Siblings do not add up: depth is nesting, not count.
  EXPECT_EQ(Outcome(Repeat("(-a) ", 40)).substr(0, 10), "(AND (NOT ");
  QueryLimits limits;
  limits.max_depth = 0;
  EXPECT_EQ(Outcome("a b", limits), "(AND (WORD \"a\") (WORD \"b\"))");
  EXPECT_EQ(Outcome("(a)", limits), "ERROR@0: query nested too deeply (more than 0 levels of parentheses and NOT)");
}

TEST(QuerySyntaxLimitsTest, DeepNestingIsAnErrorNotAStackOverflow) {
  const std::string parens = Repeat("(", 10000) + "a" + Repeat(")", 10000);
  EXPECT_EQ(Outcome(parens, Unlimited()).substr(0, 10), "ERROR@256:");
  const std::string open_only = Repeat("(", 10000);
  EXPECT_EQ(Outcome(open_only, Unlimited()).substr(0, 10), "ERROR@256:");
  EXPECT_EQ(Outcome(Repeat("(", 4000)).substr(0, 9), "ERROR@32:");
  EXPECT_EQ(Outcome(Repeat("-", 100000) + "a", Unlimited()).substr(0, 10), "ERROR@256:");
  EXPECT_EQ(Outcome(Repeat("NOT ", 10000) + "a", Unlimited()).substr(0, 11), "ERROR@1024:");
  EXPECT_EQ(Outcome(Repeat("title:(", 300) + "a", Unlimited()).substr(0, 10), "ERROR@7: f");
  // The ceiling itself is reachable.
  const std::string at_ceiling = Repeat("(", kQueryDepthCeiling) + "a" + Repeat(")", kQueryDepthCeiling);
  EXPECT_EQ(Outcome(at_ceiling, Unlimited()), "(WORD \"a\")");
}

// The parser's stack use per level is small: the deepest accepted query fits
// in a 512 KiB thread stack even in a sanitizer build (about 250 bytes a
// level when optimised).
TEST(QuerySyntaxLimitsTest, DeepestQueryFitsInASmallThreadStack) {
  struct Work {
    std::string parens_result, mixed_result;
  } work;
  pthread_attr_t attributes;
  ASSERT_EQ(pthread_attr_init(&attributes), 0);
  ASSERT_EQ(pthread_attr_setstacksize(&attributes, 512 * 1024), 0);
  pthread_t thread;
  const auto run = [](void* argument) -> void* {
    auto* work = static_cast<Work*>(argument);
    const std::size_t depth = kQueryDepthCeiling;
    work->parens_result = Outcome(Repeat("(", depth) + "a" + Repeat(")", depth), Unlimited());
    work->mixed_result = Outcome(Repeat("(-", depth / 2) + "a" + Repeat(")", depth / 2), Unlimited());
    return nullptr;
  };
  ASSERT_EQ(pthread_create(&thread, &attributes, run, &work), 0);
  ASSERT_EQ(pthread_join(thread, nullptr), 0);
  pthread_attr_destroy(&attributes);
  EXPECT_EQ(work.parens_result, "(WORD \"a\")");
  EXPECT_EQ(work.mixed_result.substr(0, 6), "(NOT (");
}

TEST(QuerySyntaxLimitsTest, NearDistance) {
  QueryLimits limits;
  limits.max_near_distance = 10;
  EXPECT_EQ(Outcome("a NEAR/10 b", limits), "(NEAR/10 (WORD \"a\") (WORD \"b\"))");
  EXPECT_EQ(Outcome("a NEAR/11 b", limits), "ERROR@2: NEAR distance above the limit of 10");
  EXPECT_EQ(Outcome("a NEAR/4294967295 b", Unlimited()), "(NEAR/4294967295 (WORD \"a\") (WORD \"b\"))");
  EXPECT_EQ(Outcome("a NEAR/4294967296 b", Unlimited()), "ERROR@2: NEAR distance above the limit of 4294967295");
  EXPECT_EQ(Outcome("a NEAR/" + std::string(3000, '9') + " b", Unlimited()),
            "ERROR@2: NEAR distance above the limit of 4294967295");
}

// ---------------------------------------------------------------------------
// Fuzz: random and mutated byte strings either parse or throw
// QuerySyntaxError; parsed trees are well formed and survive a round trip.

class FuzzInput {
 public:
  explicit FuzzInput(std::uint32_t seed) : random_(seed) {}

  // Mostly well-formed pieces, so that many queries parse; a third get
  // byte-level mutations on top.
  std::string Next() {
    if (Below(20) == 0) {  // raw bytes
      std::string bytes;
      for (std::size_t n = Below(24); n > 0; --n) bytes += static_cast<char>(Below(256));
      return bytes;
    }
    std::string query;
    for (std::size_t n = 1 + Below(8); n > 0; --n) {
      query += Below(4) == 0 ? Pick(kAnyFragments) : Pick(kTermFragments);
      query += Pick(kSeparators);
    }
    if (Below(3) == 0) {
      for (std::size_t n = 1 + Below(3); n > 0 && !query.empty(); --n) Mutate(query);
    }
    return query;
  }

 private:
  // clang-format off
  // Pieces that are complete operands on their own.
  static constexpr const char* kTermFragments[] = {
      "climate", "e-waste", "ASEAN-China", "U.S.", "PM2.5", "S&ED", "2016-2020",
      "\"green deal\"", "\xE2\x80\x9Cgreen deal\xE2\x80\x9D", "-x", "--y", "environ*",
      "title:water", "Title:(a OR b)", "body:\"x y\"", "app:ds:information", "http://x",
      "or", "\xE4\xB8\xAD\xE5\x9B\xBD", "-(a b)", "NOT z", "(c OR d)", "(e NEAR/2 f)",
      "g NEAR/3 h", "i AND j", "k OR l", "-OR", "x:(m* \"n o\")",
  };
  // Operators, delimiters and broken pieces.
  static constexpr const char* kAnyFragments[] = {
      "AND", "OR", "NOT", "NEAR/3", "NEAR/5", "NEAR", "NEAR/", "NEAR/9999", "(", ")",
      "(a", "b)", "\"", "\xE2\x80\x9C", "\xE2\x80\x9D", "-", "*", "e*x", "title:", ":",
      "\xE3\x80\x80", "\xC2\xA0", "\t", "\n", "\xFF", "\xE2\x80", "\\", "a\"b", "()",
      "-(", "NOT(", "x:-", "title:(body:x)",
  };
  static constexpr const char* kSeparators[] = {" ", " ", " ", "", "  ", "\t"};
  // clang-format on

  template <std::size_t N>
  const char* Pick(const char* const (&fragments)[N]) {
    return fragments[Below(N)];
  }

  std::size_t Below(std::size_t bound) { return static_cast<std::size_t>(random_() % bound); }

  void Mutate(std::string& query) {
    const std::size_t at = Below(query.size());
    switch (Below(4)) {
      case 0:
        query[at] = static_cast<char>(Below(256));
        break;
      case 1:
        query.insert(query.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(Below(256)));
        break;
      case 2:
        query.erase(at, 1);
        break;
      default:
        query.insert(at, query.substr(Below(query.size()), Below(8)));
        break;
    }
  }

  std::mt19937 random_;
};

TEST(QuerySyntaxFuzzTest, ParsesOrThrowsSyntaxErrorAndRoundTrips) {
  FuzzInput input(20240611);
  QueryLimits tight;
  tight.max_clauses = 6;
  tight.max_words = 6;
  tight.max_depth = 3;
  tight.max_near_distance = 4;
  QueryLimits round_trip_limits = Unlimited();
  round_trip_limits.max_depth = kQueryDepthCeiling;

  int parsed = 0, rejected = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string query = input.Next();
    const QueryLimits& limits = i % 5 == 4 ? tight : QueryLimits{};
    SCOPED_TRACE("case " + std::to_string(i) + ", query: " + query);
    try {
      const QueryNode tree = parse_query_syntax(query, limits);
      ++parsed;
      ASSERT_EQ(testing::query_tree_problem(tree, query.size()), "") << describe(tree);
      const std::string rendered = testing::query_text_of(tree);
      SCOPED_TRACE("rendered: " + rendered);
      EXPECT_EQ(Outcome(rendered, round_trip_limits), describe(tree));
    } catch (const QuerySyntaxError& error) {
      ++rejected;
      EXPECT_EQ(testing::query_error_problem(error, query.size()), "");
    } catch (const std::exception& error) {
      ADD_FAILURE() << "unexpected exception: " << error.what();
    } catch (...) {
      ADD_FAILURE() << "unexpected non-standard exception";
    }
  }
  // Both paths must be exercised for the run to mean anything.
  EXPECT_GT(parsed, 3000);
  EXPECT_GT(rejected, 3000);
  std::cout << "fuzz: " << parsed << " parsed, " << rejected << " rejected\n";
}

}  // namespace
}  // namespace policy
