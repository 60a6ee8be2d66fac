// Cleaning of text extracted from PDFs and web pages.
//
// Extraction leaves artefacts that would otherwise be indexed as words or
// break phrases apart: every line followed by a blank line, words split by
// line breaks and hyphenation, ordinals split over lines ("11" / "th"),
// page-number and footnote-marker lines, artefact lines such as
// "app:ds:information", and repeated boilerplate ("Top of Page"). The cleaner
// turns such text into paragraphs separated by one blank line ("\n\n").
//
// The cleaner is conservative: when a rule is unsure it keeps the text as it
// is. Every rule is pinned by a golden file in tests/golden/cleaner/.
//
// Thread-safe: a pure function.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace policy {

// What the cleaner changed, for the indexer's report and for tests.
struct CleaningStats {
  std::size_t artefact_lines_removed = 0;     // "app:ds:information"
  std::size_t page_number_lines_removed = 0;  // lines holding only a number
  std::size_t boilerplate_lines_removed = 0;  // "Top of Page", repeated lines
  std::size_t hyphenations_joined = 0;        // "environ-" / "mental"
  std::size_t ordinals_joined = 0;            // "11" / "th"
  std::size_t lines_joined = 0;               // wrapped lines merged into paragraphs
  bool double_spaced = false;                 // every line was followed by a blank line
};

// Returns the cleaned text. `raw` must be valid UTF-8 with "\n" line ends
// (readers normalise CRLF and CR before calling). The result has no
// trailing spaces on lines, runs of spaces and tabs collapsed to one space,
// paragraphs separated by exactly "\n\n", and no leading or trailing blank
// lines.
std::string clean_extracted_text(std::string_view raw, CleaningStats* stats = nullptr);

}  // namespace policy
