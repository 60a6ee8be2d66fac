#!/usr/bin/env bash
# The README's first command: install what is missing, build, index corpus/
# into ./idx, and run a sample search.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/policy-index --index idx corpus/
build/policy-search --index idx '"green envoys program" biodiversity'
echo
echo "Web page and JSON API: build/policy-search serve --index idx   (then open http://127.0.0.1:8080/)"
