// policy-search: ranked phrase search with snippets over a policy-search
// index. A thin shell over the core library: options, rendering, exit code.

#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <iostream>

#include "policy/output.h"
#include "policy/searcher.h"

namespace po = boost::program_options;

namespace {

constexpr int kExitFound = 0;
constexpr int kExitNotFound = 1;
constexpr int kExitError = 2;

constexpr const char* kUsage =
    "Usage: policy-search --index DIR [options] QUERY...\n"
    "\n"
    "Query language:\n"
    "  water quality          both words, any inflection (AND is the default)\n"
    "  \"green envoys program\" the exact phrase (unstemmed, stopwords kept)\n"
    "  air OR water           either;  NOT x, -x  exclude;  ( ... ) group\n"
    "  pollution NEAR/5 China words with at most 5 other words between them\n"
    "  envir*                 words starting with envir\n"
    "  title:strategy         in the title only\n"
    "  org:MEP year:2010..2015 area:biodiversity\n"
    "                         filters on schema fields (values of one field OR,\n"
    "                         fields AND); see --facets\n";

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  at least one document matched\n"
    "  1  no document matched\n"
    "  2  error: malformed query, missing or incompatible index, bad options\n";

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return isatty(STDOUT_FILENO) && (no_color == nullptr || *no_color == '\0');
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()
      ("help,h", "show this help")
      ("index,i", po::value<std::string>(), "index directory built by policy-index")
      ("json", "print results as one JSON object (schemas/search-results.schema.json)")
      ("limit,n", po::value<std::size_t>()->default_value(10), "results to show; 0 for every match")
      ("offset", po::value<std::size_t>()->default_value(0), "skip this many results first")
      ("no-snippets", "leave snippets out")
      ("filter,f", po::value<std::vector<std::string>>(), "a filter such as org:MEP or year:2010..2015 (repeatable)")
      ("facets", "count matching documents per organisation, year, area and declared facet (always in --json)")
      ("facet-limit", po::value<std::size_t>()->default_value(10), "values shown per facet")
      ("fast", "stop counting once the page is full: total and facets become estimates (exact: false)")
      ("explain", "print the parsed query before the results")
      ("color", po::value<std::string>()->default_value("auto"), "auto, always or never (NO_COLOR is honoured)");
  po::options_description hidden;
  hidden.add_options()("query", po::value<std::vector<std::string>>(), "query words");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("query", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    // "-coal" typed as its own argument is an exclusion, not an option.
    std::cerr << "policy-search: " << e.what() << "\n";
    const std::string name = e.get_option_name();
    if (name.size() > 1 && name[0] == '-' && name[1] != '-') {
      std::cerr << "hint: to exclude a word, quote the whole query ('water " << name
                << "') or put the query after --\n";
    }
    std::cerr << "Try 'policy-search --help'.\n";
    return kExitError;
  } catch (const po::error& e) {
    std::cerr << "policy-search: " << e.what() << "\nTry 'policy-search --help'.\n";
    return kExitError;
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible << "\n" << kExitCodes;
    return kExitFound;
  }
  if (!vm.count("index") || (!vm.count("query") && !vm.count("filter"))) {
    std::cerr << "policy-search: --index DIR and a QUERY (or --filter) are required\nTry 'policy-search --help'.\n";
    return kExitError;
  }
  std::string query;
  const std::vector<std::string> query_parts =
      vm.count("query") ? vm["query"].as<std::vector<std::string>>() : std::vector<std::string>{};
  for (const std::string& part : query_parts) {
    if (!query.empty()) query += ' ';
    query += part;
  }
  const bool json = vm.count("json") > 0;
  try {
    policy::Searcher searcher(vm["index"].as<std::string>());
    policy::SearchRequest request;
    request.query = query;
    request.limit = vm["limit"].as<std::size_t>();
    request.offset = vm["offset"].as<std::size_t>();
    request.snippets = vm.count("no-snippets") == 0;
    if (vm.count("filter")) request.filters = vm["filter"].as<std::vector<std::string>>();
    request.facets = json || vm.count("facets") > 0;
    request.facet_limit = vm["facet-limit"].as<std::size_t>();
    request.exact = vm.count("fast") == 0;
    const policy::SearchResults results = searcher.search(request);
    if (json) {
      std::cout << policy::results_to_json(results, searcher.info()).dump(2) << "\n";
    } else {
      if (vm.count("explain")) std::cout << "parsed: " << results.parsed << "\n";
      policy::render_terminal(results, std::cout, policy::TerminalStyle{use_color(vm["color"].as<std::string>())});
    }
    return results.total > 0 ? kExitFound : kExitNotFound;
  } catch (const policy::QuerySyntaxError& e) {
    std::cerr << "policy-search: " << policy::format_query_error(e, query);
    if (json) std::cout << policy::query_error_to_json(e, query).dump(2) << "\n";
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "policy-search: error: " << e.what() << "\n";
    return kExitError;
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-search: error: " << e.get_description() << "\n";
    return kExitError;
  }
}
