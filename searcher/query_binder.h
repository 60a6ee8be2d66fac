// Binding: query syntax tree -> Xapian::Query, through the one Analyzer and
// the index schema. Syntax lives in query_syntax.h; this layer knows fields,
// terms and prefixes.
//
// Semantics (documented for users in README.md):
//   word        stemmed: matches any inflection (the synonym table's exact
//               words for its stem, and ZS terms), in the body or the title,
//               title matches weighted by BindOptions::title_weight; a word
//               the analyzer splits ("ASEAN-China", "e-waste") is a phrase
//
// How a word chooses its stemmers: documents are stemmed in their own
// language (index_layout.h), so a query word is stemmed by the stemmer of
// each language it is searched in, BindOptions::languages, and matches the
// union of each language's exact words for its stem. Searcher passes the
// languages of the query's top-level language filters ("lang:de", or
// --filter) when it has any, else every language the index holds: then
// `kind` finds English "kind" and "kinds" and German "Kinder" (German stem
// "kind"), and with lang:en only the English ones. A language without a
// stemmer (zh, th) leaves the word as it is.
//   "phrase"    exact words at consecutive positions, stopwords kept, unstemmed
//   prefix*     every exact word starting with the prefix, at most
//               BindOptions::max_wildcard_terms of them (else an error)
//   a NEAR/n b  single words (stemmed; quoted: exact), all within a stretch
//               of text holding at most n other words (NEAR/0: adjacent, in
//               either order)
//   title:x     x in the title only
//   org:MEP     a filter on a schema field (by name or alias): no weight;
//               values resolve through the gazetteer and taxonomy
//               (FieldExtractor::resolve); year fields take the forms
//               of filter_values.h (2016, 2010..2015, 2010-2015, >=2010)
//   AND/OR/NOT  boolean; NOT and -x exclude, a purely negative query
//               matches everything else
//
// Thread-safe if each thread passes its own Analyzer and Database.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <xapian.h>

#include "core/analyzer.h"
#include "core/field_extractor.h"
#include "core/field_schema.h"

#include "searcher/query_syntax.h"

namespace policy {

// Errors in binding (unknown field, too many wildcard expansions, no
// searchable word) share the syntax errors' shape: message, position, hint.
using QueryError = QuerySyntaxError;

struct BindOptions {
  double title_weight = 2.0;
  std::size_t max_wildcard_terms = 200;
  // The index's schema and an extractor over it, for field filters; without
  // them only "title:" is a known field.
  const Schema* schema = nullptr;
  const FieldExtractor* extractor = nullptr;
  // The languages (ISO codes, core/language.h) a stemmed word is stemmed
  // in; empty: the analyzer's default language only.
  std::vector<std::string> languages;
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

// The filter query (weightless) of one leaf on a schema field. Throws
// QueryError for a value that is no year or range on a year field, for a
// wildcard, or for a value with no word (check_filter_form in
// filter_values.h). A value that names nothing binds to a query matching
// nothing; unknown_filter_value() says so.
Xapian::Query bind_filter(const QueryNode& leaf, const FieldSpec& field, const FieldExtractor& extractor,
                          const Xapian::Database& db);

// A query split into its free-text part and the filters applied to all of
// it: the leaves on schema fields directly under the top-level AND, and
// top-level ORs of leaves on one field ("org:(MEP OR EPA)"). Filters are
// grouped by canonical field name; values of one field combine with OR,
// fields with AND. These are the "active filters" of multi-select facets.
struct SplitQuery {
  std::optional<QueryNode> text;  // nullopt: filters only
  std::map<std::string, std::vector<QueryNode>> filters;
};

SplitQuery split_filters(const QueryNode& root, const Schema& schema);

}  // namespace policy
