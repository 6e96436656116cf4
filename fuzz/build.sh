#!/usr/bin/env bash
# Builds the libFuzzer target over decode + validate with ASan and UBSan:
#   fuzz/build.sh [OUT_DIR]      (default: build-fuzz)  ->  OUT_DIR/fuzz_decode
# Uses clang++ from Debian (installed with apt-get when missing) against the
# project's src/core, src/decode and src/validate sources and the system
# simdjson (libsimdjson-dev), like the CMake build.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-build-fuzz}
CXX=${FUZZ_CXX:-clang++}

SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "fuzz/build.sh: $CXX not found; installing clang from Debian" >&2
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq clang >/dev/null
fi
# libFuzzer and the sanitizers ship in clang's runtime package (Debian:
# libclang-rt-<major>-dev, only recommended by clang); check that a fuzzer
# links before compiling everything.
links() {
  echo 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }' |
    "$CXX" -x c++ -fsanitize=fuzzer,address,undefined - -o /dev/null 2>/dev/null
}
if ! links; then
  major=$("$CXX" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -1)
  echo "fuzz/build.sh: installing libclang-rt-$major-dev (libFuzzer runtime)" >&2
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "libclang-rt-$major-dev" >/dev/null || true
  if ! links; then
    echo "fuzz/build.sh: $CXX cannot link -fsanitize=fuzzer,address,undefined" >&2
    exit 2
  fi
fi

mkdir -p "$OUT/obj"
FLAGS=(-std=c++20 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined
       -fno-sanitize-recover=undefined -DFMT_SHARED -DHAS_STRING_VIEW=1 -DONLY_C_LOCALE=1 -DUSE_OS_TZDB=1
       -DSIMDJSON_THREADS_ENABLED=1 -Isrc -Ifuzz)
SOURCES=()
for f in src/core/*.cc src/decode/*.cc src/validate/*.cc; do
  case "$f" in *_test.cc) continue ;; esac
  SOURCES+=("$f")
done
OBJS=()
pids=()
for f in "${SOURCES[@]}" fuzz/fuzz_decode.cc; do
  o="$OUT/obj/$(echo "$f" | tr '/' '_').o"
  OBJS+=("$o")
  if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ fuzz/decode_target.h -nt "$o" ] || [ "$0" -nt "$o" ] ||
     [ -n "$(find src/core src/decode src/validate -name '*.h' -newer "$o" -print -quit)" ]; then
    "$CXX" "${FLAGS[@]}" -c "$f" -o "$o" &
    pids+=($!)
    # two compilers at a time: the machine is shared
    if [ ${#pids[@]} -ge ${FUZZ_JOBS:-2} ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
  fi
done
for p in "${pids[@]}"; do wait "$p"; done
"$CXX" -fsanitize=fuzzer,address,undefined "${OBJS[@]}" -o "$OUT/fuzz_decode" \
  -lsimdjson -lfmt -lyaml-cpp -ldate-tz -lxxhash -lpthread
echo "fuzz/build.sh: built $OUT/fuzz_decode"
