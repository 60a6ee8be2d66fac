// Helpers for the libFuzzer targets: failing loudly (libFuzzer records the
// input on abort) and a scratch directory removed at exit.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

namespace policy::fuzz {

// Prints `what` and the input, then aborts so that libFuzzer saves a crash file.
[[noreturn]] inline void fail(const std::string& what, std::string_view input) {
  std::fprintf(stderr, "fuzz invariant broken: %s\ninput (%zu bytes): %.*s\n", what.c_str(), input.size(),
               static_cast<int>(input.size()), input.data());
  std::abort();
}

// Fails unless `problem` (from tests/invariants.h) is empty.
inline void require(const std::string& problem, std::string_view subject, std::string_view input) {
  if (!problem.empty()) fail(std::string(subject) + ": " + problem, input);
}

// A fresh directory under the system temp dir, removed when destroyed
// (libFuzzer exits normally at -max_total_time, running destructors).
class TempDir {
 public:
  explicit TempDir(const std::string& name) {
    std::string pattern = (std::filesystem::temp_directory_path() / ("policy-fuzz-" + name + "-XXXXXX")).string();
    if (mkdtemp(pattern.data()) == nullptr) fail("mkdtemp failed", pattern);
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace policy::fuzz
