#include "searcher/explain.h"

#include <cmath>
#include <cstdio>

#include "core/index_layout.h"

#include "searcher/ranking.h"

namespace policy {
namespace {

// The ranking weight (ranking.h) of `part` on the document with `id_term`; 0 when the part
// is empty or does not match it.
double weight_on(const Xapian::Database& db, const Xapian::Query& part, const std::string& id_term) {
  if (part.empty()) return 0;
  Xapian::Enquire enquire(db);
  enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, part, Xapian::Query(id_term)));
  enquire.set_weighting_scheme(ranking_weight());
  const Xapian::MSet mset = enquire.get_mset(0, 1);
  return mset.empty() ? 0 : mset.begin().get_weight();
}

// Sums that differ only by the order of additions are the same score.
bool same_score(double a, double b) { return std::fabs(a - b) <= 1e-9 + 1e-6 * std::max(std::fabs(a), std::fabs(b)); }

std::string fixed(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3f", value);
  return buffer;
}

// Exactly, however many: an explanation is asked for one query at a time.
Xapian::doccount documents_matching(const Xapian::Database& db, const Xapian::Query& query) {
  if (query.empty()) return 0;
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  return enquire.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
}

}  // namespace

QueryExplanation explain_query(const Xapian::Database& db, const BoundQuery& bound,
                               const std::vector<ScoredResult>& results) {
  QueryExplanation explanation;
  for (const QueryExpansion& expansion : bound.expansions) {
    ExpansionCounts counts{expansion.kind, expansion.typed, {}};
    for (std::size_t i = 0; i < expansion.terms.size(); ++i) {
      const std::string& term = expansion.terms[i];
      counts.terms.push_back(TermCount{term, i < expansion.term_queries.size()
                                                 ? documents_matching(db, expansion.term_queries[i])
                                                 : db.get_termfreq(term)});
    }
    explanation.expansions.push_back(std::move(counts));
  }
  for (const ScoredResult& result : results) {
    ScoreExplanation score{result.rank, result.id, result.score, {}, 0, false};
    const std::string id_term = std::string(prefix::kId) + result.id;
    for (const ScoredPart& part : bound.parts) {
      PartScore weighed{part.label, weight_on(db, part.body, id_term), weight_on(db, part.title, id_term)};
      score.sum += weighed.body + weighed.title;
      score.parts.push_back(std::move(weighed));
    }
    score.sums_to_score = same_score(score.sum, score.score);
    explanation.scores.push_back(std::move(score));
  }
  return explanation;
}

std::string describe_term(const std::string& term) {
  const auto after = [&](std::string_view prefix) { return term.substr(prefix.size()); };
  if (term.starts_with(prefix::kTitleAcronym)) return "title acronym " + after(prefix::kTitleAcronym);
  if (term.starts_with(prefix::kStemmedTitle)) return "title stem " + after(prefix::kStemmedTitle);
  if (term.starts_with(prefix::kTitle)) return "title " + after(prefix::kTitle);
  if (term.starts_with(prefix::kAcronym)) return "acronym " + after(prefix::kAcronym);
  return term;
}

std::string explanation_to_text(const QueryExplanation& explanation) {
  std::string out;
  if (!explanation.expansions.empty()) out += "expanded:\n";
  for (const ExpansionCounts& expansion : explanation.expansions) {
    out += "  " + expansion.typed + " (" + expansion.kind + "):";
    if (expansion.terms.empty()) out += " nothing in the index";
    for (std::size_t i = 0; i < expansion.terms.size(); ++i) {
      const std::string& term = expansion.terms[i].term;
      out += (i == 0 ? " " : ", ") + (expansion.kind == "synonym" ? term : describe_term(term)) + " " +
             std::to_string(expansion.terms[i].documents);
    }
    out += expansion.terms.empty() ? "\n" : " documents\n";
  }
  for (const ScoreExplanation& score : explanation.scores) {
    out += "score of " + std::to_string(score.rank) + ". " + score.id + ": " + fixed(score.score) + "\n";
    for (const PartScore& part : score.parts) {
      out += "  " + part.label + ": body " + fixed(part.body) + " + title " + fixed(part.title) + " = " +
             fixed(part.body + part.title) + "\n";
    }
    out += "  sum of the parts " + fixed(score.sum) +
           (score.sums_to_score ? " = the score\n" : " differs from the score: some part weighs differently alone\n");
  }
  return out;
}

nlohmann::json explanation_to_json(const QueryExplanation& explanation) {
  nlohmann::json expansions = nlohmann::json::array();
  for (const ExpansionCounts& expansion : explanation.expansions) {
    nlohmann::json terms = nlohmann::json::array();
    for (const TermCount& term : expansion.terms) terms.push_back({{"term", term.term}, {"documents", term.documents}});
    expansions.push_back({{"kind", expansion.kind}, {"query", expansion.typed}, {"terms", std::move(terms)}});
  }
  nlohmann::json scores = nlohmann::json::array();
  for (const ScoreExplanation& score : explanation.scores) {
    nlohmann::json parts = nlohmann::json::array();
    for (const PartScore& part : score.parts) {
      parts.push_back({{"part", part.label}, {"body", part.body}, {"title", part.title}});
    }
    scores.push_back({{"rank", score.rank},
                      {"id", score.id},
                      {"score", score.score},
                      {"parts", std::move(parts)},
                      {"sum", score.sum},
                      {"sums_to_score", score.sums_to_score}});
  }
  return {{"expansions", std::move(expansions)}, {"scores", std::move(scores)}};
}

}  // namespace policy
