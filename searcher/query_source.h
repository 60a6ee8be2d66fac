// Queries files for batch runs (batch.h): one query per line, CSV or TSV
// with a header, or JSON Lines, read lazily into BatchQuery values.
//
// Not thread-safe: a QuerySource belongs to the thread that reads it.
#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/field_schema.h"

namespace policy {

// One query of a batch as read from the queries file.
struct BatchQuery {
  std::size_t index = 0;             // 0-based order in the file: output order
  std::string id;                    // given id, else "q<line>"
  std::string query;                 // may be empty when filters are given
  std::vector<std::string> filters;  // query syntax: org:MEP, year:2010..2015
  std::string location;              // "queries.tsv:12", for messages
  std::string error;                 // set when the line itself is malformed: an error row
};

// Reads a queries file lazily. The format follows the extension:
//   .jsonl        one object per line: {"id", "query", "filters": [...]}
//                 ("filters" may also be one string)
//   .csv, .tsv    a header row naming the columns: "query" (required), "id",
//                 "filters" (query-syntax filters separated by spaces), and
//                 any schema field or alias, whose non-empty cells become
//                 filters (a "year" column holding 2010..2015 gives
//                 year:2010..2015); CSV follows RFC 4180 (quoted fields may
//                 hold commas, quotes and line breaks), TSV splits on tabs
//   anything else one query per line; blank lines and lines starting with
//                 '#' are skipped
// Ids are the "id" given, else "q<line>". A malformed line becomes a query
// with `error` set, so it is reported as an error row and the run goes on.
class QuerySource {
 public:
  // Throws FileError naming the file when it cannot be read or its header
  // is unusable (no "query" column, unknown column).
  QuerySource(const std::filesystem::path& path, const Schema& schema);
  std::optional<BatchQuery> next();
  const std::filesystem::path& path() const { return path_; }
  // How many queries next() has handed out so far.
  std::size_t queries_read() const { return next_index_; }

  // How many queries the file at `path` holds, by the rules above (a
  // progress bar's total). Throws as the constructor does.
  static std::size_t count(const std::filesystem::path& path, const Schema& schema);

 private:
  enum class Format { kLines, kCsv, kTsv, kJsonl };
  // One CSV record or TSV/plain line, and the line it starts on.
  bool read_record(std::vector<std::string>& fields, std::size_t& first_line);

  std::filesystem::path path_;
  Format format_ = Format::kLines;
  std::ifstream in_;
  CsvReader csv_{in_};
  std::size_t line_ = 0;  // lines read, in formats other than CSV
  std::size_t next_index_ = 0;
  // CSV/TSV: column -> role ("query", "id", "filters", or a field name).
  std::vector<std::string> columns_;
};

}  // namespace policy
