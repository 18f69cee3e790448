#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan) in build-fuzz (or $FUZZ_BUILD_DIR) and runs
# each for SECONDS (default 60). New inputs go to <build>/fuzz-work/<target>/corpus and are used
# again by the next run; crashing inputs to .../crashes. Exits non-zero if any target found a
# crash. CTest runs it briefly as fuzz_smoke.
#   tests/fuzz/run_fuzzers.sh [SECONDS]
set -euo pipefail
seconds=${1:-60}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}
targets=(fuzz_columns_file fuzz_corpus fuzz_bpe_loader fuzz_project fuzz_memory_file fuzz_ibase
         fuzz_trace_json)

CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DMEMLENS_BUILD_FUZZ=ON -DMEMLENS_BUILD_TESTS=OFF -DMEMLENS_BUILD_GUI=OFF > /dev/null
cmake --build "$build" -j2 --target "${targets[@]}"

found=0
printf '%-18s %8s %12s %8s\n' target seconds executions crashes
for t in "${targets[@]}"; do
  work=$build/fuzz-work/$t
  mkdir -p "$work/corpus" "$work/crashes"
  before=$(find "$work/crashes" -type f | wc -l)
  start=$(date +%s)
  # The targets write each input to a file under TMPDIR; keep those inside the work folder.
  scratch=$(mktemp -d "$work/tmp.XXXXXX")
  TMPDIR=$scratch "$build/tests/fuzz/$t" "$work/corpus" "$root/tests/fuzz/corpus/$t" \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$work/crashes/" > "$work/log" 2>&1 || true
  rm -rf "$scratch"
  elapsed=$(($(date +%s) - start))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  crashes=$(($(find "$work/crashes" -type f | wc -l) - before))
  printf '%-18s %8s %12s %8s\n' "$t" "$elapsed" "${execs:-?}" "$crashes"
  if ((crashes > 0)); then
    found=1
    echo "  see $work/log and $work/crashes/" >&2
  fi
done
exit $found
