#include "searcher/batch.h"

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/utf8.h"

#include "searcher/result_rendering.h"

namespace policy {
namespace {

// "query error at position 6: unterminated phrase; hint: close the quote"
// "filter error in 'tariff' at position 0: ..." for a filter's.
std::string one_line_error(const QuerySyntaxError& e) {
  const auto* in_filter = dynamic_cast<const FilterError*>(&e);
  std::string out = (in_filter ? "filter error in '" + in_filter->filter() + "'" : std::string("query error")) +
                    " at position " + std::to_string(e.position()) + ": " + e.message();
  if (!e.hint().empty()) out += "; hint: " + e.hint();
  return out;
}

}  // namespace

BatchResult run_batch_query(Searcher& searcher, const BatchQuery& query, const BatchOptions& options,
                            const RequestBudget& budget) {
  BatchResult result;
  result.query = query;
  if (!query.error.empty()) {
    result.error = query.error;
    return result;
  }
  try {
    CountRequest request;
    request.query = query.query;
    request.mode = options.mode;
    request.filters = query.filters;
    request.top_k = options.top_k;
    request.kwic = options.kwic;
    request.kwic_width = options.kwic_width;
    request.synonyms = options.synonyms;
    request.ranking = options.ranking;
    request.budget = budget;
    MatchCounts counts = searcher.count(request);
    result.documents = counts.documents;
    result.occurrences = counts.occurrences;
    result.counts = std::move(counts.counts);
    result.trend = std::move(counts.trend);
    result.top = std::move(counts.top);
    result.kwic = std::move(counts.kwic);
    result.warnings = std::move(counts.warnings);
    result.did_you_mean = std::move(counts.did_you_mean);
  } catch (const QuerySyntaxError& e) {
    result.error = one_line_error(e);
  } catch (const BudgetSpentError&) {
    throw;  // the run's budget, not this query's fault
  } catch (const std::exception& e) {
    result.error = e.what();
  }
  return result;
}

BatchRunner::BatchRunner(std::string index_path, BatchOptions options)
    : index_path_(std::move(index_path)), options_(options) {
  if (options_.jobs == 0) options_.jobs = std::max(1u, std::thread::hardware_concurrency());
}

RunSummary BatchRunner::run(QuerySource& source, const std::function<void(const BatchResult&)>& sink,
                            const std::function<void(std::size_t)>& progress) {
  // Workers take queries in file order, but only within `window` of the next
  // result to hand out, so finished results waiting their turn stay few.
  const std::size_t window = options_.jobs * 8;
  std::mutex mutex;
  std::condition_variable changed;
  std::map<std::size_t, BatchResult> ready;
  std::size_t next_to_emit = 0;
  bool source_done = false;
  std::exception_ptr failure;

  // Each worker opens its own Searcher (Xapian databases are not shared
  // across threads); opening errors surface before any work starts.
  std::vector<std::unique_ptr<Searcher>> searchers;
  SearcherOptions searcher_options;
  searcher_options.remote_timeout_seconds = options_.remote_timeout_seconds;
  for (std::size_t j = 0; j < options_.jobs; ++j) {
    searchers.push_back(std::make_unique<Searcher>(index_path_, searcher_options));
  }

  const auto work = [&](Searcher& searcher) {
    while (true) {
      std::optional<BatchQuery> query;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return source_done || failure || source.queries_read() < next_to_emit + window; });
        if (source_done || failure) return;
        try {
          query = source.next();
        } catch (...) {
          failure = std::current_exception();
        }
        if (!query) {
          source_done = true;
          changed.notify_all();
          return;
        }
      }
      BatchResult result = run_batch_query(searcher, *query, options_);
      {
        std::lock_guard lock(mutex);
        ready.emplace(result.query.index, std::move(result));
      }
      changed.notify_all();
    }
  };
  std::vector<std::thread> threads;
  for (auto& searcher : searchers) threads.emplace_back(work, std::ref(*searcher));

  RunSummary summary;
  while (true) {
    BatchResult result;
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] {
        return ready.contains(next_to_emit) || failure || (source_done && source.queries_read() == next_to_emit);
      });
      if (failure) break;
      if (!ready.contains(next_to_emit)) break;  // all done
      result = std::move(ready.at(next_to_emit));
      ready.erase(next_to_emit);
      ++next_to_emit;
    }
    changed.notify_all();
    ++summary.queries;
    if (!result.error.empty()) ++summary.failed;
    if (!result.warnings.empty()) ++summary.warned;
    try {
      sink(result);
      if (progress) progress(summary.queries);
    } catch (...) {
      // A report that cannot be written stops the run; workers must still be joined.
      std::lock_guard lock(mutex);
      failure = std::current_exception();
      break;
    }
  }
  {
    std::lock_guard lock(mutex);
    source_done = true;
  }
  changed.notify_all();
  for (std::thread& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
  return summary;
}

}  // namespace policy
