#!/usr/bin/env bash
# Builds bench_edit in Release and runs it on the KJV demo corpus, split into 10 documents (so
# that a document can be removed), for each count-vote model with its weights kept and
# recomputed: preview, commit and undo of deleting one slot, removing a document and a
# count-threshold prune, with a 10k-token probe set; project save and reopen. Then, for each
# saved memory file given (e.g. a 100M-instance one made by `memlens-cli eval --model ib1
# --max-test 10000 --save X.mlm CORPUS`), bench_edit_memory: EditSession::open and one-vector,
# document (for a one-document memory: a hundredth of its instances) and prune edits on it with
# its test tokens as the probe set (MIN_COUNT, default 2, is the prune's threshold, from the
# environment; 0 skips the prune, which retrains a large memory for minutes).
# Usage: tests/bench/run_edit_bench.sh [BUILD_DIR] [MODELS] [MEMORY.mlm...]
#   (default: build-bench, "ib1 igtree tribl2", no memory files)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
models=${2:-ib1 igtree tribl2}
memories=("${@:3}")
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_edit bench_edit_memory
parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
split -n l/10 -d "$build/demo/kjv.txt" "$parts/kjv-part-"
for model in $models; do
  for weights in keep recompute; do
    "$build/tests/bench/bench_edit" "$model" "$weights" "$parts"/kjv-part-*
  done
done
for memory in "${memories[@]}"; do
  echo "== $memory"
  uptime
  /usr/bin/time -f "peak RSS %M KB, %e s" "$build/tests/bench/bench_edit_memory" "$memory" \
    "${MIN_COUNT:-2}"
done
