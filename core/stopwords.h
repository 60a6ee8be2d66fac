// Words that say little about what a text is about: English function words
// (articles, pronouns, auxiliaries, prepositions, conjunctions), the
// Snowball project's English stop list without its contractions.
//
// They are still indexed and matched like any word (a phrase needs them);
// the query binder only lets them weigh nothing in the ranking (see
// BindOptions::weightless_stopwords).
//
// Thread-safe: a constant table.
#pragma once

#include <span>
#include <string_view>

namespace policy {

// Whether `term`, an analyzer term (lower-case, unstemmed), is an English
// stopword.
bool is_english_stopword(std::string_view term);

// Every English stopword, sorted.
std::span<const std::string_view> english_stopwords();

}  // namespace policy
