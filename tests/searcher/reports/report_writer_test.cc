// The factory: the known formats, its errors, and what all formats write
// together.
#include "searcher/reports/report_writer.h"

#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/errors.h"

#include "tests/searcher/reports/report_samples.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using namespace testing;

using ReportWriterTest = WrittenReports;

TEST(ReportFormatsTest, UnknownFormatThrowsRequestError) {
  const fs::path dir = fs::temp_directory_path() / ("report-test-unknown-" + std::to_string(getpid()));
  EXPECT_THROW(make_report_writer("pdf", dir), RequestError);
  EXPECT_THROW(make_report_writer("", dir), RequestError);
  EXPECT_THROW(make_report_writer("CSV", dir), RequestError);
  try {
    make_report_writer("pdf", dir);
  } catch (const RequestError& e) {
    EXPECT_STREQ(e.what(), "unknown report format 'pdf' (known: csv, jsonl, md, html, trec, kwic)");
  }
  EXPECT_FALSE(fs::exists(dir)) << "nothing is created for an unknown format";
  EXPECT_EQ(report_formats(), (std::vector<std::string>{"csv", "jsonl", "md", "html", "trec", "kwic"}));
}

TEST(ReportFormatsTest, UnwritableOutputThrowsFileErrorNamingThePath) {
  const fs::path root = fs::temp_directory_path() / ("report-test-unwritable-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root);
  std::ofstream(root / "regular-file") << "x";
  const std::map<std::string, std::string> main_file = {{"csv", "summary.csv"}, {"jsonl", "results.jsonl"},
                                                        {"md", "report.md"},    {"html", "report.html"},
                                                        {"trec", "run.trec"},   {"kwic", "kwic.csv"}};
  for (const std::string& format : report_formats()) {
    SCOPED_TRACE(format);
    // A directory under a regular file cannot be created.
    const fs::path under_file = root / "regular-file" / "out";
    try {
      make_report_writer(format, under_file);
      ADD_FAILURE() << "no exception";
    } catch (const FileError& e) {
      EXPECT_NE(std::string(e.what()).find(under_file.string()), std::string::npos) << e.what();
    }
    // A report file that is a directory cannot be opened.
    const fs::path dir = root / ("blocked-" + format);
    fs::create_directories(dir / main_file.at(format));
    try {
      make_report_writer(format, dir);
      ADD_FAILURE() << "no exception";
    } catch (const FileError& e) {
      EXPECT_NE(std::string(e.what()).find((dir / main_file.at(format)).string()), std::string::npos) << e.what();
    }
  }
  fs::remove_all(root);
}

TEST_F(ReportWriterTest, WritesTheDocumentedFilesAndNoTemporaries) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(out())) names.insert(entry.path().filename().string());
  EXPECT_EQ(names, (std::set<std::string>{"summary.csv", "counts.csv", "trends.csv", "top.csv", "results.jsonl",
                                          "report.md", "report.html", "run.trec", "kwic.csv", "run.json"}));
}

TEST_F(ReportWriterTest, OutputIsTheSameEveryRun) {
  write_reports(root_ / "again");
  for (const auto& entry : fs::directory_iterator(out())) {
    SCOPED_TRACE(entry.path().filename().string());
    EXPECT_EQ(slurp(entry.path()), slurp(root_ / "again" / entry.path().filename()));
  }
}

}  // namespace
}  // namespace policy
