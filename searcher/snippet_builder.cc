#include "searcher/snippet_builder.h"

#include <algorithm>
#include <set>
#include <stdexcept>
#include <tuple>

#include <unicode/brkiter.h>
#include <unicode/utext.h>

#include "core/errors.h"

namespace policy {
namespace {

constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // …

struct ByteSpan {
  std::uint32_t begin;
  std::uint32_t end;
  std::uint32_t unit;
};

bool is_space(char c) { return c == ' ' || c == '\n' || c == '\t'; }

// The start of the first token at or after `pos`, if before `limit`; else `limit`.
// Cutting at token edges keeps multi-byte characters and words whole, also in
// scripts written without spaces.
std::uint32_t token_start_at_or_after(const std::vector<TokenOffsets>& offsets, std::uint32_t pos,
                                      std::uint32_t limit) {
  auto it = std::lower_bound(offsets.begin(), offsets.end(), pos,
                             [](const TokenOffsets& t, std::uint32_t p) { return t.begin < p; });
  return it != offsets.end() && it->begin < limit ? it->begin : limit;
}

// The end of the last token ending at or before `pos`, if after `floor`; else `floor`.
std::uint32_t token_end_at_or_before(const std::vector<TokenOffsets>& offsets, std::uint32_t pos, std::uint32_t floor) {
  auto it = std::upper_bound(offsets.begin(), offsets.end(), pos,
                             [](std::uint32_t p, const TokenOffsets& t) { return p < t.end; });
  if (it == offsets.begin()) return floor;
  --it;
  return it->end > floor ? it->end : floor;
}

}  // namespace

struct SnippetBuilder::Impl {
  std::unique_ptr<icu::BreakIterator> sentences;

  // Sentence boundaries (byte offsets) within [from, to) of `text`.
  std::vector<std::uint32_t> sentence_boundaries(std::string_view text, std::uint32_t from, std::uint32_t to) {
    std::vector<std::uint32_t> bounds;
    UErrorCode status = U_ZERO_ERROR;
    UText* utext = utext_openUTF8(nullptr, text.data() + from, to - from, &status);
    if (U_FAILURE(status)) return bounds;
    sentences->setText(utext, status);
    for (int32_t b = sentences->first(); b != icu::BreakIterator::DONE; b = sentences->next()) {
      const std::uint32_t at = from + static_cast<std::uint32_t>(b);
      // The region's own edges are boundaries only where the text's are.
      if ((at == from && from > 0) || (at == to && to < text.size())) continue;
      bounds.push_back(at);
    }
    utext_close(utext);
    return bounds;
  }
};

SnippetBuilder::SnippetBuilder(SnippetOptions options) : options_(options), impl_(std::make_unique<Impl>()) {
  UErrorCode status = U_ZERO_ERROR;
  // "ss=standard" suppresses breaks after abbreviations such as "Mr." and "U.S.".
  impl_->sentences.reset(icu::BreakIterator::createSentenceInstance(icu::Locale("en@ss=standard"), status));
  if (U_FAILURE(status) || !impl_->sentences) {
    throw Error(std::string("cannot initialise ICU sentence iterator: ") + u_errorName(status));
  }
}

SnippetBuilder::~SnippetBuilder() = default;

std::vector<Snippet> SnippetBuilder::build(std::string_view text, const std::vector<TokenOffsets>& offsets,
                                           std::vector<MatchSpan> matches) const {
  const auto text_size = static_cast<std::uint32_t>(text.size());
  std::vector<ByteSpan> spans;
  for (const MatchSpan& m : matches) {
    if (m.last < m.first || m.last >= offsets.size()) continue;
    spans.push_back(ByteSpan{offsets[m.first].begin, offsets[m.last].end, m.unit});
  }
  std::sort(spans.begin(), spans.end(),
            [](const ByteSpan& a, const ByteSpan& b) { return std::tie(a.begin, a.end) < std::tie(b.begin, b.end); });

  // Choose up to max_snippets windows, best first, each covering as many
  // distinct units and matches as fit in target_bytes.
  struct Window {
    std::uint32_t begin, end;
  };
  std::vector<Window> windows;
  std::vector<bool> used(spans.size(), false);
  while (windows.size() < options_.max_snippets) {
    long best_score = -1;
    Window best{0, 0};
    for (std::size_t i = 0; i < spans.size(); ++i) {
      if (used[i]) continue;
      std::set<std::uint32_t> units;
      std::size_t count = 0;
      std::uint32_t end = spans[i].end;
      for (std::size_t j = i; j < spans.size(); ++j) {
        if (used[j]) break;
        if (spans[j].end - spans[i].begin > options_.target_bytes && j > i) break;
        units.insert(spans[j].unit);
        ++count;
        end = std::max(end, spans[j].end);
      }
      const long score = static_cast<long>(units.size()) * 1000 + static_cast<long>(count) * 10;
      if (score > best_score) {
        best_score = score;
        best = Window{spans[i].begin, end};
      }
    }
    if (best_score < 0) break;
    windows.push_back(best);
    // Spans inside the chosen passage (with its margin) are taken.
    for (std::size_t k = 0; k < spans.size(); ++k) {
      if (spans[k].end + options_.max_bytes > best.begin && spans[k].begin < best.end + options_.max_bytes) {
        used[k] = true;
      }
    }
  }
  if (windows.empty()) windows.push_back(Window{0, 0});
  std::sort(windows.begin(), windows.end(), [](const Window& a, const Window& b) { return a.begin < b.begin; });

  std::vector<Snippet> snippets;
  for (const Window& window : windows) {
    // Grow the window to a passage of about target_bytes, preferring whole sentences.
    const std::uint32_t match_len = window.end - window.begin;
    const std::uint32_t slack =
        match_len >= options_.target_bytes ? 0 : static_cast<std::uint32_t>(options_.target_bytes) - match_len;
    const std::uint32_t region_begin =
        window.begin > options_.max_bytes ? window.begin - static_cast<std::uint32_t>(options_.max_bytes) : 0;
    const std::uint32_t region_end =
        std::min<std::uint32_t>(text_size, window.end + static_cast<std::uint32_t>(options_.max_bytes));
    const std::vector<std::uint32_t> bounds = impl_->sentence_boundaries(text, region_begin, region_end);

    // Start: the latest sentence start that keeps the passage within target
    // (a sentence begins the passage when it can), else a word boundary.
    const std::uint32_t earliest = window.begin > slack / 2 ? window.begin - slack / 2 : 0;
    std::uint32_t start = window.begin;
    bool start_at_sentence = false;
    for (std::uint32_t b : bounds) {
      if (b <= window.begin && b >= (window.begin > slack ? window.begin - slack : 0)) {
        start = b;
        start_at_sentence = true;
      }
    }
    if (!start_at_sentence) start = token_start_at_or_after(offsets, earliest, window.begin);
    // End: the sentence end that brings the passage closest to target without
    // passing max_bytes, else a word boundary near target.
    const std::uint32_t hard_end =
        std::min<std::uint32_t>(text_size, start + static_cast<std::uint32_t>(options_.max_bytes));
    const std::uint32_t soft_end =
        std::min<std::uint32_t>(text_size, start + static_cast<std::uint32_t>(options_.target_bytes));
    std::uint32_t end = std::max(window.end, soft_end);
    bool end_at_sentence = false;
    for (std::uint32_t b : bounds) {
      if (b >= window.end && b <= hard_end && b >= std::min(soft_end, hard_end) * 3 / 4) {
        end = b;
        end_at_sentence = true;
        if (b >= soft_end) break;
      }
    }
    if (!end_at_sentence) end = token_end_at_or_before(offsets, std::min(end, hard_end), window.end);
    end = std::max(end, window.end);
    // Near the end of the text the passage can come out short: take in
    // earlier sentences while it stays within target.
    if (start_at_sentence || start == 0) {
      for (auto b = bounds.rbegin(); b != bounds.rend(); ++b) {
        if (*b < start && end - *b <= options_.target_bytes) start = *b;
      }
    }
    while (start < window.begin && is_space(text[start])) ++start;
    while (end > start && is_space(text[end - 1])) --end;

    // Copy, folding line breaks and runs of space into one space, and map the
    // highlights into the copy.
    Snippet snippet;
    snippet.source_begin = start;
    snippet.source_end = end;
    const bool cut_before = start > 0 && !start_at_sentence;
    const bool cut_after = end < text_size && !end_at_sentence;
    if (cut_before) snippet.text = kEllipsis;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> marks;  // source ranges to highlight
    for (const ByteSpan& s : spans) {
      if (s.begin < start || s.end > end) continue;
      // Spans are sorted by begin: merge overlapping ones into one mark.
      if (!marks.empty() && s.begin < marks.back().second) {
        marks.back().second = std::max(marks.back().second, s.end);
      } else {
        marks.emplace_back(s.begin, s.end);
      }
    }
    snippet.source_anchor = marks.empty() ? start : marks[0].first;
    std::size_t mark = 0;
    bool in_space = false;
    Highlight open{0, 0};
    bool highlighting = false;
    for (std::uint32_t p = start; p < end; ++p) {
      if (!highlighting && mark < marks.size() && p == marks[mark].first) {
        open.begin = static_cast<std::uint32_t>(snippet.text.size());
        highlighting = true;
      }
      if (is_space(text[p])) {
        if (!in_space) snippet.text.push_back(' ');
        in_space = true;
      } else {
        snippet.text.push_back(text[p]);
        in_space = false;
      }
      if (highlighting && p + 1 == marks[mark].second) {
        open.end = static_cast<std::uint32_t>(snippet.text.size());
        snippet.highlights.push_back(open);
        highlighting = false;
        ++mark;
      }
    }
    if (cut_after) snippet.text += kEllipsis;
    snippets.push_back(std::move(snippet));
  }
  return snippets;
}

std::vector<MatchSpan> distinct_occurrences(std::vector<MatchSpan> spans) {
  std::sort(spans.begin(), spans.end(), [](const MatchSpan& a, const MatchSpan& b) {
    return std::tie(a.first, a.last) < std::tie(b.first, b.last);
  });
  std::vector<MatchSpan> merged;
  for (const MatchSpan& span : spans) {
    if (!merged.empty() && span.first <= merged.back().last) {
      merged.back().last = std::max(merged.back().last, span.last);
    } else {
      merged.push_back(span);
    }
  }
  return merged;
}

}  // namespace policy
