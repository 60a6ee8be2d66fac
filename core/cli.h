// What the two programs share on the command line: the one place where an
// error becomes a message and an exit code, and the progress bar.
//
// Not thread-safe: used from a program's main thread.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace policy {

// The exit code of a command that could not do its job: bad options, an
// unreadable or incompatible index, a failed write. Both programs document
// it in --help and the README.
inline constexpr int kExitFatal = 2;

// Runs `command` and returns its exit code. An exception that escapes it
// (an Error, any std::exception, a Xapian::Error) is printed on stderr as
// "PROGRAM: error: MESSAGE" and gives kExitFatal.
int run_guarded(std::string_view program, const std::function<int()>& command);

// A one-line progress bar on stderr, redrawn in place:
//   [=========                     ]  30%  120/400 files  3.1 MB
// Does nothing when not enabled (not a terminal, or --quiet).
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }
  // Draws `fraction` (0..1) and `detail`; at most every 100 ms unless `force`.
  void show(double fraction, std::string_view detail, bool force = false);
  // Erases the bar, so that a message can take its line.
  void clear();

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point last_drawn_{};
};

// True when stderr is a terminal (where a progress bar belongs).
bool stderr_is_terminal();

}  // namespace policy
