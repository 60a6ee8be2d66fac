// Tests of core/csv.h: fields are quoted only when they must be, and the
// reader takes back what the writer wrote, line breaks in quotes included.

#include "core/csv.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace policy {
namespace {

TEST(CsvFieldTest, QuotesOnlyWhenNeeded) {
  const struct {
    std::string in, out;
  } cases[] = {
      {"", ""},
      {"plain", "plain"},
      {" spaced ", " spaced "},
      {"naïve Zürich", "naïve Zürich"},
      {"a,b", "\"a,b\""},
      {"say \"hi\"", "\"say \"\"hi\"\"\""},
      {"\"", "\"\"\"\""},
      {"line\nbreak", "\"line\nbreak\""},
      {"cr\rlf\r\n", "\"cr\rlf\r\n\""},
      {"semi;colon", "semi;colon"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.in);
    EXPECT_EQ(csv_field(c.in), c.out);
  }
}

TEST(CsvReaderTest, ReadsRecordsAndTheLinesTheyStartOn) {
  using Records = std::vector<std::vector<std::string>>;
  const struct {
    std::string text;
    Records records;
    std::vector<std::size_t> lines;
  } cases[] = {
      {"", {}, {}},
      {"a,b\r\nc,d\r\n", {{"a", "b"}, {"c", "d"}}, {1, 2}},
      {"a,b\nc", {{"a", "b"}, {"c"}}, {1, 2}},
      {"\"x,y\",z\n", {{"x,y", "z"}}, {1}},
      {"\"say \"\"hi\"\"\"\n", {{"say \"hi\""}}, {1}},
      {"\"two\r\nlines\",b\r\nnext\r\n", {{"two\nlines", "b"}, {"next"}}, {1, 3}},
      {"a\n\nb\n", {{"a"}, {""}, {"b"}}, {1, 2, 3}},
      {",\n", {{"", ""}}, {1}},
      {"\"unterminated\nquote", {{"unterminated\nquote"}}, {1}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    std::istringstream in(c.text);
    CsvReader reader(in);
    Records records;
    std::vector<std::size_t> lines;
    for (std::vector<std::string> fields; reader.next(fields);) {
      records.push_back(fields);
      lines.push_back(reader.record_line());
    }
    EXPECT_EQ(records, c.records);
    EXPECT_EQ(lines, c.lines);
    EXPECT_EQ(parse_csv(c.text), c.records);
  }
}

TEST(CsvReaderTest, ReadsBackWhatCsvFieldWrote) {
  const std::vector<std::string> fields = {"plain", "a,b", "say \"hi\"", "line\nbreak", "", "naïve"};
  std::string line;
  for (const std::string& field : fields) line += (line.empty() ? "" : ",") + csv_field(field);
  EXPECT_EQ(parse_csv(line + "\r\n"), std::vector<std::vector<std::string>>{fields});
}

}  // namespace
}  // namespace policy
