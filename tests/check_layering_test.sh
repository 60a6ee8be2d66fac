#!/usr/bin/env bash
# Proves scripts/check_layering.sh catches what it must: a copy of a clean
# tree passes; each forbidden include added to it makes the check fail and
# name the file; an allowed one does not.
set -euo pipefail
check="${1:?usage: check_layering_test.sh CHECK_SCRIPT}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{core,indexer,searcher}
printf '#include "core/a.h"\n' >"$work/core/a.cc"
printf '#include "core/a.h"\n' >"$work/indexer/b.cc"
printf '#include "core/a.h"\n' >"$work/searcher/c.cc"
bash "$check" "$work" >/dev/null || { echo "FAIL: a clean tree was rejected"; exit 1; }

expect_rejected() {
  local file="$1" line="$2"
  cp "$work/$file" "$work/$file.bak"
  printf '%s\n' "$line" >>"$work/$file"
  if out=$(bash "$check" "$work" 2>&1); then
    echo "FAIL: $file with '$line' passed"; exit 1
  fi
  grep -q "$file" <<<"$out" || { echo "FAIL: the message does not name $file: $out"; exit 1; }
  mv "$work/$file.bak" "$work/$file"
}
expect_rejected core/a.cc '#include "searcher/searcher.h"'
expect_rejected core/a.cc '#include "indexer/index_writer.h"'
expect_rejected indexer/b.cc '#include "searcher/searcher.h"'
expect_rejected indexer/b.cc '  #  include "searcher/kwic.h"'
expect_rejected searcher/c.cc '#include "indexer/text_cleaner.h"'
echo "check_layering_test: 5 forbidden includes caught, the clean tree passes"
