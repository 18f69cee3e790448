#!/usr/bin/env bash
# memlens-cli-mpi explain --json under `mpirun -np 2` and `-np 3` must print the trace memlens-cli
# explain --json prints in one process, byte for byte: prediction, votes, probabilities, tree path,
# tree evidence (stored-vector ids, counts) and provenance (paths, lines, byte offsets, snippets)
# of an IGTree trained on a KJV corpus (line and OLIFANT blocks), for contexts that match deep
# (their evidence and provenance lie in the last rank's block), that match nothing (the root
# answers: the evidence is every rank's, its ties ordered by one process's ids), and an empty one;
# and of TRIBL2 (k = 1, 3: exact matches and the IB1 below a matched prefix, with its buckets);
# and of IB1 (k = 1; k = 3 with IL, ID weighting) and TRIBL2's IB1 over the whole memory, whose
# buckets are every rank's, merged, their vectors joined over the ranks that hold them, including
# buckets too large to list (the listed ones and the unlisted counts). And of the vector memory
# (--dims 0 and 64): its slots from the exact merge of every rank's, their ids, values, counts,
# attention-map rows and provenance from the ranks that hold them, α, p_mem, λ and p, for a common
# context, a rare one, unknown words and an empty one; and its tokens × slots map (--sequence):
# the columns chosen by the attention summed over every token's read, their ids and slots.
# Usage: check_explain_identity.sh MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
cli=$1 cli_mpi=$2 mpiexec=$3 kjv=$4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

head -n 800 "$kjv" >"$work/corpus.txt"
contexts=()
# The first words of verses near the end of the corpus (the last rank's share) and of later ones.
for line in 760 790 795; do contexts+=("$(sed -n "${line}p" "$kjv" | cut -d' ' -f1-4)"); done
contexts+=("$(sed -n '1001p' "$kjv" | cut -d' ' -f1-5)")
# Its TRIBL2 vote ties (checked below).
tied=$(sed -n '820p' "$kjv" | cut -d' ' -f1-3)
contexts+=("$tied")
contexts+=("and the LORD said unto")
# Unknown words and a common one: IB1's nearest buckets hold every vector ending in it, and the
# next every vector: more than a trace lists (checked below).
capped="zzqq zzqq zzqq the"

failures=0
check() {  # explain options... (the contexts: $contexts, and $extra)
  for context in "${contexts[@]}" "${extra[@]}"; do
    "$cli" explain --json --context "$context" "$@" "$work/corpus.txt" >"$work/one.json"
    for ranks in 2 3; do
      local code=0
      "$mpiexec" "${mpi_flags[@]}" -np $ranks "$cli_mpi" explain --json --context "$context" "$@" \
        "$work/corpus.txt" >"$work/sharded.json" 2>"$work/sharded.err" || code=$?
      if [ "$code" -ne 0 ]; then
        echo "FAIL explain '$context' $* on $ranks ranks: exit code $code"
        cat "$work/sharded.err"
        failures=$((failures + 1))
      elif ! cmp -s "$work/one.json" "$work/sharded.json"; then
        echo "FAIL explain '$context' $* on $ranks ranks: the trace differs from one process's"
        diff <(tr ',' '\n' <"$work/one.json") <(tr ',' '\n' <"$work/sharded.json") | head -n 12 ||
          true
        failures=$((failures + 1))
      else
        echo "ok   explain '$context' $* on $ranks ranks ($(wc -c <"$work/one.json") bytes)"
      fi
    done
  done
}

# Unknown words: IGTree's root answers, its evidence is every rank's, its many ties of one instance
# ordered by one process's ids. The empty context is all padding.
extra=("zzqq unknownword" "")
check --model igtree
check --model igtree --blocks olifant
# TRIBL2: exact matches and the IB1 below a matched prefix, with its buckets (k = 3 weighted).
# OLIFANT blocks are not padded, so there no stored vector starts with the padding: the empty
# context would be IB1 over the whole memory, refused below.
extra=("")
check --model tribl2 -k 1
check --model tribl2 -k 3 --distance-weighting IL
extra=()
check --model tribl2 -k 1 --blocks olifant
# IB1: the buckets of every rank, merged. TRIBL2 when no stored vector has the context's nearest
# word: IB1 over the whole memory.
extra=("$capped" "zzqq unknownword" "")
check --model ib1 -k 1
check --model ib1 -k 3 --distance-weighting IL
saved=("${contexts[@]}")
contexts=()
check --model ib1 -k 3 --distance-weighting ID --blocks olifant
extra=("$capped" "zzqq unknownword")
check --model tribl2 -k 1
check --model tribl2 -k 3 --distance-weighting IL
contexts=("${saved[@]}")

# The cases the test means to reach: provenance from the last third of the corpus (the last
# rank's block), a root answer (evidence from every rank), a tied vote.
"$cli" explain --json --context "${contexts[1]}" --model igtree "$work/corpus.txt" >"$work/late.json"
grep -Eq '"line":(5[4-9][0-9]|[67][0-9][0-9]),' "$work/late.json" || {
  echo "FAIL: no provenance from the last third of the corpus in the trace of '${contexts[1]}'"
  failures=$((failures + 1))
}
"$cli" explain --json --context "zzqq unknownword" --model igtree "$work/corpus.txt" >"$work/root.json"
grep -q '"answer":"root-majority"' "$work/root.json" || {
  echo "FAIL: 'zzqq unknownword' is not answered by the root"
  failures=$((failures + 1))
}
"$cli" explain --json --context "$tied" --model tribl2 -k 3 "$work/corpus.txt" >"$work/tied.json"
grep -q '"tie":true' "$work/tied.json" || {
  echo "FAIL: the TRIBL2 vote for '$tied' does not tie"
  failures=$((failures + 1))
}
"$cli" explain --json --context "zzqq unknownword" --model tribl2 "$work/corpus.txt" >"$work/walk.json"
grep -q '"treePath":{"answer":"ib1-fallback","depth":0' "$work/walk.json" || {
  echo "FAIL: TRIBL2's walk for 'zzqq unknownword' does not stop at the root"
  failures=$((failures + 1))
}
"$cli" explain --json --context "$capped" --model ib1 -k 3 "$work/corpus.txt" >"$work/capped.json"
[ "$(grep -o '"unlisted"' "$work/capped.json" | wc -l)" -ge 2 ] || {
  echo "FAIL: the IB1 trace of '$capped' does not have two buckets too large to list"
  failures=$((failures + 1))
}

# The vector memory: a common context, unknown words before a common one (the distances count
# them), the empty context; with one-hot words also a rare context and unknown words alone (no
# slot is read).
contexts=("and the LORD said unto" "$capped" "")
extra=("$(sed -n '1001p' "$kjv" | cut -d' ' -f1-5)" "zzqq unknownword")
check --model vector --dims 0
extra=()
check --model vector --dims 64
"$cli" explain --json --context "${contexts[0]}" --model vector --dims 0 "$work/corpus.txt" \
  >"$work/vector.json"
[ "$(grep -o '"slot":' "$work/vector.json" | wc -l)" -ge 20 ] || {
  echo "FAIL: the vector trace of '${contexts[0]}' reads fewer than 20 slots"
  failures=$((failures + 1))
}

# Its tokens × slots map (--sequence) over a verse beyond the corpus and over unknown words
# among common ones.
contexts=("$(sed -n '1001p' "$kjv" | cut -d' ' -f1-12)" "and zzqq said unto Moses, zzqq the")
check --model vector --dims 64 --sequence

[ "$failures" -eq 0 ] || {
  echo "$failures sharded explains differ from one process"
  exit 1
}
