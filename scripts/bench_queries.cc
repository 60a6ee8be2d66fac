// policy-bench: in-process query latency, so that process start-up and index
// opening are not counted (scripts/bench.sh drives it).
//
// Usage: policy-bench INDEX QUERIES.tsv [ROUNDS] [--by-query]
// Each line of QUERIES.tsv is "class<TAB>query[<TAB>...]" ('#' comments). Every query runs once to
// warm the caches, then ROUNDS times (default 5), in three modes (limit 10):
// "plain" (no snippets, no facets), "snippets", and "facets+snippets" (exact
// counts of every counted field over all matches). Prints one line per class
// and mode (with --by-query, per query: class "phrase:\"climate change\""):
//   class  mode  samples  median_ms  p99_ms

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "searcher/searcher.h"

namespace {

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(index, values.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: policy-bench INDEX QUERIES.tsv [ROUNDS] [--by-query]\n";
    return 2;
  }
  const int rounds = argc > 3 ? std::stoi(argv[3]) : 5;
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
  try {
    policy::Searcher searcher(argv[1]);
    std::map<std::pair<std::string, std::string>, std::vector<double>> latencies;
    struct Mode {
      const char* name;
      bool snippets;
      bool facets;
    };
    for (const Mode& mode :
         {Mode{"plain", false, false}, Mode{"snippets", true, false}, Mode{"facets+snippets", true, true}}) {
      for (const auto& [query_class, query] : queries) {
        policy::SearchRequest request;
        request.query = query;
        request.snippets = mode.snippets;
        request.facets = mode.facets;
        searcher.search(request);  // warm-up
        for (int r = 0; r < rounds; ++r) {
          const auto start = std::chrono::steady_clock::now();
          searcher.search(request);
          latencies[{by_query ? query_class + ":" + query : query_class, mode.name}].push_back(
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
