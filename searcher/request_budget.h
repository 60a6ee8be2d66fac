// What one request may spend, and how its work stops once that is spent.
//
// A request has a deadline (the server's --request-timeout) and can be
// stopped from outside (its client closed the connection: a stop_token).
// The work checks both where it is done: between the candidate documents
// of every Xapian match (BudgetPostingSource), between the posting lists
// of a match set, before each snippet, concordance document and batch
// query. Xapian's own time limit cannot do this: once it passes, the
// matcher stops counting but still looks for its page's matches, which for
// a rare positional query means reading to the end.
//
// What a spent budget gives:
//   - stopped: RequestStoppedError, from wherever the work was;
//   - past the deadline, a search: what it found, its counts flagged as
//     lower bounds (Searcher::search);
//   - past the deadline, a count (batch, KWIC), whose numbers go into
//     reports as they are: TimeLimitError.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>

#include <xapian.h>

#include "core/errors.h"

namespace policy {

class RequestBudget {
 public:
  using Clock = std::chrono::steady_clock;

  RequestBudget() = default;  // no deadline, never stopped
  RequestBudget(std::optional<Clock::time_point> deadline, std::stop_token stop)
      : deadline_(deadline), stop_(std::move(stop)) {}

  // This budget with its deadline at most `seconds` after `from` (0: as
  // it is; beyond a year: a year).
  RequestBudget within(double seconds, Clock::time_point from) const;

  const std::optional<Clock::time_point>& deadline() const { return deadline_; }
  // Whether anything can end the work early.
  bool bounded() const { return deadline_.has_value() || stop_.stop_possible(); }
  bool stopped() const { return stop_.stop_requested(); }
  bool expired() const { return deadline_ && Clock::now() >= *deadline_; }
  bool spent() const { return stopped() || expired(); }
  // Seconds left, for Xapian's own time limit: at least a microsecond, as
  // 0 means no limit to Xapian. Call only with a deadline.
  double seconds_left() const;
  // Throws RequestStoppedError when the request was stopped.
  void throw_if_stopped() const;

 private:
  std::optional<Clock::time_point> deadline_;
  std::stop_token stop_;
};

// The request was stopped from outside: no one will read its answer.
class RequestStoppedError : public BudgetSpentError {
 public:
  using BudgetSpentError::BudgetSpentError;
};

// The deadline passed before a count was complete.
class TimeLimitError : public BudgetSpentError {
 public:
  using BudgetSpentError::BudgetSpentError;
};

// Every docid up to the database's last, weighing nothing, until the
// budget is spent: then the list ends. A query FILTERed by it matches what
// the query matches, and its match ends at the next document the query
// would match (or within 16 of them, for the deadline) after the budget's
// end; cut() then says the match saw only part of its candidates. Between
// two such documents the query's own posting lists run unchecked: a rare
// PHRASE or NEAR under an OR reads candidates until it matches one.
//
// Over a single local database only: clone() stays null, so Xapian uses
// this object itself (cut() reads its state), which it allows for one
// database, and xapian-tcpsrv cannot build it at all. One match at a
// time; the source must outlive the match.
class BudgetPostingSource : public Xapian::PostingSource {
 public:
  explicit BudgetPostingSource(const RequestBudget& budget) : budget_(budget) {}

  void init(const Xapian::Database& db) override;
  // Every document while the budget lasts: as a plain list of them, so
  // that the matcher's estimates are those of the query alone.
  Xapian::doccount get_termfreq_min() const override { return size_; }
  Xapian::doccount get_termfreq_est() const override { return size_; }
  Xapian::doccount get_termfreq_max() const override { return last_; }
  void next(double min_wt) override;
  void skip_to(Xapian::docid did, double min_wt) override;
  bool at_end() const override { return cut_ || current_ > last_; }
  Xapian::docid get_docid() const override { return current_; }
  std::string get_description() const override { return "BudgetPostingSource"; }

  // Whether the budget ended a match before its candidates did.
  bool cut() const { return cut_; }

 private:
  void check();

  RequestBudget budget_;
  Xapian::docid current_ = 0;
  Xapian::docid last_ = 0;
  Xapian::doccount size_ = 0;
  std::uint32_t visits_ = 0;
  bool cut_ = false;
};

// `query` FILTERed by `source` when `source` is not null.
Xapian::Query filtered_by(const Xapian::Query& query, BudgetPostingSource* source);

}  // namespace policy
