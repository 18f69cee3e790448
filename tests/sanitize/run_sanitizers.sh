#!/usr/bin/env bash
# Sanitizer runs, kept out of the default build because they take long:
#   asan  build-asan (MEMLENS_SANITIZE=address: ASan + UBSan), the whole ctest suite
#   tsan  build-tsan (MEMLENS_SANITIZE=thread), the tests that drive the parallel engine paths
#         (batch prediction, training, evaluation, experiments, pruning, projects, vector memory),
#         against Debian's libtbb and Qt, neither built with TSan. core states the fork and join
#         of its oneTBB loops itself (core/src/base/fork_join_edges.h); tsan.supp lists what is left,
#         TBB's and Qt's own state, and why each entry is one.
#         core_tst_cli_project is left out: QProcess (Qt 6.4) starts memlens-cli with
#         clone(CLONE_VM|CLONE_VFORK), and GCC 12's TSan runs its fork-child hook for that clone
#         in the parent's own memory, so the test process itself is marked "after multi-threaded
#         fork" and dies at its next thread start. die_after_fork=0 lets it run on, but in the
#         state TSan keeps for a child about to exec, so a pass would prove nothing. tst_project
#         and tst_project_store cover the same project paths in-process.
#   tests/sanitize/run_sanitizers.sh [asan|tsan|all]   (default all)
set -euo pipefail
what=${1:-all}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
failed=0

# Any UBSan report fails its test; sanitizer reports go to the test's output.
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
# history_size=7 (the most): tsan.supp can only match a report whose both stacks TSan restores,
# and with the default history the worker's side of a late TBB access (fold_tree) is often lost.
export TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:history_size=7:suppressions=$root/tests/sanitize/tsan.supp

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
  # Under TSan a slow test function (tst_vector_experiment's learning curve) outruns QtTest's
  # 300 s per-function watchdog; ctest's 900 s per test still bounds the run.
  export QTEST_FUNCTION_TIMEOUT=900000
  run tsan thread "-DMEMLENS_BUILD_GUI=OFF" \
    -R 'classifier|evaluation|experiment|pruning|edited_memory|project|vector_memory' \
    -E '^core_tst_cli_project$'
fi
exit $failed
