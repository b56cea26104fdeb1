#!/usr/bin/env bash
# Configures and builds Tutortime into BUILD_DIR (default build/); binaries land in BUILD_DIR/bin.
# Extra arguments go to CMake, e.g. deploy/build.sh -DTUTORTIME_SANITIZE=ON.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$top/build}
cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=${BUILD_TYPE:-RelWithDebInfo} "$@" >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
