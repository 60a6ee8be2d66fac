// policy-index: reads policy documents and builds or updates a Xapian index.
// A thin shell over the core library: options, progress, summary, exit code.

#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unordered_map>
#include <unordered_set>

#include <boost/program_options.hpp>

#include "core/analyzer.h"
#include "core/field_schema.h"
#include "core/index_layout.h"
#include "core/index_reader.h"

#include "indexer/document_reader.h"
#include "indexer/index_writer.h"

namespace po = boost::program_options;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitSomeInputsNotIndexed = 1;
constexpr int kExitFatal = 2;
// An interrupted run exits 128 + the signal's number, as a shell reports it.
constexpr int kExitSignalBase = 128;

constexpr const char* kUsage =
    "Usage: policy-index --index DIR [options] PATH...\n"
    "\n"
    "Cleans, analyses and indexes policy documents: directories (recursive),\n"
    ".txt/.md files with optional NAME.meta.json sidecars, and .jsonl files\n"
    "(one JSON object per line with \"text\", \"id\", \"title\", metadata).\n"
    "Re-running is incremental: unchanged documents are skipped.\n"
    "\n"
    "A new index (or --rebuild) is written by --jobs threads into segments in\n"
    "INDEX.building/, merged in input order and swapped into place at the end;\n"
    "until then the index keeps its previous state, and re-running the same\n"
    "command after a crash reuses the segments already written. Updates to an\n"
    "existing index are written in place, committed every --commit-every.\n";

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  every input was indexed (or was unchanged)\n"
    "  1  some inputs were skipped or failed (binary, empty, malformed, unreadable);\n"
    "     everything else was indexed and committed\n"
    "  2  fatal error: bad options, a schema file is invalid, the index cannot be\n"
    "     opened, is locked by another writer, or was built with another\n"
    "     analyzer/schema version, or a write failed (disk full, permissions);\n"
    "     what was committed before the failure is kept\n"
    "  130, 143  interrupted by SIGINT or SIGTERM: the documents read so far were\n"
    "     committed and the summary printed; run the same command again to finish\n";

// The signal (SIGINT, SIGTERM) that asked the run to stop, or 0. The run
// checks it between documents, commits what it has and exits 128 + signal.
// The handler resets itself, so a second signal ends the process at once;
// the index then holds the last committed batch, as after a crash.
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void request_stop(int signal) { g_stop_signal = signal; }

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // restart reads: EINTR is no read error
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

// Thrown from the document sink to leave the reader when a stop was asked.
struct Interrupted {};

// The report's name for what happened to the input a diagnostic is about.
const char* effect_name(policy::Diagnostic::Effect effect) {
  switch (effect) {
    case policy::Diagnostic::Effect::kNone:
      return "indexed";
    case policy::Diagnostic::Effect::kIgnored:
      return "ignored";
    case policy::Diagnostic::Effect::kSkipped:
      return "skipped";
    case policy::Diagnostic::Effect::kFailed:
      return "failed";
  }
  return "indexed";
}

struct Summary {
  std::size_t added = 0, updated = 0, unchanged = 0, skipped = 0, failed = 0, ignored = 0, pruned = 0;
};

class Progress {
 public:
  Progress(bool enabled, std::uintmax_t total_bytes) : enabled_(enabled), total_(total_bytes) {}
  void advance(std::uintmax_t bytes, std::size_t files_done, std::size_t files_total) {
    done_ += bytes;
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    if (files_done != files_total && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    const double fraction = total_ == 0 ? 1.0 : static_cast<double>(done_) / static_cast<double>(total_);
    const int width = 30;
    const int filled = static_cast<int>(fraction * width);
    std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %zu/%zu files  %.1f MB", filled,
                 "==============================", width - filled, "", static_cast<int>(fraction * 100), files_done,
                 files_total, static_cast<double>(done_) / 1e6);
    std::fflush(stderr);
  }
  void clear() {
    if (enabled_) std::fprintf(stderr, "\r%*s\r", 79, "");
  }

 private:
  bool enabled_;
  std::uintmax_t total_;
  std::uintmax_t done_ = 0;
  std::chrono::steady_clock::time_point last_{};
};

int run(const po::variables_map& vm) {
  const auto started = std::chrono::steady_clock::now();
  const std::string index_path = vm["index"].as<std::string>();
  const bool quiet = vm.count("quiet") > 0;
  std::vector<std::filesystem::path> paths;
  for (const std::string& p : vm["paths"].as<std::vector<std::string>>()) paths.emplace_back(p);

  policy::Analyzer analyzer(policy::AnalyzerOptions{vm["stem"].as<std::string>()});
  const policy::Schema schema = policy::Schema::load(vm["schema-dir"].as<std::string>());
  policy::IndexWriterOptions writer_options;
  writer_options.rebuild = vm.count("rebuild") > 0;
  writer_options.commit_every = vm["commit-every"].as<std::size_t>();
  writer_options.jobs = vm["jobs"].as<std::size_t>();
  writer_options.dictionary_sample_bytes = vm["dictionary-sample"].as<std::size_t>();
  policy::IndexWriter writer(index_path, analyzer, schema, writer_options);

  Summary summary;
  nlohmann::json report_diagnostics = nlohmann::json::array();
  auto on_diagnostic = [&](policy::Diagnostic&& d) {
    using Effect = policy::Diagnostic::Effect;
    if (d.effect == Effect::kSkipped) ++summary.skipped;
    if (d.effect == Effect::kFailed) ++summary.failed;
    if (d.effect == Effect::kIgnored) ++summary.ignored;
    if (!quiet || d.severity != policy::Diagnostic::Severity::kNote) {
      std::cerr << "\r"
                << "policy-index: " << d.to_string() << "\n";
    }
    report_diagnostics.push_back({{"location", d.location},
                                  {"message", d.message},
                                  {"effect", effect_name(d.effect)},
                                  {"severity", d.severity == policy::Diagnostic::Severity::kError     ? "error"
                                               : d.severity == policy::Diagnostic::Severity::kWarning ? "warning"
                                                                                                      : "note"}});
  };
  policy::ReaderOptions reader_options;
  reader_options.max_document_bytes = vm["max-doc-bytes"].as<std::uint64_t>();
  policy::DocumentReader reader(reader_options, on_diagnostic);

  const std::vector<policy::InputFile> inputs = reader.list_inputs(paths);
  std::uintmax_t total_bytes = 0;
  for (const auto& input : inputs) total_bytes += input.size;
  Progress progress(!quiet && isatty(STDERR_FILENO), total_bytes);

  // First source wins for an id seen twice in one run; later ones fail.
  std::unordered_map<std::string, std::string> seen_ids;
  std::unordered_set<std::string> kept_ids;
  std::size_t files_done = 0;
  try {
    for (const policy::InputFile& input : inputs) {
      if (g_stop_signal != 0) throw Interrupted{};
      reader.read(input, [&](policy::SourceDocument&& doc) {
        if (g_stop_signal != 0) throw Interrupted{};
        auto [it, fresh] = seen_ids.emplace(doc.id, doc.source);
        if (!fresh) {
          on_diagnostic(
              policy::Diagnostic{policy::Diagnostic::Severity::kError, policy::Diagnostic::Effect::kFailed, doc.source,
                                 "duplicate id '" + doc.id + "' (first read from " + it->second + "); skipped"});
          return;
        }
        kept_ids.insert(doc.id);
        switch (writer.add(std::move(doc))) {
          case policy::IndexWriter::Outcome::kAdded:
            ++summary.added;
            break;
          case policy::IndexWriter::Outcome::kUpdated:
            ++summary.updated;
            break;
          case policy::IndexWriter::Outcome::kUnchanged:
            ++summary.unchanged;
            break;
        }
      });
      progress.advance(input.size, ++files_done, inputs.size());
    }
  } catch (const Interrupted&) {
  }
  progress.clear();
  const int stop_signal = g_stop_signal;
  // Pruning needs every input read: an interrupted run would delete the rest.
  if (vm.count("prune") && stop_signal == 0) summary.pruned = writer.prune(kept_ids);
  if (writer.writes_segments() && !quiet) {
    std::cerr << "policy-index: merging the segments of " << summary.added << " documents into " << index_path << "\n";
  }
  writer.commit();

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char line[512];
  std::snprintf(line, sizeof line,
                "policy-index: %zu added, %zu updated, %zu unchanged, %zu skipped, %zu failed, %zu pruned; "
                "%zu committed; index %s holds %u document%s (%.2f s)",
                summary.added, summary.updated, summary.unchanged, summary.skipped, summary.failed, summary.pruned,
                writer.committed_changes(), index_path.c_str(), writer.document_count(),
                writer.document_count() == 1 ? "" : "s", seconds);
  std::cout << line << std::endl;
  if (stop_signal != 0) {
    std::cerr << "policy-index: interrupted by " << (stop_signal == SIGINT ? "SIGINT" : "SIGTERM") << " after "
              << files_done << " of " << inputs.size()
              << " files; what was read is committed; run the same command again to finish\n";
  }

  if (vm.count("report")) {
    const std::string report_path = vm["report"].as<std::string>();
    std::ofstream out(report_path);
    out << nlohmann::json{{"index", index_path},
                          {"added", summary.added},
                          {"updated", summary.updated},
                          {"unchanged", summary.unchanged},
                          {"skipped", summary.skipped},
                          {"failed", summary.failed},
                          {"ignored", summary.ignored},
                          {"pruned", summary.pruned},
                          {"committed", writer.committed_changes()},
                          {"interrupted", stop_signal == 0
                                              ? nlohmann::json(nullptr)
                                              : nlohmann::json(stop_signal == SIGINT ? "SIGINT" : "SIGTERM")},
                          {"documents", writer.document_count()},
                          {"seconds", seconds},
                          {"diagnostics", report_diagnostics}}
               .dump(2)
        << "\n";
    if (!out) {
      std::cerr << "policy-index: " << report_path << ": cannot write the report\n";
      return kExitFatal;
    }
  }
  if (stop_signal != 0) return kExitSignalBase + stop_signal;
  return summary.skipped + summary.failed > 0 ? kExitSomeInputsNotIndexed : kExitOk;
}

// --explain DOC: how the fields of one indexed document were extracted.
int explain(const std::string& index_path, const std::string& id) {
  policy::IndexReader reader(index_path);
  const std::optional<policy::StoredDocument> found = reader.retrying([&]() -> std::optional<policy::StoredDocument> {
    const std::optional<Xapian::docid> did = reader.find(id);
    if (!did) return std::nullopt;
    return policy::StoredDocument::read(reader.database().get_document(*did), reader.schema(), reader.dictionary(),
                                        /*with_text=*/true);
  });
  if (!found) {
    std::cerr << "policy-index: no document '" << id << "' in index '" << index_path << "'\n";
    return kExitSomeInputsNotIndexed;
  }
  const policy::StoredDocument& doc = *found;
  std::cout << nlohmann::json{{"id", doc.id},         {"title", doc.title},
                              {"source", doc.source}, {"metadata", doc.metadata},
                              {"fields", doc.fields}, {"extraction", reader.extraction_report(doc)}}
                   .dump(2)
            << "\n";
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  po::options_description visible("Options");
  visible.add_options()("help,h", "show this help")("index,i", po::value<std::string>(),
                                                    "index directory (created if missing)")(
      "rebuild", "discard the existing index and build it anew")(
      "prune", "delete indexed documents whose source was not read in this run")(
      "stem", po::value<std::string>()->default_value("english"), "stemming language, or 'none'")(
      "max-doc-bytes", po::value<std::uint64_t>()->default_value(16ull << 20),
      "cut documents larger than this many bytes (with a warning)")(
      "commit-every", po::value<std::size_t>()->default_value(1000),
      "commit after this many changed documents; a new index is written in segments of at most "
      "this many (and at most 128)")(
      "jobs,j", po::value<std::size_t>()->default_value(0),
      "threads that clean, analyse and write documents; 0: one per core. The index is the same for any number")(
      "dictionary-sample", po::value<std::size_t>()->default_value(policy::BodyDictionary::kSampleBytes),
      ("bytes of text of a new index's first documents on which the compression dictionary of its stored "
       "texts is trained (under " +
       std::to_string(policy::BodyDictionary::kMinSampleBytes) + ": no dictionary; at most " +
       std::to_string(policy::BodyDictionary::kMaxSampleBytes) + ")")
          .c_str())("report", po::value<std::string>(), "write the run's summary and diagnostics as JSON to this file")(
      "schema-dir", po::value<std::string>()->default_value(POLICY_DEFAULT_SCHEMA_DIR),
      "directory holding fields.json, organisations.json and priority_areas.json")(
      "explain", po::value<std::string>(), "print how the fields of indexed document ID were extracted, and exit")(
      "quiet,q", "no progress bar and no notes (warnings and errors are still shown)");
  po::options_description hidden;
  hidden.add_options()("paths", po::value<std::vector<std::string>>(), "inputs");
  po::options_description all;
  all.add(visible).add(hidden);
  po::positional_options_description positional;
  positional.add("paths", -1);

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "policy-index: " << e.what() << "\nTry 'policy-index --help'.\n";
    return kExitFatal;
  }
  if (vm.count("help")) {
    std::cout << kUsage << "\n" << visible << "\n" << kExitCodes;
    return kExitOk;
  }
  if (vm.count("index") && vm.count("explain")) {
    try {
      return explain(vm["index"].as<std::string>(), vm["explain"].as<std::string>());
    } catch (const std::exception& e) {
      std::cerr << "policy-index: error: " << e.what() << "\n";
      return kExitFatal;
    } catch (const Xapian::Error& e) {
      std::cerr << "policy-index: error: " << e.get_description() << "\n";
      return kExitFatal;
    }
  }
  if (!vm.count("index") || !vm.count("paths")) {
    std::cerr << "policy-index: --index DIR and at least one PATH are required\nTry 'policy-index --help'.\n";
    return kExitFatal;
  }
  if (vm["dictionary-sample"].as<std::size_t>() > policy::BodyDictionary::kMaxSampleBytes) {
    std::cerr << "policy-index: --dictionary-sample is at most " << policy::BodyDictionary::kMaxSampleBytes
              << " bytes (the sample waits in memory)\nTry 'policy-index --help'.\n";
    return kExitFatal;
  }
  install_stop_handlers();
  try {
    return run(vm);
  } catch (const std::exception& e) {
    std::cerr << "policy-index: error: " << e.what() << "\n";
    return kExitFatal;
  } catch (const Xapian::Error& e) {
    std::cerr << "policy-index: error: " << e.get_description() << "\n";
    return kExitFatal;
  }
}
