// One run of policy-index: input paths -> DocumentReader -> IndexWriter,
// and what the run tells the user.
//
// A run lists its inputs, reads them in order and gives each document to
// the IndexWriter; an id seen twice fails its later documents (the first
// source wins). Every Diagnostic is printed on stderr as it comes (notes
// only without --quiet) and kept for the report. A progress bar shows on a
// terminal. At the end the run prunes (when asked and not interrupted),
// commits, prints the summary line on stdout
//   policy-index: 5 added, 0 updated, 0 unchanged, 0 skipped, 0 failed, ...
// (ending "; 12 PDF pages read" when paged documents were read)
// and writes the --report JSON (the summary and every diagnostic).
//
// SIGINT and SIGTERM, once install_stop_handlers() has run, stop a run
// between documents: what was read is committed, the summary printed, and
// the run exits 128 + the signal's number. A file whose parsing child the
// same signal ended (Ctrl-C reaches the whole process group) is left unread
// for the next run, not reported as failed. A second signal ends the process
// at once; the index then holds the last committed batch, as after a crash.
//
// Errors: problems with one input are diagnostics and the run goes on;
// fatal ones (a schema file, the index, a failed write) are exceptions for
// run_guarded() (core/cli.h).
//
// Thread-safety: one run at a time in a process (the stop request is
// process-wide).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "indexer/document_reader.h"
#include "indexer/index_writer.h"

namespace policy {

struct IndexingOptions {
  std::string index_path;
  std::vector<std::filesystem::path> paths;  // files and directories to read
  std::string stem = "english";              // stemming language, or "none"
  std::string schema_dir;                    // fields.json, organisations.json, priority_areas.json
  IndexWriterOptions writer;
  ReaderOptions reader;
  // Shards (core/index_shards.h): 0 keeps the index as it is (a single
  // database, or the shards it has); N builds or requires N shards.
  std::size_t shards = 0;
  bool prune = false;                      // delete documents whose source was not read
  bool quiet = false;                      // no progress bar and no notes
  std::optional<std::string> report_path;  // where the JSON report goes
};

// What happened to the documents of a run.
struct IndexingSummary {
  std::size_t added = 0, updated = 0, unchanged = 0, skipped = 0, failed = 0, ignored = 0, pruned = 0;
  std::size_t pages = 0;  // pages of the paged documents (PDF) read
};

// The exit code of a run that ended with `summary`, stopped by signal
// `stop_signal` (0: not stopped): kExitSignalBase + the signal, else
// kExitSomeInputsNotIndexed when inputs were skipped or failed, else kExitOk.
int indexing_exit_code(const IndexingSummary& summary, int stop_signal);

// Makes SIGINT and SIGTERM ask the run to stop (see above).
void install_stop_handlers();

// Runs the indexing described by `options` and returns the exit code
// (exit_codes.h). Throws Error (and Xapian::Error) for fatal problems.
int run_indexing(const IndexingOptions& options);

}  // namespace policy
