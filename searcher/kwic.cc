#include "searcher/kwic.h"

#include <algorithm>

#include "core/utf8.h"

namespace policy {
namespace {

// Whitespace runs (line breaks included) folded to one space.
std::string fold_space(std::string_view s) {
  std::string out;
  bool in_space = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && in_space) continue;
    out.push_back(space ? ' ' : c);
    in_space = space;
  }
  return out;
}

// The left context's words, nearest first: the key for sorting by left.
std::string left_key(const std::string& left) {
  std::vector<std::string> words;
  std::string word;
  for (char c : ascii_lower(left)) {
    if (c == ' ') {
      if (!word.empty()) words.push_back(std::move(word));
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  std::string key;
  for (auto it = words.rbegin(); it != words.rend(); ++it) key += *it + " ";
  return key;
}

}  // namespace

std::vector<KwicLine> build_kwic_lines(const StoredDocument& doc, std::vector<MatchSpan> matches, std::size_t width) {
  std::sort(matches.begin(), matches.end(), [](const MatchSpan& a, const MatchSpan& b) {
    return std::tie(a.first, a.last) < std::tie(b.first, b.last);
  });
  KwicLine common;
  common.doc_id = doc.id;
  common.title = doc.title;
  if (auto year = doc.fields.find("year"); year != doc.fields.end() && year->is_array() && !year->empty()) {
    common.year = (*year)[0].get<std::string>();
  }
  if (auto orgs = doc.fields.find("organisation"); orgs != doc.fields.end() && orgs->is_array()) {
    for (const auto& org : *orgs) common.organisations.push_back(org.get<std::string>());
  }
  // Enough bytes for `width` characters of any script, plus folded space.
  const std::size_t window = width * 4 + 16;
  const std::string_view text = doc.text;
  std::vector<KwicLine> lines;
  for (const MatchSpan& m : matches) {
    if (m.last < m.first || m.last >= doc.offsets.size()) continue;
    const std::uint32_t begin = doc.offsets[m.first].begin;
    const std::uint32_t end = doc.offsets[m.last].end;
    std::size_t left_start = begin > window ? begin - window : 0;
    while (left_start < begin && is_utf8_continuation(text[left_start])) ++left_start;
    std::size_t right_end = std::min<std::size_t>(text.size(), end + window);
    while (right_end < text.size() && is_utf8_continuation(text[right_end])) ++right_end;
    KwicLine line = common;
    line.begin = begin;
    line.page = doc.page_at(begin);
    line.left = std::string(last_code_points(fold_space(text.substr(left_start, begin - left_start)), width));
    line.match = fold_space(text.substr(begin, end - begin));
    line.right = std::string(first_code_points(fold_space(text.substr(end, right_end - end)), width));
    lines.push_back(std::move(line));
  }
  return lines;
}

std::optional<KwicOrder> parse_kwic_order(std::string_view name) {
  if (name == "doc") return KwicOrder::kDocument;
  if (name == "left") return KwicOrder::kLeft;
  if (name == "right") return KwicOrder::kRight;
  if (name == "year") return KwicOrder::kYear;
  return std::nullopt;
}

void sort_kwic(std::vector<KwicLine>& lines, KwicOrder order) {
  switch (order) {
    case KwicOrder::kDocument:
      return;
    case KwicOrder::kLeft:
      std::stable_sort(lines.begin(), lines.end(),
                       [](const KwicLine& a, const KwicLine& b) { return left_key(a.left) < left_key(b.left); });
      return;
    case KwicOrder::kRight:
      std::stable_sort(lines.begin(), lines.end(), [](const KwicLine& a, const KwicLine& b) {
        return ascii_lower(a.right) < ascii_lower(b.right);
      });
      return;
    case KwicOrder::kYear:
      std::stable_sort(lines.begin(), lines.end(), [](const KwicLine& a, const KwicLine& b) {
        if (a.year.empty() != b.year.empty()) return b.year.empty();
        return a.year < b.year;
      });
      return;
  }
}

std::string kwic_location(const KwicLine& line) {
  return line.page ? line.doc_id + " p. " + std::to_string(line.page) : line.doc_id;
}

std::string format_kwic_line(const KwicLine& line, std::size_t width, const std::string& open, const std::string& close,
                             std::size_t id_width) {
  std::string out = kwic_location(line);
  const std::size_t id_length = code_point_count(out);
  if (id_length < id_width) out.append(id_width - id_length, ' ');
  out += "  " + (line.year.empty() ? std::string("----") : line.year) + " | ";
  const std::size_t left_length = code_point_count(line.left);
  if (left_length < width) out.append(width - left_length, ' ');
  out += line.left + open + line.match + close + line.right;
  return out;
}

}  // namespace policy
