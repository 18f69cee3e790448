#!/usr/bin/env bash
# Builds bench_gui_responsiveness in Release and runs it offscreen: the longest time the main
# window's GUI thread goes without turning its event loop while a corpus loads and a memory
# trains (the time it waited for a CPU taken out). The window should stay well under 100 ms.
# Usage: tests/bench/run_gui_bench.sh [BUILD_DIR] [CORPUS] [ALGORITHM]
#        (defaults: build-bench, the KJV demo corpus, igtree)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON -DMEMLENS_BUILD_GUI=ON >/dev/null
cmake --build "$build" --target bench_gui_responsiveness demo_corpus >/dev/null
"$build/tests/bench/bench_gui_responsiveness" "${2:-$build/demo/kjv.txt}" ${3:-}
