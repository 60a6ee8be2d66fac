#include "searcher/example_queries.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "core/index_layout.h"

namespace policy {
namespace {

// The most frequent words of the index are not offered in phrases: at
// most this many, and one in kFrequentWordShare of its vocabulary (a
// small index has few function words).
constexpr std::size_t kFrequentWords = 50;
constexpr std::size_t kFrequentWordShare = 20;
constexpr std::size_t kPhrases = 2;
// Shorter words are mostly articles and prepositions.
constexpr std::size_t kMinWordLetters = 3;

// Letters only, at least kMinWordLetters of them.
bool is_plain_word(const std::string& term) {
  std::size_t letters = 0;
  for (std::int32_t i = 0; i < static_cast<std::int32_t>(term.size());) {
    UChar32 c = 0;
    U8_NEXT(term.data(), i, static_cast<std::int32_t>(term.size()), c);
    if (c < 0 || !u_isalpha(c)) return false;
    ++letters;
  }
  return letters >= kMinWordLetters;
}

// The body's exact terms (no prefix: they start with a lower-case letter
// or a non-ASCII character) with the highest collection frequencies.
std::set<std::string> most_frequent_words(const Xapian::Database& db) {
  std::vector<std::pair<Xapian::termcount, std::string>> words;
  std::size_t vocabulary = 0;
  for (Xapian::TermIterator t = db.allterms_begin(); t != db.allterms_end(); ++t) {
    const std::string term = *t;
    if (term.empty() || (term[0] >= 'A' && term[0] <= 'Z')) continue;
    ++vocabulary;
    words.emplace_back(db.get_collection_freq(term), term);
    if (words.size() > 4 * kFrequentWords) {
      std::nth_element(words.begin(), words.begin() + kFrequentWords, words.end(), std::greater<>());
      words.resize(kFrequentWords);
    }
  }
  std::sort(words.begin(), words.end(), std::greater<>());
  words.resize(
      std::min(words.size(), std::min(kFrequentWords, std::max<std::size_t>(1, vocabulary / kFrequentWordShare))));
  std::set<std::string> out;
  for (auto& [frequency, term] : words) out.insert(std::move(term));
  return out;
}

struct PhraseCount {
  std::size_t documents = 0;
  std::size_t occurrences = 0;
  Xapian::docid last_document = 0;
};

std::vector<ExampleQuery> frequent_phrases(const IndexReader& reader, std::size_t sample_documents) {
  const Xapian::Database& db = reader.database();
  if (db.get_doccount() == 0 || sample_documents == 0) return {};
  const std::set<std::string> frequent = most_frequent_words(db);

  // Every step-th document, so the sample spans the index.
  const Xapian::docid last = db.get_lastdocid();
  const Xapian::docid step = std::max<Xapian::docid>(1, last / static_cast<Xapian::docid>(sample_documents));
  std::map<std::pair<std::string, std::string>, PhraseCount> phrases;
  std::size_t sampled = 0;
  for (Xapian::docid did = 1; did <= last; did += step) {
    Xapian::Document doc;
    try {
      doc = db.get_document(did);
    } catch (const Xapian::DocNotFoundError&) {
      continue;  // deleted
    }
    ++sampled;
    const StoredDocument stored = StoredDocument::read(doc, reader.schema(), reader.dictionary(), /*with_text=*/true);
    const std::vector<Token> tokens = reader.analyzer().analyze(stored.text);
    for (std::size_t i = 0; i + 1 < tokens.size(); ++i) {
      const Token& a = tokens[i];
      const Token& b = tokens[i + 1];
      if (b.position != a.position + 1) continue;
      if (!is_plain_word(a.term) || !is_plain_word(b.term) || frequent.contains(a.term) || frequent.contains(b.term) ||
          a.term == b.term) {
        continue;
      }
      PhraseCount& count = phrases[{a.term, b.term}];
      ++count.occurrences;
      if (count.last_document != did) {
        ++count.documents;
        count.last_document = did;
      }
    }
  }

  std::vector<std::pair<const std::pair<std::string, std::string>*, const PhraseCount*>> ranked;
  for (const auto& [words, count] : phrases) {
    if (count.occurrences >= 2) ranked.emplace_back(&words, &count);
  }
  std::sort(ranked.begin(), ranked.end(), [](const auto& x, const auto& y) {
    return std::tie(y.second->documents, y.second->occurrences, *x.first) <
           std::tie(x.second->documents, x.second->occurrences, *y.first);
  });
  std::vector<ExampleQuery> out;
  std::set<std::string> used;  // a word once, so the phrases differ
  for (const auto& [words, count] : ranked) {
    if (out.size() == kPhrases) break;
    if (used.contains(words->first) || used.contains(words->second)) continue;
    used.insert(words->first);
    used.insert(words->second);
    out.push_back(ExampleQuery{
        "\"" + words->first + " " + words->second + "\"",
        "phrase in " + std::to_string(count->documents) + " of the " + std::to_string(sampled) + " documents sampled"});
  }
  return out;
}

// The value of `field` held by the most documents: its key (the term after
// the field's prefix) and its document count.
std::optional<std::pair<std::string, Xapian::doccount>> top_value(const Xapian::Database& db, const FieldSpec& field) {
  std::optional<std::pair<std::string, Xapian::doccount>> best;
  for (Xapian::TermIterator t = db.allterms_begin(field.prefix); t != db.allterms_end(field.prefix); ++t) {
    const std::string key = (*t).substr(field.prefix.size());
    // A longer prefix sharing this one ("XO" and "XOA") is another field's.
    if (key.empty() || (key[0] >= 'A' && key[0] <= 'Z')) continue;
    const Xapian::doccount documents = t.get_termfreq();
    if (!best || documents > best->second) best.emplace(key, documents);
  }
  return best;
}

std::string quoted(const std::string& value) {
  std::string out = "\"";
  for (char c : value) {
    if (c != '"') out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<ExampleQuery> example_queries(const IndexReader& reader, std::size_t sample_documents) {
  std::vector<ExampleQuery> out = frequent_phrases(reader, sample_documents);
  const Xapian::Database& db = reader.database();
  const Schema& schema = reader.schema();
  bool year_shown = false;
  for (const FieldSpec& field : schema.fields()) {
    if (field.kind == FieldKind::kFacet && !field.vocabulary.empty()) {
      if (const auto best = top_value(db, field)) {
        std::string name = field.name;  // the shortest way to type it
        for (const std::string& alias : field.aliases) {
          if (alias.size() < name.size()) name = alias;
        }
        out.push_back(ExampleQuery{name + ":" + quoted(schema.display(field, best->first)),
                                   field.name + " of " + std::to_string(best->second) + " documents"});
      }
    }
    if (field.kind == FieldKind::kYear && !field.multi_valued && !year_shown) {
      std::vector<int> years;
      for (Xapian::TermIterator t = db.allterms_begin(field.prefix); t != db.allterms_end(field.prefix); ++t) {
        const std::string key = (*t).substr(field.prefix.size());
        const bool digits = !key.empty() && key.size() <= 4 &&
                            std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (digits) years.push_back(std::stoi(key));
      }
      if (years.size() >= 2) {
        const auto [min, max] = std::minmax_element(years.begin(), years.end());
        out.push_back(ExampleQuery{field.name + ":" + std::to_string(*min) + ".." + std::to_string(*max),
                                   "the years the documents span"});
        year_shown = true;
      }
    }
  }
  return out;
}

}  // namespace policy
