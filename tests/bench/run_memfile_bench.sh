#!/usr/bin/env bash
# Memory files at scale, on the corpus of run_scale_bench.sh (the KJV shuffled COPIES times,
# OLIFANT blocks; ~100M instances at the default 100): the seconds `eval --save` spends saving
# and the file's size; `explain --memory` as a user runs it (wall seconds and peak RSS of the
# whole process); and bench_memory_file's timer inside (open, open to the first traced answer,
# 1,000 traces of test contexts, RSS after them). Each is measured warm (the file just written, or
# with MEMORY after one explain, in the page cache) and, run as root, cold too (after sync and dropping the page cache: opening
# then reads from disk what it touches); as another user it says "warm only".
# Usage: tests/bench/run_memfile_bench.sh [BUILD_DIR] [COPIES]   ALGO=igtree (ib1, tribl2)
#        MEMORY=FILE: bench that memory file (saved from such a corpus) instead of making one.
# Needs ~1 GB of disk in $TMPDIR for the text plus the memory file; built in Release.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench}
copies=${2:-100}
algo=${ALGO:-igtree}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_GUI=OFF \
      -DMEMLENS_BUILD_TESTS=OFF -DMEMLENS_BUILD_BENCH=ON >/dev/null
cmake --build "$build" -j2 --target memlens-cli demo_corpus bench_memory_file >/dev/null
cli=$build/app/memlens-cli

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# measure NAME CMD... : runs CMD, keeps stdout in $work/NAME.log and stderr in $work/NAME.err,
# prints "seconds rss_MB"
measure() {
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" "$@" > "$work/$name.log" 2> "$work/$name.err" ||
    { cat "$work/$name.err" >&2; exit 1; }
  awk '{ printf "%s %d\n", $1, $2 / 1024 }' "$work/$name.time"
}

memory=${MEMORY:-}
if [ -z "$memory" ]; then
  source "$root/tests/bench/scale_corpus.sh"
  scale_corpus "$build/demo/kjv.txt" "$copies" "$work/big.txt"
  echo "corpus: $copies shuffled copies of the KJV, $(du -m "$work/big.txt" | cut -f1) MB; model $algo"
  memory=$work/memory.mlm
  read -r secs rss < <(measure save "$cli" eval --model "$algo" --blocks olifant --max-test 10000 \
                         --save "$memory" --json "$work/big.txt")
  inst=$(sed -n 's/.*"trainInstances":\([0-9]*\).*/\1/p' "$work/save.log")
  saved=$(sed -n 's/^saved the memory to .* in \([0-9.]*\) s$/\1/p' "$work/save.err")
  printf '%-26s %10s\n' train_instances "$inst"
  printf '%-26s %10s  (eval --save: %s s wall, %s MB peak RSS)\n' save_s "$saved" "$secs" "$rss"
else
  echo "memory file: $memory"
  # Warm: what explaining reads is in the page cache, as after a first run.
  "$cli" explain --memory "$memory" --context "And God said unto Moses" --json > /dev/null
fi
printf '%-26s %10s\n' file_MB "$(du -m "$memory" | cut -f1)"

# Drops the page cache (root only): the next run reads the memory file, the corpus and the
# programs from disk.
drop_caches() { sync && echo 3 > /proc/sys/vm/drop_caches; }
if [ "$(id -u)" -eq 0 ]; then temperatures="warm cold"; else temperatures=warm; fi
for t in $temperatures; do
  [ "$t" = cold ] && drop_caches
  read -r secs rss < <(measure "explain-$t" "$cli" explain --memory "$memory" \
                         --context "And God said unto Moses" --json)
  printf '%-26s %10s\n' "cli_explain_wall_s_$t" "$secs"
  printf '%-26s %10s\n' "cli_explain_peak_rss_MB_$t" "$rss"
  [ "$t" = cold ] && drop_caches
  echo "bench_memory_file ($t):"
  "$build/tests/bench/bench_memory_file" "$memory" 1000
done
[ "$(id -u)" -eq 0 ] || echo "warm only: cold figures need root (to drop the page cache)"
