// Spelling suggestions ("did you mean"): a query whose words are absent from
// the index -> the same query with each such word replaced by the index's
// closest word.
//
// The vocabulary is the index's own exact body words (index_layout.h), the
// analyzer's tokens, read from the term list with their document
// frequencies. No table is written at index time: the term list is always
// in step with the documents (replaced and deleted documents take their
// words with them), survives the segments' merge as it is, and exists in
// every index already built.
//
// A word is absent when the binder would find nothing for it: neither its
// exact term, nor its title term, nor any inflection the binder looks for
// (the stem's synonym-table words and ZS title stems, in each of the given
// languages) is in the index. Only free-text words are checked: words and
// phrase words in the body or title:, not field filters, wildcards,
// patterns, fuzzy words (word~N, which already search similar spellings)
// or negated parts (correcting those can only remove matches). Words of
// fewer than 3 letters, words written as acronyms and words holding digits
// are left alone.
//
// The closest word is the one at the smallest edit distance (optimal string
// alignment: insertion, deletion, substitution, transposition of adjacent
// letters, counted in code points), at most 1 for words of up to 4 letters
// and 2 for longer ones; ties go to the word in more documents; only
// words keeping the typed first or second letter in one of the first two
// places are compared (closest_index_word). The
// corrected query keeps everything else as typed (operators, quotes,
// fields, boosts); a capitalised word's suggestion is capitalised. Whether
// the corrected query finds more documents is the caller's check
// (Searcher::search does it).
//
// Thread-safe if each thread passes its own Analyzer and Database.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"

#include "searcher/query_syntax.h"

namespace policy {

struct SpellingCorrection {
  std::string typed;      // the word as typed in the query
  std::string suggested;  // what replaces it in the corrected query
};

struct SpellingSuggestion {
  std::string query;                            // the corrected query text
  std::vector<SpellingCorrection> corrections;  // in query order
};

// The index word closest to `word` (an exact term, as Analyzer::analyze
// gives it) within the distance bound above, or nullopt when none is that
// close or `word` is shorter than 3 letters. Reads the body words that
// start with the typed first or second letter, or have it second (for a
// typed word starting with a-z; else every body word): a typo in both of
// the first two letters is not corrected.
std::optional<std::string> closest_index_word(const Xapian::Database& db, std::string_view word);

// Whether the binder finds anything for the exact term `word` stemmed in
// `languages` (ISO codes; empty: the analyzer's default).
bool word_in_index(const Xapian::Database& db, const Analyzer& analyzer, const std::string& word,
                   const std::vector<std::string>& languages);

// The query `query`, parsed as `tree`, with each absent free-text word
// replaced by its closest index word; nullopt when no word is absent or no
// absent word has a close one.
std::optional<SpellingSuggestion> suggest_spelling(std::string_view query, const QueryNode& tree,
                                                   const Analyzer& analyzer, const Xapian::Database& db,
                                                   const std::vector<std::string>& languages);

}  // namespace policy
