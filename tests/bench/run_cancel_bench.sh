#!/usr/bin/env bash
# Cancel latency at the scale of run_scale_bench.sh: the KJV COPIES times (default 110, ~100M
# instances), each copy's verses shuffled; bench_cancel cancels every long core job after each
# of DELAYS seconds and prints the time each took to return.
# Usage: tests/bench/run_cancel_bench.sh [BUILD_DIR] [COPIES]   DELAYS="1 5 20" JOBS=load,train (subset)
# Needs ~0.5 GB of disk in $TMPDIR and ~12 GB of memory; built in Release.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
copies=${2:-110}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_GUI=OFF \
      -DMEMLENS_BUILD_TESTS=OFF -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_cancel demo_corpus >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for i in $(seq 1 "$copies"); do
  shuf --random-source=<(yes "$i") "$build/demo/kjv.txt"
done > "$work/big.txt"
/usr/bin/time -f "peak RSS %M KB, %e s" "$build/tests/bench/bench_cancel" "$work/big.txt" ${DELAYS:-1 5 20}
