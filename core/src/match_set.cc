#include "policy/match_set.h"

#include <string>

namespace policy {
namespace {

bool is_evaluated(Xapian::Query::op type) {
  switch (type) {
    case Xapian::Query::LEAF_TERM:
    case Xapian::Query::LEAF_MATCH_ALL:
    case Xapian::Query::LEAF_MATCH_NOTHING:
    case Xapian::Query::OP_AND:
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_AND_NOT:
    case Xapian::Query::OP_XOR:
    case Xapian::Query::OP_AND_MAYBE:
    case Xapian::Query::OP_FILTER:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_SCALE_WEIGHT:
      return true;
    default:
      return false;
  }
}

// Every document of a posting list ("" is every document: MatchAll).
DocSet posting_set(const Xapian::Database& db, const std::string& term, Xapian::docid last) {
  DocSet set(last);
  for (auto it = db.postlist_begin(term); it != db.postlist_end(term); ++it) set.insert(*it);
  return set;
}

class Evaluator {
 public:
  explicit Evaluator(const Xapian::Database& db) : db_(db), last_(db.get_lastdocid()) {}

  DocSet evaluate(const Xapian::Query& query) {
    const Xapian::Query::op type = query.get_type();
    switch (type) {
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return DocSet(last_);
      case Xapian::Query::LEAF_MATCH_ALL:
        return posting_set(db_, std::string(), last_);
      case Xapian::Query::LEAF_TERM:
        // A term query's one term; Xapian::Query keeps it behind the terms
        // iterator only.
        return posting_set(db_, *query.get_terms_begin(), last_);
      default:
        break;
    }
    const std::size_t n = query.get_num_subqueries();
    if (n == 0) return DocSet(last_);
    DocSet result = evaluate(query.get_subquery(0));
    switch (type) {
      case Xapian::Query::OP_SCALE_WEIGHT:
      case Xapian::Query::OP_AND_MAYBE:  // the optional parts only weigh
        return result;
      default:
        break;
    }
    for (std::size_t i = 1; i < n; ++i) {
      const DocSet next = evaluate(query.get_subquery(i));
      switch (type) {
        case Xapian::Query::OP_AND:
        case Xapian::Query::OP_FILTER:
          result.intersect(next);
          break;
        case Xapian::Query::OP_OR:
        case Xapian::Query::OP_SYNONYM:
          result.unite(next);
          break;
        case Xapian::Query::OP_AND_NOT:  // the first minus any of the others
          result.subtract(next);
          break;
        case Xapian::Query::OP_XOR:
          result.symmetric_difference(next);
          break;
        default:
          break;
      }
    }
    return result;
  }

 private:
  const Xapian::Database& db_;
  Xapian::docid last_;
};

}  // namespace

std::uint64_t DocSet::count() const {
  std::uint64_t n = 0;
  for (const std::uint64_t w : words_) n += static_cast<std::uint64_t>(std::popcount(w));
  return n;
}

void DocSet::intersect(const DocSet& other) {
  for (std::size_t w = 0; w < words_.size(); ++w) words_[w] &= w < other.words_.size() ? other.words_[w] : 0;
}

void DocSet::unite(const DocSet& other) {
  if (other.words_.size() > words_.size()) words_.resize(other.words_.size(), 0);
  for (std::size_t w = 0; w < other.words_.size(); ++w) words_[w] |= other.words_[w];
}

void DocSet::subtract(const DocSet& other) {
  for (std::size_t w = 0; w < words_.size() && w < other.words_.size(); ++w) words_[w] &= ~other.words_[w];
}

void DocSet::symmetric_difference(const DocSet& other) {
  if (other.words_.size() > words_.size()) words_.resize(other.words_.size(), 0);
  for (std::size_t w = 0; w < other.words_.size(); ++w) words_[w] ^= other.words_[w];
}

bool can_evaluate_match_set(const Xapian::Query& query) {
  if (!is_evaluated(query.get_type())) return false;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (!can_evaluate_match_set(query.get_subquery(i))) return false;
  }
  return true;
}

std::optional<DocSet> evaluate_match_set(const Xapian::Database& db, const Xapian::Query& query) {
  if (!can_evaluate_match_set(query)) return std::nullopt;
  return Evaluator(db).evaluate(query);
}

}  // namespace policy
