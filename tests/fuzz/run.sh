#!/usr/bin/env bash
# Builds the fuzz targets with clang's libFuzzer (+ ASan, UBSan) and runs each for SECONDS
# (default 60), starting from the sample surveys. Not part of the test suite: a fuzz run is a
# search, and its length is a budget. Needs clang (Debian: clang, libclang-rt-14-dev).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-60}
out=${FUZZ_DIR:-$top/build-fuzz}
mkdir -p "$out/corpus"
cp "$top"/assets/surveys/*.json "$out/corpus/"
sources=("$top"/shared/common/{bytes,error,files,command_line}.cpp "$top"/shared/crypto/*.cpp "$top"/shared/survey/*.cpp)
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$top" \
  "$top/tests/fuzz/survey_loader_fuzz.cpp" "${sources[@]}" -lcrypto -o "$out/survey_loader_fuzz"
"$out/survey_loader_fuzz" -max_total_time="$seconds" -max_len=65536 -timeout=5 -print_final_stats=1 "$out/corpus"
