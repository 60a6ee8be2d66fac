#include "searcher/spelling.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <tuple>
#include <utility>

#include "core/index_layout.h"
#include "core/utf8.h"

namespace policy {
namespace {

constexpr std::size_t kMinLetters = 3;

// The code points of valid UTF-8 `text` (terms are valid UTF-8).
void decode(std::string_view text, std::vector<std::uint32_t>& points) {
  points.clear();
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = std::max<std::size_t>(1, utf8_sequence_length(text, i));
    std::uint32_t point = static_cast<unsigned char>(text[i]);
    if (length > 1) {
      point &= 0xFFu >> (length + 1);
      for (std::size_t k = 1; k < length && i + k < text.size(); ++k) {
        point = (point << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3Fu);
      }
    }
    points.push_back(point);
    i += length;
  }
}

// Optimal string alignment distance between `a` and `b`, or limit + 1 when
// above `limit`. Three rolling rows; stops once a row exceeds the limit.
class BoundedDistance {
 public:
  unsigned operator()(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b, unsigned limit) {
    const std::size_t n = a.size(), m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    before_.assign(m + 1, 0);
    previous_.resize(m + 1);
    current_.resize(m + 1);
    for (std::size_t j = 0; j <= m; ++j) previous_[j] = static_cast<unsigned>(j);
    for (std::size_t i = 1; i <= n; ++i) {
      current_[0] = static_cast<unsigned>(i);
      unsigned row_min = current_[0];
      for (std::size_t j = 1; j <= m; ++j) {
        const unsigned cost = a[i - 1] == b[j - 1] ? 0 : 1;
        unsigned d = std::min({previous_[j] + 1, current_[j - 1] + 1, previous_[j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before_[j - 2] + 1);
        current_[j] = d;
        row_min = std::min(row_min, d);
      }
      if (row_min > limit) return limit + 1;
      std::swap(before_, previous_);
      std::swap(previous_, current_);
    }
    return std::min(previous_[m], limit + 1);
  }

 private:
  std::vector<unsigned> before_, previous_, current_;
};

bool holds_digit(std::string_view word) {
  return std::any_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The query bytes of a leaf's text: from the leaf's position (which may
// start at a field prefix or an opening quote of up to 3 bytes).
std::optional<std::size_t> text_offset(std::string_view query, const QueryNode& node) {
  const std::size_t at = query.find(node.text, node.position);
  const std::size_t slack = node.field.size() + 1 + 3;
  if (at == std::string_view::npos || at > node.position + slack) return std::nullopt;
  return at;
}

// The suggestion written as the typed word was: "Goverment" -> "Government".
std::string in_typed_case(std::string_view typed, std::string suggestion) {
  const bool capitalised = !typed.empty() && typed[0] >= 'A' && typed[0] <= 'Z';
  if (capitalised && !suggestion.empty() && suggestion[0] >= 'a' && suggestion[0] <= 'z') {
    suggestion[0] = static_cast<char>(suggestion[0] - 'a' + 'A');
  }
  return suggestion;
}

struct Replacement {
  std::size_t begin = 0, end = 0;  // bytes of the query
  std::string suggested;
};

class Speller {
 public:
  Speller(std::string_view query, const Analyzer& analyzer, const Xapian::Database& db,
          const std::vector<std::string>& languages)
      : query_(query), analyzer_(analyzer), db_(db), languages_(languages) {}

  void walk(const QueryNode& node) {
    switch (node.kind) {
      case QueryNode::Kind::kNot:
        return;  // correcting an excluded word only removes matches
      case QueryNode::Kind::kAnd:
      case QueryNode::Kind::kOr:
      case QueryNode::Kind::kNear:
        for (const QueryNode& child : node.children) walk(child);
        return;
      case QueryNode::Kind::kWord:
      case QueryNode::Kind::kPhrase:
      case QueryNode::Kind::kProximity:
        if (node.field.empty() || node.field == "title") check_leaf(node);
        return;
      default:
        return;  // wildcards, patterns and fuzzy words match spellings already
    }
  }

  std::vector<Replacement> take() { return std::move(replacements_); }

 private:
  void check_leaf(const QueryNode& node) {
    const std::optional<std::size_t> offset = text_offset(query_, node);
    if (!offset) return;
    for (const Token& token : analyzer_.analyze(node.text)) {
      if (token.acronym || holds_digit(token.term)) continue;
      // A prefix inside a phrase ("debt*") is a wildcard.
      if (token.end < node.text.size() && node.text[token.end] == '*') continue;
      if (word_in_index(db_, analyzer_, token.term, languages_)) continue;
      std::optional<std::string> closest = closest_index_word(db_, token.term);
      if (!closest) continue;
      const std::string_view typed = std::string_view(node.text).substr(token.begin, token.end - token.begin);
      replacements_.push_back({*offset + token.begin, *offset + token.end, in_typed_case(typed, *closest)});
    }
  }

  std::string_view query_;
  const Analyzer& analyzer_;
  const Xapian::Database& db_;
  const std::vector<std::string>& languages_;
  std::vector<Replacement> replacements_;
};

}  // namespace

std::optional<std::string> closest_index_word(const Xapian::Database& db, std::string_view word) {
  std::vector<std::uint32_t> typed, candidate;
  decode(word, typed);
  if (typed.size() < kMinLetters) return std::nullopt;
  const unsigned limit = typed.size() <= 4 ? 1 : 2;
  BoundedDistance distance;
  // Best so far: (distance, -documents, word).
  std::optional<std::tuple<unsigned, std::int64_t, std::string>> best;
  // The body words starting with `start` ("": all of them).
  const auto scan = [&](const std::string& start) {
    for (Xapian::TermIterator it = db.allterms_begin(start); it != db.allterms_end(start);) {
      const std::string term = *it;
      // Prefixed terms start with an ASCII capital (index_layout.h); exact
      // words never do.
      if (term[0] >= 'A' && term[0] <= 'Z') {
        it.skip_to("[");
        continue;
      }
      decode(term, candidate);
      const unsigned bound = best ? std::get<0>(*best) : limit;
      const unsigned d = distance(typed, candidate, bound);
      if (d <= bound && d > 0) {
        auto entry = std::make_tuple(d, -static_cast<std::int64_t>(it.get_termfreq()), term);
        if (!best || entry < *best) best = std::move(entry);
      }
      ++it;
    }
  };
  // Most typos keep the first letter or the second (an insertion before
  // it, a swap of the two): the words starting with either are scanned. A
  // first letter deleted or replaced leaves the typed first or second
  // letter second: the words starting with any letter then that one. This
  // reads about a tenth of the words; a word starting with a letter beyond
  // a-z is compared with all of them.
  const std::size_t first_length = std::max<std::size_t>(1, utf8_sequence_length(word, 0));
  const std::string first(word.substr(0, first_length));
  const std::string second(
      word.substr(first_length, std::max<std::size_t>(1, utf8_sequence_length(word, first_length))));
  if (first.size() != 1 || first[0] < 'a' || first[0] > 'z') {
    scan("");
  } else {
    scan(first);
    if (second != first) scan(second);
    for (char letter = 'a'; letter <= 'z'; ++letter) {
      const std::string x(1, letter);
      if (x == first || x == second) continue;
      scan(x + first);
      scan(x + second);
    }
  }
  if (!best) return std::nullopt;
  return std::get<2>(*best);
}

bool word_in_index(const Xapian::Database& db, const Analyzer& analyzer, const std::string& word,
                   const std::vector<std::string>& languages) {
  if (db.term_exists(word) || db.term_exists(std::string(prefix::kTitle) + word)) return true;
  std::vector<std::string> stemmed_in;
  for (const std::string& language : languages) {
    stemmed_in.push_back(language == analyzer.default_language() ? std::string() : language);
  }
  if (stemmed_in.empty()) stemmed_in.emplace_back();
  for (const std::string& language : stemmed_in) {
    const std::string stem = analyzer.stem(word, language);
    if (db.term_exists(stem) || db.term_exists(std::string(prefix::kStemmedTitle) + stem)) return true;
    const std::string key = stem_synonym_key(language, stem);
    for (auto it = db.synonyms_begin(key); it != db.synonyms_end(key); ++it) {
      if (db.term_exists(*it)) return true;
    }
  }
  return false;
}

std::optional<SpellingSuggestion> suggest_spelling(std::string_view query, const QueryNode& tree,
                                                   const Analyzer& analyzer, const Xapian::Database& db,
                                                   const std::vector<std::string>& languages) {
  Speller speller(query, analyzer, db, languages);
  speller.walk(tree);
  std::vector<Replacement> replacements = speller.take();
  if (replacements.empty()) return std::nullopt;
  std::sort(replacements.begin(), replacements.end(),
            [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
  SpellingSuggestion suggestion;
  std::size_t copied = 0;
  for (Replacement& r : replacements) {
    if (r.begin < copied) continue;  // overlapping leaves: the first wins
    suggestion.query.append(query.substr(copied, r.begin - copied));
    suggestion.query.append(r.suggested);
    suggestion.corrections.push_back({std::string(query.substr(r.begin, r.end - r.begin)), std::move(r.suggested)});
    copied = r.end;
  }
  suggestion.query.append(query.substr(copied));
  return suggestion;
}

}  // namespace policy
