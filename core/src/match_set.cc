#include "policy/match_set.h"

#include <algorithm>
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

class Evaluator {
 public:
  Evaluator(const Xapian::Database& db, std::optional<std::chrono::steady_clock::time_point> deadline)
      : db_(db), last_(db.get_lastdocid()), deadline_(deadline) {}

  // The deadline passed during evaluate().
  bool expired() const { return expired_; }

  // Once expired(), what it returns is incomplete.
  DocSet evaluate(const Xapian::Query& query) {
    if (expired_) return DocSet(last_);
    const Xapian::Query::op type = query.get_type();
    switch (type) {
      case Xapian::Query::LEAF_MATCH_NOTHING:
        return DocSet(last_);
      case Xapian::Query::LEAF_MATCH_ALL:
      case Xapian::Query::LEAF_TERM: {
        DocSet set(last_);
        add_postings(query, &set);
        return set;
      }
      default:
        break;
    }
    const std::size_t n = query.get_num_subqueries();
    if (type == Xapian::Query::OP_OR || type == Xapian::Query::OP_SYNONYM) {
      // Leaves go straight into the union: no bitmap of their own.
      DocSet result(last_);
      for (std::size_t i = 0; i < n; ++i) {
        const Xapian::Query sub = query.get_subquery(i);
        const Xapian::Query::op sub_type = sub.get_type();
        if (sub_type == Xapian::Query::LEAF_TERM || sub_type == Xapian::Query::LEAF_MATCH_ALL) {
          add_postings(sub, &result);
        } else {
          result.unite(evaluate(sub));
        }
      }
      return result;
    }
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
        case Xapian::Query::OP_AND_NOT:  // the first minus any of the others
          result.subtract(next);
          break;
        case Xapian::Query::OP_XOR:  // an odd number of them
          result.symmetric_difference(next);
          break;
        default:
          break;
      }
    }
    return result;
  }

 private:
  // The documents of a term's posting list; MatchAll's is the term "",
  // every document.
  void add_postings(const Xapian::Query& leaf, DocSet* set) {
    // A term query's one term; Xapian::Query shows it through the terms
    // iterator only.
    const std::string term = leaf.get_type() == Xapian::Query::LEAF_MATCH_ALL ? std::string() : *leaf.get_terms_begin();
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) set->insert(*it);
    if (deadline_ && std::chrono::steady_clock::now() > *deadline_) expired_ = true;
  }

  const Xapian::Database& db_;
  Xapian::docid last_;
  std::optional<std::chrono::steady_clock::time_point> deadline_;
  bool expired_ = false;
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
  last_docid_ = std::max(last_docid_, other.last_docid_);
}

void DocSet::subtract(const DocSet& other) {
  for (std::size_t w = 0; w < words_.size() && w < other.words_.size(); ++w) words_[w] &= ~other.words_[w];
}

void DocSet::symmetric_difference(const DocSet& other) {
  if (other.words_.size() > words_.size()) words_.resize(other.words_.size(), 0);
  for (std::size_t w = 0; w < other.words_.size(); ++w) words_[w] ^= other.words_[w];
  last_docid_ = std::max(last_docid_, other.last_docid_);
}

bool can_evaluate_match_set(const Xapian::Query& query) {
  if (!is_evaluated(query.get_type())) return false;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (!can_evaluate_match_set(query.get_subquery(i))) return false;
  }
  return true;
}

std::optional<DocSet> evaluate_match_set(const Xapian::Database& db, const Xapian::Query& query,
                                         std::optional<std::chrono::steady_clock::time_point> deadline) {
  if (!can_evaluate_match_set(query)) return std::nullopt;
  Evaluator evaluator(db, deadline);
  DocSet set = evaluator.evaluate(query);
  if (evaluator.expired()) return std::nullopt;
  return set;
}

}  // namespace policy
