// The files a report is written to, shared by the formats: an output file
// checked after every write, a spool for sections that go below a table
// still growing, run.json, and the writer of one file with run.json beside
// it that jsonl, trec and kwic are.
//
// Every failure throws FileError with "cannot write PATH: reason" (or
// "cannot read back PATH" for a spool).
//
// Not thread-safe: each object belongs to one writer.
#pragma once

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "searcher/batch.h"
#include "searcher/reports/report_writer.h"

namespace policy {

// A file of the report, opened (truncated) at construction so that an
// unwritable file fails when the writer is made, not after a long run.
class OutputFile {
 public:
  explicit OutputFile(std::filesystem::path path, bool read_back = false);

  std::fstream& out() { return stream_; }
  const std::filesystem::path& path() const { return path_; }

  // Throws when an earlier write failed (disk full, I/O error).
  void check();
  // Flushes, checks and closes.
  void close();

 private:
  std::filesystem::path path_;
  std::fstream stream_;
};

// A spool for the per-query sections of md and html while the summary table
// above them is still growing: kept in the output directory (it grows with
// the report, so it belongs on the same disk), appended at finish, removed
// when destroyed.
class SpoolFile {
 public:
  explicit SpoolFile(std::filesystem::path path) : file_(std::move(path), /*read_back=*/true) {}
  ~SpoolFile();
  std::fstream& out() { return file_.out(); }
  void check() { file_.check(); }

  // Copies everything written so far to `target`.
  void append_to(std::ostream& target);

 private:
  OutputFile file_;
};

// run.json in the output directory: what the run was made from (index,
// program version, queries file, start time, counted fields), so it can be
// reproduced, for the formats whose files have no room for it (csv, jsonl,
// trec, kwic). Written at begin with a null summary, so that an interrupted
// run still says what it ran on, and again at finish with the totals; every
// such writer writes the same bytes. Each time it is written to a temporary
// name and renamed.
class RunJson {
 public:
  explicit RunJson(std::filesystem::path out_dir) : out_dir_(std::move(out_dir)) {}
  void begin(const RunInfo& run);
  void finish(const RunSummary& summary) const;
  // The run given to begin().
  const RunInfo& run() const { return run_; }

 private:
  std::filesystem::path out_dir_;
  RunInfo run_;
};

// A format written to one file with run.json beside it (jsonl, trec, kwic).
// The file is opened when the writer is made; begin() writes its CSV header
// row, when it has one, then run.json; finish() closes the file, then writes
// run.json with the totals. A subclass writes its records in add().
class OneFileReport : public ReportWriter {
 public:
  void begin(const RunInfo& run) override;
  void finish(const RunSummary& summary) override;

 protected:
  // `csv_header` empty: the file has no header row.
  OneFileReport(const std::filesystem::path& out_dir, const char* file_name, std::vector<std::string> csv_header = {});
  OutputFile& file() { return file_; }
  // The run given to begin().
  const RunInfo& run() const { return run_json_.run(); }

 private:
  RunJson run_json_;
  OutputFile file_;
  std::vector<std::string> csv_header_;
};

}  // namespace policy
