#!/usr/bin/env bash
# The Python module against memlens-cli on the same work: the next token after 10,000 KJV
# contexts (a prefix of 1 to 8 words of every third line), by Memory.predict_batch and by
# `memlens-cli predict --stdin`, both pinned to one core (the CLI predicts one context at a
# time), the module also on every core. The CLI's share is predict minus train (both load and
# train the memory); to rise above the noise of training, both predict the 10,000 contexts
# REPEAT times (default 50) and the figures are per 10,000. Then Ctrl+C's cancel latency during
# an IB1 evaluation. Builds nothing: build the memlens_python and memlens-cli targets first.
# Usage: tests/bench/run_python_bench.sh BUILD_DIR [CORPUS] [MODEL] [REPEAT]
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [CORPUS] [MODEL]" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
corpus=${2:-$build/demo/kjv.txt}
model=${3:-ib1}
repeat=${4:-50}
cli=$build/app/memlens-cli
[ -x "$cli" ] && ls "$build"/python/memlens.*.so >/dev/null 2>&1 ||
  { echo "run_python_bench.sh: build the memlens-cli and memlens_python targets first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python=/usr/bin/python3
export PYTHONPATH=$build/python

"$python" - "$corpus" "$work/contexts.txt" "$repeat" <<'PY'
import sys
with open(sys.argv[1], encoding="utf-8") as f:
    lines = [l.split() for l in f]
contexts = [" ".join(w[: 1 + i % 8]) for i, w in enumerate(lines[::3]) if w][:10000]
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(contexts * int(sys.argv[3])) + "\n")
PY
echo "contexts: 10000 x $repeat from $corpus, model $model, width 4; seconds per 10,000"

cpu_seconds() {  # user + system CPU seconds of a command (steadier than wall time on a busy box)
  local TIMEFORMAT='%3U %3S' t
  t=$( { time "$@" >/dev/null; } 2>&1 )
  echo "${t% *} + ${t#* }" | bc -l
}
best=
for _ in 1 2 3; do
  train=$(cpu_seconds taskset -c 0 "$cli" train --model "$model" --width 4 "$corpus")
  predict=$(cpu_seconds taskset -c 0 "$cli" predict --model "$model" --width 4 --stdin "$corpus" \
            < "$work/contexts.txt")
  part=$(echo "$predict - $train" | bc -l)
  if [ -z "$best" ] || [ "$(echo "$part < $best" | bc -l)" = 1 ]; then best=$part; fi
done
printf 'memlens-cli predict, 1 core: %.3f s CPU (best of 3, predict minus train)\n' \
  "$(echo "$best / $repeat" | bc -l)"

run_module() {
  "$@" "$python" - "$corpus" "$work/contexts.txt" "$model" "$repeat" <<'PY'
import sys, time
import memlens
corpus = memlens.Corpus(sys.argv[1])
contexts = open(sys.argv[2], encoding="utf-8").read().splitlines()
per10k = 10000 / len(contexts)
# Nearly all lines train (the CLI's predict trains on all of them); a test part must exist.
memory = memlens.train(corpus, model=sys.argv[3], width=4, split=(0.99, 0.005), max_test=100)
best = best_cpu = float("inf")
for _ in range(3):
    start, start_cpu = time.perf_counter(), time.process_time()
    batch = memory.predict_batch(contexts)
    best = min(best, time.perf_counter() - start)
    best_cpu = min(best_cpu, time.process_time() - start_cpu)
start, start_cpu = time.perf_counter(), time.process_time()
for c in contexts[:10000]:
    memory.predict(c)
loop, loop_cpu = time.perf_counter() - start, time.process_time() - start_cpu
print(f"predict_batch {best_cpu * per10k:.3f} s CPU ({best * per10k:.3f} s wall, best of 3); "
      f"predict() one by one {loop_cpu:.3f} s CPU ({loop:.3f} s wall)")
PY
}
echo "memlens module, 1 core:     $(run_module taskset -c 0)"
echo "memlens module, all cores:  $(run_module env)"

"$python" - "$corpus" <<'PY'
import os, signal, sys, threading, time
import memlens
corpus = memlens.Corpus(sys.argv[1])
latencies = []
for delay in (0.5, 1.0, 2.0):
    sent = []
    def interrupt():
        sent.append(time.perf_counter())
        os.kill(os.getpid(), signal.SIGINT)
    timer = threading.Timer(delay, interrupt)
    timer.start()
    try:
        memlens.evaluate(corpus, model="ib1", width=4, k=3)
    except KeyboardInterrupt:
        latencies.append((time.perf_counter() - sent[0]) * 1000)
print("Ctrl+C during an IB1 evaluation: raised after " +
      ", ".join(f"{ms:.0f}" for ms in latencies) + " ms")
PY
