#!/usr/bin/env bash
# Checks the layering of the sources under ROOT (default: the repository):
#   core/     includes nothing from indexer/ or searcher/
#   indexer/  includes nothing from searcher/
#   searcher/ includes nothing from indexer/
# Our headers are included by their path from the root ("core/analyzer.h"),
# so an include line names its layer. Prints each violation as
# FILE:LINE: INCLUDE and exits 1 if there is any.
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

violations=0
check() {
  local layer="$1" forbidden="$2" rule="$3"
  [ -d "$layer" ] || return 0
  local found
  found=$(grep -rnE --include='*.h' --include='*.cc' "^[[:space:]]*#[[:space:]]*include[[:space:]]*\"($forbidden)/" "$layer" || true)
  if [ -n "$found" ]; then
    echo "$found" | sed "s#\$#   ($rule)#"
    violations=$((violations + $(echo "$found" | wc -l)))
  fi
}
check core 'indexer|searcher' 'core/ includes nothing from indexer/ or searcher/'
check indexer 'searcher' 'indexer/ includes nothing from searcher/'
check searcher 'indexer' 'searcher/ includes nothing from indexer/'

if [ "$violations" -gt 0 ]; then
  echo "check_layering: $violations forbidden include(s)" >&2
  exit 1
fi
echo "check_layering: core <- indexer, core <- searcher: no forbidden include"
