#!/usr/bin/env bash
# Runs bench_explain (IB1 trace latency, evaluation of 10k test tokens with IGTree / TRIBL2 / IB1,
# IGTree learning curve) on the KJV demo corpus. Builds nothing: configure BUILD_DIR in Release
# with -DMEMLENS_BUILD_BENCH=ON and build the bench_explain target first.
# Usage: tests/bench/run_explain_bench.sh BUILD_DIR [CORPUS]
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 BUILD_DIR [CORPUS]" >&2
  exit 2
fi
build=$1
bench=$build/tests/bench/bench_explain
if [ ! -x "$bench" ]; then
  echo "run_explain_bench.sh: $bench missing; build the bench_explain target (-DMEMLENS_BUILD_BENCH=ON)" >&2
  exit 1
fi
if ! grep -q '^CMAKE_BUILD_TYPE:STRING=Release$' "$build/CMakeCache.txt" 2>/dev/null; then
  echo "run_explain_bench.sh: warning: $build is not a Release build; figures will be slow" >&2
fi
"$bench" "${@:2}"
