#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds Tutortime and runs the whole test suite (CTest).
#   tests/run.sh              the normal build, in build/
#   tests/run.sh --sanitize   the same tests built with ASan + UBSan, in build-asan/
# Benchmarks are not tests: run them with tests/bench/run.sh.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/deploy/setup-debian.sh"
if [ "${1:-}" = "--sanitize" ]; then
  build_dir=$top/build-asan
  BUILD_DIR=$build_dir BUILD_TYPE=Debug "$top/deploy/build.sh" -DTUTORTIME_SANITIZE=ON -DTUTORTIME_WERROR=ON
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
else
  build_dir=$top/build
  BUILD_DIR=$build_dir "$top/deploy/build.sh" -DTUTORTIME_WERROR=ON
fi
ctest --test-dir "$build_dir" --output-on-failure -j"$(nproc)"
