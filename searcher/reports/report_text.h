// Text pieces shared by the report formats: numbers whatever the locale,
// joined, one-line and cut text, counted nouns, highlighted snippets, CSV
// records, and the facts about the run that the readable reports show at
// their top.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "searcher/batch.h"

namespace policy {

// Fixed-point with `decimals` digits, whatever the C locale (a decimal comma
// would break CSV and SVG).
std::string format_number(double value, int decimals);

std::string join(const std::vector<std::string>& parts, const std::string& separator);

// `text` with line breaks and tabs as spaces.
std::string one_line(std::string text);

// The first `max_chars` code points of UTF-8 `text`, with "…" when cut.
std::string truncate_utf8(const std::string& text, std::size_t max_chars);

// "1 document", "2 documents".
std::string plural(std::uint64_t n, const char* one, const char* many);

// The text of `snippet` escaped by `escape` piece by piece, each highlight
// between `open` and `close`; a highlight that is empty, out of range or
// out of order is left unmarked.
std::string highlighted(const Snippet& snippet, std::string (*escape)(const std::string&), const std::string& open,
                        const std::string& close);

// The warnings' messages, joined with " | " ("" for none).
std::string warning_messages(const std::vector<QueryWarning>& warnings);

// One CSV record: the fields as csv_field (core/csv.h) has them, then CRLF.
void write_csv_row(std::ostream& out, const std::vector<std::string>& fields);

// What the Markdown and HTML reports show about the run, in order: name and
// value, neither escaped.
std::vector<std::pair<std::string, std::string>> run_facts(const RunInfo& run);

}  // namespace policy
