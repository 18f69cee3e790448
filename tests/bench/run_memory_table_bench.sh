#!/usr/bin/env bash
# Builds bench_memory_table in Release and runs it: the Memory tab's table over a memory of about
# 1.2M stored vectors (snapshot, show, repaint after random jumps, sort, filter), offscreen.
# Usage: tests/bench/run_memory_table_bench.sh [BUILD_DIR] [TOKENS]   (default: build-bench, 1500000)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON -DMEMLENS_BUILD_GUI=ON >/dev/null
cmake --build "$build" --target bench_memory_table
/usr/bin/time -f "peak RSS %M KB" "$build/tests/bench/bench_memory_table" "${2:-1500000}"
