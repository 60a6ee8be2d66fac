// Spelling suggestions (searcher/spelling.h) on typos of real words: how
// often the suggestion is the word meant.
//
//   policy-eval-spelling INDEX [SEED] [TYPOS]
//
// Words of 5 or more letters (a-z only) are drawn from the index's body
// words, each with a chance proportional to the number of documents it is
// in (a typo is more often made in a common word), and each gets one random
// edit: a letter deleted, inserted, replaced by another, or swapped with
// the next one. A typo that is itself a word of the index (in any
// inflection, as spelling.h decides) is counted apart and not suggested
// for: no search would ask. For the others, the suggestion is a hit (the
// word meant), wrong, or missing.
//
// The same typos go to Xapian's spelling table
// (Database::get_spelling_suggestion, distance 2), filled with every body
// word and its document count, for comparison.
//
// Prints Markdown tables: overall, then the hit rate per kind of edit.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/index_reader.h"

#include "searcher/spelling.h"

namespace {

struct Typo {
  std::string meant;
  std::string typed;
  const char* kind;
};

struct Tally {
  std::size_t hit = 0, none = 0, wrong = 0;
  double seconds = 0;
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_kind;  // kind -> (hits, typos)

  void add(const Typo& typo, const std::string& suggestion, double took) {
    seconds += took;
    auto& kind = by_kind[typo.kind];
    ++kind.second;
    if (suggestion.empty()) {
      ++none;
    } else if (suggestion == typo.meant) {
      ++hit;
      ++kind.first;
    } else {
      ++wrong;
    }
  }
  std::size_t total() const { return hit + none + wrong; }
};

bool lower_ascii_word(const std::string& word) {
  if (word.size() < 5) return false;
  for (char c : word) {
    if (c < 'a' || c > 'z') return false;
  }
  return true;
}

Typo make_typo(const std::string& word, std::mt19937_64& rng) {
  const auto below = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  const auto letter = [&] { return static_cast<char>('a' + below(26)); };
  std::string typed = word;
  const char* kind = "";
  switch (below(4)) {
    case 0:
      kind = "deletion";
      typed.erase(below(word.size()), 1);
      break;
    case 1:
      kind = "insertion";
      typed.insert(below(word.size() + 1), 1, letter());
      break;
    case 2: {
      kind = "substitution";
      const std::size_t at = below(word.size());
      char c;
      do c = letter();
      while (c == word[at]);
      typed[at] = c;
      break;
    }
    default: {
      kind = "transposition";
      std::size_t at;
      do at = below(word.size() - 1);
      while (word[at] == word[at + 1] && word.find_first_not_of(word[0]) != std::string::npos);
      std::swap(typed[at], typed[at + 1]);
      break;
    }
  }
  return {word, typed, kind};
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void print_row(const char* method, const Tally& t, std::size_t words) {
  const double n = static_cast<double>(t.total());
  std::printf("| %s | %zu | %zu | %.1f%% | %.1f%% | %.1f%% | %.2f |\n", method, words, t.total(), 100.0 * t.hit / n,
              100.0 * t.none / n, 100.0 * t.wrong / n, 1000.0 * t.seconds / n);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::cerr << "usage: policy-eval-spelling INDEX [SEED] [TYPOS]\n";
    return 2;
  }
  const std::uint64_t seed = argc > 2 ? std::stoull(argv[2]) : 23;
  const std::size_t count = argc > 3 ? std::stoul(argv[3]) : 2000;
  try {
    policy::IndexReader reader(argv[1]);
    const Xapian::Database& db = reader.database();
    const policy::Analyzer& analyzer = reader.analyzer();
    const std::vector<std::string> languages = reader.languages();

    // Body words (no prefix) and Xapian's spelling table of them.
    std::vector<std::pair<std::string, Xapian::doccount>> words;
    // Beside the index: Xapian's in-memory backend has no spelling table.
    const std::filesystem::path table_path = std::filesystem::path(argv[1]).parent_path() / "spelling-table";
    Xapian::WritableDatabase table(table_path.string(), Xapian::DB_CREATE_OR_OVERWRITE | Xapian::DB_BACKEND_GLASS);
    std::size_t vocabulary = 0;
    for (auto it = db.allterms_begin(); it != db.allterms_end(); ++it) {
      const std::string term = *it;
      if (term[0] >= 'A' && term[0] <= 'Z') continue;
      ++vocabulary;
      table.add_spelling(term, it.get_termfreq());
      if (lower_ascii_word(term)) words.emplace_back(term, it.get_termfreq());
    }
    table.commit();
    if (words.empty()) {
      std::cerr << "policy-eval-spelling: " << argv[1] << ": no words of 5 letters or more\n";
      return 2;
    }
    std::vector<std::uint64_t> cumulative;
    std::uint64_t sum = 0;
    for (const auto& [word, documents] : words) cumulative.push_back(sum += documents);

    std::mt19937_64 rng(seed);
    std::vector<Typo> typos;
    std::size_t real_words = 0;
    while (typos.size() < count) {
      const std::uint64_t pick = rng() % sum;
      const std::size_t i =
          static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), pick) - cumulative.begin());
      Typo typo = make_typo(words[i].first, rng);
      if (policy::word_in_index(db, analyzer, typo.typed, languages)) {
        ++real_words;
        continue;
      }
      typos.push_back(std::move(typo));
    }

    Tally ours, xapian;
    for (const Typo& typo : typos) {
      auto start = std::chrono::steady_clock::now();
      const std::optional<std::string> suggestion = policy::closest_index_word(db, typo.typed);
      ours.add(typo, suggestion.value_or(""), seconds_since(start));
      start = std::chrono::steady_clock::now();
      const std::string from_table = table.get_spelling_suggestion(typo.typed, 2);
      xapian.add(typo, from_table, seconds_since(start));
    }

    std::printf("%zu body words, %zu of 5+ letters; seed %llu; %zu typos that are words of the index left out\n\n",
                vocabulary, words.size(), static_cast<unsigned long long>(seed), real_words);
    std::printf("| suggester | vocabulary | typos | hit | none | wrong | ms per suggestion |\n");
    std::printf("|---|---:|---:|---:|---:|---:|---:|\n");
    print_row("closest_index_word (spelling.h)", ours, vocabulary);
    print_row("Xapian spelling table", xapian, vocabulary);
    std::printf("\n| edit | typos | hit (spelling.h) | hit (Xapian) |\n|---|---:|---:|---:|\n");
    for (const auto& [kind, tally] : ours.by_kind) {
      const auto& other = xapian.by_kind[kind];
      std::printf("| %s | %zu | %.1f%% | %.1f%% |\n", kind.c_str(), tally.second, 100.0 * tally.first / tally.second,
                  100.0 * other.first / other.second);
    }
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-eval-spelling: " << e.get_description() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "policy-eval-spelling: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
