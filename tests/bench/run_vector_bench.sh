#!/usr/bin/env bash
# Builds bench_vector_memory in Release and runs it on the KJV demo corpus: word-vector time,
# one read's latency, evaluating the whole test split (vector memory, one-hot, IB1, IGTree)
# and base vs base + memory perplexity. Then the CLI's eval wall time per engine (the goal's
# ratio). Then, in the real window under Xvfb, the seconds from
# Train to a memory ready to inspect and to the first live metrics, for each engine.
# With COPIES, then the read latency and peak RSS over a memory of COPIES shuffled copies of the
# KJV in OLIFANT blocks (tests/bench/scale_corpus.sh; 12 copies give over 10M instances).
# Usage: tests/bench/run_vector_bench.sh [BUILD_DIR] [COPIES]   (default: build-bench, no copies)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
copies=${2:-0}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_vector_memory memlens-screenshots memlens-cli
"$build/tests/bench/bench_vector_memory"

# The goal's own measure: the CLI's eval (load, train, tune, evaluate) against IB1's, wall time,
# the engines in turn for three rounds, so that a busy spell of the machine falls on both.
echo
echo "memlens-cli eval --json $build/demo/kjv.txt, wall s (goal: vector <= 3x IB1)"
wall() {
  /usr/bin/time -f %e "$build/app/memlens-cli" eval --model "$1" --json "$build/demo/kjv.txt" \
    2>&1 >/dev/null | tail -n 1
}
for round in 1 2 3; do
  vector=$(wall vector) ib1=$(wall ib1) igtree=$(wall igtree)
  echo "round $round: vector $vector, IB1 $ib1, IGTree $igtree; vector / IB1 = $(
    awk -v v="$vector" -v i="$ib1" 'BEGIN { printf "%.2fx", v / i }')"
done

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

if [ "$copies" -gt 0 ]; then
  echo
  source "$root/tests/bench/scale_corpus.sh"
  scale_corpus "$build/demo/kjv.txt" "$copies" "$config/big.txt"
  echo "$copies shuffled copies of the KJV in OLIFANT blocks (goal: read p99 <= 5 ms)"
  /usr/bin/time -f "peak RSS %M kB, %e s" \
    "$build/tests/bench/bench_vector_memory" "$config/big.txt" --scale
fi
