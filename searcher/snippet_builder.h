// Snippets: the best passage or two of a document for a query, with every
// match highlighted (a phrase as one unit).
//
// Built from what the index already has: the analyzer's token byte offsets
// (stored with the document) and the positions of the matched terms (from
// Xapian's position lists). Nothing is re-analysed; only a short stretch of
// text around the chosen window goes through ICU's sentence segmentation, so
// cost does not grow with document length beyond reading the record.
//
// Not thread-safe: holds an ICU sentence iterator. One per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/index_layout.h"

namespace policy {

// One occurrence of a query unit: analyzer positions first..last inclusive.
struct MatchSpan {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  std::uint32_t unit = 0;  // which HighlightUnit matched, to reward variety
};

// The occurrences among `spans`: a span of text is one occurrence however
// many parts of a query match it ("envoys OR envoy*", "debt debt", a phrase
// and one of its words). Sorted by position; spans that share a position
// are merged into one (keeping the unit of the first).
std::vector<MatchSpan> distinct_occurrences(std::vector<MatchSpan> spans);

// Byte range [begin, end) in Snippet::text.
struct Highlight {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

struct Snippet {
  std::string text;                   // one line: line breaks become spaces; "…" marks cuts
  std::vector<Highlight> highlights;  // sorted, non-overlapping
  std::uint32_t source_begin = 0;     // the passage's bytes in the document text
  std::uint32_t source_end = 0;
  // Where the first highlight begins in the document text (source_begin
  // when there is none): the offset that names the passage's page.
  std::uint32_t source_anchor = 0;
  // The 1-based page of the first highlight (of the passage when it has
  // none) in a document read page by page; 0 for a document without pages.
  // Set by the caller, which holds the page starts.
  std::uint32_t page = 0;
};

struct SnippetOptions {
  std::size_t target_bytes = 240;  // aim: 200-300 characters of English
  std::size_t max_bytes = 320;
  std::size_t max_snippets = 2;
};

class SnippetBuilder {
 public:
  explicit SnippetBuilder(SnippetOptions options = {});
  ~SnippetBuilder();

  // `offsets[p]` are the bytes of the token at position p in `text`.
  // With no matches, returns the document's opening passage.
  std::vector<Snippet> build(std::string_view text, const std::vector<TokenOffsets>& offsets,
                             std::vector<MatchSpan> matches) const;

 private:
  struct Impl;
  SnippetOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace policy
