#!/usr/bin/env bash
# Builds bench_app_100m in Release and runs it offscreen on a saved memory file: the real main
# window opens it and the bench times Inspect, the Memory tab (snapshot, scroll, sort, filter),
# a one-vector delete preview, commit, undo, redo and a dragged count threshold (issue 19's GUI
# goals). Make the file with `memlens-cli eval --model ib1 --max-test 10000 --save X.mlm CORPUS`
# (tests/bench/scale_corpus.sh makes a 100M-instance corpus).
# Usage: tests/bench/run_app_bench.sh MEMORY.mlm [BUILD_DIR] [TRACES]   (defaults: build-bench, 100)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
memory=${1:?usage: run_app_bench.sh MEMORY.mlm [BUILD_DIR] [TRACES]}
build=${2:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON -DMEMLENS_BUILD_GUI=ON >/dev/null
cmake --build "$build" --target bench_app_100m >/dev/null
uptime
/usr/bin/time -f "peak RSS %M KB, %e s" "$build/tests/bench/bench_app_100m" "$memory" ${3:-}
