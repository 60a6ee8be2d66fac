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
// is. Every rule is pinned by a golden file in tests/golden/cleaner/; the
// rules themselves are listed at the top of text_cleaner.cc.
//
// Two layouts are told apart. Double-spaced text (PDF extraction: lines
// wrapped mid-sentence, each followed by a blank line) has its wrapped lines
// joined into paragraphs. Other text (web pages, single-spaced text) keeps
// its single newlines, so lists and addresses stay one item per line; only
// removed lines, hyphenated words and split ordinals are joined there.
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
  std::size_t lines_joined = 0;               // wrapped lines merged (not counted above)
  bool double_spaced = false;                 // lines were followed by blank lines (PDF)
};

// Returns the cleaned text. `raw` should be valid UTF-8 with "\n" line ends
// (readers normalise CRLF and CR before calling); other input is not
// rejected, and a stray CR counts as a space. The result has no leading or
// trailing spaces on lines, runs of spaces, tabs and Unicode space
// separators (U+00A0 and the others query_syntax.h lists) collapsed to one
// ASCII space, paragraphs separated by exactly "\n\n", no leading or
// trailing blank lines and no final newline. The rules are applied pass
// after pass until a pass changes nothing (usually the second), so cleaning
// the result again changes nothing, unless 8 passes were not enough: the
// loop stops there to stay linear (the fuzz target text_cleaner checks that
// cleaning is idempotent). The statistics add up the passes;
// `double_spaced` is set if any pass that changed the text saw double
// spacing. Linear in the size of `raw`.
std::string clean_extracted_text(std::string_view raw, CleaningStats* stats = nullptr);

}  // namespace policy
