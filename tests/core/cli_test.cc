// Tests of core/cli.h and core/timestamp.h: run_guarded turns every kind of
// escaping error into "PROGRAM: error: MESSAGE" and exit code 2, and passes
// a command's own exit code through; timestamps are UTC ISO 8601 and honour
// SOURCE_DATE_EPOCH.

#include "core/cli.h"

#include <cstdlib>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <xapian.h>

#include "core/cli_options.h"
#include "core/errors.h"
#include "core/timestamp.h"

namespace policy {
namespace {

TEST(RunGuardedTest, ErrorsBecomeOneMessageAndExitCodeTwo) {
  const struct {
    const char* name;
    std::function<int()> command;
    int exit_code;
    std::string message;
  } cases[] = {
      {"returns 0", [] { return 0; }, 0, ""},
      {"returns 1", [] { return 1; }, 1, ""},
      {"IndexError", []() -> int { throw IndexError("no index at 'x'"); }, kExitFatal,
       "tool: error: no index at 'x'\n"},
      {"FileError", []() -> int { throw FileError("q.csv:1: no 'query' column"); }, kExitFatal,
       "tool: error: q.csv:1: no 'query' column\n"},
      {"std::exception", []() -> int { throw std::invalid_argument("bad"); }, kExitFatal, "tool: error: bad\n"},
      {"Xapian::Error", []() -> int { throw Xapian::DatabaseCorruptError("broken"); }, kExitFatal,
       "tool: error: DatabaseCorruptError: broken\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ::testing::internal::CaptureStderr();
    const int exit_code = run_guarded("tool", c.command);
    EXPECT_EQ(::testing::internal::GetCapturedStderr(), c.message);
    EXPECT_EQ(exit_code, c.exit_code);
  }
}

TEST(TimestampTest, UtcIso8601) {
  EXPECT_EQ(utc_timestamp(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(utc_timestamp(1700000000), "2023-11-14T22:13:20Z");
}

TEST(TimestampTest, SourceDateEpochPinsTheReportTime) {
  const char* before = std::getenv("SOURCE_DATE_EPOCH");
  const std::string saved = before ? before : "";
  setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  EXPECT_EQ(reproducible_now(), 1700000000);
  unsetenv("SOURCE_DATE_EPOCH");
  const std::time_t now = std::time(nullptr);
  EXPECT_LE(std::abs(reproducible_now() - now), 5);
  if (before) setenv("SOURCE_DATE_EPOCH", saved.c_str(), 1);
}

TEST(RefuseNegativeCountsTest, UnsignedOptionsRefuseASignAndOthersAreLeftAlone) {
  namespace po = boost::program_options;
  po::options_description options;
  options.add_options()("limit,n", po::value<std::size_t>())("jobs", po::value<unsigned>())(
      "timeout", po::value<double>())("query", po::value<std::string>());
  struct Case {
    std::vector<std::string> args;
    std::string error;  // empty: accepted
  };
  const std::vector<Case> cases = {
      {{"--limit", "5"}, ""},
      {{"--limit", "0"}, ""},
      {{"--limit=-1"}, "option '--limit' takes a whole number of 0 or more, not '-1'"},
      {{"-n", "-3"}, "option '--limit' takes a whole number of 0 or more, not '-3'"},
      {{"--jobs=-2"}, "option '--jobs' takes a whole number of 0 or more, not '-2'"},
      {{"--timeout=-1.5"}, ""},  // a signed option: its own check decides
      {{"--query=-coal"}, ""},
  };
  for (const Case& c : cases) {
    std::vector<const char*> argv{"program"};
    for (const std::string& a : c.args) argv.push_back(a.c_str());
    SCOPED_TRACE(c.args.front());
    std::string error;
    try {
      const po::parsed_options parsed =
          po::command_line_parser(static_cast<int>(argv.size()), argv.data()).options(options).run();
      refuse_negative_counts(parsed, options);
    } catch (const po::error& e) {
      error = e.what();
    }
    EXPECT_EQ(error, c.error);
  }
}

}  // namespace
}  // namespace policy
