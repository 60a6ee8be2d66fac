#include "core/phrase_pairs.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>
#include <unordered_set>

#include "core/errors.h"
#include "core/index_layout.h"

namespace policy {

CommonWords CommonWords::choose(const std::vector<std::vector<Token>>& documents, double pair_posting_share) {
  struct Counts {
    std::size_t documents = 0;
    std::size_t occurrences = 0;
  };
  std::unordered_map<std::string_view, Counts> counts;
  // Documents holding each adjacent pair, keyed "first second".
  std::unordered_map<std::string, std::size_t> pair_documents;
  std::size_t word_postings = 0;
  for (const std::vector<Token>& tokens : documents) {
    std::unordered_set<std::string_view> seen;
    std::unordered_set<std::string> pairs;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      Counts& c = counts[tokens[i].term];
      ++c.occurrences;
      if (seen.insert(tokens[i].term).second) ++c.documents;
      if (i > 0) pairs.insert(tokens[i - 1].term + ' ' + tokens[i].term);
    }
    word_postings += seen.size();
    for (const std::string& pair : pairs) ++pair_documents[pair];
  }
  const auto min_documents = std::max<std::size_t>(
      2, static_cast<std::size_t>(std::ceil(kMinDocumentShare * static_cast<double>(documents.size()))));
  std::vector<std::pair<std::string_view, Counts>> ranked;
  for (const auto& [word, c] : counts) {
    if (c.documents >= min_documents && word.size() <= kMaxWordBytes && word.find(' ') == std::string_view::npos) {
      ranked.emplace_back(word, c);
    }
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second.documents != b.second.documents) return a.second.documents > b.second.documents;
    if (a.second.occurrences != b.second.occurrences) return a.second.occurrences > b.second.occurrences;
    return a.first < b.first;
  });
  // The pairs each word is part of, with their document counts.
  std::unordered_map<std::string_view, std::vector<std::pair<std::string_view, std::size_t>>> partners;
  for (const auto& [pair, n] : pair_documents) {
    const std::size_t space = pair.find(' ');
    const std::string_view first = std::string_view(pair).substr(0, space);
    const std::string_view second = std::string_view(pair).substr(space + 1);
    partners[first].emplace_back(second, n);
    if (second != first) partners[second].emplace_back(first, n);
  }
  // In rank order, each word whose pairs with the words taken so far (and
  // with itself) keep the pair postings within the budget.
  const auto budget = static_cast<std::size_t>(pair_posting_share * static_cast<double>(word_postings));
  std::set<std::string, std::less<>> words;
  std::size_t pair_postings = 0;
  for (const auto& [word, c] : ranked) {
    if (words.size() == kCommonWords) break;
    std::size_t added = 0;
    for (const auto& [other, n] : partners[word]) {
      if (other == word || words.contains(other)) added += n;
    }
    if (pair_postings + added > budget) continue;
    pair_postings += added;
    words.emplace(word);
  }
  return CommonWords(std::move(words));
}

CommonWords CommonWords::parse(std::string_view stored) {
  std::set<std::string, std::less<>> words;
  while (!stored.empty()) {
    const std::size_t end = std::min(stored.find('\n'), stored.size());
    const std::string_view word = stored.substr(0, end);
    if (word.empty() || word.size() > kMaxWordBytes || word.find(' ') != std::string_view::npos) {
      throw CorruptDataError("the index's common words hold '" + std::string(word) + "', which is no word");
    }
    words.emplace(word);
    stored.remove_prefix(std::min(end + 1, stored.size()));
  }
  return CommonWords(std::move(words));
}

CommonWords CommonWords::shared(const std::vector<CommonWords>& sets) {
  if (sets.empty()) return CommonWords();
  std::set<std::string, std::less<>> words = sets.front().words_;
  for (std::size_t i = 1; i < sets.size(); ++i) {
    std::erase_if(words, [&](const std::string& word) { return !sets[i].contains(word); });
  }
  return CommonWords(std::move(words));
}

std::string CommonWords::serialise() const {
  std::string stored;
  for (const std::string& word : words_) {
    if (!stored.empty()) stored += '\n';
    stored += word;
  }
  return stored;
}

void CommonWords::add_pair_postings(const std::vector<Token>& body, Xapian::Document& doc) const {
  if (words_.empty() || body.size() < 2) return;
  // A document repeats its words: each distinct one is looked up once.
  std::unordered_map<std::string_view, bool> common;
  const auto is_common = [&](const std::string& term) {
    const auto [it, first_time] = common.try_emplace(term, false);
    if (first_time) it->second = contains(term);
    return it->second;
  };
  bool previous_common = is_common(body[0].term);
  for (std::size_t i = 1; i < body.size(); ++i) {
    const bool current_common = is_common(body[i].term);
    if (previous_common && current_common && body[i].position == body[i - 1].position + 1) {
      doc.add_boolean_term(pair_term(body[i - 1].term, body[i].term));
    }
    previous_common = current_common;
  }
}

std::string pair_term(std::string_view first, std::string_view second) {
  std::string term(prefix::kPair);
  term.reserve(term.size() + first.size() + 1 + second.size());
  term += first;
  term += ' ';
  term += second;
  return term;
}

}  // namespace policy
