#!/usr/bin/env bash
# Builds bench_edit in Release and runs it on the KJV demo corpus, split into 10 documents (so
# that a document can be removed), for each count-vote model with its weights kept and
# recomputed: preview, commit and undo of deleting one slot, removing a document and a
# count-threshold prune, with a 10k-token probe set; project save and reopen.
# Usage: tests/bench/run_edit_bench.sh [BUILD_DIR] [MODELS]   (default: build-bench, "ib1 igtree tribl2")
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
models=${2:-ib1 igtree tribl2}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target bench_edit
parts=$(mktemp -d)
trap 'rm -rf "$parts"' EXIT
split -n l/10 -d "$build/demo/kjv.txt" "$parts/kjv-part-"
for model in $models; do
  for weights in keep recompute; do
    "$build/tests/bench/bench_edit" "$model" "$weights" "$parts"/kjv-part-*
  done
done
