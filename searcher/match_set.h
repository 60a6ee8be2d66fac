// Exact sets of matching documents, computed from posting lists.
//
// An exact total and exact facet counts need every matching document, and
// Xapian's matcher, asked for them (check_at_least = every document), visits
// each match with its whole weighting machinery, which takes many times as
// long as reading the posting lists involved. So the searcher asks the
// matcher only for the ranked page, which it finds without visiting most
// matches, and computes the set of matches apart: each term's posting list
// becomes a bitmap of document ids, combined by the query's boolean
// operators.
//
// Operators whose matches depend on the posting lists alone are evaluated
// here: terms, MatchAll, MatchNothing, AND, OR, AND_NOT, XOR, FILTER,
// AND_MAYBE, SYNONYM and SCALE_WEIGHT. PHRASE and NEAR subtrees, which need
// term positions, go to Xapian's matcher, unweighted, which records every
// document it visits: positions are read at speed only there. A PHRASE or
// NEAR that is a part of an AND or FILTER is matched last, among the
// documents the other parts leave only (a posting source over their set),
// so that positions are read in those alone. A query
// holding anything else (value ranges, posting sources, wildcards, ...) is
// not evaluated, and the caller counts with the matcher as before. Where it
// evaluates, the set is exactly the one Xapian's matcher would return
// (tests/match_set_test.cc compares the two on generated queries). One known
// exception is Xapian's: with AND_MAYBE nested in AND, Xapian 1.4.22's
// matcher reads uninitialised memory and its answer can be wrong; the binder
// never writes AND_MAYBE.
//
// Memory: two bitmaps of lastdocid / 8 bytes per level of the query tree
// being combined (a leaf under OR or SYNONYM is added to its parent's bitmap
// directly). Time: linear in the posting lists read plus one pass over a
// bitmap per operator, checked against a request budget (request_budget.h)
// after each posting list and, within each positional match, at its
// candidate documents.
//
// Thread-safe: one database per thread, as for any Xapian read.
#pragma once

#include <bit>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <xapian.h>

#include "searcher/request_budget.h"

namespace policy {

// A set of document ids of one database revision, as a bitmap over
// 0..lastdocid.
class DocSet {
 public:
  DocSet() = default;
  explicit DocSet(Xapian::docid last_docid)
      : last_docid_(last_docid), words_(static_cast<std::size_t>(last_docid) / 64 + 1, 0) {}

  // The largest docid the set can hold: the database's lastdocid when made.
  Xapian::docid last_docid() const { return last_docid_; }
  // `did` must be at most last_docid().
  void insert(Xapian::docid did) {
    assert(did <= last_docid_);
    words_[did / 64] |= std::uint64_t{1} << (did % 64);
  }
  bool contains(Xapian::docid did) const {
    return did / 64 < words_.size() && ((words_[did / 64] >> (did % 64)) & 1) != 0;
  }
  std::uint64_t count() const;
  // The smallest member at least `did`, or 0 when there is none.
  Xapian::docid first_from(Xapian::docid did) const;

  // In place; both sets must come from the same revision (the result keeps
  // this set's last_docid).
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
  Xapian::docid last_docid_ = 0;
  std::vector<std::uint64_t> words_;
};

// The members of a DocSet as a posting list, weightless: a FILTER on it
// restricts a match to a set already computed, so that Xapian's matcher
// checks positions only on documents known to match. The set must outlive
// the match and come from the revision being searched.
class DocSetPostingSource : public Xapian::PostingSource {
 public:
  explicit DocSetPostingSource(const DocSet& set) : set_(set), size_(static_cast<Xapian::doccount>(set.count())) {}

  void init(const Xapian::Database& /*db*/) override {
    current_ = 0;
    started_ = false;
  }
  Xapian::doccount get_termfreq_min() const override { return size_; }
  Xapian::doccount get_termfreq_est() const override { return size_; }
  Xapian::doccount get_termfreq_max() const override { return size_; }
  void next(double /*min_wt*/) override {
    current_ = set_.first_from(started_ ? current_ + 1 : 1);
    started_ = true;
  }
  void skip_to(Xapian::docid did, double /*min_wt*/) override {
    if (started_ && did <= current_) return;
    current_ = set_.first_from(did);
    started_ = true;
  }
  bool at_end() const override { return started_ && current_ == 0; }
  Xapian::docid get_docid() const override { return current_; }

 private:
  const DocSet& set_;
  Xapian::doccount size_;
  Xapian::docid current_ = 0;
  bool started_ = false;
};

// How evaluate_match_set() has Xapian's matcher match what it does not
// evaluate itself. kSpy: positional subtrees only, recording with a match
// spy each document an unweighted match visits. kListing: every subtree
// whose operator it does not evaluate (positional ones, wildcards, value
// ranges, ...), by listing the whole result of an unweighted match, in
// docid order; for a stub's shards, where a spy sees each shard's own
// docids and xapian-tcpsrv refuses a spy it does not know. Every query can
// then be evaluated. kWholeListing: the whole query by one such listing,
// no posting list read; for remote shards, whose posting lists stream
// item by item while a match's result list comes in one message per shard.
enum class MatchSetMode { kSpy, kListing, kWholeListing };

// Whether `query` holds a PHRASE or NEAR anywhere.
bool holds_positional_operator(const Xapian::Query& query);

// Whether evaluate_match_set() handles every operator in `query` in mode
// MatchSetMode::kSpy (in kListing it handles all).
bool can_evaluate_match_set(const Xapian::Query& query);

// The documents of `db` that `query` matches, or nullopt when
// can_evaluate_match_set(query) is false in mode kSpy or the `budget` was
// spent before the set was complete (the caller then counts with the
// matcher, within the same budget). Reads posting lists, so it may throw
// Xapian::DatabaseModifiedError like any read.
//
// `helpers`: other handles on the same database at the same revision (the
// caller checks get_revision()), one per extra thread that a positional
// match may use; each is used by one thread only, during the call.
std::optional<DocSet> evaluate_match_set(const Xapian::Database& db, const Xapian::Query& query,
                                         const RequestBudget& budget = {}, std::span<Xapian::Database> helpers = {},
                                         MatchSetMode mode = MatchSetMode::kSpy);

}  // namespace policy
