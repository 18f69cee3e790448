#!/usr/bin/env bash
# The vector memory sharded: memlens-cli-mpi eval --json and predict under `mpirun -np 2` and
# `-np 3` must print what memlens-cli prints in one process, byte for byte (eval: but for the
# fields that time the run), with one-hot words (--dims 0) and 64-d word vectors (--dims 64).
# On the whole KJV the search's candidate words are cut by the slot counts of every rank (words
# as frequent as "the" hold more slots than a read takes candidates from), so a rank that chose
# them from its own counts, or broke ties by its own slot ids, would differ.
# Usage: check_vector_identity.sh MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
cli=$1 cli_mpi=$2 mpiexec=$3 kjv=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

head -n 800 "$kjv" >"$work/small.txt"
# The first five words of later verses as contexts, and ones of unknown words, an empty one.
sed -n '901,1100p' "$kjv" | cut -d' ' -f1-5 >"$work/contexts.txt"
printf 'zzqq unknownword\n\nthe\n' >>"$work/contexts.txt"

failures=0
compare() {  # what ranks: compares $work/one.out with $work/sharded.out
  if ! cmp -s "$work/one.out" "$work/sharded.out"; then
    echo "FAIL $1 on $2 ranks: the output differs from one process's"
    diff <(tr ',' '\n' <"$work/one.out") <(tr ',' '\n' <"$work/sharded.out") | head -n 12 || true
    failures=$((failures + 1))
  else
    echo "ok   $1 on $2 ranks ($(wc -c <"$work/one.out") bytes)"
  fi
}
failed() {  # what ranks code
  echo "FAIL $1 on $2 ranks: exit code $3"
  cat "$work/sharded.err"
  failures=$((failures + 1))
}

check_eval() {  # corpus, eval options...
  local corpus=$1
  shift
  "$cli" eval --json --model vector "$@" "$corpus" 2>"$work/one.err" | mask_run_times >"$work/one.out"
  for ranks in 2 3; do
    local code=0
    "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" eval --json --model vector "$@" \
      "$corpus" 2>"$work/sharded.err" >"$work/sharded.raw" || code=$?
    mask_run_times <"$work/sharded.raw" >"$work/sharded.out"
    if [ "$code" -ne 0 ]; then failed "eval $*" $ranks $code; else compare "eval $*" $ranks; fi
  done
}

check_predict() {  # corpus, predict options...
  local corpus=$1
  shift
  "$cli" predict --stdin --top 20 --model vector "$@" "$corpus" <"$work/contexts.txt" \
    >"$work/one.out"
  for ranks in 2 3; do
    local code=0
    "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" predict --stdin --top 20 --model vector \
      "$@" "$corpus" <"$work/contexts.txt" >"$work/sharded.out" 2>"$work/sharded.err" ||
      code=$?
    if [ "$code" -ne 0 ]; then failed "predict $*" $ranks $code; else compare "predict $*" $ranks; fi
  done
}

check_predict "$work/small.txt" --dims 0
check_predict "$work/small.txt" --dims 64
check_predict "$kjv" --dims 64
check_eval "$work/small.txt" --dims 0
check_eval "$work/small.txt" --dims 64 --blocks olifant
check_eval "$kjv" --dims 64 --max-test 3000

[ "$failures" -eq 0 ] || {
  echo "$failures sharded vector memory runs differ from one process"
  exit 1
}
