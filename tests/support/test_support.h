// Helpers shared by the tests: temporary directories, files, and running the
// real programs with their output captured.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace policy::testing {

// Whether these tests run built with the sanitizers (the second stage of
// scripts/test.sh). The slowest end-to-end tests run a share of their
// generated cases there; the plain build, in the same test command, runs
// them all.
#ifdef POLICY_SANITIZED
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif

struct CommandResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  long max_rss_kb = 0;  // the child's peak resident set (getrusage via wait4)
  double seconds = 0;   // wall time from start to exit
};

// How to start a child process.
struct SpawnOptions {
  // Run as this user and group (the test must be root): lets a root test
  // meet permission errors, which root itself bypasses.
  std::optional<uid_t> uid;
  std::optional<gid_t> gid;
};

// A program started with its stdout and stderr captured (stdin is
// /dev/null), to be signalled and waited for.
class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv, const SpawnOptions& options = {});
  ~ChildProcess();  // a child still running is killed (SIGKILL) and reaped
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  void send_signal(int signal) const;
  // Waits for the exit. exit_code is the exit status, or 128+signal.
  // REQUIRES: called at most once.
  CommandResult wait();

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  double started_ = 0;
};

// Runs argv[0] with the given arguments (no shell) and waits for it.
CommandResult run_command(const std::vector<std::string>& argv, const SpawnOptions& options = {});

// The uid and gid of "nobody", for SpawnOptions.
uid_t nobody_uid();
gid_t nobody_gid();

// A fresh empty directory under the system temp dir, removed by the caller
// (or left for inspection when a test fails).
std::filesystem::path make_temp_dir(const std::string& name);

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& content);

// Absolute path of a file in the source tree, e.g. source_path("corpus").
std::filesystem::path source_path(const std::string& relative);

// Splits "a\tb\tc" on tabs; unescapes \t, \n and \\ in each field.
std::vector<std::string> split_tsv_line(const std::string& line);

}  // namespace policy::testing
