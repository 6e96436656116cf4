#!/usr/bin/env bash
# Prepares the benchmark (make bench / make bench-quick): pandas from Debian
# (python3-pandas; no pip) for bench/pandas_pipeline.py, and the DuckDB SQL
# runner built against the libduckdb that Daybook links. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

if ! /usr/bin/python3 -c 'import pandas' 2>/dev/null; then
  echo "bench/setup: installing python3-pandas (Debian)"
  SUDO=""; if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends python3-pandas
fi
make -s -C "$here/duckdb_sql" OUT="$here/data/bin"
