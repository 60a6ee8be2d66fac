// The report writers' test data and fixture: every format written from
// three hand-made results (a failed query, one without years, one with
// everything and text that needs escaping), then read back by the tests of
// each format and checked against the input.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "searcher/batch.h"

namespace policy::testing {

using Rows = std::vector<std::vector<std::string>>;

RunInfo sample_run();
std::vector<BatchResult> sample_results();
RunSummary sample_summary();

// Writes every format the way a batch run does: begin all, add each result
// to all in order, finish all.
void write_reports(const std::filesystem::path& dir);

// The bytes of a file (a failed expectation when it cannot be read).
std::string slurp(const std::filesystem::path& path);

// A strict RFC 4180 check of what the writers produce (policy::parse_csv
// reads leniently): records end in CRLF; quoted fields may hold commas, quotes
// (doubled) and line breaks. A bare LF outside quotes is an error.
Rows parse_csv_strictly(const std::string& text);

std::vector<std::string> lines_of(const std::string& text);

std::string join(const std::vector<std::string>& parts, const std::string& separator);

// Every format written once per test suite, from the sample data, into
// out(); removed afterwards unless a test failed.
class WrittenReports : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = std::filesystem::temp_directory_path() / ("report-test-" + std::to_string(getpid()));
    std::filesystem::remove_all(root_);
    write_reports(root_ / "out");
  }
  static void TearDownTestSuite() {
    if (!::testing::UnitTest::GetInstance()->Failed()) std::filesystem::remove_all(root_);
  }
  static std::filesystem::path out() { return root_ / "out"; }
  static inline std::filesystem::path root_;
};

}  // namespace policy::testing
