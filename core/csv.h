// CSV as RFC 4180 has it: fields separated by commas, quoted when they hold
// a comma, a quote or a line break, quotes doubled inside quotes. Written by
// the reports, read in queries files (and by the tests that check reports).
//
// Thread-safe: csv_field is a pure function; a CsvReader belongs to one
// thread.
#pragma once

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

// `text` as one CSV field: quoted when it holds a comma, quote, CR or LF.
std::string csv_field(std::string_view text);

// Reads records one at a time. Lines end in LF or CRLF; a quoted field may
// go on over line breaks (each kept as "\n"); a blank line is a record of
// one empty field.
class CsvReader {
 public:
  explicit CsvReader(std::istream& in) : in_(in) {}
  // The next record into `fields` (cleared first); false at the end.
  bool next(std::vector<std::string>& fields);
  // The 1-based line on which the record last read started.
  std::size_t record_line() const { return record_line_; }
  // Lines read so far.
  std::size_t lines_read() const { return lines_read_; }

 private:
  bool read_line(std::string& line);

  std::istream& in_;
  std::size_t record_line_ = 0;
  std::size_t lines_read_ = 0;
};

// Every record of `text`.
std::vector<std::vector<std::string>> parse_csv(std::string_view text);

}  // namespace policy
