// Exact sets of matching documents, computed from posting lists.
//
// An exact total and exact facet counts need every matching document, and
// Xapian's matcher, asked for them (check_at_least = every document), visits
// each match with its whole weighting machinery, which takes many times as
// long as reading the posting lists involved. So the searcher asks the
// matcher only for the ranked
// page, which it finds without visiting most matches, and computes the set of
// matches apart: each term's posting list becomes a bitmap of document ids,
// combined by the query's boolean operators.
//
// Only operators whose matches depend on the posting lists alone are
// evaluated: terms, MatchAll, MatchNothing, AND, OR, AND_NOT, XOR, FILTER,
// AND_MAYBE, SYNONYM and SCALE_WEIGHT. A query holding anything else
// (PHRASE, NEAR, value ranges, posting sources, ...) is not evaluated, and
// the caller counts with the matcher as before. Where it evaluates, the set
// is exactly the one Xapian's matcher would return (tests/match_set_test.cc
// compares the two on generated queries).
//
// Thread-safe: one database per thread, as for any Xapian read.
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

#include <xapian.h>

namespace policy {

// A set of document ids of one database revision, as a bitmap over
// 0..lastdocid.
class DocSet {
 public:
  DocSet() = default;
  explicit DocSet(Xapian::docid last_docid) : words_(last_docid / 64 + 1, 0) {}

  void insert(Xapian::docid did) { words_[did / 64] |= std::uint64_t{1} << (did % 64); }
  bool contains(Xapian::docid did) const {
    return did / 64 < words_.size() && ((words_[did / 64] >> (did % 64)) & 1) != 0;
  }
  std::uint64_t count() const;

  // In place; both sets must come from the same revision.
  void intersect(const DocSet& other);
  void unite(const DocSet& other);
  void subtract(const DocSet& other);
  void symmetric_difference(const DocSet& other);

  // Calls visit(did) for each member, in ascending order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t w = 0; w < words_.size(); ++w) {
      for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1) {
        visit(static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
      }
    }
  }

 private:
  std::vector<std::uint64_t> words_;
};

// Whether evaluate_match_set() handles every operator in `query`.
bool can_evaluate_match_set(const Xapian::Query& query);

// The documents of `db` that `query` matches, or nullopt when
// can_evaluate_match_set(query) is false. Reads posting lists, so it may throw
// Xapian::DatabaseModifiedError like any read.
std::optional<DocSet> evaluate_match_set(const Xapian::Database& db, const Xapian::Query& query);

}  // namespace policy
