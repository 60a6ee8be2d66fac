// Binding: query syntax tree -> Xapian::Query, through the one Analyzer and
// the index schema. Syntax lives in query_syntax.h; this layer knows fields,
// terms and prefixes.
//
// Semantics (documented for users in README.md):
//   word        stemmed: matches any inflection (the synonym table's exact
//               words for its stem), in the body or the title: a title word
//               is kTitleWordOccurrences more occurrences of its body term
//               (index_layout.h), so one term's statistics weigh both; a
//               word the analyzer splits ("ASEAN-China", "e-waste") is a
//               phrase. Wildcards, patterns and fuzzy words likewise
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
//   US, U.S.    an acronym: a word the analyzer marks as written as an
//               acronym (Token::acronym: capitals, or dotted capitals) that
//               is also written with dots, or is one of the gazetteer's
//               acronyms (schemas/organisations.json), or one of
//               kEverydayWordAcronyms ("US", "WHO", ...), matches only the
//               words written as that acronym (C and SC terms,
//               index_layout.h), unstemmed: "US" and "U.S." find the
//               country, not the pronoun. Any other capitals word ("NATO")
//               and any word not in capitals ("us", "Us") is an everyday
//               word and matches every occurrence, whatever its case,
//               acronyms included. Inside a phrase the same holds for each
//               word, and a phrase written in capitals ("WHO WE ARE") is a
//               heading's words, not acronyms (core/analyzer.h).
//   "phrase"    exact words at consecutive positions, stopwords kept,
//               unstemmed, in the body, or in the title weighted by
//               BindOptions::title_weight; with BindOptions::span_weights,
//               in the body it weighs by its own occurrences
//               (span_weight.h), as does a NEAR by its matches
//   EPA, "Environmental Protection Agency"
//               a word or phrase that is a gazetteer name, alias or acronym,
//               or a term of synonyms.json, also searches its equivalents
//               (BindOptions::synonyms, searcher/synonyms.h), each bound as
//               written there; recorded as a "synonym" expansion
//   "a b*"      a phrase word followed by '*' is a prefix (its expansions)
//   "a b"~0     the phrase with every word in any inflection in the index
//   "a b"~n     its words, any inflection, as a NEAR/n
//   prefix*     every exact word starting with the prefix, at most
//               BindOptions::max_wildcard_terms of them (else an error)
//   te?r*r      every exact word matching the pattern, same bound
//   word~n      the index's words within n edits (Damerau, n <= 2) that
//               share its first character, and their inflections, same bound
//   x^b         OP_SCALE_WEIGHT by b (not on filters, not inside NEAR)
//   a NEAR/n b  sides that are words (stemmed; quoted: exact), wildcards,
//               fuzzy words, phrases or OR groups of these, all within a
//               stretch of text holding at most n other words (NEAR/0:
//               adjacent, in either order); single-position sides go to
//               OP_NEAR, a phrase to near_match.h
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
#include "core/phrase_pairs.h"

#include "searcher/query_syntax.h"
#include "searcher/query_warning.h"
#include "searcher/synonyms.h"

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
  // Words and phrases widened to their equivalents; nullptr: none.
  const SynonymTable* synonyms = nullptr;
  // The index's common words, whose adjacent pairs it holds as terms
  // (core/phrase_pairs.h); exact phrases of them read the pairs. nullptr:
  // phrases read their words' positions only.
  const CommonWords* common_words = nullptr;
  // An unquoted English stopword of the body (core/stopwords.h) weighs
  // nothing in the ranking, though it is still matched, when the index's
  // default language is English and the query has a word that weighs.
  // Phrases, NEAR, fields and title: keep every word's weight.
  bool weightless_stopwords = true;
  // A body phrase or NEAR weighs by its own matches in the document
  // (searcher/span_weight.h); false: by its words', as Xapian weighs them.
  // The query so bound is for weighing documents that match the query bound
  // without it: a phrase or NEAR in it matches any document holding its
  // words and weighs 0 where they do not match. Searcher weighs so the
  // first results only, as the weighing reads positions.
  bool span_weights = false;
};

// Something to highlight: consecutive positions whose words are, slot by
// slot, one of the listed exact terms. A word is one slot (its inflections);
// a phrase is one slot per word.
struct HighlightUnit {
  std::vector<std::vector<std::string>> slots;
};

// Acronyms whose lower-case form is an everyday word (or a common word in
// another language of the corpus: French "un"), besides the gazetteer's:
// written in capitals in a query, they search the acronym only.
inline constexpr const char* kEverydayWordAcronyms[] = {"EU", "IT", "UK", "UN", "US", "WHO"};

// What one query word or wildcard was widened into, for --explain: index
// terms with their prefixes (index_layout.h). Any binding that widens a
// word (stems, wildcards, acronyms, fuzzy matches, synonyms) adds one.
struct QueryExpansion {
  std::string kind;   // "stem", "wildcard", "acronym", "synonym", ...
  std::string typed;  // the query text it came from: "policy", "envir*"
  // Sorted, distinct; for "synonym", the equivalent words and phrases as a
  // query writes them (EPA, "Environmental Protection Agency"), in schema order.
  std::vector<std::string> terms;
  // For "synonym": what each of `terms` matches, to count its documents
  // (other kinds are index terms, counted by their frequency).
  std::vector<Xapian::Query> term_queries;
};

// A positive leaf of the query (word, phrase, wildcard, NEAR) as weighted
// in it, its body and title parts apart: weighing each alone on one
// document explains that document's score (searcher/explain.h).
struct ScoredPart {
  std::string label;    // describe() of the leaf
  Xapian::Query body;   // empty (Xapian::Query()) when title-only
  Xapian::Query title;  // scaled by BindOptions::title_weight; empty when none
};

struct BoundQuery {
  Xapian::Query query;
  std::vector<HighlightUnit> highlights;  // from the positive parts of the query only
  std::vector<QueryExpansion> expansions;
  std::vector<ScoredPart> parts;
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
  // How the text was read where it differs from what was typed (an
  // any-words query's left-out stopwords), for the answer's warnings.
  std::vector<QueryWarning> text_warnings;
};

SplitQuery split_filters(const QueryNode& root, const Schema& schema);

}  // namespace policy
