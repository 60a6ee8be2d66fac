// Words and phrases a query treats as one: each gazetteer organisation's
// name, aliases and acronyms (schemas/organisations.json), and each group
// of the schema's synonyms.json (the corpus's own equivalences, stored in
// the index with the schema). The binder (query_binder.h) widens a query
// word or quoted phrase that is one of them to all of them.
//
// Why by default: the gazetteer already makes org:EPA mean the agency by
// any of its names, so a free-text EPA that missed "Environmental
// Protection Agency" would answer a narrower question than the filter.
// Every widening is reported with the answer (a "synonyms" warning) and
// can be switched off per request (--no-synonyms, API synonyms=0).
//
// Matching a leaf to an entry:
//   acronyms            as written, case-sensitively, a possessive 's
//                       ignored: "EPA" and "EPA's", not "epa"
//   names, aliases and  by the analyzer's exact terms: case, punctuation
//   synonyms.json terms and spacing do not matter ("environmental
//                       protection agency" in quotes finds the agency)
// Only a whole word or quoted phrase leaf matches, never part of one; a
// "phrase"~N, a wildcard or a fuzzy word is not widened.
//
// The equivalents of a leaf are nodes to bind in its place beside it: an
// acronym as a word (so it searches the acronym only), a one-word name or
// synonym as a word (any inflection), a longer one as an exact phrase.
//
// Thread-safe after construction: immutable.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/analyzer.h"
#include "core/field_schema.h"

#include "searcher/query_syntax.h"

namespace policy {

class SynonymTable {
 public:
  SynonymTable(const Schema& schema, const Analyzer& analyzer);

  // The nodes equivalent to `leaf` (a word or a phrase), other than `leaf`
  // itself, in the order the schema lists them; empty when it names no
  // entry. Each keeps the leaf's field and position, boost 1.
  std::vector<QueryNode> equivalents(const QueryNode& leaf) const;

  bool empty() const { return groups_.empty(); }

 private:
  struct Variant {
    QueryNode node;
    std::string key;  // "A" + acronym or "T" + exact terms, as in keys_of()
  };
  void add_group(std::vector<Variant> group);
  Variant acronym_variant(const std::string& acronym) const;
  Variant text_variant(const std::string& text) const;
  // The keys `leaf` is found under: its acronym key when written as one,
  // and its exact terms' key.
  std::vector<std::string> keys_of(const QueryNode& leaf) const;
  static std::string terms_key(const std::vector<Token>& tokens);

  const Analyzer& analyzer_;
  std::vector<std::vector<Variant>> groups_;
  std::map<std::string, std::vector<std::size_t>> groups_by_key_;
};

}  // namespace policy
