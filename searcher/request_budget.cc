#include "searcher/request_budget.h"

#include <algorithm>

namespace policy {

RequestBudget RequestBudget::within(double seconds, Clock::time_point from) const {
  if (seconds <= 0) return *this;
  // Clock::duration counts nanoseconds in 64 bits: a year keeps far from
  // overflowing.
  constexpr double kYear = 365.0 * 24 * 3600;
  const Clock::time_point limit =
      from + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::min(seconds, kYear)));
  return RequestBudget(deadline_ ? std::min(*deadline_, limit) : limit, stop_);
}

double RequestBudget::seconds_left() const {
  const double left = std::chrono::duration<double>(*deadline_ - Clock::now()).count();
  return std::max(left, 1e-6);
}

void RequestBudget::throw_if_stopped() const {
  if (stopped()) throw RequestStoppedError("the request was stopped: its client closed the connection");
}

void BudgetPostingSource::init(const Xapian::Database& db) {
  current_ = 0;
  last_ = db.get_lastdocid();
  size_ = db.get_doccount();
  visits_ = 0;
  cut_ = false;
}

void BudgetPostingSource::next(double /*min_wt*/) {
  ++current_;
  check();
}

void BudgetPostingSource::skip_to(Xapian::docid did, double /*min_wt*/) {
  current_ = std::max(current_, did);
  check();
}

void BudgetPostingSource::check() {
  if (budget_.stopped() || (++visits_ % 16 == 0 && budget_.expired())) cut_ = true;
}

Xapian::Query filtered_by(const Xapian::Query& query, BudgetPostingSource* source) {
  if (source == nullptr) return query;
  return Xapian::Query(Xapian::Query::OP_FILTER, query, Xapian::Query(source));
}

}  // namespace policy
