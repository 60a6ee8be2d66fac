// policy-index: reads policy documents and builds or updates a Xapian index.
// Options and dispatch only: the run is indexing_run.h, --explain is
// explain.h, and errors become messages and exit codes in run_guarded().

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "core/body_compression.h"
#include "core/cli.h"
#include "core/cli_options.h"

#include "indexer/exit_codes.h"
#include "indexer/explain.h"
#include "indexer/indexing_run.h"

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "Usage: policy-index --index DIR [options] PATH...\n"
    "\n"
    "Cleans, analyses and indexes policy documents: directories (recursive),\n"
    ".txt/.md files with optional NAME.meta.json sidecars, and .jsonl files\n"
    "(one JSON object per line with \"text\", \"id\", \"title\", metadata).\n"
    "Web pages (.html, .htm, .xhtml): title, date, language and main text.\n"
    "Re-running is incremental: unchanged documents are skipped.\n"
    "\n"
    "A new index (or --rebuild) is written by --jobs threads into segments in\n"
    "INDEX.building/, merged in input order and swapped into place at the end;\n"
    "until then the index keeps its previous state, and re-running the same\n"
    "command after a crash reuses the segments already written. Updates to an\n"
    "existing index are written in place, committed every --commit-every.\n"
    "\n"
    "--shards N writes the index as N shard databases in DIR (DIR/shard-K,\n"
    "each document in the shard its id hashes to), a lexicon database and a\n"
    "stub, DIR/XAPIANDB, that policy-search and xapian-tcpsrv open. Later runs\n"
    "keep the shards DIR has; --rebuild --shards M re-balances into M.\n";

policy::IndexingOptions indexing_options(const po::variables_map& vm) {
  policy::IndexingOptions options;
  options.index_path = vm["index"].as<std::string>();
  for (const std::string& p : vm["paths"].as<std::vector<std::string>>()) options.paths.emplace_back(p);
  options.stem = vm["stem"].as<std::string>();
  // --schema-dir is the option's former name, kept for existing scripts.
  options.schema_dir = vm.count("schema-dir") ? vm["schema-dir"].as<std::string>() : vm["schema"].as<std::string>();
  options.writer.rebuild = vm.count("rebuild") > 0;
  options.writer.commit_every = vm["commit-every"].as<std::size_t>();
  options.writer.min_commit_interval =
      std::chrono::milliseconds(static_cast<std::int64_t>(vm["min-commit-interval"].as<double>() * 1000));
  options.writer.jobs = vm["jobs"].as<std::size_t>();
  options.writer.dictionary_sample_bytes = vm["dictionary-sample"].as<std::size_t>();
  options.reader.max_document_bytes = vm["max-doc-bytes"].as<std::uint64_t>();
  options.reader.extraction.time =
      std::chrono::milliseconds(static_cast<std::int64_t>(vm["extract-timeout"].as<double>() * 1000));
  options.reader.extraction.memory_bytes = vm["extract-memory"].as<std::uint64_t>() << 20;
  options.shards = vm["shards"].as<std::size_t>();
  options.prune = vm.count("prune") > 0;
  options.quiet = vm.count("quiet") > 0;
  if (vm.count("report")) options.report_path = vm["report"].as<std::string>();
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description visible("Options");
  const std::string dictionary_sample_help =
      "bytes of text of a new index's first documents on which the compression dictionary of its stored texts is "
      "trained (under " +
      std::to_string(policy::BodyDictionary::kMinSampleBytes) + ": no dictionary; at most " +
      std::to_string(policy::BodyDictionary::kMaxSampleBytes) + ")";
  auto option = visible.add_options();
  option("help,h", "show this help");
  option("index,i", po::value<std::string>(), "index directory (created if missing)");
  option("rebuild", "discard the existing index and build it anew");
  option("prune", "delete indexed documents whose source was not read in this run");
  option("shards", po::value<std::size_t>()->default_value(0),
         "write the index as this many shards (0: as the index is; a new index is one database)");
  option("keep-changesets", po::value<unsigned>(),
         "keep the changesets of this many commits (XAPIAN_MAX_CHANGESETS), so that xapian-replicate brings a "
         "replica up to date by applying them rather than copying every database whole");
  option("stem", po::value<std::string>()->default_value("english"), "stemming language, or 'none'");
  option("max-doc-bytes", po::value<std::uint64_t>()->default_value(16ull << 20),
         "cut documents larger than this many bytes (with a warning)");
  option("extract-timeout", po::value<double>()->default_value(60),
         "seconds a PDF, Word, OpenDocument or HTML file may take to parse (in a child process) before it fails");
  option("extract-memory", po::value<std::uint64_t>()->default_value(2048),
         "MiB of memory that parsing one such file may use before it fails (0: no limit)");
  option("commit-every", po::value<std::size_t>()->default_value(1000),
         "commit after this many changed documents; a new index is written in segments of at most this many (and "
         "at most 128)");
  option("min-commit-interval", po::value<double>()->default_value(1.0),
         "seconds between two commits to an existing index at least (documents gather meanwhile), so that a "
         "search shorter than this never meets two commits");
  option("jobs,j", po::value<std::size_t>()->default_value(0),
         "threads that clean, analyse and write documents; 0: one per core. The index is the same for any number");
  option("dictionary-sample", po::value<std::size_t>()->default_value(policy::BodyDictionary::kSampleBytes),
         dictionary_sample_help.c_str());
  option("report", po::value<std::string>(), "write the run's summary and diagnostics as JSON to this file");
  option("schema", po::value<std::string>()->default_value(POLICY_DEFAULT_SCHEMA_DIR),
         "directory holding the corpus's schema: fields.json, and organisations.json (gazetteer) and "
         "priority_areas.json (taxonomy) when its fields use them; stored in the index");
  option("explain", po::value<std::string>(), "print how the fields of indexed document ID were extracted, and exit");
  option("quiet,q", "no progress bar and no notes (warnings and errors are still shown)");
  po::options_description hidden;
  hidden.add_options()("paths", po::value<std::vector<std::string>>(), "inputs");
  hidden.add_options()("schema-dir", po::value<std::string>(), "the former name of --schema");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("paths", -1);

  po::variables_map vm;
  try {
    const po::parsed_options parsed = po::command_line_parser(argc, argv).options(all).positional(positional).run();
    policy::refuse_negative_counts(parsed, all);
    po::store(parsed, vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "policy-index: " << e.what() << "\nTry 'policy-index --help'.\n";
    return policy::kExitFatal;
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible << "\n" << policy::kIndexExitCodesHelp;
    return policy::kExitOk;
  }
  for (const char* seconds : {"extract-timeout", "min-commit-interval"}) {
    if (!(vm[seconds].as<double>() >= 0)) {
      std::cerr << "policy-index: --" << seconds << " must be 0 or more seconds\nTry 'policy-index --help'.\n";
      return policy::kExitFatal;
    }
  }
  if (vm.count("index") && vm.count("explain")) {
    return policy::run_guarded("policy-index", [&] {
      return policy::explain_document(vm["index"].as<std::string>(), vm["explain"].as<std::string>(), std::cout,
                                      std::cerr);
    });
  }
  if (!vm.count("index") || !vm.count("paths")) {
    std::cerr << "policy-index: --index DIR and at least one PATH are required\nTry 'policy-index --help'.\n";
    return policy::kExitFatal;
  }
  if (vm["dictionary-sample"].as<std::size_t>() > policy::BodyDictionary::kMaxSampleBytes) {
    std::cerr << "policy-index: --dictionary-sample is at most " << policy::BodyDictionary::kMaxSampleBytes
              << " bytes (the sample waits in memory)\nTry 'policy-index --help'.\n";
    return policy::kExitFatal;
  }
  // Read by Xapian when each database is opened for writing.
  if (vm.count("keep-changesets")) {
    setenv("XAPIAN_MAX_CHANGESETS", std::to_string(vm["keep-changesets"].as<unsigned>()).c_str(), 1);
  }
  policy::install_stop_handlers();
  return policy::run_guarded("policy-index", [&] { return policy::run_indexing(indexing_options(vm)); });
}
