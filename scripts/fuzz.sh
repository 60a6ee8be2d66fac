#!/usr/bin/env bash
# Builds the libFuzzer targets of tests/fuzz/ into build-fuzz/ (clang, with
# AddressSanitizer and UndefinedBehaviorSanitizer) and runs each for
# SECONDS_PER_TARGET seconds (default 60), one after another, starting from
# its seed corpus tests/fuzz/corpus/<target>/. Exits 1 if any target finds a
# crash, leak, sanitizer report, timeout or broken invariant; the input is
# saved under build-fuzz/findings/<target>/ (replay: build-fuzz/fuzz_<target> FILE).
# New interesting inputs go to build-fuzz/corpus/<target>/, so later runs
# start where earlier ones stopped. Needs only what install-deps.sh installs.
#
#   scripts/fuzz.sh          # 60 s per target
#   scripts/fuzz.sh 1800     # half an hour per target
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build_dir=build-fuzz
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1  # as in scripts/build.sh
targets=(query_syntax text_cleaner jsonl_reader)

# Longest input per target: just past the query length limit, a few pages
# of text, a JSONL file of a few long lines.
declare -A max_len=([query_syntax]=4200 [text_cleaner]=16384 [jsonl_reader]=16384)
declare -A dictionary=([query_syntax]=tests/fuzz/query_syntax.dict)

cmake -S . -B "$build_dir" -DCMAKE_CXX_COMPILER=clang++ -DPOLICY_FUZZ=ON -DPOLICY_BUILD_TESTS=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:${ASAN_OPTIONS:-}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
failed=()
for target in "${targets[@]}"; do
  work_corpus="$build_dir/corpus/$target"
  findings="$build_dir/findings/$target"
  mkdir -p "$work_corpus" "$findings"
  options=(-max_total_time="$seconds" -max_len="${max_len[$target]}" -timeout=10 -rss_limit_mb=2048
           -print_final_stats=1 -artifact_prefix="$findings/")
  [ -n "${dictionary[$target]:-}" ] && options+=(-dict="${dictionary[$target]}")
  echo "fuzz: $target for ${seconds}s" >&2
  log="$build_dir/fuzz_$target.log"
  if "$build_dir/fuzz_$target" "${options[@]}" "$work_corpus" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^#[0-9]+ *DONE' "$log" | sed "s/^/fuzz: $target: /" >&2 || true
  else
    tail -n 60 "$log" >&2
    echo "fuzz: $target FAILED; input saved in $findings/, full log in $log" >&2
    failed+=("$target")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}" >&2
  exit 1
fi
