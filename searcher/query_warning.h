// QueryWarning: something about a query that did not stop it but may make
// its answer mislead, such as a filter value that names nothing in the
// index (the search then matches nothing, though nothing is malformed).
// Errors stop a query (QuerySyntaxError); warnings travel with its answer:
// in SearchResults and MatchCounts, as the JSON "warnings" array of the
// search, batch and API outputs, and as "warning: ..." lines on stderr.
//
// A warning is a plain value; `code` says what kind it is, so new kinds
// (say, from the query parser) add a code, not a type.
//
// Thread-safe: a value type.
#pragma once

#include <string>
#include <vector>

namespace policy {

namespace warning_code {
// A filter value that resolves to no value the index holds for its field.
inline constexpr const char* kUnknownFilterValue = "unknown_filter_value";
// A word or phrase of the query also searched as its equivalents
// (searcher/synonyms.h): the answer is wider than the words typed.
inline constexpr const char* kSynonyms = "synonyms";
// The search's time limit passed before all of its answer was built (the
// snippets of later results, say): the answer is partial, as it says.
inline constexpr const char* kTimeLimit = "time_limit";
// Words of an any-words query (searcher/any_words.h) that were not searched:
// English stopwords, listed in the message.
inline constexpr const char* kStopwordsLeftOut = "stopwords_left_out";
}  // namespace warning_code

struct QueryWarning {
  std::string code;     // warning_code::...
  std::string message;  // one line for a person, naming field and value
  std::string field;    // the schema field concerned ("" for none)
  std::string value;    // the value as typed
  // The closest values the index holds for the field, best first, as they
  // can be typed in a filter; empty when none is close.
  std::vector<std::string> suggestions;

  bool operator==(const QueryWarning&) const = default;
};

}  // namespace policy
