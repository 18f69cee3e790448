#!/usr/bin/env bash
# Builds bench_edit in Release and runs it on the KJV demo corpus for each count-vote model:
# preview + commit of deleting one slot with a 10k-token probe set, project save and reopen.
# Usage: tests/bench/run_edit_bench.sh [BUILD_DIR]   (default: build-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_edit
for model in igtree ib1; do
  "$build/tests/bench/bench_edit" "$model"
done
