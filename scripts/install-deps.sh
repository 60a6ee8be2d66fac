#!/usr/bin/env bash
# Installs the Debian packages policy-search needs to build, run and test,
# skipping those already installed. Needs root (or sudo) when something is missing.
set -euo pipefail

packages=(
  g++ cmake make pkg-config ccache clang-format git
  libxapian-dev libzstd-dev libxml2-dev libpoppler-cpp-dev libzip-dev libcld2-dev libjemalloc-dev libicu-dev libboost-program-options-dev libboost-dev nlohmann-json3-dev libcpp-httplib-dev
  libgtest-dev googletest libsqlite3-dev
  python3 python3-jsonschema
  poppler-utils  # scripts/eval_pdf_extraction.sh compares with pdftotext
  xapian-tools  # xapian-tcpsrv and xapian-replicate serve shards and replicas
  chromium
  clang libclang-rt-14-dev  # scripts/fuzz.sh: libFuzzer and the sanitizer runtimes
  dict-gcide  # scripts/gen_synthetic_corpus.py trains on its 1913 Webster text
)

# Node.js and npm run the browser tests (playwright-core drives Debian's
# chromium); the machine image may already carry a newer Node.js.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)
packages+=(wrk)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
