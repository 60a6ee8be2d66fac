#include "indexer/indexing_run.h"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "core/analyzer.h"
#include "core/cli.h"
#include "core/field_schema.h"
#include "core/json_text.h"

#include "indexer/exit_codes.h"
#include "indexer/sharded_index_writer.h"

namespace policy {
namespace {

// The signal (SIGINT, SIGTERM) that asked the run to stop, or 0. The run
// checks it between documents. The handler resets itself, so that a second
// signal ends the process at once.
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void request_stop(int signal) { g_stop_signal = signal; }

// Thrown from the document sink to leave the reader when a stop was asked.
struct Interrupted {};

const char* signal_name(int signal) { return signal == SIGINT ? "SIGINT" : "SIGTERM"; }

// The report's name for what happened to the input a diagnostic is about.
const char* effect_name(Diagnostic::Effect effect) {
  switch (effect) {
    case Diagnostic::Effect::kNone:
      return "indexed";
    case Diagnostic::Effect::kIgnored:
      return "ignored";
    case Diagnostic::Effect::kSkipped:
      return "skipped";
    case Diagnostic::Effect::kFailed:
      return "failed";
  }
  return "indexed";
}

const char* severity_name(Diagnostic::Severity severity) {
  return severity == Diagnostic::Severity::kError     ? "error"
         : severity == Diagnostic::Severity::kWarning ? "warning"
                                                      : "note";
}

// The progress bar of a run: bytes and files read so far.
class InputProgress {
 public:
  InputProgress(bool enabled, std::uintmax_t total_bytes) : bar_(enabled), total_bytes_(total_bytes) {}

  void advance(std::uintmax_t bytes, std::size_t files_done, std::size_t files_total) {
    done_bytes_ += bytes;
    if (!bar_.enabled()) return;
    const double fraction =
        total_bytes_ == 0 ? 1.0 : static_cast<double>(done_bytes_) / static_cast<double>(total_bytes_);
    char detail[96];
    std::snprintf(detail, sizeof detail, "%zu/%zu files  %.1f MB", files_done, files_total,
                  static_cast<double>(done_bytes_) / 1e6);
    bar_.show(fraction, detail, /*force=*/files_done == files_total);
  }
  void clear() { bar_.clear(); }

 private:
  ProgressBar bar_;
  std::uintmax_t total_bytes_;
  std::uintmax_t done_bytes_ = 0;
};

// Writer: IndexWriter or ShardedIndexWriter.
template <typename Writer>
class IndexingRun {
 public:
  IndexingRun(const IndexingOptions& options, Writer& writer) : options_(options), writer_(writer) {}

  // Reports `d` on stderr (a note only without --quiet), counts it, and
  // keeps it for the report.
  void record(Diagnostic&& d) {
    if (d.effect == Diagnostic::Effect::kSkipped) ++summary_.skipped;
    if (d.effect == Diagnostic::Effect::kFailed) ++summary_.failed;
    if (d.effect == Diagnostic::Effect::kIgnored) ++summary_.ignored;
    if (!options_.quiet || d.severity != Diagnostic::Severity::kNote) {
      std::cerr << "\r"
                << "policy-index: " << d.to_string() << "\n";
    }
    diagnostics_.push_back({{"location", d.location},
                            {"message", d.message},
                            {"effect", effect_name(d.effect)},
                            {"severity", severity_name(d.severity)}});
  }

  // Gives `doc` to the writer unless its id was read before.
  void add(SourceDocument&& doc) {
    summary_.pages += doc.page_starts.size();
    auto [it, fresh] = seen_ids_.emplace(doc.id, doc.source);
    if (!fresh) {
      record(Diagnostic{Diagnostic::Severity::kError, Diagnostic::Effect::kFailed, doc.source,
                        "duplicate id '" + doc.id + "' (first read from " + it->second + "); skipped"});
      return;
    }
    kept_ids_.insert(doc.id);
    switch (writer_.add(std::move(doc))) {
      case Writer::Outcome::kAdded:
        ++summary_.added;
        break;
      case Writer::Outcome::kUpdated:
        ++summary_.updated;
        break;
      case Writer::Outcome::kUnchanged:
        ++summary_.unchanged;
        break;
    }
  }

  void prune() { summary_.pruned = writer_.prune(kept_ids_); }

  const IndexingSummary& summary() const { return summary_; }

  void print_summary(double seconds) const {
    char line[512];
    std::snprintf(line, sizeof line,
                  "policy-index: %zu added, %zu updated, %zu unchanged, %zu skipped, %zu failed, %zu pruned; "
                  "%zu committed; index %s holds %u document%s (%.2f s)",
                  summary_.added, summary_.updated, summary_.unchanged, summary_.skipped, summary_.failed,
                  summary_.pruned, writer_.committed_changes(), options_.index_path.c_str(), writer_.document_count(),
                  writer_.document_count() == 1 ? "" : "s", seconds);
    std::cout << line;
    if constexpr (std::is_same_v<Writer, ShardedIndexWriter>) {
      std::cout << " in " << writer_.shard_count() << " shard" << (writer_.shard_count() == 1 ? "" : "s");
    }
    if (summary_.pages > 0)
      std::cout << "; " << summary_.pages << " PDF page" << (summary_.pages == 1 ? "" : "s") << " read";
    if (const GroupingStats& grouping = writer_.grouping(); grouping.groups > 0) {
      std::cout << "; " << grouping.groups << " near-duplicate group" << (grouping.groups == 1 ? "" : "s") << " of "
                << grouping.grouped_documents << " documents";
    }
    std::cout << std::endl;
  }

  // Writes the --report JSON; false when the file cannot be written.
  bool write_report(double seconds, int stop_signal) const {
    std::ofstream out(*options_.report_path);
    out << to_json_text(nlohmann::json{{"index", options_.index_path},
                                       {"added", summary_.added},
                                       {"updated", summary_.updated},
                                       {"unchanged", summary_.unchanged},
                                       {"skipped", summary_.skipped},
                                       {"failed", summary_.failed},
                                       {"ignored", summary_.ignored},
                                       {"pruned", summary_.pruned},
                                       {"pages", summary_.pages},
                                       {"committed", writer_.committed_changes()},
                                       {"near_duplicates",
                                        {{"groups", writer_.grouping().groups},
                                         {"documents", writer_.grouping().grouped_documents},
                                         {"rewritten", writer_.grouping().rewritten_documents},
                                         {"candidate_pairs", writer_.grouping().candidate_pairs},
                                         {"seconds", writer_.grouping().seconds}}},
                                       {"interrupted", stop_signal == 0 ? nlohmann::json(nullptr)
                                                                        : nlohmann::json(signal_name(stop_signal))},
                                       {"documents", writer_.document_count()},
                                       {"shards", shard_count()},
                                       {"seconds", seconds},
                                       {"diagnostics", diagnostics_}},
                        2)
        << "\n";
    return static_cast<bool>(out);
  }

 private:
  std::size_t shard_count() const {
    if constexpr (std::is_same_v<Writer, ShardedIndexWriter>) {
      return writer_.shard_count();
    } else {
      return 0;
    }
  }

  const IndexingOptions& options_;
  Writer& writer_;
  IndexingSummary summary_;
  nlohmann::json diagnostics_ = nlohmann::json::array();
  // First source of each id read; the ids to keep when pruning.
  std::unordered_map<std::string, std::string> seen_ids_;
  std::unordered_set<std::string> kept_ids_;
};

}  // namespace

int indexing_exit_code(const IndexingSummary& summary, int stop_signal) {
  if (stop_signal != 0) return kExitSignalBase + stop_signal;
  return summary.skipped + summary.failed > 0 ? kExitSomeInputsNotIndexed : kExitOk;
}

void install_stop_handlers() {
  struct sigaction action {};
  action.sa_handler = request_stop;
  action.sa_flags = SA_RESETHAND | SA_RESTART;  // restart reads: EINTR is no read error
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

namespace {

template <typename Writer>
int run_with(const IndexingOptions& options, Writer& writer, FileExtractor& extractor,
             std::chrono::steady_clock::time_point started) {
  IndexingRun<Writer> run(options, writer);
  ReaderOptions reader_options = options.reader;
  reader_options.stop_requested = [] { return g_stop_signal != 0; };
  DocumentReader reader(
      reader_options, [&](Diagnostic&& d) { run.record(std::move(d)); }, &extractor);

  const std::vector<InputFile> inputs = reader.list_inputs(options.paths);
  std::uintmax_t total_bytes = 0;
  for (const auto& input : inputs) total_bytes += input.size;
  InputProgress progress(!options.quiet && stderr_is_terminal(), total_bytes);

  std::size_t files_done = 0;
  try {
    for (const InputFile& input : inputs) {
      if (g_stop_signal != 0) throw Interrupted{};
      const bool read = reader.read(input, [&](SourceDocument&& doc) {
        if (g_stop_signal != 0) throw Interrupted{};
        run.add(std::move(doc));
      });
      if (!read) throw Interrupted{};
      progress.advance(input.size, ++files_done, inputs.size());
    }
  } catch (const Interrupted&) {
  }
  progress.clear();
  const int stop_signal = g_stop_signal;
  // Pruning needs every input read: an interrupted run would delete the rest.
  if (options.prune && stop_signal == 0) run.prune();
  if (writer.writes_segments() && !options.quiet) {
    const std::size_t added = run.summary().added;
    std::cerr << "policy-index: merging the segments of " << added << (added == 1 ? " document" : " documents")
              << " into " << options.index_path << "\n";
  }
  writer.commit();

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  run.print_summary(seconds);
  if (stop_signal != 0) {
    std::cerr << "policy-index: interrupted by " << signal_name(stop_signal) << " after " << files_done << " of "
              << inputs.size() << (inputs.size() == 1 ? " file" : " files")
              << "; what was read is committed; run the same command again to finish\n";
  }
  // The index is committed and the summary printed: a report that cannot be
  // written fails the command with its own message.
  if (options.report_path && !run.write_report(seconds, stop_signal)) {
    std::cerr << "policy-index: " << *options.report_path << ": cannot write the report\n";
    return kExitFatal;
  }
  return indexing_exit_code(run.summary(), stop_signal);
}

}  // namespace

int run_indexing(const IndexingOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  Analyzer analyzer(AnalyzerOptions{options.stem});
  const Schema schema = Schema::load(options.schema_dir);
  // Its helper process is forked before the writer starts threads.
  FileExtractor extractor(options.reader.extraction);
  if (options.shards > 0 || ShardedIndexWriter::existing_shards(options.index_path) > 0) {
    ShardedIndexWriter writer(options.index_path, options.shards, analyzer, schema, options.writer);
    return run_with(options, writer, extractor, started);
  }
  IndexWriter writer(options.index_path, analyzer, schema, options.writer);
  return run_with(options, writer, extractor, started);
}

}  // namespace policy
