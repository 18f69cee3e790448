#!/usr/bin/env bash
# Sanitizer runs, kept out of the default build because they take long:
#   asan  build-asan (MEMLENS_SANITIZE=address: ASan + UBSan), the whole ctest suite
#   tsan  build-tsan (MEMLENS_SANITIZE=thread), the tests that drive the parallel engine paths
#         (batch prediction, training, evaluation, experiments, pruning, projects). With Debian's
#         libtbb (not built with TSan) it still reports races inside oneTBB's inlined scheduler
#         code that tsan.supp does not cover; a clean run needs oneTBB built with -fsanitize=thread.
#   tests/sanitize/run_sanitizers.sh [asan|tsan|all]   (default all)
set -euo pipefail
what=${1:-all}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
failed=0

# Any UBSan report fails its test; sanitizer reports go to the test's output.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/sanitize/tsan.supp

run() {  # name, sanitizer, extra cmake args, ctest selection...
  local name=$1 sanitizer=$2 cmake_args=$3
  shift 3
  local build=$root/build-$name
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DMEMLENS_SANITIZE="$sanitizer" $cmake_args > /dev/null
  cmake --build "$build" -j2
  local start=$(date +%s)
  if ctest --test-dir "$build" --output-on-failure -j2 "$@"; then
    echo "$name: all selected tests pass ($(($(date +%s) - start)) s)"
  else
    echo "$name: FAILURES ($(($(date +%s) - start)) s)"
    failed=1
  fi
}

if [[ $what == asan || $what == all ]]; then
  # packaging_deb installs release binaries into a throw-away root and fuzz_smoke builds its own
  # clang libFuzzer tree: nothing of this build runs in either.
  run asan address "-DMEMLENS_BUILD_GUI=ON" -E '^(packaging_deb|fuzz_smoke)$'
fi
if [[ $what == tsan || $what == all ]]; then
  run tsan thread "-DMEMLENS_BUILD_GUI=OFF" \
    -R 'classifier|evaluation|experiment|pruning|edited_memory|project|vector_memory'
fi
exit $failed
