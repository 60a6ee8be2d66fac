#include "core/cli.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>

#include <xapian.h>

namespace policy {

int run_guarded(std::string_view program, const std::function<int()>& command) {
  try {
    return command();
  } catch (const std::exception& e) {
    std::cerr << program << ": error: " << e.what() << "\n";
  } catch (const Xapian::Error& e) {
    std::cerr << program << ": error: " << e.get_description() << "\n";
  }
  return kExitFatal;
}

void ProgressBar::show(double fraction, std::string_view detail, bool force) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_drawn_ < std::chrono::milliseconds(100)) return;
  last_drawn_ = now;
  fraction = std::clamp(fraction, 0.0, 1.0);
  constexpr int kWidth = 30;
  const int filled = static_cast<int>(fraction * kWidth);
  std::fprintf(stderr, "\r[%.*s%*s] %3d%%  %.*s", filled, "==============================", kWidth - filled, "",
               static_cast<int>(fraction * 100), static_cast<int>(detail.size()), detail.data());
  std::fflush(stderr);
}

void ProgressBar::clear() {
  if (enabled_) std::fprintf(stderr, "\r%*s\r", 79, "");
}

bool stderr_is_terminal() { return isatty(STDERR_FILENO) != 0; }

}  // namespace policy
