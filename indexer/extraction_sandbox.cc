#include "indexer/extraction_sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string_view>
#include <system_error>

namespace policy {
namespace {

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kAddressSanitizer = true;
#else
constexpr bool kAddressSanitizer = false;
#endif
#else
constexpr bool kAddressSanitizer = false;
#endif

// The child's exit codes that carry a meaning; a work that calls exit()
// with one of them is misreported, which no parser does.
constexpr int kExitOutOfMemory = 111;
constexpr int kExitThrew = 112;  // the pipe carries what() instead of the output
constexpr int kExitPipeFailed = 113;
constexpr int kExitParentGone = 114;

// The result frame: the payload's length, then the payload.
using FrameLength = std::uint64_t;

// ---- In the child --------------------------------------------------------
// Only the forked thread runs here; these globals are the child's copies.

bool g_memory_limited = false;
std::uint64_t g_nearly_out_of_memory = 0;  // a size from which a crash counts as out of memory
long g_page_size = 4096;

// The child's address space in bytes (the first field of /proc/self/statm,
// in pages), or 0 when unknown. Async-signal-safe: open, read and close.
std::uint64_t address_space_bytes() {
  const int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[64];
  const ssize_t n = read(fd, text, sizeof text);
  close(fd);
  std::uint64_t pages = 0;
  for (ssize_t i = 0; i < n && text[i] >= '0' && text[i] <= '9'; ++i) pages = pages * 10 + (text[i] - '0');
  return pages * static_cast<std::uint64_t>(g_page_size);
}

// The child's handler of SIGSEGV, SIGBUS and SIGABRT. Under a memory
// limit, C code that got NULL from malloc and used it, or aborted ("Out of
// memory"), ran out of memory: malloc and mmap leave errno ENOMEM when they
// fail, and calls that succeed do not reset it. A child that filled its
// address space allocation by allocation is caught by its size instead:
// within an eighth of memory_bytes of the limit.
extern "C" void on_fatal_signal(int signal) {
  const int error = errno;
  if (g_memory_limited && (error == ENOMEM || address_space_bytes() >= g_nearly_out_of_memory)) {
    _exit(kExitOutOfMemory);
  }
  // SA_RESETHAND restored the default action; the signal, blocked while the
  // handler runs, ends the child when it returns (a fault also recurs).
  raise(signal);
}

void install_fatal_signal_handlers() {
  // Its own stack: a stack that hit the limit cannot run the handler.
  constexpr std::size_t kStackBytes = 64 << 10;
  void* stack = mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  stack_t alternate{};
  alternate.ss_sp = stack;
  alternate.ss_size = kStackBytes;
  const bool on_own_stack = stack != MAP_FAILED && sigaltstack(&alternate, nullptr) == 0;
  struct sigaction action {};
  action.sa_handler = on_fatal_signal;
  action.sa_flags = SA_RESETHAND | (on_own_stack ? SA_ONSTACK : 0);
  sigemptyset(&action.sa_mask);
  for (int signal : {SIGSEGV, SIGBUS, SIGABRT}) sigaction(signal, &action, nullptr);
}

void prepare_child_signals() {
  signal(SIGPIPE, SIG_IGN);
  for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(signal, SIG_DFL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

void set_limit(int resource, std::uint64_t bytes) {
  const rlimit limit{bytes, bytes};
  setrlimit(resource, &limit);
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

[[noreturn]] void send_and_exit(int fd, std::string_view payload, int exit_code) {
  const FrameLength length = payload.size();
  const bool sent = write_all(fd, reinterpret_cast<const char*>(&length), sizeof length) &&
                    write_all(fd, payload.data(), payload.size());
  _exit(sent ? exit_code : kExitPipeFailed);
}

[[noreturn]] void run_child(const std::function<std::string()>& work, const SandboxLimits& limits, int fd,
                            pid_t parent) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(kExitParentGone);  // it ended before prctl
  prepare_child_signals();
  set_limit(RLIMIT_CORE, 0);
  // Also under ASan, whose own SIGSEGV handler symbolizes a report for
  // longer than a short time limit: a crash reads the same in every build.
  install_fatal_signal_handlers();
  if (limits.memory_bytes > 0 && !kAddressSanitizer) {
    g_page_size = sysconf(_SC_PAGESIZE);
    g_memory_limited = true;
    const std::uint64_t limit = address_space_bytes() + limits.memory_bytes;
    g_nearly_out_of_memory = limit - limits.memory_bytes / 8;
    set_limit(RLIMIT_AS, limit);
  }
  errno = 0;  // the caller's value, copied by fork(), must not read as a failed allocation
  std::string output;
  try {
    output = work();
  } catch (const std::bad_alloc&) {
    _exit(kExitOutOfMemory);
  } catch (const std::exception& e) {
    send_and_exit(fd, e.what(), kExitThrew);
  } catch (...) {
    send_and_exit(fd, "an exception that is not a std::exception", kExitThrew);
  }
  send_and_exit(fd, output, 0);
}

// ---- In the caller -------------------------------------------------------

class Descriptor {
 public:
  explicit Descriptor(int fd = -1) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Collects the frame as it arrives, whatever the chunks.
class FrameReader {
 public:
  void add(const char* data, std::size_t size) {
    if (received_header_ < sizeof header_) {
      const std::size_t n = std::min(size, sizeof header_ - received_header_);
      std::memcpy(header_ + received_header_, data, n);
      received_header_ += n;
      data += n;
      size -= n;
      if (received_header_ == sizeof header_) {
        std::memcpy(&length_, header_, sizeof length_);
        // Beyond 256 MiB grown as bytes come, so that a garbled length
        // cannot make the caller allocate more than was sent.
        payload_.reserve(std::min<FrameLength>(length_, 256 << 20));
      }
    }
    payload_.append(data, size);
  }
  bool complete() const { return received_header_ == sizeof header_ && payload_.size() == length_; }
  std::string& payload() { return payload_; }
  std::string shortfall() const {
    if (received_header_ < sizeof header_) return "ended before sending its output";
    return "ended before sending all of its output (got " + std::to_string(payload_.size()) + " of " +
           std::to_string(length_) + " bytes)";
  }

 private:
  char header_[sizeof(FrameLength)];
  std::size_t received_header_ = 0;
  FrameLength length_ = 0;
  std::string payload_;
};

enum class PipeState { kOpen, kAtEnd };

// Reads what the pipe holds now (its read end is non-blocking).
PipeState drain(int fd, FrameReader& frame) {
  char chunk[64 << 10];
  for (;;) {
    const ssize_t n = read(fd, chunk, sizeof chunk);
    if (n > 0) {
      frame.add(chunk, static_cast<std::size_t>(n));
    } else if (n == 0) {
      return PipeState::kAtEnd;
    } else if (errno == EAGAIN) {
      return PipeState::kOpen;
    } else if (errno != EINTR) {
      return PipeState::kAtEnd;
    }
  }
}

std::string signal_description(int signal) {
  const char* description = sigdescr_np(signal);  // thread-safe, unlike strsignal
  return std::string(description ? description : "unknown signal") + " (signal " + std::to_string(signal) + ")";
}

std::string seconds_text(std::chrono::milliseconds time) {
  char text[32];
  std::snprintf(text, sizeof text, "%g s", static_cast<double>(time.count()) / 1000);
  return text;
}

SandboxResult failure(SandboxResult::Status status, std::string message) {
  SandboxResult result;
  result.status = status;
  result.message = std::move(message);
  return result;
}

SandboxResult out_of_memory(const SandboxLimits& limits) {
  if (limits.memory_bytes == 0 || kAddressSanitizer)
    return failure(SandboxResult::Status::kOutOfMemory, "ran out of memory");
  return failure(SandboxResult::Status::kOutOfMemory,
                 "needed more than " + std::to_string(limits.memory_bytes >> 20) + " MiB of memory");
}

SandboxResult classify(int wait_status, FrameReader& frame, const SandboxLimits& limits) {
  using Status = SandboxResult::Status;
  if (WIFSIGNALED(wait_status)) {
    const int signal = WTERMSIG(wait_status);
    if (signal == SIGINT || signal == SIGTERM || signal == SIGHUP || signal == SIGQUIT) {
      return failure(Status::kInterrupted, "interrupted: " + signal_description(signal));
    }
    return failure(Status::kCrashed, "crashed: " + signal_description(signal));
  }
  const int code = WEXITSTATUS(wait_status);
  if (code == 0) {
    if (!frame.complete()) return failure(Status::kCrashed, frame.shortfall());
    SandboxResult result;
    result.output = std::move(frame.payload());
    return result;
  }
  if (code == kExitOutOfMemory) return out_of_memory(limits);
  if (code == kExitThrew) {
    return failure(Status::kCrashed, frame.complete() ? "threw: " + frame.payload() : "threw an exception");
  }
  return failure(Status::kCrashed, "exited with status " + std::to_string(code));
}

int open_pidfd(pid_t pid) { return static_cast<int>(syscall(SYS_pidfd_open, pid, 0)); }

// The forked child, killed and reaped when left behind by an exception
// (an output too large for the caller's memory): never a zombie.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (reaped_) return;
    kill(pid_, SIGKILL);
    while (waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  pid_t pid() const { return pid_; }
  bool reaped() const { return reaped_; }

  // Reaps the child if it has ended; false while it runs. Throws when
  // someone else reaped it.
  bool try_reap() { return wait(WNOHANG); }
  void reap() { wait(0); }
  int wait_status() const { return wait_status_; }

 private:
  bool wait(int options) {
    pid_t r;
    while ((r = waitpid(pid_, &wait_status_, options)) < 0 && errno == EINTR) {
    }
    if (r < 0) throw std::system_error(errno, std::generic_category(), "waitpid");
    reaped_ = r == pid_;
    return reaped_;
  }

  pid_t pid_;
  bool reaped_ = false;
  int wait_status_ = 0;
};

SandboxResult run(const std::function<std::string()>& work, const SandboxLimits& limits, bool use_pidfd) {
  int ends[2];
  if (pipe2(ends, O_CLOEXEC) != 0) throw std::system_error(errno, std::generic_category(), "pipe2");
  const pid_t parent = getpid();
  const auto deadline = std::chrono::steady_clock::now() + limits.time;
  const pid_t pid = fork();
  if (pid == 0) {
    close(ends[0]);
    run_child(work, limits, ends[1], parent);
  }
  const int fork_error = errno;
  close(ends[1]);
  const Descriptor pipe(ends[0]);
  if (pid < 0) throw std::system_error(fork_error, std::generic_category(), "fork");
  Child child(pid);

  fcntl(pipe.get(), F_SETFL, O_NONBLOCK);
  fcntl(pipe.get(), F_SETPIPE_SZ, 1 << 20);  // fewer wake-ups for large outputs; the default is 64 KiB
  const Descriptor pidfd(use_pidfd ? open_pidfd(pid) : -1);

  FrameReader frame;
  PipeState pipe_state = PipeState::kOpen;
  bool exited = false;
  for (;;) {
    if (pidfd.get() < 0) exited = child.try_reap();
    if (exited) {
      // Everything the child wrote is in the pipe by now.
      if (pipe_state == PipeState::kOpen) drain(pipe.get(), frame);
      break;
    }
    const auto remaining = deadline - std::chrono::steady_clock::now();
    if (remaining <= std::chrono::steady_clock::duration::zero()) {
      kill(pid, SIGKILL);
      child.reap();
      return failure(SandboxResult::Status::kTimedOut, "took longer than " + seconds_text(limits.time) + " (killed)");
    }
    auto wait = std::chrono::duration_cast<std::chrono::nanoseconds>(remaining);
    if (pidfd.get() < 0) wait = std::min<std::chrono::nanoseconds>(wait, std::chrono::milliseconds(10));
    const timespec timeout{static_cast<time_t>(wait.count() / 1'000'000'000),
                           static_cast<long>(wait.count() % 1'000'000'000)};
    pollfd watched[2] = {{pipe_state == PipeState::kOpen ? pipe.get() : -1, POLLIN, 0}, {pidfd.get(), POLLIN, 0}};
    if (ppoll(watched, 2, &timeout, nullptr) < 0 && errno != EINTR) {
      throw std::system_error(errno, std::generic_category(), "ppoll");
    }
    if (watched[0].revents != 0) pipe_state = drain(pipe.get(), frame);
    if (watched[1].revents != 0) exited = true;
  }
  if (!child.reaped()) child.reap();
  return classify(child.wait_status(), frame, limits);
}

}  // namespace

SandboxResult run_sandboxed(const std::function<std::string()>& work, const SandboxLimits& limits) {
  return run(work, limits, /*use_pidfd=*/true);
}

bool sandbox_limits_memory() { return !kAddressSanitizer; }

namespace detail {
SandboxResult run_sandboxed_without_pidfd(const std::function<std::string()>& work, const SandboxLimits& limits) {
  return run(work, limits, /*use_pidfd=*/false);
}
}  // namespace detail

}  // namespace policy
