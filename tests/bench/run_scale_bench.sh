#!/usr/bin/env bash
# A memory of ~100M instances on this machine: the KJV repeated COPIES times (default 100), each
# copy with its verses in another shuffled order, read in OLIFANT blocks (lines joined), so the
# copies give new contexts across verse boundaries as well as repeats. Prints, per algorithm,
# instances, stored vectors, train seconds and peak RSS (`memlens-cli train`), then the same for
# a split run with evaluation on 10k test tokens (`memlens-cli eval`).
# Usage: tests/bench/run_scale_bench.sh [BUILD_DIR] [COPIES]   ALGOS="igtree ib1" (subset)
# Needs ~1 GB of disk in $TMPDIR for the text; built in Release.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
copies=${2:-100}
algos=${ALGOS:-"igtree ib1 tribl2"}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_GUI=OFF \
      -DMEMLENS_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target memlens-cli demo_corpus >/dev/null
cli=$build/app/memlens-cli
corpus=$build/demo/kjv.txt

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
source "$root/tests/bench/scale_corpus.sh"
scale_corpus "$corpus" "$copies" "$work/big.txt"
echo "corpus: $copies shuffled copies of the KJV, $(du -m "$work/big.txt" | cut -f1) MB"

# measure NAME CMD... : runs CMD, keeps its output in $work/NAME.log, prints "seconds rss_MB"
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$work/$name.log" 2>&1 ||
    { cat "$work/$name.log" >&2; exit 1; }
  awk '{ printf "%s %d\n", $1, $2 / 1024 }' "$work/$name.time"
}

printf '%-8s %-6s %12s %10s %9s %8s %10s\n' algo job instances vectors wall_s rss_MB accuracy
for a in $algos; do
  read -r secs rss < <(measure "train-$a" "$cli" train --model "$a" --blocks olifant --json "$work/big.txt")
  json=$(cat "$work/train-$a.log")
  inst=$(sed -n 's/.*"instances":\([0-9]*\).*/\1/p' <<< "$json")
  vec=$(sed -n 's/.*"storedVectors":\([0-9]*\).*/\1/p' <<< "$json")
  printf '%-8s %-6s %12s %10s %9s %8s %10s\n' "$a" train "$inst" "$vec" "$secs" "$rss" -
  read -r secs rss < <(measure "eval-$a" "$cli" eval --model "$a" --blocks olifant --max-test 10000 \
                         --json "$work/big.txt")
  json=$(cat "$work/eval-$a.log")
  inst=$(sed -n 's/.*"trainInstances":\([0-9]*\).*/\1/p' <<< "$json")
  vec=$(sed -n 's/.*"storedVectors":\([0-9]*\).*/\1/p' <<< "$json")
  acc=$(sed -n 's/.*"accuracy":\([0-9.]*\).*/\1/p' <<< "$json" | head -n 1)
  printf '%-8s %-6s %12s %10s %9s %8s %10s\n' "$a" eval "$inst" "$vec" "$secs" "$rss" "$acc"
done
