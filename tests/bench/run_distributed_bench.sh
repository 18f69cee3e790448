#!/usr/bin/env bash
# Sharded memories on 1, 2 and 4 MPI ranks (memlens-cli-mpi timbl) against one process
# (memlens-cli timbl) on the same instances: per-rank peak RSS (the largest, the sum, and each
# rank's), train seconds (reading, the reduction of the statistics, the exchange and the build,
# as rank 0 sees them), test throughput, and the bytes rank 0 sends and receives per query.
# Checks every sharded output against the one process's.
# Training data: the KJV repeated COPIES times (default 10; tests/bench/scale_corpus.sh, OLIFANT
# blocks, width 4); queries: QUERIES instances (default 20,000) of the KJV's first lines.
# MODE=eval: memlens-cli-mpi eval against memlens-cli eval on the same text (the KJV repeated
# COPIES times, line blocks, the default split): per-rank peak RSS, the record's train and
# evaluate seconds, the whole run's wall seconds, and whether the records (timing masked) match.
# CORPUS=FILE (MODE=eval): FILE instead of the repeated KJV (e.g. /tmp/big100/big.txt, 100
# copies: 73 M train instances with --blocks olifant); REFERENCE=JSON: one process's record of
# the same options (memlens-cli eval --json), instead of running it; LOCK=FILE: every run
# under `flock FILE` (runs of many GB, one at a time on a shared machine).
# Usage: tests/bench/run_distributed_bench.sh [BUILD_DIR] [COPIES]
#        ALGOS="-a1 -a0:-k1 -a0:-k3 -a4" RANKS="1 2 4" (subsets; options joined by ':');
#        with MODE=eval, ALGOS are eval options (default "--model:igtree --model:ib1:-k:1
#        --model:tribl2")
# BUILD_DIR (default build-bench-mpi) is configured in Release with MEMLENS_WITH_MPI=ON unless it
# already exists.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-bench-mpi}
copies=${2:-10}
queries=${QUERIES:-20000}
mode=${MODE:-timbl}
default_algos="-a1 -a0:-k1 -a0:-k3 -a4"
[ "$mode" = eval ] && default_algos="--model:igtree --model:ib1:-k:1 --model:tribl2"
algos=${ALGOS:-$default_algos}
ranks_list=${RANKS:-"1 2 4"}

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMEMLENS_BUILD_GUI=OFF \
    -DMEMLENS_BUILD_TESTS=OFF -DMEMLENS_WITH_MPI=ON >/dev/null
fi
cmake --build "$build" --target memlens-cli memlens-cli-mpi demo_corpus >/dev/null
cli=$build/app/memlens-cli
cli_mpi=$build/app/memlens-cli-mpi
corpus=$build/demo/kjv.txt
mpiexec=$(command -v mpirun)
# shellcheck source=tests/mpi/mpi_flags.sh
source "$root/tests/mpi/mpi_flags.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
locked=()
[ -n "${LOCK:-}" ] && locked=(flock "$LOCK")
big=$work/big.txt
if [ -n "${CORPUS:-}" ]; then
  big=$CORPUS
else
  source "$root/tests/bench/scale_corpus.sh"
  scale_corpus "$corpus" "$copies" "$big"
fi

# run_ranks RANKS COMMAND...: COMMAND under mpirun, each rank under /usr/bin/time (its peak RSS in
# rank.N); sets rss_max and rss_sum (kB) and rss_by_rank (MB, rank 0 first).
run_ranks() {
  local ranks=$1
  shift
  rm -f "$work"/rank.*
  "${locked[@]}" "$mpiexec" "${mpi_flags[@]}" -np "$ranks" sh -c \
    '/usr/bin/time -f "%M" -o "$0/rank.${OMPI_COMM_WORLD_RANK:-${PMI_RANK:-0}}" "$@"' \
    "$work" "$@"
  rss_max=$(cat "$work"/rank.* | sort -n | tail -n 1)
  rss_sum=$(cat "$work"/rank.* | awk '{ s += $1 } END { print s }')
  rss_by_rank=$(for ((r = 0; r < ranks; ++r)); do echo $(($(cat "$work/rank.$r") / 1024)); done |
    paste -sd/)
}

if [ "$mode" = eval ]; then
  echo "corpus: $big ($(du -m "$big" | cut -f1) MB)"
  # A REFERENCE record may name the corpus by another path (the same file, checked by its
  # SHA-256 in the record).
  path='"path":"[^"]*"'
  [ -z "${REFERENCE:-}" ] && path='^$'
  mask() { mask_run_times | sed -e "s/$path/\"path\":\"-\"/g"; }
  elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { print b - a }'; }
  seconds() { sed -E 's/.*"seconds":\{"train":([0-9.e+-]*),"evaluate":([0-9.e+-]*)\}.*/\1 \2/' "$1"; }
  printf '%-22s %5s %8s %8s %8s %12s %12s %8s  %s\n' options ranks train_s eval_s wall_s \
    rss_max_MB rss_sum_MB same rss_by_rank_MB
  for spec in $algos; do
    read -r -a opts <<<"${spec//:/ }"
    if [ -n "${REFERENCE:-}" ]; then
      cp "$REFERENCE" "$work/one.json"
    else
      start=$(date +%s.%N)
      "${locked[@]}" /usr/bin/time -f "%M" -o "$work/one.rss" "$cli" eval --json "${opts[@]}" \
        "$big" >"$work/one.json" 2>/dev/null
      wall=$(elapsed "$start")
      read -r train evaluate <<<"$(seconds "$work/one.json")"
      printf '%-22s %5s %8.2f %8.2f %8.2f %12d %12s %8s\n' "${spec//:/ }" one "$train" \
        "$evaluate" "$wall" $(($(cat "$work/one.rss") / 1024)) - -
    fi
    for ranks in $ranks_list; do
      start=$(date +%s.%N)
      run_ranks "$ranks" "$cli_mpi" eval --json "${opts[@]}" "$big" \
        >"$work/sharded.json" 2>/dev/null
      wall=$(elapsed "$start")
      read -r train evaluate <<<"$(seconds "$work/sharded.json")"
      same=no
      cmp -s <(mask <"$work/one.json") <(mask <"$work/sharded.json") && same=yes
      printf '%-22s %5s %8.2f %8.2f %8.2f %12d %12d %8s  %s\n' "${spec//:/ }" "$ranks" "$train" \
        "$evaluate" "$wall" $((rss_max / 1024)) $((rss_sum / 1024)) "$same" "$rss_by_rank"
    done
  done
  exit 0
fi

"$cli" instances --blocks olifant -o "$work/train.inst" "$big" >/dev/null
head -n 2000 "$corpus" >"$work/test.txt"
"$cli" instances -o "$work/all-test.inst" "$work/test.txt" >/dev/null
head -n "$queries" "$work/all-test.inst" >"$work/test.inst"
rm -f "$work/big.txt" "$work/all-test.inst"
echo "train: $copies shuffled copies of the KJV, $(wc -l <"$work/train.inst") instances" \
  "($(du -m "$work/train.inst" | cut -f1) MB); queries: $(wc -l <"$work/test.inst")"

value() { sed -n "s/^$1: //p" "$2"; }

printf '%-10s %5s %8s %10s %10s %12s %12s %8s  %s\n' algo ranks train_s test_q/s \
  bytes/q rss_max_MB rss_sum_MB same rss_by_rank_MB
for spec in $algos; do
  read -r -a opts <<<"${spec//:/ }"
  files=(-f "$work/train.inst" -t "$work/test.inst" -o)
  "${locked[@]}" /usr/bin/time -f "%M" -o "$work/one.rss" "$cli" timbl "${files[@]}" \
    "$work/one.out" --timing "${opts[@]}" 2>"$work/one.err"
  printf '%-10s %5s %8s %10s %10s %12d %12s %8s\n' "${spec//:/ }" one \
    "$(value train_seconds "$work/one.err")" "$(value test_tokens_per_second "$work/one.err")" \
    - $(($(cat "$work/one.rss") / 1024)) - -
  for ranks in $ranks_list; do
    if ! run_ranks "$ranks" "$cli_mpi" timbl "${files[@]}" "$work/sharded.out" --timing \
      "${opts[@]}" 2>"$work/sharded.err"; then
      printf '%-10s %5s failed: %s\n' "${spec//:/ }" "$ranks" \
        "$(grep -m 1 memlens-cli-mpi "$work/sharded.err" || tail -n 1 "$work/sharded.err")"
      continue
    fi
    same=no
    cmp -s "$work/one.out" "$work/sharded.out" && same=yes
    printf '%-10s %5s %8s %10s %10s %12d %12d %8s  %s\n' "${spec//:/ }" "$ranks" \
      "$(value train_seconds "$work/sharded.err")" \
      "$(value test_tokens_per_second "$work/sharded.err")" \
      "$(value rank0_bytes_per_query "$work/sharded.err")" $((rss_max / 1024)) \
      $((rss_sum / 1024)) "$same" "$rss_by_rank"
  done
done
