// policy-search: ranked phrase search with snippets over a policy-search
// index. A thin shell over the core library: options, rendering, exit code.

#include <pthread.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <boost/program_options.hpp>

#include "core/csv.h"
#include "core/timestamp.h"

#include "searcher/batch.h"
#include "searcher/kwic.h"
#include "searcher/reports/report_writer.h"
#include "searcher/result_rendering.h"
#include "searcher/searcher.h"
#include "searcher/serve/http_server.h"

namespace po = boost::program_options;

namespace {

constexpr int kExitFound = 0;
constexpr int kExitNotFound = 1;
constexpr int kExitError = 2;

constexpr const char* kUsage =
    "Usage: policy-search --index DIR [options] QUERY...\n"
    "       policy-search batch --index DIR [options] QUERIES_FILE   (see batch --help)\n"
    "       policy-search kwic --index DIR [options] QUERY...        (see kwic --help)\n"
    "       policy-search serve --index DIR [--listen HOST:PORT]     (see serve --help)\n"
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

int run_search(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")("index,i", po::value<std::string>(),
                                                    "index directory built by policy-index")(
      "json", "print results as one JSON object (schemas/search-results.schema.json)")(
      "limit,n", po::value<std::size_t>()->default_value(10), "results to show; 0 for every match")(
      "offset", po::value<std::size_t>()->default_value(0), "skip this many results first")(
      "no-snippets", "leave snippets out")("filter,f", po::value<std::vector<std::string>>(),
                                           "a filter such as org:MEP or year:2010..2015 (repeatable)")(
      "facets", "count matching documents per organisation, year, area and declared facet (always in --json)")(
      "facet-limit", po::value<std::size_t>()->default_value(10), "values shown per facet")(
      "fast", "stop counting once the page is full: total and facets become estimates (exact: false)")(
      "explain", "print the parsed query before the results")("color", po::value<std::string>()->default_value("auto"),
                                                              "auto, always or never (NO_COLOR is honoured)");
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

// Parses the command line of a subcommand; on a bad option prints it with a
// pointer to --help and returns false.
bool parse_command_line(int argc, char** argv, const po::options_description& visible,
                        const po::options_description& hidden, const po::positional_options_description& positional,
                        const std::string& program, po::variables_map& vm) {
  po::options_description all;
  all.add(visible).add(hidden);
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
    return true;
  } catch (const po::error& e) {
    std::cerr << program << ": " << e.what() << "\nTry '" << program << " --help'.\n";
    return false;
  }
}

constexpr const char* kBatchUsage =
    "Usage: policy-search batch --index DIR [options] QUERIES_FILE\n"
    "\n"
    "Runs every query of QUERIES_FILE and writes reports into --out: exact\n"
    "matching documents and occurrences per query, per year, organisation and\n"
    "area, the top documents with snippets. QUERIES_FILE is one query per line\n"
    "(# comments), .csv/.tsv with a header (query, id, filters, or field names),\n"
    "or .jsonl ({\"id\", \"query\", \"filters\"}).\n";

constexpr const char* kBatchExitCodes =
    "Exit codes:\n"
    "  0  every query ran\n"
    "  1  some queries failed (malformed); their rows in the reports say why\n"
    "  2  error: unreadable queries file or index, unwritable output, bad options\n";

std::vector<std::string> split_formats(const std::vector<std::string>& values) {
  std::vector<std::string> formats;
  for (const std::string& value : values) {
    std::size_t start = 0;
    while (start <= value.size()) {
      const std::size_t comma = std::min(value.find(',', start), value.size());
      if (comma > start) formats.push_back(value.substr(start, comma - start));
      start = comma + 1;
    }
  }
  return formats;
}

int run_batch(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")("index,i", po::value<std::string>(),
                                                    "index directory built by policy-index")(
      "format", po::value<std::vector<std::string>>(),
      "csv, jsonl, md, html, trec, kwic; comma-separated or repeated (default csv)")(
      "out,o", po::value<std::string>()->default_value("report"), "output directory")(
      "jobs,j", po::value<std::size_t>()->default_value(0), "worker threads; 0 = one per core")(
      "top", po::value<std::size_t>()->default_value(10), "top documents per query")(
      "kwic-width", po::value<std::size_t>()->default_value(60), "characters of context per side in kwic lines")(
      "quiet,q", "no progress bar");
  po::options_description hidden;
  hidden.add_options()("queries", po::value<std::string>(), "queries file");
  po::positional_options_description positional;
  positional.add("queries", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search batch", vm)) return kExitError;
  if (vm.count("help")) {
    std::cout << kBatchUsage << "\n" << visible << "\n" << kBatchExitCodes;
    return kExitFound;
  }
  if (!vm.count("index") || !vm.count("queries")) {
    std::cerr << "policy-search batch: --index DIR and a QUERIES_FILE are required\n"
                 "Try 'policy-search batch --help'.\n";
    return kExitError;
  }
  const auto started = std::chrono::steady_clock::now();
  try {
    const std::string index = vm["index"].as<std::string>();
    std::vector<std::string> formats = vm.count("format") ? split_formats(vm["format"].as<std::vector<std::string>>())
                                                          : std::vector<std::string>{"csv"};
    policy::BatchOptions options;
    options.jobs = vm["jobs"].as<std::size_t>();
    options.top_k = vm["top"].as<std::size_t>();
    options.kwic_width = vm["kwic-width"].as<std::size_t>();
    options.kwic = std::find(formats.begin(), formats.end(), "kwic") != formats.end();

    policy::Searcher searcher(index);  // checks the index and gives the run's facts
    policy::QuerySource source(vm["queries"].as<std::string>(), searcher.schema());
    policy::RunInfo run;
    run.index = searcher.info();
    run.schema_fingerprint = searcher.schema().fingerprint();
    run.program_version = POLICY_SEARCH_VERSION;
    run.queries_file = vm["queries"].as<std::string>();
    run.started_at = policy::utc_timestamp(policy::reproducible_now());
    for (const policy::FieldSpec& field : searcher.schema().fields()) {
      if (field.counted()) run.counted_fields.push_back(field.name);
    }
    const std::filesystem::path out = vm["out"].as<std::string>();
    std::vector<std::unique_ptr<policy::ReportWriter>> writers;
    for (const std::string& format : formats) writers.push_back(policy::make_report_writer(format, out));
    for (auto& writer : writers) writer->begin(run);

    const bool show_progress = vm.count("quiet") == 0 && isatty(STDERR_FILENO);
    // The bar's total: lines that hold a query (a CSV field spanning lines
    // makes it an overestimate, which the bar tolerates).
    std::size_t expected = 0;
    if (show_progress) {
      std::ifstream count_in(vm["queries"].as<std::string>());
      for (std::string line; std::getline(count_in, line);) {
        if (line.find_first_not_of(" \t\r") != std::string::npos && line[line.find_first_not_of(" \t\r")] != '#')
          ++expected;
      }
      const std::string ext = std::filesystem::path(vm["queries"].as<std::string>()).extension().string();
      if ((ext == ".csv" || ext == ".tsv") && expected > 0) --expected;  // the header
    }
    auto last_drawn = std::chrono::steady_clock::time_point{};
    policy::BatchRunner runner(index, options);
    const policy::RunSummary summary = runner.run(
        source,
        [&](const policy::BatchResult& result) {
          if (!result.error.empty()) {
            std::cerr << (show_progress ? "\r" : "") << "policy-search batch: " << result.query.location << ": "
                      << result.query.id << ": " << result.error << "\n";
          }
          for (auto& writer : writers) writer->add(result);
        },
        [&](std::size_t done) {
          if (!show_progress) return;
          const auto now = std::chrono::steady_clock::now();
          if (now - last_drawn < std::chrono::milliseconds(100)) return;
          last_drawn = now;
          const std::size_t total = std::max(expected, done);
          const int width = 30;
          const int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
          std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %zu/%zu queries", filled,
                       "==============================", width - filled, "",
                       static_cast<int>(100.0 * static_cast<double>(done) / static_cast<double>(total)), done, total);
          std::fflush(stderr);
        });
    for (auto& writer : writers) writer->finish(summary);
    if (show_progress) std::cerr << "\r" << std::string(79, ' ') << "\r";
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string written;
    for (const std::string& f : formats) written += (written.empty() ? "" : ", ") + f;
    char timing[64];
    std::snprintf(timing, sizeof timing, "%.2f s, %.1f queries/s", seconds,
                  seconds > 0 ? static_cast<double>(summary.queries) / seconds : 0.0);
    std::cerr << "policy-search batch: " << summary.queries << " queries, " << summary.failed << " failed; wrote "
              << written << " to " << out.string() << " (" << timing << ")\n";
    return summary.failed > 0 ? kExitNotFound : kExitFound;
  } catch (const std::exception& e) {
    std::cerr << "policy-search batch: error: " << e.what() << "\n";
    return kExitError;
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-search batch: error: " << e.get_description() << "\n";
    return kExitError;
  }
}

constexpr const char* kKwicUsage =
    "Usage: policy-search kwic --index DIR [options] QUERY...\n"
    "\n"
    "Keyword in context: every occurrence of the query's words and phrases in\n"
    "the matching documents, one aligned line each, with document id and year.\n";

int run_kwic(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")("index,i", po::value<std::string>(),
                                                    "index directory built by policy-index")(
      "width,w", po::value<std::size_t>()->default_value(40), "characters of context on each side")(
      "sort", po::value<std::string>()->default_value("doc"), "doc (rank, then position), left, right or year")(
      "filter,f", po::value<std::vector<std::string>>(), "a filter such as org:MEP (repeatable)")(
      "limit,n", po::value<std::size_t>()->default_value(0), "lines to print; 0 for all")(
      "csv", "print CSV (doc_id, year, organisations, left, match, right) instead of aligned lines")(
      "color", po::value<std::string>()->default_value("auto"), "auto, always or never (NO_COLOR is honoured)");
  po::options_description hidden;
  hidden.add_options()("query", po::value<std::vector<std::string>>(), "query words");
  po::positional_options_description positional;
  positional.add("query", -1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search kwic", vm)) return kExitError;
  if (vm.count("help")) {
    std::cout << kKwicUsage << "\n" << visible << "\n" << kExitCodes;
    return kExitFound;
  }
  policy::KwicOrder order;
  if (!policy::parse_kwic_order(vm["sort"].as<std::string>(), order)) {
    std::cerr << "policy-search kwic: --sort must be doc, left, right or year\n";
    return kExitError;
  }
  if (!vm.count("index") || (!vm.count("query") && !vm.count("filter"))) {
    std::cerr << "policy-search kwic: --index DIR and a QUERY are required\nTry 'policy-search kwic --help'.\n";
    return kExitError;
  }
  std::string query;
  if (vm.count("query")) {
    for (const std::string& part : vm["query"].as<std::vector<std::string>>())
      query += (query.empty() ? "" : " ") + part;
  }
  try {
    policy::Searcher searcher(vm["index"].as<std::string>());
    policy::CountRequest request;
    request.query = query;
    if (vm.count("filter")) request.filters = vm["filter"].as<std::vector<std::string>>();
    request.top_k = 0;
    request.kwic = true;
    request.kwic_width = vm["width"].as<std::size_t>();
    policy::MatchCounts counts = searcher.count(request);
    policy::sort_kwic(counts.kwic, order);
    std::size_t limit = vm["limit"].as<std::size_t>();
    if (limit == 0 || limit > counts.kwic.size()) limit = counts.kwic.size();
    if (vm.count("csv")) {
      std::cout << "doc_id,year,organisations,left,match,right\r\n";
      for (std::size_t i = 0; i < limit; ++i) {
        const policy::KwicLine& line = counts.kwic[i];
        std::string orgs;
        for (const std::string& o : line.organisations) orgs += (orgs.empty() ? "" : "; ") + o;
        std::cout << policy::csv_field(line.doc_id) << ',' << policy::csv_field(line.year) << ','
                  << policy::csv_field(orgs) << ',' << policy::csv_field(line.left) << ','
                  << policy::csv_field(line.match) << ',' << policy::csv_field(line.right) << "\r\n";
      }
    } else {
      const bool color = use_color(vm["color"].as<std::string>());
      std::size_t id_width = 0;
      for (std::size_t i = 0; i < limit; ++i) id_width = std::max(id_width, counts.kwic[i].doc_id.size());
      for (std::size_t i = 0; i < limit; ++i) {
        std::cout << policy::format_kwic_line(counts.kwic[i], request.kwic_width, color ? "\x1b[1m" : " [",
                                              color ? "\x1b[0m" : "] ", id_width)
                  << "\n";
      }
      std::cout << counts.kwic.size() << " occurrence" << (counts.kwic.size() == 1 ? "" : "s") << " in "
                << counts.documents << " document" << (counts.documents == 1 ? "" : "s") << "\n";
    }
    return counts.kwic.empty() ? kExitNotFound : kExitFound;
  } catch (const policy::QuerySyntaxError& e) {
    std::cerr << "policy-search kwic: " << policy::format_query_error(e, query);
    return kExitError;
  } catch (const std::exception& e) {
    std::cerr << "policy-search kwic: error: " << e.what() << "\n";
    return kExitError;
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-search kwic: error: " << e.get_description() << "\n";
    return kExitError;
  }
}

constexpr const char* kServeUsage =
    "Usage: policy-search serve --index DIR [--listen HOST:PORT] [--threads N] [--token T]\n"
    "\n"
    "Serves the JSON API (/api/search, /api/documents/ID, /api/kwic, /api/batch,\n"
    "/api/health, /api/index) and the web page (/) for the index. Binds loopback\n"
    "by default; port 0 picks a free port. Stops on SIGINT or SIGTERM.\n";

int run_serve(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")("index,i", po::value<std::string>(),
                                                    "index directory built by policy-index")(
      "listen", po::value<std::string>()->default_value("127.0.0.1:8080"), "HOST:PORT ([::1]:PORT for IPv6)")(
      "threads", po::value<std::size_t>()->default_value(0),
      "worker threads, each serving one connection at a time; 0 = 4 per core, at least 16")(
      "token", po::value<std::string>(), "require 'Authorization: Bearer TOKEN' on every request")(
      "request-timeout", po::value<double>()->default_value(10.0),
      "seconds a search may run before its counts become estimates (exact: false)");
  po::options_description hidden;
  po::positional_options_description positional;
  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search serve", vm)) return kExitError;
  if (vm.count("help")) {
    std::cout << kServeUsage << "\n"
              << visible << "\nExit codes:\n  0  stopped by a signal\n  2  error: index, address or options\n";
    return 0;
  }
  if (!vm.count("index")) {
    std::cerr << "policy-search serve: --index DIR is required\n";
    return kExitError;
  }
  policy::ServerOptions options;
  options.index_path = vm["index"].as<std::string>();
  const std::string listen = vm["listen"].as<std::string>();
  const std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    std::cerr << "policy-search serve: --listen must be HOST:PORT, not '" << listen << "'\n";
    return kExitError;
  }
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' && options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  try {
    options.port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    options.port = -1;
  }
  if (options.port < 0 || options.port > 65535) {
    std::cerr << "policy-search serve: bad port in --listen '" << listen << "'\n";
    return kExitError;
  }
  options.threads = vm["threads"].as<std::size_t>();
  if (vm.count("token")) options.token = vm["token"].as<std::string>();
  options.request_time_limit_seconds = vm["request-timeout"].as<double>();
  if (policy::listens_beyond_loopback(options.host)) {
    std::cerr << "policy-search serve: warning: listening on " << options.host << ", reachable from other machines"
              << (options.token.empty() ? " and without --token" : "") << "\n";
  }
  // Signals go to one thread that stops the server cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    policy::HttpServer server(options);
    const int port = server.bind();
    const std::string shown_host =
        options.host.find(':') != std::string::npos ? "[" + options.host + "]" : options.host;
    std::cout << "policy-search: serving " << options.index_path << " at http://" << shown_host << ":" << port << "/"
              << std::endl;
    std::thread stopper([&] {
      int signal = 0;
      sigwait(&signals, &signal);
      server.stop();
    });
    server.serve();
    pthread_kill(stopper.native_handle(), SIGTERM);  // if serve() ended on its own
    stopper.join();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "policy-search serve: error: " << e.what() << "\n";
    return kExitError;
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-search serve: error: " << e.get_description() << "\n";
    return kExitError;
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string command = argc > 1 ? argv[1] : "";
  if (command == "serve") return run_serve(argc - 1, argv + 1);
  if (command == "batch") return run_batch(argc - 1, argv + 1);
  if (command == "kwic") return run_kwic(argc - 1, argv + 1);
  return run_search(argc, argv);
}
