#!/usr/bin/env bash
# Configures and builds policy-search into build/ (or $BUILD_DIR) with all cores.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${BUILD_DIR:-build}"
# ccache (CMakeLists.txt uses it when installed) shares objects between
# clones of the repository in other folders, such as CI's.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
