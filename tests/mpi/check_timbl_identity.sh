#!/usr/bin/env bash
# memlens-cli-mpi timbl under `mpirun -np 2` and `-np 3` must write byte for byte what
# memlens-cli timbl writes in one process (output lines with +v db+di+md, and the accuracy), on
# KJV-derived instances, for IB1 (k = 1, 3, 5; every distance weighting; feature weightings
# 0, 1, 3), IGTree and TRIBL2, at width 4 (match-pattern search) and 8 (inverted lists), and
# on a training file with fewer lines than ranks.
# Usage: check_timbl_identity.sh MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
cli=$1 cli_mpi=$2 mpiexec=$3 kjv=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

head -n 400 "$kjv" >"$work/train.txt"
sed -n '401,460p' "$kjv" >"$work/test.txt"
for width in 4 8; do
  "$cli" instances --width $width -o "$work/train$width.inst" "$work/train.txt" >/dev/null
  "$cli" instances --width $width -o "$work/test$width.inst" "$work/test.txt" >/dev/null
done

# Fewer training lines than ranks: some blocks and shards are empty.
printf 'In the beginning\nthe beginning God\n' >"$work/train-tiny.inst"
printf 'In the God\nthe beginning God\nearth was void\n' >"$work/test-tiny.inst"

failures=0
check() {  # width (or -tiny), timbl options...
  local width=$1
  shift
  local files=(-f "$work/train$width.inst" -t "$work/test$width.inst" +vdb+di+md "$@")
  "$cli" timbl "${files[@]}" -o "$work/one.out" 2>"$work/one.err"
  for ranks in 2 3; do
    local code=0
    "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" timbl "${files[@]}" \
      -o "$work/sharded.out" 2>"$work/sharded.err" || code=$?
    if [ "$code" -ne 0 ]; then
      echo "FAIL width $width $* on $ranks ranks: exit code $code"
      cat "$work/sharded.err"
      failures=$((failures + 1))
    elif ! cmp -s "$work/one.out" "$work/sharded.out" ||
      ! cmp -s <(grep '^accuracy' "$work/one.err") <(grep '^accuracy' "$work/sharded.err"); then
      echo "FAIL width $width $* on $ranks ranks: output differs from one process"
      diff "$work/one.out" "$work/sharded.out" | head -n 6
      failures=$((failures + 1))
    else
      echo "ok   width $width $* on $ranks ranks ($(wc -l <"$work/one.out") lines)"
    fi
  done
}

for k in 1 3; do
  for d in Z IL ID ED:1:1; do check 4 -a0 -k$k -d$d; done
done
check 4 -a0 -k5 -dED:0.5:2
for w in 0 3; do check 4 -a0 -k3 -w$w; done
check 8 -a0 -k1
check 8 -a0 -k3 -dIL
for w in 1 3; do check 4 -a1 -w$w; done
check 8 -a1
check 4 -a4 -k1
check 4 -a4 -k3 -dIL
check 8 -a4 -k2 -dID -w3
for a in -a0 -a1 -a4; do check -tiny $a; done

[ "$failures" -eq 0 ] || {
  echo "$failures sharded runs differ from one process"
  exit 1
}
