#!/usr/bin/env bash
# The README's second command: install what is missing, build, and run the
# whole test suite (unit, golden and end-to-end tests) with CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure -j"$(nproc)"
