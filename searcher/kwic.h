// Keyword in context (KWIC): every occurrence of a query's words and phrases
// with a fixed amount of context on each side, cut from the analyzer's token
// offsets exactly as snippets are, so a concordance line shows what the
// index matched.
//
// Thread-safe: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/index_layout.h"

#include "searcher/snippet_builder.h"

namespace policy {

// One keyword-in-context line: the match with its left and right context,
// cut from the analyzer's offsets like snippets.
struct KwicLine {
  std::string doc_id;
  std::string title;
  std::string year;                        // "" when none
  std::vector<std::string> organisations;  // display names, most mentioned first
  std::string left;                        // context before the match, one line
  std::string match;                       // the matched text (a phrase as one unit)
  std::string right;                       // context after the match
  std::uint32_t begin = 0;                 // byte offset of the match in the cleaned text
  std::uint32_t page = 0;                  // 1-based page of the match; 0 for a document without pages
};

// One line per match, in text order. `width` counts characters (code points)
// of context on each side; line breaks and runs of space become one space.
std::vector<KwicLine> build_kwic_lines(const StoredDocument& doc, std::vector<MatchSpan> matches, std::size_t width);

enum class KwicOrder {
  kDocument,  // as found: document rank, then position
  kLeft,      // by the words left of the match, nearest first
  kRight,     // by the words right of the match
  kYear,      // by year (undated last), then document order
};

// Parses "doc", "left", "right" or "year"; nullopt for anything else.
std::optional<KwicOrder> parse_kwic_order(std::string_view name);

// Stable: lines equal under `order` keep their document order.
void sort_kwic(std::vector<KwicLine>& lines, KwicOrder order);

// The document id, and its page when it has pages: "report.pdf p. 12".
std::string kwic_location(const KwicLine& line);

// "doc-id  2016 |      left context [match] right context", with the left
// context right-aligned to `width` characters so matches line up.
std::string format_kwic_line(const KwicLine& line, std::size_t width, const std::string& open, const std::string& close,
                             std::size_t id_width);

}  // namespace policy
