// The indexing run: its exit code from what happened to the inputs.

#include "indexer/indexing_run.h"

#include <csignal>

#include <gtest/gtest.h>

#include "indexer/exit_codes.h"

namespace policy {
namespace {

TEST(IndexingExitCodeTest, FromTheSummaryAndTheStopSignal) {
  struct Case {
    const char* name;
    std::size_t added, unchanged, ignored, skipped, failed;
    int stop_signal;
    int exit_code;
  };
  const Case cases[] = {
      {"nothing read", 0, 0, 0, 0, 0, 0, kExitOk},
      {"added and unchanged", 3, 2, 0, 0, 0, 0, kExitOk},
      {"ignored files only", 1, 0, 4, 0, 0, 0, kExitOk},
      {"a skipped input", 1, 0, 0, 1, 0, 0, kExitSomeInputsNotIndexed},
      {"a failed input", 1, 0, 0, 0, 1, 0, kExitSomeInputsNotIndexed},
      {"interrupted by SIGINT", 1, 0, 0, 0, 0, SIGINT, 130},
      {"interrupted by SIGTERM, with failures", 0, 0, 0, 0, 2, SIGTERM, 143},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    IndexingSummary summary;
    summary.added = c.added;
    summary.unchanged = c.unchanged;
    summary.ignored = c.ignored;
    summary.skipped = c.skipped;
    summary.failed = c.failed;
    EXPECT_EQ(indexing_exit_code(summary, c.stop_signal), c.exit_code);
  }
}

}  // namespace
}  // namespace policy
