#!/usr/bin/env bash
# Installs everything Daybook needs to build and test on a fresh Debian 12
# machine. Idempotent and quick when everything is already present:
#   - Debian -dev packages through apt-get (only the missing ones)
#   - DuckDB's shared library and C API header from the pinned npm packages
#     in third_party/duckdb (package-lock.json), installed with --ignore-scripts
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

packages=(
  build-essential cmake ninja-build pkg-config
  libsimdjson-dev libyaml-cpp-dev libcli11-dev libfmt-dev
  libhowardhinnant-date-dev libabsl-dev libxxhash-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev libcpp-httplib-dev tzdata nodejs npm
  chromium
)
missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    # nodejs/npm may come from elsewhere (e.g. a preinstalled toolchain)
    if [[ "$p" == nodejs && -x "$(command -v node)" ]]; then continue; fi
    if [[ "$p" == npm && -x "$(command -v npm)" ]]; then continue; fi
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "setup-deps: installing Debian packages: ${missing[*]}"
  SUDO=""; if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

duck="$here/third_party/duckdb"
lib="$duck/node_modules/@duckdb/node-bindings-linux-x64/libduckdb.so"
hdr="$duck/node_modules/duckdb/src/duckdb/src/include/duckdb.h"
if [[ ! -f "$lib" || ! -f "$hdr" || "$duck/package-lock.json" -nt "$duck/node_modules/.package-lock.json" ]]; then
  echo "setup-deps: installing DuckDB 1.4.4 from npm (pinned by package-lock.json)"
  (cd "$duck" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
test -f "$lib" && test -f "$hdr"
