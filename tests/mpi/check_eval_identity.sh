#!/usr/bin/env bash
# memlens-cli-mpi eval under `mpirun -np 2` and `-np 3` must print the run record memlens-cli eval
# prints in one process (--json), byte for byte but for the fields that time the run (created,
# seconds, latencyMeanMicros, latencyP99Micros), for IB1 (k = 1, 3; a distance weighting),
# IGTree and TRIBL2, on a two-file KJV corpus cut so that the ranks' byte ranges begin at a
# document boundary and at a blank line; and OLIFANT blocks (--blocks olifant), which run across
# lines, on that corpus and on one whose blocks cross every edge of the ranks' byte ranges. And a
# bad corpus's error, which must be one process's.
# Usage: check_eval_identity.sh MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
cli=$1 cli_mpi=$2 mpiexec=$3 kjv=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

# Two documents of equal size, so that at 2 ranks the second starts rank 1's share (and starts
# with a blank line); at 3 ranks a blank line starts rank 1's share (the first line start at or
# after a third of the bytes).
mkdir "$work/corpus"
head -n 300 "$kjv" >"$work/a.txt"
{
  echo
  sed -n '301,560p' "$kjv"
} >"$work/b.txt"
python3 - "$work/a.txt" "$work/b.txt" "$work/corpus" <<'PY'
import sys
a, b = (open(p, "rb").read() for p in sys.argv[1:3])
size = max(len(a) + 1, len(b))  # each document's final size: a gets a blank line
# The blank line at the first line start at or after a third of the total bytes.
at = a.index(b"\n", 2 * size // 3 - 1) + 1
a = a[:at] + b"\n" + a[at:]
# The shorter document's last line padded with spaces (no tokens) to the same size.
a, b = (d[:-1] + b" " * (size - len(d)) + b"\n" for d in (a, b))
open(sys.argv[3] + "/a.txt", "wb").write(a)
open(sys.argv[3] + "/b.txt", "wb").write(b)
PY

# OLIFANT blocks across the edges: one document of paragraphs (blank lines between) up to a third
# of the bytes, then one long block. At 3 ranks rank 0's share ends in a one-token line between
# blank lines (a one-token block, carried to the next block of its document: rank 1's first
# line); the long block crosses the edge at half the bytes (2 ranks) and at two thirds (3 ranks).
mkdir "$work/olifant"
python3 - "$kjv" "$work/olifant/kjv.txt" <<'PY'
import sys
lines = open(sys.argv[1], "rb").read().split(b"\n")[:700]
text = b"".join(l + b"\n" + (b"\n" if i % 6 == 5 and i < 200 else b"") for i, l in enumerate(lines))
size = len(text) + 400  # the final size: the last line padded with spaces
cut = size // 3
# The last line start before cut - 1; there go a blank line, "Amen" (padded with spaces so that
# the blank line after it is the first line start at or after the cut) and a blank line.
p = text.rindex(b"\n", 0, cut - 2) + 1
amen = b"\nAmen" + b" " * max(0, cut - (p + 6)) + b"\n\n"
text = text[:p] + amen + text[p:]
text = text[:-1] + b" " * (size - len(text)) + b"\n"
# Both other edges fall inside the long block (no blank line near them).
for at in (size // 2, 2 * size // 3):
    line = text.index(b"\n", at - 1) + 1
    assert text[line] != 10 and text[line - 2] != 10, at
open(sys.argv[2], "wb").write(text)
PY

# More ranks than lines in a share: one line of most of the bytes, so that at 3 ranks rank 1's
# share starts and ends at the same line (no lines at all) and the block open at the end of
# rank 0's share goes on in rank 2's first line.
mkdir "$work/long"
{
  head -n 40 "$kjv"
  sed -n '41,400p' "$kjv" | tr '\n' ' '
  echo
  sed -n '401,440p' "$kjv"
} >"$work/long/kjv.txt"

failures=0
corpus=$work/corpus
check() {  # eval options...
  "$cli" eval --json "$@" "$corpus" 2>"$work/one.err" | mask_run_times >"$work/one.json"
  for ranks in 2 3; do
    local code=0
    "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" eval --json "$@" "$corpus" \
      2>"$work/sharded.err" >"$work/sharded.raw" || code=$?
    mask_run_times <"$work/sharded.raw" >"$work/sharded.json"
    if [ "$code" -ne 0 ]; then
      echo "FAIL $* on $ranks ranks ($corpus): exit code $code"
      cat "$work/sharded.err"
      failures=$((failures + 1))
    elif ! cmp -s "$work/one.json" "$work/sharded.json"; then
      echo "FAIL $* on $ranks ranks ($corpus): the record differs from one process's"
      diff <(tr ',' '\n' <"$work/one.json") <(tr ',' '\n' <"$work/sharded.json") | head -n 12 || true
      failures=$((failures + 1))
    else
      echo "ok   $* on $ranks ranks ($(basename "$corpus"))"
    fi
  done
}

check --model ib1 -k 1
check --model ib1 -k 3 --distance-weighting IL
check --model igtree
check --model tribl2 -k 1
check --model igtree --blocks olifant
corpus=$work/olifant
check --model ib1 -k 1 --blocks olifant
check --model igtree --blocks olifant
check --model tribl2 -k 1 --blocks olifant
corpus=$work/long
check --model igtree --blocks olifant

# A bad corpus: each rank checks only its share of the text, and the first error in the corpus is
# reported, as one process reports it (without the rank that found it): an invalid byte in the
# last rank's share (a NUL after it), and one in the first file before an empty file, which fails
# the opening before any text is read.
mkdir "$work/bad-late" "$work/bad-early"
cp "$work/corpus/a.txt" "$work/bad-late/a.txt"
sed -e '200s/ /\xE9 /' -e '230s/ /\x00 /' "$work/corpus/b.txt" >"$work/bad-late/b.txt"
sed -e '250s/ /\xE9 /' "$work/corpus/a.txt" >"$work/bad-early/a.txt"
cp "$work/corpus/b.txt" "$work/bad-early/b.txt"
: >"$work/bad-early/c.txt"
for corpus in "$work/bad-late" "$work/bad-early"; do
  "$cli" eval --json --model igtree "$corpus" >/dev/null 2>"$work/one.err" &&
    echo "FAIL memlens-cli accepted $corpus" && failures=$((failures + 1))
  expected=$(head -n 1 "$work/one.err")
  for ranks in 2 3; do
    "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" eval --json --model igtree "$corpus" \
      >/dev/null 2>"$work/sharded.err" && echo "FAIL accepted $corpus on $ranks ranks"
    got=$(grep -m 1 memlens-cli-mpi "$work/sharded.err" | sed -e 's/rank [0-9]*: //' \
      -e 's/memlens-cli-mpi/memlens-cli/')
    if [ -z "$expected" ] || [ "$got" != "$expected" ]; then
      echo "FAIL error on $ranks ranks: '$got', one process: '$expected'"
      failures=$((failures + 1))
    else
      echo "ok   error on $ranks ranks: $got"
    fi
  done
done

[ "$failures" -eq 0 ] || {
  echo "$failures sharded evals differ from one process"
  exit 1
}
