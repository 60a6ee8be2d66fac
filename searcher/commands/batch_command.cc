// policy-search batch [options] QUERIES_FILE: every query of a file, counted
// exactly, written as reports in the formats asked for.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "core/cli.h"
#include "core/timestamp.h"

#include "searcher/batch.h"
#include "searcher/commands/command_line.h"
#include "searcher/commands/commands.h"
#include "searcher/reports/report_writer.h"
#include "searcher/result_rendering.h"
#include "searcher/searcher.h"

namespace po = boost::program_options;

namespace policy {
namespace {

constexpr const char* kUsage =
    "Usage: policy-search batch --index DIR [options] QUERIES_FILE\n"
    "\n"
    "Runs every query of QUERIES_FILE and writes reports into --out: exact\n"
    "matching documents and occurrences per query, per year, organisation and\n"
    "area, the top documents with snippets. QUERIES_FILE is one query per line\n"
    "(# comments), .csv/.tsv with a header (query, id, filters, or field names),\n"
    "or .jsonl ({\"id\", \"query\", \"filters\"}).\n";

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  every query ran\n"
    "  1  some queries failed (malformed); their rows in the reports say why\n"
    "     (a filter value that names nothing is a warning, on stderr and in the\n"
    "     reports' warnings column; it does not change the exit code)\n"
    "  2  error: unreadable queries file or index, unwritable output, bad options\n";

// "csv,html" and repeated --format values as one list.
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

// What the reports record about the run, so that it can be reproduced.
RunInfo describe_run(Searcher& searcher, const std::string& queries_file) {
  RunInfo run;
  run.index = searcher.info();
  run.schema_fingerprint = searcher.schema().fingerprint();
  run.program_version = POLICY_SEARCH_VERSION;
  run.queries_file = queries_file;
  run.started_at = utc_timestamp(reproducible_now());
  for (const FieldSpec& field : searcher.schema().fields()) {
    if (field.counted()) run.counted_fields.push_back(field.name);
  }
  return run;
}

}  // namespace

int run_batch_command(int argc, char** argv) {
  po::options_description visible("Options");
  auto option = visible.add_options();
  add_help_and_index(option);
  option("format", po::value<std::vector<std::string>>(),
         "csv, jsonl, md, html, trec, kwic; comma-separated or repeated (default csv)");
  option("out,o", po::value<std::string>()->default_value("report"), "output directory");
  option("jobs,j", po::value<std::size_t>()->default_value(0), "worker threads; 0 = one per core");
  option("top", po::value<std::size_t>()->default_value(10), "top documents per query");
  option("kwic-width", po::value<std::size_t>()->default_value(60), "characters of context per side in kwic lines");
  option("no-synonyms",
         "search the query's words and phrases only as typed, not also as their synonyms (gazetteer names, aliases and "
         "acronyms, synonyms.json)");
  option("any-words",
         "read each query as plain text, not query syntax: the documents holding any of its words (see "
         "policy-search --help)");
  option("weigh-stopwords",
         "let unquoted English stopwords (the, of, and, ...) weigh in the ranking; by default they still match but "
         "weigh nothing (with --any-words they are then searched too)");
  option("quiet,q", "no progress bar");
  po::options_description hidden;
  hidden.add_options()("queries", po::value<std::string>(), "queries file");
  po::positional_options_description positional;
  positional.add("queries", 1);
  po::variables_map vm;
  if (!parse_command_line(argc, argv, visible, hidden, positional, "policy-search batch", vm)) return kExitFatal;
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible << "\n" << kExitCodes;
    return kExitRan;
  }
  if (!vm.count("index") || !vm.count("queries")) {
    std::cerr << "policy-search batch: --index DIR and a QUERIES_FILE are required\n"
                 "Try 'policy-search batch --help'.\n";
    return kExitFatal;
  }
  const auto started = std::chrono::steady_clock::now();
  return run_guarded("policy-search batch", [&] {
    const std::string index = vm["index"].as<std::string>();
    const std::string queries_file = vm["queries"].as<std::string>();
    const std::vector<std::string> formats = vm.count("format")
                                                 ? split_formats(vm["format"].as<std::vector<std::string>>())
                                                 : std::vector<std::string>{"csv"};
    BatchOptions options;
    options.jobs = vm["jobs"].as<std::size_t>();
    options.top_k = vm["top"].as<std::size_t>();
    options.kwic_width = vm["kwic-width"].as<std::size_t>();
    options.synonyms = vm.count("no-synonyms") == 0;
    options.ranking.weightless_stopwords = vm.count("weigh-stopwords") == 0;
    if (vm.count("any-words")) options.mode = QueryMode::kAnyWords;
    options.remote_timeout_seconds = remote_timeout_seconds(vm);
    options.kwic = std::find(formats.begin(), formats.end(), "kwic") != formats.end();

    SearcherOptions searcher_options;
    searcher_options.remote_timeout_seconds = options.remote_timeout_seconds;
    Searcher searcher(index, searcher_options);  // checks the index and gives the run's facts
    QuerySource source(queries_file, searcher.schema());
    const std::filesystem::path out = vm["out"].as<std::string>();
    std::vector<std::unique_ptr<ReportWriter>> writers;
    for (const std::string& format : formats) writers.push_back(make_report_writer(format, out));
    const RunInfo run = describe_run(searcher, queries_file);
    for (auto& writer : writers) writer->begin(run);

    ProgressBar progress(vm.count("quiet") == 0 && stderr_is_terminal());
    const std::size_t expected = progress.enabled() ? QuerySource::count(queries_file, searcher.schema()) : 0;
    BatchRunner runner(index, options);
    const RunSummary summary = runner.run(
        source,
        [&](const BatchResult& result) {
          if (!result.error.empty()) {
            std::cerr << (progress.enabled() ? "\r" : "") << "policy-search batch: " << result.query.location << ": "
                      << result.query.id << ": " << result.error << "\n";
          }
          for (const QueryWarning& w : result.warnings) {
            std::cerr << (progress.enabled() ? "\r" : "") << "policy-search batch: " << result.query.location << ": "
                      << result.query.id << ": " << format_warning(w);
          }
          for (auto& writer : writers) writer->add(result);
        },
        [&](std::size_t done) {
          const std::size_t total = std::max(expected, done);
          progress.show(static_cast<double>(done) / static_cast<double>(total),
                        std::to_string(done) + "/" + std::to_string(total) + " queries");
        });
    for (auto& writer : writers) writer->finish(summary);
    progress.clear();

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string written;
    for (const std::string& f : formats) written += (written.empty() ? "" : ", ") + f;
    char timing[64];
    std::snprintf(timing, sizeof timing, "%.2f s, %.1f queries/s", seconds,
                  seconds > 0 ? static_cast<double>(summary.queries) / seconds : 0.0);
    std::cerr << "policy-search batch: " << summary.queries << " quer" << (summary.queries == 1 ? "y, " : "ies, ")
              << summary.failed << " failed"
              << (summary.warned ? ", " + std::to_string(summary.warned) + " with warnings" : std::string())
              << "; wrote " << written << " to " << out.string() << " (" << timing << ")\n";
    return summary.failed > 0 ? kExitSomeQueriesFailed : kExitRan;
  });
}

}  // namespace policy
