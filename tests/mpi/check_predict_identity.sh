#!/usr/bin/env bash
# memlens-cli-mpi predict under `mpirun -np 2` and `-np 3` must print what memlens-cli predict
# prints in one process, byte for byte, for IB1 (k = 1; k = 3 with distance weightings), IGTree
# and TRIBL2 (line and OLIFANT blocks): the memory trained on every token of a KJV corpus (sharded by lines), asked for
# the next token after 200 contexts (and one of unknown words, an empty one), with the 20
# strongest votes, so that the order of tied votes shows too. And train's summary of that memory
# (instances, stored vectors, classes, feature weights; text and --json) must be one process's
# but for what the ranks do not measure: the seconds and the memory's bytes.
# Usage: check_predict_identity.sh MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
cli=$1 cli_mpi=$2 mpiexec=$3 kjv=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

head -n 800 "$kjv" >"$work/corpus.txt"
# The first five words of later verses as contexts.
sed -n '901,1100p' "$kjv" | cut -d' ' -f1-5 >"$work/contexts.txt"
printf 'zzqq unknownword\n\nthe\n' >>"$work/contexts.txt"

failures=0
# The verdict on one sharded run of WHAT: its exit code CODE, sharded.txt against one.txt.
verdict() {  # what ranks code
  if [ "$3" -ne 0 ]; then
    echo "FAIL $1 on $2 ranks: exit code $3"
    cat "$work/sharded.err"
    failures=$((failures + 1))
  elif ! cmp -s "$work/one.txt" "$work/sharded.txt"; then
    echo "FAIL $1 on $2 ranks: the output differs from one process's"
    diff "$work/one.txt" "$work/sharded.txt" | head -n 12 || true
    failures=$((failures + 1))
  else
    echo "ok   $1 on $2 ranks ($(wc -l <"$work/one.txt") lines)"
  fi
}

check() {  # predict options...
  "$cli" predict --stdin --top 20 "$@" "$work/corpus.txt" <"$work/contexts.txt" >"$work/one.txt"
  for ranks in 2 3; do
    local code=0
    "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" predict --stdin --top 20 "$@" \
      "$work/corpus.txt" <"$work/contexts.txt" >"$work/sharded.txt" 2>"$work/sharded.err" ||
      code=$?
    verdict "predict $*" $ranks $code
  done
}

# train's summary, its time and size masked: the text's "; 1.23 s, 98.7 MB" (sharded: "; 1.23 s,
# sharded over the ranks"), the JSON's trainSeconds and memoryBytes (not given sharded).
mask_summary() {
  sed -E -e 's/; [0-9.]+ s, [^,]*$/; -/' -e 's/"memoryBytes":[0-9]+,//' \
    -e 's/"trainSeconds":[0-9.e+-]+/"trainSeconds":-/'
}
check_train() {  # train options...
  "$cli" train "$@" "$work/corpus.txt" | mask_summary >"$work/one.txt"
  "$cli" train --json "$@" "$work/corpus.txt" | mask_summary >>"$work/one.txt"
  for ranks in 2 3; do
    local code=0
    { "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" train "$@" "$work/corpus.txt" &&
      "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" train --json "$@" "$work/corpus.txt"; } \
      2>"$work/sharded.err" | mask_summary >"$work/sharded.txt" || code=$?
    verdict "train $*" $ranks $code
  done
}

check_train --model ib1 -k 1
check_train --model igtree --blocks olifant
check_train --model tribl2
check_train --model vector

check --model ib1 -k 1
check --model ib1 -k 3 --distance-weighting IL
check --model ib1 -k 3 --distance-weighting ED
check --model igtree
check --model tribl2 -k 1
# One OLIFANT block runs through the corpus, across every share's edge.
check --model ib1 -k 1 --blocks olifant
check --model igtree --blocks olifant

[ "$failures" -eq 0 ] || {
  echo "$failures sharded predicts or trains differ from one process"
  exit 1
}
