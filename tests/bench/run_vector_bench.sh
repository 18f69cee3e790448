#!/usr/bin/env bash
# Builds bench_vector_memory in Release and runs it on the KJV demo corpus: word-vector time,
# one read's latency, evaluating the whole test split (vector memory, one-hot, IB1, IGTree)
# and base vs base + memory perplexity.
# Usage: tests/bench/run_vector_bench.sh [BUILD_DIR]   (default: build-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_vector_memory
"$build/tests/bench/bench_vector_memory"
