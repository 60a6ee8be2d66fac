// --explain: how a query was bound and how each result's score was made.
//
// Expansions: each word, wildcard or acronym the binder widened
// (BoundQuery::expansions), with each index term's document count.
//
// Scores: Xapian gives no per-document account of a weight, so it is
// computed: each positive leaf of the query (BoundQuery::parts), its body
// part and its title part apart, is weighted alone with the ranking scheme
// (ranking.h) on the one document (the part filtered by the document's Q
// term). The scheme sums the weights of the terms that match, and a term's
// weight depends only on the document and on collection statistics, so the
// parts add up to the score
// (tests/searcher/explain_test.cc checks it on many query forms, a
// repeated phrase included). Where they could not (a leaf under a double
// NOT is counted here but adds nothing; a weighting scheme that weighs a
// term by its count in the query), ScoreExplanation::sums_to_score
// says whether they did, within rounding.
//
// Thread-safety: functions; the database must not be shared with another
// thread while they read it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include "searcher/query_binder.h"

namespace policy {

struct TermCount {
  // As indexed, with its prefix (index_layout.h); for a "synonym"
  // expansion, the word or phrase as a query writes it.
  std::string term;
  Xapian::doccount documents = 0;
};

struct ExpansionCounts {
  std::string kind;   // QueryExpansion::kind
  std::string typed;  // QueryExpansion::typed
  std::vector<TermCount> terms;
};

struct PartScore {
  std::string label;  // ScoredPart::label
  double body = 0;
  double title = 0;
};

struct ScoreExplanation {
  std::size_t rank = 0;
  std::string id;
  double score = 0;  // the score the search gave
  std::vector<PartScore> parts;
  double sum = 0;  // of the parts' body and title weights
  bool sums_to_score = false;
};

struct QueryExplanation {
  std::vector<ExpansionCounts> expansions;
  std::vector<ScoreExplanation> scores;
};

// A result to explain: its rank, document id and score.
struct ScoredResult {
  std::size_t rank = 0;
  std::string id;
  double score = 0;
};

QueryExplanation explain_query(const Xapian::Database& db, const BoundQuery& bound,
                               const std::vector<ScoredResult>& results);

// A term for people: "policies", "title policies", "title stem polici",
// "acronym us", "title acronym us".
std::string describe_term(const std::string& term);

// Lines to print after "parsed: ...": the expansions, then one block per
// result. Each line ends with "\n".
std::string explanation_to_text(const QueryExplanation& explanation);

// {"expansions": [{"kind", "query", "terms": [{"term", "documents"}]}],
//  "scores": [{"rank", "id", "score", "parts": [{"part", "body", "title"}],
//  "sum", "sums_to_score"}]}: the "explain" member of the search JSON
// (schemas/search-results.schema.json).
nlohmann::json explanation_to_json(const QueryExplanation& explanation);

}  // namespace policy
