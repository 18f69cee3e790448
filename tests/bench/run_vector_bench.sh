#!/usr/bin/env bash
# Builds bench_vector_memory in Release and runs it on the KJV demo corpus: word-vector time,
# one read's latency, evaluating the whole test split (vector memory, one-hot, IB1, IGTree)
# and base vs base + memory perplexity. Then, in the real window under Xvfb, the seconds from
# Train to a memory ready to inspect and to the first live metrics, for each engine.
# Usage: tests/bench/run_vector_bench.sh [BUILD_DIR]   (default: build-bench)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_vector_memory memlens-screenshots
"$build/tests/bench/bench_vector_memory"

# Each engine afresh, with its own throw-away settings (the algorithm on the Train form).
config=$(mktemp -d)
trap 'rm -rf "$config"' EXIT
echo
echo "the app on $build/demo/kjv.txt (goals, vector memory: ready <= 5 s after Train, first live"
echo "metrics <= 3 s after the memory is ready)"
for algorithm in vector ib1 igtree; do
  rm -rf "$config/MemLens"
  mkdir -p "$config/MemLens"
  printf '[train]\nalgorithm=%s\n' "$algorithm" > "$config/MemLens/memlens.conf"
  printf '%-7s ' "$algorithm"
  XDG_CONFIG_HOME=$config xvfb-run -a -s "-screen 0 1400x900x24" \
    "$build/app/memlens-screenshots" "$build/demo/kjv.txt" --live 1 \
    --screenshot "$config/live-$algorithm.png" 2> >(grep -v XDG_RUNTIME_DIR >&2)
done
