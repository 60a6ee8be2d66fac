// policy-bench: in-process query latency, so that process start-up and index
// opening are not counted (scripts/bench.sh drives it).
//
// Usage: policy-bench INDEX QUERIES.tsv [ROUNDS] [--by-query]
//        policy-bench INDEX QUERIES.tsv --throughput THREADS SECONDS
// Each line of QUERIES.tsv is "class<TAB>query[<TAB>...]" ('#' comments). Every query runs once to
// warm the caches, then ROUNDS times (default 5), in three modes (limit 10)
// that take turns in each round:
// "plain" (no snippets, no facets), "snippets", and "facets+snippets" (exact
// counts of every counted field over all matches). Prints one line per class
// and mode (with --by-query, per query: class "phrase:\"climate change\""):
//   class  mode  samples  median_ms  p99_ms
// With --throughput: THREADS threads, each with its own Searcher, run the
// queries in turn (as the HTTP API does by default: limit 10, snippets,
// exact facets) for SECONDS after one warm-up pass each; prints
//   threads  seconds  queries  queries_per_s

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "searcher/searcher.h"

namespace {

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

// Queries per second of `threads` searchers running `queries` in turn.
int run_throughput(const std::string& index, const std::vector<std::pair<std::string, std::string>>& queries,
                   unsigned threads, double seconds) {
  std::atomic<std::uint64_t> done{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> workers;
  const auto run = [&](unsigned first) {
    try {
      policy::Searcher searcher(index);
      const auto request_of = [&](std::size_t q) {
        policy::SearchRequest request;
        request.query = queries[q].second;
        request.facets = true;
        return request;
      };
      for (std::size_t q = 0; q < queries.size(); ++q) searcher.search(request_of(q));  // warm-up
      const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
      for (std::size_t q = first; std::chrono::steady_clock::now() < end; ++q) {
        searcher.search(request_of(q % queries.size()));
        ++done;
      }
    } catch (const std::exception& e) {
      std::cerr << "policy-bench: " << e.what() << "\n";
      failed = true;
    }
  };
  for (unsigned t = 0; t < threads; ++t) workers.emplace_back(run, t);
  for (std::thread& w : workers) w.join();
  if (failed) return 2;
  std::printf("%-8s %8s %8s %14s\n", "threads", "seconds", "queries", "queries_per_s");
  std::printf("%-8u %8.1f %8llu %14.1f\n", threads, seconds, static_cast<unsigned long long>(done.load()),
              static_cast<double>(done.load()) / seconds);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: policy-bench INDEX QUERIES.tsv [ROUNDS] [--by-query]\n"
                 "       policy-bench INDEX QUERIES.tsv --throughput THREADS SECONDS\n";
    return 2;
  }
  const bool throughput = argc > 5 && std::string(argv[3]) == "--throughput";
  const int rounds = argc > 3 && !throughput ? std::stoi(argv[3]) : 5;
  const bool by_query = argc > 4 && std::string(argv[4]) == "--by-query";
  std::ifstream in(argv[2]);
  std::vector<std::pair<std::string, std::string>> queries;
  for (std::string line; std::getline(in, line);) {
    const std::size_t tab = line.find('\t');
    if (line.empty() || line[0] == '#' || tab == std::string::npos) continue;
    // Further columns (scripts/bench_queries.tsv) are for the baselines.
    const std::size_t end = line.find('\t', tab + 1);
    queries.emplace_back(line.substr(0, tab), line.substr(tab + 1, end == std::string::npos ? end : end - tab - 1));
  }
  if (throughput) return run_throughput(argv[1], queries, std::stoul(argv[4]), std::stod(argv[5]));
  try {
    policy::Searcher searcher(argv[1]);
    std::map<std::pair<std::string, std::string>, std::vector<double>> latencies;
    struct Mode {
      const char* name;
      bool snippets;
      bool facets;
    };
    const Mode modes[] = {{"plain", false, false}, {"snippets", true, false}, {"facets+snippets", true, true}};
    // The modes of one query take turns in each round, so that whatever
    // else the machine does at the time weighs on all of them alike.
    for (const auto& [query_class, query] : queries) {
      std::vector<policy::SearchRequest> requests;
      for (const Mode& mode : modes) {
        policy::SearchRequest request;
        request.query = query;
        request.snippets = mode.snippets;
        request.facets = mode.facets;
        searcher.search(request);  // warm-up
        requests.push_back(std::move(request));
      }
      for (int r = 0; r < rounds; ++r) {
        for (std::size_t m = 0; m < requests.size(); ++m) {
          const auto start = std::chrono::steady_clock::now();
          searcher.search(requests[m]);
          latencies[{by_query ? query_class + ":" + query : query_class, modes[m].name}].push_back(
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        }
      }
    }
    std::printf("%-10s %-16s %8s %10s %10s\n", "class", "mode", "samples", "median_ms", "p99_ms");
    for (const auto& [key, values] : latencies) {
      std::printf("%-10s %-16s %8zu %10.3f %10.3f\n", key.first.c_str(), key.second.c_str(), values.size(),
                  percentile(values, 0.5), percentile(values, 0.99));
    }
  } catch (const std::exception& e) {
    std::cerr << "policy-bench: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
