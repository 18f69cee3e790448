#!/usr/bin/env bash
# memlens-cli-mpi reads only each rank's share of the training file's bytes: the blocks must
# still be the file's instances with one process's token ids and line numbers. Checks, under
# `mpirun -np 2` and `-np 3`, that a file with blank lines (where the byte ranges may start or
# end), tabs and no final newline gives memlens-cli timbl's output, and that a malformed line in
# a later rank's share is reported with its kind and its line number in the whole file, as
# memlens-cli does.
# Usage: check_block_read.sh MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
cli=$1 cli_mpi=$2 mpiexec=$3 kjv=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

head -n 120 "$kjv" >"$work/train.txt"
sed -n '121,150p' "$kjv" >"$work/test.txt"
"$cli" instances --width 4 -o "$work/plain.inst" "$work/train.txt" >/dev/null
"$cli" instances --width 4 -o "$work/test.inst" "$work/test.txt" >/dev/null
# Blank lines first and every 7th line, a tab for every 5th line's first space, no final newline.
{
  printf '\n\n   \n'
  awk 'NR % 7 == 0 { print "" } NR % 5 == 0 { sub(/ /, "\t") } { print }' "$work/plain.inst"
} | head -c -1 >"$work/train.inst"
lines=$(wc -l <"$work/train.inst")
# A line with one field too many, 10 lines before the end: in the last rank's share.
awk -v bad=$((lines - 10)) 'NR == bad { $0 = $0 " extra" } { print }' "$work/train.inst" \
  >"$work/bad.inst"

failures=0
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}

for algo in "-a0 -k3 -dIL" "-a1" "-a4 -k1"; do
  # shellcheck disable=SC2086
  "$cli" timbl -f "$work/train.inst" -t "$work/test.inst" +vdb+di $algo -o "$work/one.out" \
    2>/dev/null
  for ranks in 2 3; do
    # shellcheck disable=SC2086
    if ! "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" timbl -f "$work/train.inst" \
      -t "$work/test.inst" +vdb+di $algo -o "$work/sharded.out" 2>"$work/sharded.err"; then
      fail "$algo on $ranks ranks: exit code non-zero"
      cat "$work/sharded.err"
    elif ! cmp -s "$work/one.out" "$work/sharded.out"; then
      fail "$algo on $ranks ranks: output differs from one process"
      diff "$work/one.out" "$work/sharded.out" | head -n 6
    else
      echo "ok   $algo on $ranks ranks ($(wc -l <"$work/one.out") lines)"
    fi
  done
done

# The error's kind and message ("bad data: …/bad.inst line 9: …"), without the rank that found it.
where() {
  grep -o '[A-Za-z/ ]*: \(rank [0-9]*: \)\?[^ ]*bad.inst line .*' "$1" | sed 's/rank [0-9]*: //' |
    head -n 1 || true
}
"$cli" timbl -f "$work/bad.inst" -t "$work/test.inst" -o "$work/one.out" 2>"$work/one.err" &&
  fail "memlens-cli accepted bad.inst"
expected=$(where "$work/one.err")
for ranks in 2 3; do
  "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" timbl -f "$work/bad.inst" \
    -t "$work/test.inst" -o "$work/sharded.out" 2>"$work/sharded.err" &&
    fail "memlens-cli-mpi accepted bad.inst on $ranks ranks"
  got=$(where "$work/sharded.err")
  if [ -z "$expected" ] || [ "$got" != "$expected" ]; then
    fail "error on $ranks ranks: '$got', one process: '$expected'"
  else
    echo "ok   error on $ranks ranks: $got"
  fi
done

[ "$failures" -eq 0 ] || {
  echo "$failures checks failed"
  exit 1
}
