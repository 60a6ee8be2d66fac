// Binding: query syntax tree -> Xapian::Query, through the one Analyzer and
// the index schema. Syntax lives in query_syntax.h; this layer knows fields,
// terms and prefixes.
//
// Semantics (documented for users in README.md):
//   word        stemmed: matches any inflection (Z and ZS terms), in the body
//               or the title, title matches weighted by BindOptions::title_weight;
//               a word the analyzer splits ("ASEAN-China", "e-waste") is a phrase
//   "phrase"    exact words at consecutive positions, stopwords kept, unstemmed
//   prefix*     every exact word starting with the prefix, at most
//               BindOptions::max_wildcard_terms of them (else an error)
//   a NEAR/n b  single words (stemmed; quoted: exact), all within a stretch
//               of text holding at most n other words (NEAR/0: adjacent, in
//               either order)
//   title:x     x in the title only
//   AND/OR/NOT  boolean; NOT and -x exclude, a purely negative query
//               matches everything else
//
// Thread-safe if each thread passes its own Analyzer and Database.
#pragma once

#include <string>
#include <vector>

#include <xapian.h>

#include "policy/analyzer.h"
#include "policy/query_syntax.h"

namespace policy {

// Errors in binding (unknown field, too many wildcard expansions, no
// searchable word) share the syntax errors' shape: message, position, hint.
using QueryError = QuerySyntaxError;

struct BindOptions {
  double title_weight = 2.0;
  std::size_t max_wildcard_terms = 200;
};

// Something to highlight: consecutive positions whose words are, slot by
// slot, one of the listed exact terms. A word is one slot (its inflections);
// a phrase is one slot per word.
struct HighlightUnit {
  std::vector<std::vector<std::string>> slots;
};

struct BoundQuery {
  Xapian::Query query;
  std::vector<HighlightUnit> highlights;  // from the positive parts of the query only
};

// Throws QueryError.
BoundQuery bind_query(const QueryNode& root, const Analyzer& analyzer, const Xapian::Database& db,
                      const BindOptions& options = {});

}  // namespace policy
