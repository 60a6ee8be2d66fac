// policy-search [options] QUERY...: ranked results with snippets and facets,
// on the terminal or as one JSON object.

#include <iostream>
#include <string>
#include <vector>

#include "core/cli.h"
#include "core/json_text.h"

#include "searcher/commands/command_line.h"
#include "searcher/commands/commands.h"
#include "searcher/explain.h"
#include "searcher/result_rendering.h"
#include "searcher/searcher.h"

namespace po = boost::program_options;

namespace policy {
namespace {

constexpr const char* kUsage =
    "Usage: policy-search --index DIR [options] QUERY...\n"
    "       policy-search batch --index DIR [options] QUERIES_FILE   (see batch --help)\n"
    "       policy-search kwic --index DIR [options] QUERY...        (see kwic --help)\n"
    "       policy-search serve --index DIR [--listen HOST:PORT]     (see serve --help)\n"
    "       policy-search health --index DIR                         (see health --help)\n"
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
    "                         fields AND); see --facets\n"
    "  year:>=2010 year:2010-2015 year:<2000\n"
    "                         year ranges; also 2010.. and ..2015\n"
    "\n"
    "A filter value that names nothing in the index (org:Lincoln) prints\n"
    "\"warning: ...\" on stderr with the closest values it holds (\"warnings\" in\n"
    "--json); the exit code is that of the results.\n";

}  // namespace

int run_search_command(int argc, char** argv) {
  po::options_description visible("Options");
  auto option = visible.add_options();
  add_help_and_index(option);
  option("json", "print results as one JSON object (schemas/search-results.schema.json)");
  option("limit,n", po::value<std::size_t>()->default_value(10),
         "results to show; 0 for none: only the total (and facets), as the API's limit=0");
  option("sort", po::value<std::string>()->default_value("relevance"),
         "order of results: relevance, newest (or -year), oldest (or year), title; ties by relevance, undated or "
         "untitled last");
  option("offset", po::value<std::size_t>()->default_value(0), "skip this many results first");
  option("no-snippets", "leave snippets out");
  option("filter,f", po::value<std::vector<std::string>>(), "a filter such as org:MEP or year:2010..2015 (repeatable)");
  option("facets", "count matching documents per organisation, year, area and declared facet (always in --json)");
  option("facet-limit", po::value<std::size_t>()->default_value(10), "values shown per facet");
  option("no-synonyms",
         "search the query's words and phrases only as typed, not also as their synonyms (gazetteer names, aliases and "
         "acronyms, synonyms.json)");
  option("any-words",
         "read QUERY as plain text, not query syntax: the documents holding any of its words, ranked by how many "
         "and how informative (paste a paragraph to find related text); English stopwords are left out, with a "
         "warning, unless --weigh-stopwords");
  option("weigh-stopwords",
         "let unquoted English stopwords (the, of, and, ...) weigh in the ranking; by default they still match but "
         "weigh nothing (with --any-words they are then searched too)");
  option("no-collapse",
         "show every near-duplicate (a web page and its PDF, a draft and its final text); by default "
         "each group shows its best match, with \"N similar documents\"");
  option("similar-to", po::value<std::string>(),
         "only the document with this id and its near-duplicates (with a QUERY: those of them that match)");
  option("fast", "stop counting once the page is full: total and facets become estimates (exact: false)");
  option("explain",
         "print the parsed query, what its words expanded to (with document counts) and how each result's "
         "score was made (in --json: \"explain\")");
  po::options_description hidden;
  po::positional_options_description positional;
  add_color_and_query_words(option, hidden, positional);

  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search", vm, /*hint_exclusion=*/true)) {
    return kExitFatal;
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible << "\n" << kSearchExitCodes;
    return kExitFound;
  }
  if (!vm.count("index") || (!vm.count("query") && !vm.count("filter") && !vm.count("similar-to"))) {
    std::cerr << "policy-search: --index DIR and a QUERY (or --filter, or --similar-to) are required\nTry "
                 "'policy-search --help'.\n";
    return kExitFatal;
  }
  const std::string query = query_from_words(vm);
  const bool json = vm.count("json") > 0;
  return run_guarded("policy-search", [&] {
    SearcherOptions searcher_options;
    searcher_options.remote_timeout_seconds = remote_timeout_seconds(vm);
    Searcher searcher(vm["index"].as<std::string>(), searcher_options);
    SearchRequest request;
    request.query = query;
    if (vm.count("any-words")) request.mode = QueryMode::kAnyWords;
    request.limit = vm["limit"].as<std::size_t>();
    request.hits = request.limit > 0;
    const std::optional<ResultOrder> order = parse_result_order(vm["sort"].as<std::string>());
    if (!order)
      throw RequestError("--sort must be relevance, newest, oldest or title, not '" + vm["sort"].as<std::string>() +
                         "'");
    request.order = *order;
    request.offset = vm["offset"].as<std::size_t>();
    request.snippets = vm.count("no-snippets") == 0;
    if (vm.count("filter")) request.filters = vm["filter"].as<std::vector<std::string>>();
    request.facets = json || vm.count("facets") > 0;
    request.facet_limit = vm["facet-limit"].as<std::size_t>();
    request.exact = vm.count("fast") == 0;
    request.explain = vm.count("explain") > 0;
    request.synonyms = vm.count("no-synonyms") == 0;
    request.ranking.weightless_stopwords = vm.count("weigh-stopwords") == 0;
    request.collapse = vm.count("no-collapse") == 0;
    if (vm.count("similar-to")) request.similar_to = vm["similar-to"].as<std::string>();
    SearchResults results;
    try {
      results = searcher.search(request);
    } catch (const QuerySyntaxError& e) {
      // The query's (or a filter's) own error, shown with a caret under its position.
      std::cerr << "policy-search: " << format_query_error(e, query);
      if (json) std::cout << to_json_text(query_error_to_json(e, query), 2) << "\n";
      return kExitFatal;
    }
    // Warnings do not change the exit code: the answer is right for what was asked.
    for (const QueryWarning& w : results.warnings) std::cerr << "policy-search: " << format_warning(w);
    if (json) {
      nlohmann::json out = results_to_json(results, searcher.info());
      if (results.explanation) out["explain"] = explanation_to_json(*results.explanation);
      std::cout << to_json_text(out, 2) << "\n";
    } else {
      if (results.explanation) std::cout << "parsed: " << results.parsed << "\n";
      render_terminal(results, std::cout, TerminalStyle{use_color(vm["color"].as<std::string>())});
      if (results.explanation) std::cout << explanation_to_text(*results.explanation);
    }
    return results.total > 0 ? kExitFound : kExitNotFound;
  });
}

}  // namespace policy
