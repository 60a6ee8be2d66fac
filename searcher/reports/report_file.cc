#include "searcher/reports/report_file.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include <nlohmann/json.hpp>

#include "core/errors.h"
#include "core/json_text.h"

#include "searcher/reports/report_text.h"

namespace policy {
namespace fs = std::filesystem;
namespace {

std::string errno_text() { return std::strerror(errno); }

nlohmann::json run_to_json(const RunInfo& run, const RunSummary* summary) {
  nlohmann::json j = {
      {"program_version", run.program_version},
      {"started_at", run.started_at},
      {"queries_file", run.queries_file},
      {"index",
       {{"path", run.index.path},
        {"documents", run.index.documents},
        {"build_id", run.index.build_id},
        {"analyzer", run.index.analyzer},
        {"schema", run.index.schema},
        {"schema_fingerprint", run.schema_fingerprint},
        {"icu", run.index.icu},
        {"indexed_at", run.index.indexed_at}}},
      {"counted_fields", run.counted_fields},
  };
  j["summary"] =
      summary ? nlohmann::json{{"queries", summary->queries}, {"failed", summary->failed}} : nlohmann::json(nullptr);
  return j;
}

void write_run_json(const fs::path& out_dir, const RunInfo& run, const RunSummary* summary) {
  const fs::path path = out_dir / "run.json";
  const fs::path temporary = out_dir / ".run.json.tmp";
  {
    OutputFile file(temporary);
    file.out() << to_json_text(run_to_json(run, summary), 2) << "\n";
    file.close();
  }
  std::error_code ec;
  fs::rename(temporary, path, ec);
  if (ec) throw FileError("cannot write " + path.string() + ": " + ec.message());
}

}  // namespace

OutputFile::OutputFile(fs::path path, bool read_back) : path_(std::move(path)) {
  auto mode = std::ios::out | std::ios::trunc | std::ios::binary;
  if (read_back) mode |= std::ios::in;
  stream_.open(path_, mode);
  if (!stream_) throw FileError("cannot write " + path_.string() + ": " + errno_text());
}

void OutputFile::check() {
  if (!stream_) throw FileError("cannot write " + path_.string() + ": write failed");
}

void OutputFile::close() {
  stream_.flush();
  check();
  stream_.close();
  if (stream_.fail()) throw FileError("cannot write " + path_.string() + ": close failed");
}

SpoolFile::~SpoolFile() {
  std::error_code ignored;
  fs::remove(file_.path(), ignored);
}

void SpoolFile::append_to(std::ostream& target) {
  file_.out().flush();
  file_.check();
  file_.out().seekg(0);
  if (file_.out().peek() != std::char_traits<char>::eof()) target << file_.out().rdbuf();
  if (!file_.out()) throw FileError("cannot read back " + file_.path().string());
}

void RunJson::begin(const RunInfo& run) {
  run_ = run;
  write_run_json(out_dir_, run_, nullptr);
}

void RunJson::finish(const RunSummary& summary) const { write_run_json(out_dir_, run_, &summary); }

OneFileReport::OneFileReport(const fs::path& out_dir, const char* file_name, std::vector<std::string> csv_header)
    : run_json_(out_dir), file_(out_dir / file_name), csv_header_(std::move(csv_header)) {}

void OneFileReport::begin(const RunInfo& run) {
  if (!csv_header_.empty()) write_csv_row(file_.out(), csv_header_);
  run_json_.begin(run);
}

void OneFileReport::finish(const RunSummary& summary) {
  file_.close();
  run_json_.finish(summary);
}

}  // namespace policy
