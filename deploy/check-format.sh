#!/usr/bin/env bash
# Fails when a C++ file of ours is not clang-formatted (.clang-format at the top).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
git ls-files '*.cpp' '*.h' | xargs clang-format --dry-run -Werror
echo "format: ok"
