// A sandbox for extraction work on untrusted files: run_sandboxed() runs a
// function (parsing a PDF, a Word file, a web page) in a child process made
// by fork(), with a time limit and a memory limit, so that a hang, a crash
// or a memory blow-up in a third-party parser (poppler, libxml2, libzip)
// ends that piece of work, reported as a value, never the indexer.
//
// The child starts as a copy of the caller: the work sees the caller's
// memory (copy-on-write) and returns a string, which comes back through a
// pipe, length-prefixed. The caller's memory is never changed by the work.
//
// fork() in a multi-threaded process: the child holds only the calling
// thread; every other thread is gone, and a lock one of them held at the
// moment of fork() stays locked in the child for ever. glibc's malloc and
// jemalloc take their locks around fork() (atfork handlers), so allocating
// in the child is safe; the locks of other libraries (a parser's global
// state, iostreams) may not be, and a child that waits for such a lock
// waits until the time limit kills it, reported as kTimedOut: it never hangs
// the run. Initialise libraries before threads start (xmlInitParser(),
// poppler's global parameters) to make that rare. The work must start no
// threads and rely on none: nothing in the child needs threads.
//
// In the child, before the work:
//   - it dies with the caller (PR_SET_PDEATHSIG: SIGKILL when the calling
//     thread, which waits for it, ends; a kill -9 of the indexer leaves no
//     parser spinning);
//   - RLIMIT_CORE is 0 (no core dumps); SIGPIPE is ignored (a write to a
//     caller that went away fails and the child exits); SIGINT, SIGTERM,
//     SIGHUP and SIGQUIT take their default action and no signal is
//     blocked, so Ctrl-C, which reaches the whole process group, ends the
//     child at once (kInterrupted) whatever handlers the caller installed;
//   - RLIMIT_AS is set to the child's address space at fork() plus
//     memory_bytes: the limit is what the work may add, since the child
//     inherits the caller's whole address space (thread stacks, allocator
//     arenas, mapped index files), which costs nothing until written.
//     Not applied in AddressSanitizer builds (sandbox_limits_memory() is
//     false), where ASan's reserved shadow memory takes terabytes of
//     address space.
// The child ends with _exit(), never exit(): no atexit handlers, no static
// destructors (of objects the caller's other threads were using), no
// flushing of stdio buffers (they hold copies of the caller's unwritten
// output, which would be written twice; output the work buffers on stdout
// is lost, stderr is unbuffered). LeakSanitizer, which checks at exit(),
// does not run in the child either.
//
// Thread-safety: run_sandboxed() may be called from several threads at
// once. Each call waits for its own child by pid and by pidfd (not for the
// end of its pipe, which children forked at the same moment by other
// threads may hold open: fork() without exec() keeps every descriptor,
// O_CLOEXEC or not). Nothing else in the process may reap children with
// waitpid(-1) or set SIGCHLD to SIG_IGN.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace policy {

struct SandboxLimits {
  std::chrono::milliseconds time{60'000};   // wall time for one piece of work
  std::uint64_t memory_bytes = 2ull << 30;  // address space the work may add (RLIMIT_AS); 0 = no limit
};

struct SandboxResult {
  enum class Status {
    kOk,           // the work returned; `output` holds what it returned
    kTimedOut,     // still running at the time limit: killed with SIGKILL
    kOutOfMemory,  // hit the memory limit (std::bad_alloc, or a crash that followed a failed allocation)
    kCrashed,      // a signal, an exception, exit() or _exit() from the work
    kInterrupted,  // ended by SIGINT, SIGTERM, SIGHUP or SIGQUIT from outside: not the input's fault
  };
  Status status = Status::kOk;
  std::string output;  // what the work returned (kOk only)
  // Why it failed, for the other statuses: "took longer than 60 s (killed)",
  // "needed more than 2048 MiB of memory", "crashed: Segmentation fault
  // (signal 11)", "threw: <what()>", "exited with status 3", "ended
  // before sending all of its output (got 10 of 100 bytes)", "interrupted:
  // Interrupt (signal 2)".
  std::string message;
  bool ok() const { return status == Status::kOk; }
};

// Runs work() in a child process created by fork() under `limits` and
// returns what came of it. Out of memory is told apart from a crash when
// work() throws std::bad_alloc (caught in the child), or, when it dies of
// SIGSEGV, SIGBUS or SIGABRT (C code that used the null pointer a failed
// malloc returned, or aborted), when errno was ENOMEM at that moment or its
// address space was within memory_bytes / 8 of the limit; other crashes are
// kCrashed. Under AddressSanitizer, its reports (a heap overflow in a
// parser) go to stderr and end the child with "exited with status 1";
// signals are handled as in other builds.
// Throws std::system_error only when the child cannot be started (pipe2 or
// fork failing: too many processes or descriptors) or waited for (someone
// else reaped it), and std::bad_alloc when the caller has no memory for
// the output; the child is then killed and reaped.
SandboxResult run_sandboxed(const std::function<std::string()>& work, const SandboxLimits& limits);

// Whether run_sandboxed() applies SandboxLimits::memory_bytes: false in
// AddressSanitizer builds.
bool sandbox_limits_memory();

namespace detail {
// run_sandboxed() as on kernels without pidfd_open() (before Linux 5.3, or
// where seccomp refuses it): the child's end is noticed by polling
// waitpid() every 10 ms. For tests; run_sandboxed() falls back to it itself.
SandboxResult run_sandboxed_without_pidfd(const std::function<std::string()>& work, const SandboxLimits& limits);
}  // namespace detail

}  // namespace policy
