#include "searcher/match_set.h"

#include <algorithm>
#include <exception>
#include <string>
#include <system_error>
#include <thread>

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

// Operators whose whole subtree goes to Xapian's matcher (see match_set.h).
bool is_positional(Xapian::Query::op type) {
  return type == Xapian::Query::OP_PHRASE || type == Xapian::Query::OP_NEAR;
}

// Records each document the matcher visits. Copies are not made: the
// recorder lives on the stack of the one match it serves.
class Recorder : public Xapian::MatchSpy {
 public:
  explicit Recorder(DocSet* set) : set_(set) {}
  void operator()(const Xapian::Document& doc, double /*weight*/) override { set_->insert(doc.get_docid()); }

 private:
  DocSet* set_;
};

// The document ids first..last: a FILTER on it restricts a match to a
// stretch of the database, so that several threads can share one match.
class DocidRange : public Xapian::PostingSource {
 public:
  DocidRange(Xapian::docid first, Xapian::docid last) : first_(first), last_(last) {}

  void init(const Xapian::Database& db) override {
    current_ = 0;
    // Deleted documents leave gaps, so the range may hold fewer.
    size_ = std::min<Xapian::doccount>(last_ - first_ + 1, db.get_doccount());
  }
  Xapian::doccount get_termfreq_min() const override { return 0; }
  Xapian::doccount get_termfreq_est() const override { return size_; }
  Xapian::doccount get_termfreq_max() const override { return size_; }
  void next(double /*min_wt*/) override { current_ = current_ == 0 ? first_ : current_ + 1; }
  void skip_to(Xapian::docid did, double /*min_wt*/) override { current_ = std::max({current_, did, first_}); }
  bool at_end() const override { return current_ > last_; }
  Xapian::docid get_docid() const override { return current_; }

 private:
  Xapian::docid first_, last_;
  Xapian::docid current_ = 0;
  Xapian::doccount size_ = 0;
};

// Databases below this size are matched on one thread.
constexpr Xapian::docid kMinDocidsToShare = 4096;

class Evaluator {
 public:
  Evaluator(const Xapian::Database& db, const RequestBudget& budget, std::span<Xapian::Database> helpers,
            MatchSetMode mode)
      : db_(db), last_(db.get_lastdocid()), budget_(budget), helpers_(helpers), mode_(mode) {}

  // The budget was spent during evaluate().
  bool spent() const { return spent_; }

  // Once spent(), what it returns is incomplete.
  DocSet evaluate(const Xapian::Query& query) {
    if (spent_) return DocSet(last_);
    if (mode_ == MatchSetMode::kWholeListing) return matched_by_matcher(query);
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
    if (is_positional(type) || (mode_ == MatchSetMode::kListing && !is_evaluated(type))) {
      return matched_by_matcher(query);
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
    if ((type == Xapian::Query::OP_AND || type == Xapian::Query::OP_FILTER) && mode_ == MatchSetMode::kSpy) {
      return evaluate_all_of(query);
    }
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
  // The documents every part of an AND or FILTER matches. Phrases and NEARs
  // among the parts come last, each matched only among the documents the
  // other parts left, so that positions are read in those alone.
  DocSet evaluate_all_of(const Xapian::Query& query) {
    std::optional<DocSet> result;
    std::vector<Xapian::Query> positional;
    for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
      const Xapian::Query sub = query.get_subquery(i);
      if (is_positional(sub.get_type())) {
        positional.push_back(sub);
        continue;
      }
      DocSet set = evaluate(sub);
      if (result) {
        result->intersect(set);
      } else {
        result = std::move(set);
      }
    }
    for (const Xapian::Query& sub : positional) {
      if (spent_) break;
      if (result) {
        result->intersect(matched_by_matcher(sub, &*result));
      } else {
        result = matched_by_matcher(sub);
      }
    }
    return result ? std::move(*result) : DocSet(last_);
  }

  // The documents of a term's posting list; MatchAll's is the term "",
  // every document.
  void add_postings(const Xapian::Query& leaf, DocSet* set) {
    // A term query's one term; Xapian::Query shows it through the terms
    // iterator only.
    if (spent_) return;
    const std::string term = leaf.get_type() == Xapian::Query::LEAF_MATCH_ALL ? std::string() : *leaf.get_terms_begin();
    for (auto it = db_.postlist_begin(term); it != db_.postlist_end(term); ++it) set->insert(*it);
    if (budget_.spent()) spent_ = true;
  }

  // Positions are read at speed only inside Xapian's matcher (the public
  // PositionIterator opens a table cursor for each list, several times the
  // cost of the check itself), so a positional subtree's set is an
  // unweighted match that records every document it visits. With helper
  // databases, the docids are split into stretches, one per thread, each a
  // whole number of the bitmap's 64-bit words so that no two threads write
  // the same word.
  //
  // With `within`, only documents of that set are matched (the result is
  // a subset of it).
  DocSet matched_by_matcher(const Xapian::Query& query, const DocSet* within = nullptr) {
    DocSet set(last_);
    const std::size_t parts = last_ >= kMinDocidsToShare ? 1 + helpers_.size() : 1;
    if (parts == 1) {
      if (!match_into(db_, query, nullptr, within, &set)) spent_ = true;
      return set;
    }
    const Xapian::docid words = last_ / 64 + 1;
    const Xapian::docid stretch =
        (words + static_cast<Xapian::docid>(parts) - 1) / static_cast<Xapian::docid>(parts) * 64;
    // A copy per thread, from its serialised form: Xapian::Query's reference
    // counts are not atomic, so threads must not share one.
    const std::string serialised = query.serialise();
    std::vector<std::exception_ptr> errors(parts);
    std::vector<char> stopped(parts, 0);
    // Part p: docids p * stretch .. (p + 1) * stretch - 1 (from 1 for part
    // 0), on helper p - 1 or, for part 0, on this thread's database.
    const auto run_part = [&](std::size_t p) {
      try {
        const Xapian::docid first = std::max<Xapian::docid>(1, static_cast<Xapian::docid>(p) * stretch);
        DocidRange range(first, std::min(last_, static_cast<Xapian::docid>(p + 1) * stretch - 1));
        const bool complete =
            p == 0 ? match_into(db_, query, &range, within, &set)
                   : match_into(helpers_[p - 1], Xapian::Query::unserialise(serialised), &range, within, &set);
        stopped[p] = complete ? 0 : 1;
      } catch (...) {
        errors[p] = std::current_exception();
      }
    };
    // The last parts of a small database may hold no docids.
    const auto has_docids = [&](std::size_t p) { return static_cast<Xapian::docid>(p) * stretch <= last_; };
    std::vector<std::thread> threads;
    std::size_t started = 1;
    try {
      for (; started < parts && has_docids(started); ++started) threads.emplace_back(run_part, started);
    } catch (const std::system_error&) {
      // No thread to be had: the parts not started run on this one, each
      // still on its own helper handle.
    }
    run_part(0);
    for (std::size_t p = started; p < parts && has_docids(p); ++p) run_part(p);
    for (std::thread& t : threads) t.join();
    for (const std::exception_ptr& error : errors) {
      if (error) std::rethrow_exception(error);
    }
    if (std::find(stopped.begin(), stopped.end(), 1) != stopped.end()) spent_ = true;
    return set;
  }

  // Adds to `set` the documents of `db` (within `range` and `within`, each
  // if not null) that `query` matches; false if the time limit stopped the
  // match first. `within` is read by this thread's own posting source.
  bool match_into(const Xapian::Database& db, Xapian::Query query, DocidRange* range, const DocSet* within,
                  DocSet* set) const {
    if (mode_ != MatchSetMode::kSpy) return list_into(db, query, set);
    if (range) query = Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(range));
    if (within) {
      query =
          Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query((new DocSetPostingSource(*within))->release()));
    }
    if (budget_.spent()) return false;
    Recorder recorder(set);
    const auto within_budget_source = budget_.bounded() ? std::make_unique<BudgetPostingSource>(budget_) : nullptr;
    Xapian::Enquire enquire(db);
    enquire.set_query(filtered_by(query, within_budget_source.get()));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.add_matchspy(&recorder);
    const Xapian::MSet mset = enquire.get_mset(0, 0, db.get_doccount());
    return !(within_budget_source && within_budget_source->cut());
  }

  // match_into() for the listing modes.
  bool list_into(const Xapian::Database& db, const Xapian::Query& query, DocSet* set) const {
    Xapian::Enquire enquire(db);
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    enquire.set_docid_order(Xapian::Enquire::ASCENDING);
    // Over shards, which cannot run a posting source of ours: Xapian's
    // time limit, and the stop checked before the match.
    if (budget_.spent()) return false;
    if (budget_.deadline()) enquire.set_time_limit(budget_.seconds_left());
    const Xapian::doccount all = db.get_doccount();
    const Xapian::MSet mset = enquire.get_mset(0, all, all);
    for (auto it = mset.begin(); it != mset.end(); ++it) set->insert(*it);
    return mset.get_matches_lower_bound() == mset.get_matches_upper_bound() &&
           mset.size() == mset.get_matches_lower_bound();
  }

  const Xapian::Database& db_;
  Xapian::docid last_;
  RequestBudget budget_;
  std::span<Xapian::Database> helpers_;
  MatchSetMode mode_;
  bool spent_ = false;
};

}  // namespace

std::uint64_t DocSet::count() const {
  std::uint64_t n = 0;
  for (const std::uint64_t w : words_) n += static_cast<std::uint64_t>(std::popcount(w));
  return n;
}

Xapian::docid DocSet::first_from(Xapian::docid did) const {
  std::size_t w = did / 64;
  if (w >= words_.size()) return 0;
  std::uint64_t bits = words_[w] & (~std::uint64_t{0} << (did % 64));
  while (bits == 0) {
    if (++w == words_.size()) return 0;
    bits = words_[w];
  }
  return static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
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

bool holds_positional_operator(const Xapian::Query& query) {
  if (is_positional(query.get_type())) return true;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (holds_positional_operator(query.get_subquery(i))) return true;
  }
  return false;
}

bool can_evaluate_match_set(const Xapian::Query& query) {
  if (is_positional(query.get_type())) return true;
  if (!is_evaluated(query.get_type())) return false;
  for (std::size_t i = 0; i < query.get_num_subqueries(); ++i) {
    if (!can_evaluate_match_set(query.get_subquery(i))) return false;
  }
  return true;
}

std::optional<DocSet> evaluate_match_set(const Xapian::Database& db, const Xapian::Query& query,
                                         const RequestBudget& budget, std::span<Xapian::Database> helpers,
                                         MatchSetMode mode) {
  if (mode == MatchSetMode::kSpy && !can_evaluate_match_set(query)) return std::nullopt;
  Evaluator evaluator(db, budget, helpers, mode);
  DocSet set = evaluator.evaluate(query);
  if (evaluator.spent()) return std::nullopt;
  return set;
}

}  // namespace policy
