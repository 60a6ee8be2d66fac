// The extraction sandbox: outputs, hangs, crashes, memory blow-ups,
// exceptions, no zombies or descriptor leaks, concurrent callers.

#include "indexer/extraction_sandbox.h"

#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace policy {
namespace {

using Status = SandboxResult::Status;
using std::chrono::milliseconds;

constexpr SandboxLimits kShortLimits{milliseconds(300), 256ull << 20};

const char* status_name(Status status) {
  switch (status) {
    case Status::kOk:
      return "ok";
    case Status::kTimedOut:
      return "timed out";
    case Status::kOutOfMemory:
      return "out of memory";
    case Status::kCrashed:
      return "crashed";
    case Status::kInterrupted:
      return "interrupted";
  }
  return "?";
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::size_t open_descriptors() {
  std::size_t count = 0;
  DIR* dir = opendir("/proc/self/fd");
  while (readdir(dir) != nullptr) ++count;
  closedir(dir);
  return count;
}

__attribute__((noinline)) void leak() { static_cast<volatile char*>(new char[64])[0] = 1; }

// Defeats the elision of an allocation whose pointer is never used.
std::string address_of(const void* p) { return std::to_string(reinterpret_cast<std::uintptr_t>(p)); }

struct SandboxCase {
  const char* name;
  std::function<std::string()> work;
  Status status;
  std::string output;   // for kOk
  std::string message;  // expected exactly, or "" to leave unchecked
};

TEST(ExtractionSandboxTest, WhatTheWorkDoesBecomesAStatus) {
  const std::vector<SandboxCase> cases = {
      {"returns a text", [] { return std::string("Clean Air Plan\n\n2016"); }, Status::kOk, "Clean Air Plan\n\n2016",
       ""},
      {"returns nothing", [] { return std::string(); }, Status::kOk, "", ""},
      // LeakSanitizer checks at exit(), which the child never calls: with
      // it, this child would end "exited with status 1" under ASan.
      {"leaks memory",
       [] {
         leak();
         return std::string("ok");
       },
       Status::kOk, "ok", ""},
      {"returns NUL bytes", [] { return std::string("a\0b", 3); }, Status::kOk, std::string("a\0b", 3), ""},
      {"sleeps for ever",
       [] {
         for (;;) pause();
         return std::string();
       },
       Status::kTimedOut, "", "took longer than 0.3 s (killed)"},
      {"spins",
       [] {
         volatile unsigned counter = 0;
         for (;;) counter = counter + 1;
         return std::string();
       },
       Status::kTimedOut, "", "took longer than 0.3 s (killed)"},
      {"raises SIGSEGV",
       [] {
         raise(SIGSEGV);
         return std::string("not reached");
       },
       Status::kCrashed, "", "crashed: Segmentation fault (signal 11)"},
      {"aborts", []() -> std::string { std::abort(); }, Status::kCrashed, "", "crashed: Aborted (signal 6)"},
      {"throws std::runtime_error", []() -> std::string { throw std::runtime_error("bad xref table"); },
       Status::kCrashed, "", "threw: bad xref table"},
      {"throws an int", []() -> std::string { throw 7; }, Status::kCrashed, "",
       "threw: an exception that is not a std::exception"},
      {"exits with status 3", []() -> std::string { _exit(3); }, Status::kCrashed, "", "exited with status 3"},
      {"exits with status 0 before returning", []() -> std::string { _exit(0); }, Status::kCrashed, "",
       "ended before sending its output"},
      {"killed by SIGTERM from outside",
       [] {
         raise(SIGTERM);
         return std::string("not reached");
       },
       Status::kInterrupted, "", "interrupted: Terminated (signal 15)"},
  };
  for (const SandboxCase& c : cases) {
    SCOPED_TRACE(c.name);
    const auto start = std::chrono::steady_clock::now();
    const SandboxResult result = run_sandboxed(c.work, kShortLimits);
    EXPECT_LT(seconds_since(start), 1.3);
    EXPECT_STREQ(status_name(result.status), status_name(c.status)) << result.message;
    EXPECT_EQ(result.ok(), c.status == Status::kOk);
    EXPECT_EQ(result.output, c.output);
    if (!c.message.empty()) {
      EXPECT_EQ(result.message, c.message);
    }
  }
}

// A wild write through a pointer no sanitizer checks (not null, aligned).
// The caller's errno, copied into the child, must not make it look like a
// failed allocation.
TEST(ExtractionSandboxTest, ABadPointerIsACrash) {
  errno = ENOMEM;
  const SandboxResult result = run_sandboxed(
      []() -> std::string {
        volatile int* volatile wild = reinterpret_cast<volatile int*>(std::uintptr_t{16});
        *wild = 1;
        return "not reached";
      },
      kShortLimits);
  EXPECT_STREQ(status_name(result.status), status_name(Status::kCrashed));
  EXPECT_EQ(result.message, "crashed: Segmentation fault (signal 11)");
}

TEST(ExtractionSandboxTest, AHundredMegabytesComeBackWhole) {
  constexpr std::size_t kSize = 100 << 20;
  const SandboxResult result = run_sandboxed(
      [] {
        std::string text(kSize, 'x');
        for (std::size_t i = 0; i < kSize; i += 4096) text[i] = static_cast<char>('a' + i / 4096 % 26);
        return text;
      },
      SandboxLimits{});
  ASSERT_TRUE(result.ok()) << result.message;
  ASSERT_EQ(result.output.size(), kSize);
  for (std::size_t i = 0; i < kSize; i += 4096) {
    ASSERT_EQ(result.output[i], static_cast<char>('a' + i / 4096 % 26)) << i;
    ASSERT_EQ(result.output[i + 1], 'x') << i;
  }
}

TEST(ExtractionSandboxTest, MemoryBeyondTheLimitIsOutOfMemory) {
  if (!sandbox_limits_memory()) GTEST_SKIP() << "AddressSanitizer reserves terabytes: no RLIMIT_AS under it";
  constexpr std::size_t kFourGigabytes = 4ull << 30;
  const std::vector<SandboxCase> cases = {
      {"new of 4 GB throws std::bad_alloc",
       [] {
         std::unique_ptr<char[]> block(new char[kFourGigabytes]);
         return address_of(block.get());
       },
       Status::kOutOfMemory, "", "needed more than 256 MiB of memory"},
      {"malloc of 4 GB returns NULL, which is written to",
       [] {
         volatile char* block = static_cast<char*>(std::malloc(kFourGigabytes));
         block[4096] = 1;
         return address_of(const_cast<char*>(block));
       },
       Status::kOutOfMemory, "", "needed more than 256 MiB of memory"},
      {"malloc of 1 MiB blocks until NULL, which is written to",
       [] {
         std::vector<void*> blocks;
         for (;;) {
           char* block = static_cast<char*>(std::malloc(1 << 20));
           block[0] = 1;
           blocks.push_back(block);
         }
         return std::string();
       },
       Status::kOutOfMemory, "", "needed more than 256 MiB of memory"},
      {"200 MiB fits under 256 MiB",
       [] {
         std::unique_ptr<char[]> block(new char[200 << 20]);
         static_cast<volatile char*>(block.get())[0] = 1;
         return std::string("fits");
       },
       Status::kOk, "fits", ""},
  };
  for (const SandboxCase& c : cases) {
    SCOPED_TRACE(c.name);
    const SandboxResult result = run_sandboxed(c.work, SandboxLimits{milliseconds(5000), 256ull << 20});
    EXPECT_STREQ(status_name(result.status), status_name(c.status)) << result.message;
    EXPECT_EQ(result.output, c.output);
    if (!c.message.empty()) {
      EXPECT_EQ(result.message, c.message);
    }
  }
}

// Ctrl-C reaches the whole process group; the child must not run the
// caller's handler (which only sets a flag) and go on working.
TEST(ExtractionSandboxTest, TheCallersSignalHandlersDoNotKeepTheChildAlive) {
  struct sigaction ignore_once {
  }, previous{};
  ignore_once.sa_handler = [](int) {};
  sigemptyset(&ignore_once.sa_mask);
  sigaction(SIGINT, &ignore_once, &previous);
  const SandboxResult result = run_sandboxed(
      [] {
        raise(SIGINT);
        return std::string("went on");
      },
      kShortLimits);
  sigaction(SIGINT, &previous, nullptr);
  EXPECT_STREQ(status_name(result.status), status_name(Status::kInterrupted));
  EXPECT_EQ(result.message, "interrupted: Interrupt (signal 2)");
}

TEST(ExtractionSandboxTest, NoZombieAndNoDescriptorLeftAfterAHundredRuns) {
  const std::size_t descriptors = open_descriptors();
  for (int run = 0; run < 100; ++run) {
    const SandboxResult result = run_sandboxed(
        [run]() -> std::string {
          if (run % 10 == 3) raise(SIGSEGV);
          if (run % 10 == 7) throw std::runtime_error("x");
          return std::to_string(run);
        },
        kShortLimits);
    ASSERT_EQ(result.ok(), run % 10 != 3 && run % 10 != 7) << run << ": " << result.message;
  }
  EXPECT_EQ(open_descriptors(), descriptors);
  int status = 0;
  EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1);  // no child at all, ended or not
  EXPECT_EQ(errno, ECHILD);
}

TEST(ExtractionSandboxTest, TwoThreadsRunAtOnce) {
  std::vector<std::string> failures[2];
  auto caller = [&](int thread) {
    for (int run = 0; run < 50; ++run) {
      // Some outputs larger than a pipe's buffer, so that children overlap.
      const std::size_t size = run % 10 == 0 ? (3 << 19) + run : run;
      const char fill = static_cast<char>('a' + thread);
      const SandboxResult result = run_sandboxed([&] { return std::string(size, fill); }, SandboxLimits{});
      if (!result.ok() || result.output != std::string(size, fill)) {
        failures[thread].push_back(std::to_string(run) + ": " + result.message);
      }
    }
  };
  const std::size_t descriptors = open_descriptors();
  std::thread first(caller, 0), second(caller, 1);
  first.join();
  second.join();
  EXPECT_EQ(failures[0], std::vector<std::string>{});
  EXPECT_EQ(failures[1], std::vector<std::string>{});
  EXPECT_EQ(open_descriptors(), descriptors);
}

TEST(ExtractionSandboxTest, WithoutPidfdTheSameResults) {
  const std::vector<SandboxCase> cases = {
      {"returns a text", [] { return std::string(3 << 20, 'p'); }, Status::kOk, std::string(3 << 20, 'p'), ""},
      {"sleeps for ever",
       [] {
         for (;;) pause();
         return std::string();
       },
       Status::kTimedOut, "", "took longer than 0.3 s (killed)"},
      {"aborts", []() -> std::string { std::abort(); }, Status::kCrashed, "", "crashed: Aborted (signal 6)"},
  };
  for (const SandboxCase& c : cases) {
    SCOPED_TRACE(c.name);
    const auto start = std::chrono::steady_clock::now();
    const SandboxResult result = detail::run_sandboxed_without_pidfd(c.work, kShortLimits);
    EXPECT_LT(seconds_since(start), 1.3);
    EXPECT_STREQ(status_name(result.status), status_name(c.status)) << result.message;
    EXPECT_EQ(result.output, c.output);
    EXPECT_EQ(result.message, c.message);
  }
}

// The child of a caller killed with SIGKILL does not go on working.
TEST(ExtractionSandboxTest, TheChildDiesWithItsCaller) {
  int ends[2];
  ASSERT_EQ(pipe(ends), 0);
  const pid_t caller = fork();
  ASSERT_GE(caller, 0);
  if (caller == 0) {
    close(ends[0]);
    run_sandboxed(
        [&] {
          const pid_t self = getpid();
          (void)!write(ends[1], &self, sizeof self);
          for (;;) pause();
          return std::string();
        },
        SandboxLimits{milliseconds(60'000), 0});
    _exit(0);
  }
  close(ends[1]);
  pid_t child = 0;
  ASSERT_EQ(read(ends[0], &child, sizeof child), static_cast<ssize_t>(sizeof child));
  close(ends[0]);
  kill(caller, SIGKILL);
  int status = 0;
  ASSERT_EQ(waitpid(caller, &status, 0), caller);
  // Gone, or a zombie of whoever adopted it.
  auto alive = [child] {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string pid, name, state;
    return stat >> pid >> name >> state && state != "Z";
  };
  const auto start = std::chrono::steady_clock::now();
  while (alive() && seconds_since(start) < 2) usleep(1000);
  EXPECT_FALSE(alive());
}

// The cost of one call with trivial work, in a small process and in one
// with 500 MB resident (fork() copies the page tables). Run with
// --gtest_also_run_disabled_tests.
TEST(ExtractionSandboxTest, DISABLED_CostOfOneRun) {
  auto measure = [](const char* label) {
    constexpr int kRuns = 200;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kRuns; ++i) ASSERT_TRUE(run_sandboxed([] { return std::string("x"); }, SandboxLimits{}).ok());
    std::printf("%s: %.3f ms per run_sandboxed\n", label, seconds_since(start) * 1000 / kRuns);
  };
  measure("small process");
  std::vector<char> resident(500 << 20);
  for (std::size_t i = 0; i < resident.size(); i += 4096) resident[i] = 1;
  measure("with 500 MB resident");
}

}  // namespace
}  // namespace policy
