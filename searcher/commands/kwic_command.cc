// policy-search kwic [options] QUERY...: every occurrence of the query in
// context, as aligned lines or CSV.

#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "core/cli.h"
#include "core/csv.h"
#include "core/utf8.h"

#include "searcher/commands/command_line.h"
#include "searcher/commands/commands.h"
#include "searcher/kwic.h"
#include "searcher/result_rendering.h"
#include "searcher/searcher.h"

namespace po = boost::program_options;

namespace policy {
namespace {

constexpr const char* kUsage =
    "Usage: policy-search kwic --index DIR [options] QUERY...\n"
    "\n"
    "Keyword in context: every occurrence of the query's words and phrases in\n"
    "the matching documents, one aligned line each, with document id and year.\n"
    "The lines go to stdout; the count of occurrences and documents, and any\n"
    "warning about a filter value that names nothing, to stderr.\n";

void print_csv(const std::vector<KwicLine>& lines, std::size_t limit) {
  std::cout << "doc_id,page,year,organisations,left,match,right\r\n";
  for (std::size_t i = 0; i < limit; ++i) {
    const KwicLine& line = lines[i];
    std::string organisations;
    for (const std::string& o : line.organisations) organisations += (organisations.empty() ? "" : "; ") + o;
    std::cout << csv_field(line.doc_id) << ',' << (line.page ? std::to_string(line.page) : std::string()) << ','
              << csv_field(line.year) << ',' << csv_field(organisations) << ',' << csv_field(line.left) << ','
              << csv_field(line.match) << ',' << csv_field(line.right) << "\r\n";
  }
}

void print_aligned(const MatchCounts& counts, std::size_t limit, std::size_t width, bool color) {
  std::size_t id_width = 0;
  for (std::size_t i = 0; i < limit; ++i)
    id_width = std::max(id_width, code_point_count(kwic_location(counts.kwic[i])));
  for (std::size_t i = 0; i < limit; ++i) {
    std::cout << format_kwic_line(counts.kwic[i], width, color ? "\x1b[1m" : " [", color ? "\x1b[0m" : "] ", id_width)
              << "\n";
  }
  // On stderr, so that stdout holds the lines alone (for sort, grep, wc).
  std::cerr << counts.kwic.size() << " occurrence" << (counts.kwic.size() == 1 ? "" : "s") << " in " << counts.documents
            << " document" << (counts.documents == 1 ? "" : "s") << "\n";
}

}  // namespace

int run_kwic_command(int argc, char** argv) {
  po::options_description visible("Options");
  auto option = visible.add_options();
  add_help_and_index(option);
  option("width,w", po::value<std::size_t>()->default_value(40), "characters of context on each side");
  option("sort", po::value<std::string>()->default_value("doc"), "doc (rank, then position), left, right or year");
  option("filter,f", po::value<std::vector<std::string>>(), "a filter such as org:MEP (repeatable)");
  option("any-words",
         "read QUERY as plain text, not query syntax: every occurrence of any of its words, English stopwords left "
         "out (see policy-search --help)");
  option("no-synonyms",
         "search the query's words and phrases only as typed, not also as their synonyms (gazetteer names, aliases and "
         "acronyms, synonyms.json)");
  option("limit,n", po::value<std::size_t>()->default_value(0), "lines to print; 0 for all");
  option("csv", "print CSV (doc_id, year, organisations, left, match, right) instead of aligned lines");
  po::options_description hidden;
  po::positional_options_description positional;
  add_color_and_query_words(option, hidden, positional);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search kwic", vm)) return kExitFatal;
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible << "\n" << kSearchExitCodes;
    return kExitFound;
  }
  const std::optional<KwicOrder> order = parse_kwic_order(vm["sort"].as<std::string>());
  if (!order) {
    std::cerr << "policy-search kwic: --sort must be doc, left, right or year\n";
    return kExitFatal;
  }
  if (!vm.count("index") || (!vm.count("query") && !vm.count("filter"))) {
    std::cerr << "policy-search kwic: --index DIR and a QUERY are required\nTry 'policy-search kwic --help'.\n";
    return kExitFatal;
  }
  const std::string query = query_from_words(vm);
  return run_guarded("policy-search kwic", [&] {
    SearcherOptions searcher_options;
    searcher_options.remote_timeout_seconds = remote_timeout_seconds(vm);
    Searcher searcher(vm["index"].as<std::string>(), searcher_options);
    CountRequest request;
    request.query = query;
    if (vm.count("filter")) request.filters = vm["filter"].as<std::vector<std::string>>();
    request.top_k = 0;
    request.kwic = true;
    request.synonyms = vm.count("no-synonyms") == 0;
    if (vm.count("any-words")) request.mode = QueryMode::kAnyWords;
    request.kwic_width = vm["width"].as<std::size_t>();
    MatchCounts counts;
    try {
      counts = searcher.count(request);
    } catch (const QuerySyntaxError& e) {
      std::cerr << "policy-search kwic: " << format_query_error(e, query);
      return kExitFatal;
    }
    for (const QueryWarning& w : counts.warnings) std::cerr << "policy-search kwic: " << format_warning(w);
    if (counts.did_you_mean) std::cerr << "policy-search kwic: did you mean: " << counts.did_you_mean->query << "\n";
    sort_kwic(counts.kwic, *order);
    std::size_t limit = vm["limit"].as<std::size_t>();
    if (limit == 0 || limit > counts.kwic.size()) limit = counts.kwic.size();
    if (vm.count("csv")) {
      print_csv(counts.kwic, limit);
    } else {
      print_aligned(counts, limit, request.kwic_width, use_color(vm["color"].as<std::string>()));
    }
    return counts.kwic.empty() ? kExitNotFound : kExitFound;
  });
}

}  // namespace policy
