// Tests of core/utf8.h: repair with the first problem located, prefixes that
// never cut a character, code point counting and cutting, the Unicode space
// table, ASCII case.

#include "core/utf8.h"

#include <string>

#include <gtest/gtest.h>

namespace policy {
namespace {

TEST(Utf8Test, RepairReplacesEachBadSequenceAndLocatesTheFirst) {
  const struct {
    std::string in, out;
    std::size_t invalid, offset, line;
  } cases[] = {
      {"plain", "plain", 0, 0, 0},
      {"caf\xC3\xA9", "caf\xC3\xA9", 0, 0, 0},
      {"a\nb\xFF", "a\nb\xEF\xBF\xBD", 1, 3, 2},
      {"\xC0\xAF", "\xEF\xBF\xBD", 1, 0, 1},          // an overlong: one sequence
      {"\xED\xA0\x80", "\xEF\xBF\xBD", 1, 0, 1},      // a surrogate
      {"end \xE2\x82", "end \xEF\xBF\xBD", 1, 4, 1},  // truncated at the end
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    Utf8Problem problem;
    EXPECT_EQ(repair_utf8(c.in, &problem), c.out);
    EXPECT_EQ(problem.invalid_sequences, c.invalid);
    if (c.invalid > 0) {
      EXPECT_EQ(problem.first_offset, c.offset);
      EXPECT_EQ(problem.first_line, c.line);
    }
    EXPECT_EQ(is_valid_utf8(c.in), c.invalid == 0);
    EXPECT_TRUE(is_valid_utf8(repair_utf8(c.in)));
  }
}

TEST(Utf8Test, EscapeWritesEachInvalidByteAsHex) {
  struct Case {
    std::string bytes;
    std::string escaped;
  };
  const Case cases[] = {
      {"plain.txt", "plain.txt"},
      {"caf\xE9.txt", "caf%E9.txt"},
      {"caf\xC3\xA9.txt", "caf\xC3\xA9.txt"},  // valid UTF-8 is unchanged
      {"\xFF\xFE", "%FF%FE"},
      {"a\xE2\x82", "a%E2%82"},  // a sequence cut short
      {"\xC0\xAF", "%C0%AF"},    // overlong
      {"100%.txt", "100%.txt"},  // a '%' itself is left alone
      {"", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(escape_invalid_utf8(c.bytes), c.escaped) << c.bytes;
    EXPECT_TRUE(is_valid_utf8(escape_invalid_utf8(c.bytes)));
  }
}

TEST(Utf8Test, CodePointsAreCountedAndCutWhole) {
  const std::string text = "a\xC3\xA9\xE5\x8C\x97\xF0\x9F\x98\x80z";  // a é 北 😀 z
  EXPECT_EQ(code_point_count(text), 5u);
  EXPECT_EQ(code_point_count(""), 0u);
  const struct {
    std::size_t count;
    std::string first, last;
  } cases[] = {
      {0, "", ""},
      {1, "a", "z"},
      {2, "a\xC3\xA9", "\xF0\x9F\x98\x80z"},
      {3, "a\xC3\xA9\xE5\x8C\x97", "\xE5\x8C\x97\xF0\x9F\x98\x80z"},
      {5, text, text},
      {9, text, text},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.count);
    EXPECT_EQ(first_code_points(text, c.count), c.first);
    EXPECT_EQ(last_code_points(text, c.count), c.last);
  }
  for (std::size_t bytes = 0; bytes <= text.size(); ++bytes) {
    EXPECT_TRUE(is_valid_utf8(utf8_prefix(text, bytes))) << bytes;
  }
}

TEST(Utf8Test, UnicodeSpacesAreTheListedOnes) {
  const struct {
    std::string text;
    std::size_t length;
  } cases[] = {
      {"\xC2\x85", 2},
      {"\xC2\xA0", 2},
      {"\xE1\x9A\x80", 3},
      {"\xE2\x80\x80", 3},
      {"\xE2\x80\x8A", 3},
      {"\xE2\x80\xA8", 3},
      {"\xE2\x80\xA9", 3},
      {"\xE2\x80\xAF", 3},
      {"\xE2\x81\x9F", 3},
      {"\xE3\x80\x80", 3},
      {" ", 0},
      {"\t", 0},
      {"a", 0},
      {"\xC2\xA9", 0},
      {"\xE2\x80\x8B", 0},
      {"\xE2\x80", 0},
      {"\xC2", 0},
      {"\xE3\x80\x81", 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    EXPECT_EQ(unicode_space_length(c.text, 0), c.length);
    EXPECT_EQ(unicode_space_length("x" + c.text, 1), c.length);
  }
}

TEST(Utf8Test, AsciiLowerLeavesOtherBytesAlone) {
  EXPECT_EQ(ascii_lower("Policy-INDEX .TXT"), "policy-index .txt");
  EXPECT_EQ(ascii_lower("\xC3\x89T\xC3\x89"), "\xC3\x89t\xC3\x89");
  EXPECT_EQ(ascii_lower(""), "");
}

}  // namespace
}  // namespace policy
