// The one text analyzer. Documents, queries, snippets and concordance lines
// all go through Analyzer, so what is indexed is exactly what can be found
// and highlighted.
//
// Pipeline for a UTF-8 text:
//   1. ICU word segmentation (UAX #29, with ICU's dictionaries for Thai,
//      Lao, Khmer, Burmese, Chinese and Japanese). Segments that hold no
//      letter, digit or ideograph (spaces, punctuation, symbols) are dropped.
//   2. Each word is normalised: NFKC with case folding (full-width forms
//      become ASCII, "ß" becomes "ss"), curly and full-width apostrophes
//      become "'", and combining marks are removed after Latin, Greek and
//      Cyrillic letters ("é" -> "e") but kept elsewhere (Thai vowel signs
//      are letters' parts, not accents).
//   3. Joining rules, applied after segmentation (pinned in
//      tests/golden/analyzer_tokens.tsv):
//      - hyphens split: "ASEAN-China" -> asean china, "e-waste" -> e waste,
//        "2016-2020" -> 2016 2020, at consecutive positions, so a phrase
//        query for the hyphenated form matches it and its spaced form;
//      - "&" between letters with no space joins: "S&ED" -> s&ed, "R&D";
//      - dotted abbreviations of single letters lose their dots:
//        "U.S." -> us, "U.S.A." -> usa, "e.g." -> eg;
//      - numbers keep inner dots and commas: "PM2.5" -> pm2.5, "1,000";
//      - a possessive "'s" or trailing "'" is removed: "EPA’s" -> epa.
//   4. Each token has its position (0-based, consecutive) and the byte
//      offsets [begin, end) of the source text it came from.
//   5. A token is marked `acronym` by how it is written, not by what it
//      is, so that "US" (the country) and "us" (the pronoun) can be told
//      apart while both keep the term "us":
//      - dotted capitals, "U.S.", "U.K.", "U.S.A." (ASCII letters), are
//        always acronyms;
//      - a word of ASCII capitals and digits, with "&" allowed inside and
//        at least two capitals ("US", "WHO", "EPA’s", "S&ED", "CO2"), is
//        an acronym unless its line (the text between two line breaks) is
//        written in capitals: a line with no lower-case letter and two or
//        more such words is a heading ("WHO WE ARE", "JOIN US"), whose
//        words are everyday words. A lone capitals word on its line ("WHO")
//        is an acronym: nothing says otherwise.
//      Capitals in other scripts, full-width letters and mixed case ("Us",
//      "NGOs") are never acronyms. The mark adds an acronym term for the
//      word (core/index_layout.h) beside its everyday term; which query
//      words search the acronym term only is the binder's choice
//      (searcher/query_binder.h).
//   6. stem() applies Xapian's Snowball stemmer: the default language's
//      (AnalyzerOptions::stem_language, English unless told otherwise), or
//      a document's language's (core/language.h); a language without one
//      (Chinese, Thai, ...) leaves words as they are.
//
// Not thread-safe: holds an ICU break iterator, and stemmers created as
// languages are met, with their caches. Use one Analyzer per thread;
// construction is cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace policy {

struct Token {
  std::string term;  // normalised exact form (unstemmed)
  std::uint32_t position = 0;
  std::uint32_t begin = 0;  // byte offsets into the analysed text
  std::uint32_t end = 0;
  bool acronym = false;  // written as an acronym (rule 5 above)
};

struct AnalyzerOptions {
  std::string stem_language = "english";  // any Xapian::Stem language, or "none"
};

// Bumped whenever a change to this code would change any token of any text.
// The index records it; the searcher refuses an index built with another.
inline constexpr int kAnalyzerVersion = 2;

class Analyzer {
 public:
  explicit Analyzer(const AnalyzerOptions& options = {});
  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  // Tokens of `text` in order. Invalid UTF-8 is tolerated (treated as
  // U+FFFD, never a token) but readers repair it first.
  std::vector<Token> analyze(std::string_view text) const;

  // The stem of an exact term as produced by analyze(), by the default
  // language's stemmer.
  std::string stem(const std::string& term) const;
  // The same by `language`'s stemmer (an ISO code, core/language.h): the
  // default one for default_language() and "", none (the term itself) for
  // a language Xapian has no stemmer for, or with stemming turned off.
  std::string stem(const std::string& term, std::string_view language) const;

  // The ISO code of the default stemmer's language ("en" for "english"
  // and "porter"); "" with stemming turned off.
  const std::string& default_language() const { return default_language_; }

  // "policy-analyzer/1 stem=english": what the index records and the
  // searcher compares.
  std::string version() const;

  const AnalyzerOptions& options() const { return options_; }

 private:
  struct Impl;
  AnalyzerOptions options_;
  std::string default_language_;
  std::unique_ptr<Impl> impl_;
};

// The ICU version this program runs with, e.g. "72.1", recorded in the index
// for information (word boundaries may differ between ICU versions).
std::string icu_version();

}  // namespace policy
