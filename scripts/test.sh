#!/usr/bin/env bash
# The README's second command, and all CI runs: install what is missing, then
#   1. build into build/ and run the whole test suite (unit, golden,
#      end-to-end and browser tests) with CTest;
#   2. the same suite built with AddressSanitizer, LeakSanitizer and
#      UndefinedBehaviorSanitizer in build-asan/; any report fails its test;
#   3. each libFuzzer target for FUZZ_SECONDS seconds (default 60) via
#      scripts/fuzz.sh.
# Prints the wall time of each stage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

stage_start=$SECONDS
stage_done() {
  echo "test.sh: $1 took $((SECONDS - stage_start)) s" >&2
  stage_start=$SECONDS
}

scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
stage_done "build and tests"

# A report aborts the process (also in the programs the end-to-end tests
# run), so no expected exit code can hide it. The browser test runs too: a
# memory error in the server it starts kills the server and fails the test;
# the server's leaks are checked by the in-process HTTP tests instead (the
# browser test stops its server with a signal and ignores its exit status).
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
BUILD_DIR=build-asan scripts/build.sh -DPOLICY_SANITIZE=ON
ctest --test-dir build-asan --output-on-failure -j"$(nproc)"
stage_done "sanitizer build and tests"

scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
stage_done "fuzzing"
