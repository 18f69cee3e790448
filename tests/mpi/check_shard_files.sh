#!/usr/bin/env bash
# Shard memory files: under `mpirun -np 2` and `-np 3`, `memlens-cli-mpi train --save` (and `eval
# --save`) writes one memory file per rank (PATH.r-of-N); `eval --memory PATH` under the same N must
# print the record one process's `eval --json` printed when it saved the same memory (byte for byte
# but for the fields that time the run), and `predict --memory PATH` what `memlens-cli predict
# --memory` prints of that one-process memory file, and `explain --json --memory PATH` what
# `memlens-cli explain --json --memory` prints (the trace, its provenance from each rank's block of
# the corpus, loaded again), for IB1 (k = 1; k = 3 with IL weighting), IGTree and TRIBL2. Then the
# refusals: another N, a missing shard, a file that is not a shard, shards of different saves, a
# one-process memory file under N > 1, a shard file opened by one process, explain --memory of a
# changed corpus, and a save that fails on one rank (no temporary file is left).
# Usage: check_shard_files.sh MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
cli=$1 cli_mpi=$2 mpiexec=$3 kjv=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

head -n 800 "$kjv" >"$work/corpus.txt"
sed -n '901,1000p' "$kjv" | cut -d' ' -f1-5 >"$work/contexts.txt"
printf 'zzqq unknownword\n\nthe\n' >>"$work/contexts.txt"
# explain --memory: a deep match in the last rank's share, a bucket too large to list (IB1),
# unknown words (IGTree's root answers; TRIBL2 runs IB1 over the whole memory).
explained=("$(sed -n '790p' "$kjv" | cut -d' ' -f1-4)" "zzqq zzqq zzqq the" "zzqq unknownword")

failures=0
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
mpi() {  # ranks, arguments...
  local ranks=$1
  shift
  "$mpiexec" "${mpi_flags[@]}" -np "$ranks" "$cli_mpi" "$@"
}
same() {  # what, expected file, actual file
  if cmp -s "$2" "$3"; then
    echo "ok   $1"
  else
    fail "$1: differs from one process's"
    diff <(tr ',' '\n' <"$2") <(tr ',' '\n' <"$3") | head -n 12 || true
  fi
}

check() {  # saving command (train or eval), options...
  local save=$1
  shift
  "$cli" eval --json "$@" --save "$work/one.mlm" "$work/corpus.txt" 2>/dev/null |
    mask_run_times >"$work/one.json"
  "$cli" predict --memory "$work/one.mlm" --stdin --top 20 <"$work/contexts.txt" >"$work/one.txt"
  local i=0 context
  for context in "${explained[@]}"; do
    "$cli" explain --json --memory "$work/one.mlm" --context "$context" >"$work/one-trace.$i.json"
    i=$((i + 1))
  done
  for ranks in 2 3; do
    rm -f "$work"/sharded.mlm.*
    if ! mpi "$ranks" "$save" "$@" --save "$work/sharded.mlm" "$work/corpus.txt" \
      >/dev/null 2>"$work/err.txt"; then
      fail "$save --save $* on $ranks ranks"
      cat "$work/err.txt"
      continue
    fi
    local files
    files=$(cd "$work" && ls sharded.mlm.* | tr '\n' ' ')
    local expected=""
    for ((r = 0; r < ranks; r++)); do expected+="sharded.mlm.$r-of-$ranks "; done
    [ "$files" = "$expected" ] || fail "$save --save on $ranks ranks wrote '$files'"
    mpi "$ranks" eval --memory "$work/sharded.mlm" --json 2>"$work/err.txt" |
      mask_run_times >"$work/sharded.json" ||
      { fail "eval --memory on $ranks ranks"; cat "$work/err.txt"; }
    same "eval --memory of $save --save $* on $ranks ranks" "$work/one.json" "$work/sharded.json"
    mpi "$ranks" predict --memory "$work/sharded.mlm" --stdin --top 20 <"$work/contexts.txt" \
      >"$work/sharded.txt" 2>"$work/err.txt" || { fail "predict --memory on $ranks ranks"; cat "$work/err.txt"; }
    same "predict --memory of $save --save $* on $ranks ranks" "$work/one.txt" "$work/sharded.txt"
    i=0
    for context in "${explained[@]}"; do
      mpi "$ranks" explain --json --memory "$work/sharded.mlm" --context "$context" \
        >"$work/sharded-trace.json" 2>"$work/err.txt" || { fail "explain --memory on $ranks ranks"; cat "$work/err.txt"; }
      same "explain --memory '$context' of $save --save $* on $ranks ranks" \
        "$work/one-trace.$i.json" "$work/sharded-trace.json"
      i=$((i + 1))
    done
  done
}

check train --model ib1 -k 1
check train --model ib1 -k 3 --distance-weighting IL
check train --model igtree
check train --model tribl2 -k 1
check eval --model igtree --blocks olifant

# The refusals, each with the message that names the problem.
refused() {  # what, expected message (a grep -E pattern), command...
  local what=$1 pattern=$2
  shift 2
  local code=0
  "$@" </dev/null >"$work/out.txt" 2>"$work/err.txt" || code=$?
  if [ "$code" -eq 0 ]; then
    fail "$what: not refused"
  elif ! grep -Eq "$pattern" "$work/err.txt"; then
    fail "$what: exit $code without /$pattern/:"
    cat "$work/err.txt"
  else
    echo "ok   $what refused: $(head -n 1 "$work/err.txt")"
  fi
}
mpi 2 train --model igtree --save "$work/a.mlm" "$work/corpus.txt" >/dev/null 2>&1
mpi 2 train --model igtree --save "$work/b.mlm" "$work/corpus.txt" >/dev/null 2>&1
"$cli" train --model igtree --save "$work/single.mlm" "$work/corpus.txt" >/dev/null 2>&1
refused "another N" "saved by 2 ranks" mpi 3 eval --memory "$work/a.mlm" --json
mkdir "$work/missing" && cp "$work/a.mlm.0-of-2" "$work/missing/a.mlm.0-of-2"
refused "a missing shard" "a.mlm.1-of-2 does not exist" mpi 2 eval --memory "$work/missing/a.mlm"
mkdir "$work/foreign" && cp "$work/a.mlm.0-of-2" "$work/foreign/a.mlm.0-of-2"
cp "$work/single.mlm" "$work/foreign/a.mlm.1-of-2"
refused "a file that is no shard" "is not a shard file" \
  mpi 2 predict --memory "$work/foreign/a.mlm" --context "in the"
mkdir "$work/renamed" && cp "$work/a.mlm.0-of-2" "$work/renamed/a.mlm.0-of-2"
cp "$work/a.mlm.0-of-2" "$work/renamed/a.mlm.1-of-2"
refused "a renamed shard" "is shard 0 of a memory saved by 2 ranks, not shard 1" \
  mpi 2 eval --memory "$work/renamed/a.mlm"
mkdir "$work/mixed" && cp "$work/a.mlm.0-of-2" "$work/mixed/a.mlm.0-of-2"
cp "$work/b.mlm.1-of-2" "$work/mixed/a.mlm.1-of-2"
refused "shards of different saves" "different saves" mpi 2 eval --memory "$work/mixed/a.mlm"
refused "a one-process memory under 2 ranks" "memory file of one process" \
  mpi 2 eval --memory "$work/single.mlm"
refused "a shard opened by one process" "is shard 0 of a memory saved by 2 MPI ranks" \
  "$cli" eval --memory "$work/a.mlm.0-of-2"
# explain --memory loads each rank's block of the corpus again: not from a changed file.
cp "$work/corpus.txt" "$work/changing.txt"
mpi 2 train --model igtree --save "$work/changing.mlm" "$work/changing.txt" >/dev/null 2>&1
echo "Amen." >>"$work/changing.txt"
refused "explain --memory of a changed corpus" \
  "changing.txt changed since the memory was saved .*; a sharded explain needs the corpus" \
  mpi 2 explain --json --memory "$work/changing.mlm" --context "the"
# A save that fails on rank 1 (its file's place is taken by a folder) fails the job, leaves no
# temporary file behind on any rank, and rank 0's file as it was.
mkdir -p "$work/failing/c.mlm.1-of-2/x"
echo old >"$work/failing/c.mlm.0-of-2"
refused "a save that fails on one rank" "rank 1: .*c.mlm.1-of-2: a folder is in its place" \
  mpi 2 train --model igtree --save "$work/failing/c.mlm" "$work/corpus.txt"
if compgen -G "$work/failing/*.tmp-*" >/dev/null; then fail "temporary files left: $(ls "$work/failing")"; fi
[ "$(cat "$work/failing/c.mlm.0-of-2")" = old ] || fail "rank 0's file was replaced"

[ "$failures" -eq 0 ] || {
  echo "$failures shard file checks failed"
  exit 1
}
