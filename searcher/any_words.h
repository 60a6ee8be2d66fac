// Any-words queries: a text searched as its words, any of them matching,
// ranked by how many and how informative (Elasticsearch's `match` query
// with operator "or"). For the question "what else says something like
// this paragraph": in query syntax, a pasted paragraph is the AND of its
// words and matches little or nothing, and its punctuation may read as
// operators.
//
// The text is not query syntax: quotes, parentheses, "field:", NOT and
// wildcards are words or punctuation like any other. The Analyzer that
// indexes documents splits it into words (one analyzer: what it finds is
// what the words of a document are), and each becomes a word of the tree,
// so it matches any inflection, as a typed word does:
//
//   (OR (WORD "coral") (WORD "reef") (WORD "reef") (WORD "ASEAN") ...)
//
// Each word is given as the analyzer's term: in capitals when the text
// wrote it as an acronym ("U.S.", "EPA's" -> US, EPA; it then searches the
// acronym, as typed in capitals), in lower case otherwise, so a heading in
// capitals does not turn its words into acronyms. A word the
// text repeats is one word boosted by its count ("reef reef" is reef^2),
// which weighs as the repeats would (ranking.h: a term's weight is linear
// in its count in the query) at one word's cost. English stopwords are
// left out when asked
// (they would match nearly every document and weigh nothing), unless
// nothing else is left; AnyWordsQuery::left_out lists them, for the
// warning that says so.
//
// Thread-safety: a function; the Analyzer is not shared between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/analyzer.h"

#include "searcher/query_syntax.h"

namespace policy {

struct AnyWordsQuery {
  QueryNode tree;  // a kOr of kWord nodes, or one kWord
  // Stopwords not searched, each once, in the order of their first use.
  std::vector<std::string> left_out;
};

// Throws QuerySyntaxError as check_query_text() does, "no words" when the
// text holds none (only punctuation), and "too many words" beyond
// limits.max_words distinct words searched. Positions are byte offsets in `text`.
AnyWordsQuery any_words_query(std::string_view text, const Analyzer& analyzer, const QueryLimits& limits,
                              bool leave_out_stopwords);

}  // namespace policy
