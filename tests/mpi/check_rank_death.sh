#!/usr/bin/env bash
# Rank 1 of 3 fails mid-run; the whole job must end promptly with an error: no hang, a non-zero
# exit code, a message from rank 0, and no output file.
#   kill: rank 1 is killed (kill -9); the launcher stops the job, rank 0 says it was stopped and
#         the launcher names the dead rank.
#   stop: rank 1 hangs (kill -STOP), which no launcher notices; rank 0's collective times out
#         (MEMLENS_MPI_TIMEOUT=5) and it aborts the job.
#   explain: as kill, with a sharded explain --json (its trace is the output: none may be printed).
# Usage: check_rank_death.sh kill|stop|explain MEMLENS_CLI MEMLENS_CLI_MPI MPIEXEC KJV_TEXT
set -euo pipefail
mode=$1 cli=$2 cli_mpi=$3 mpiexec=$4 kjv=$5
work=$(mktemp -d)
mpirun_pid= rank1=
cleanup() {
  [ -n "$mpirun_pid" ] && kill -9 "$mpirun_pid" 2>/dev/null
  [ -n "$rank1" ] && kill -9 "$rank1" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"

# Big enough that reading and training take seconds: the kill lands mid-run.
head -n 20000 "$kjv" >"$work/train.txt"
sed -n '20001,24000p' "$kjv" >"$work/test.txt"
if [ "$mode" != explain ]; then
  "$cli" instances -o "$work/train.inst" "$work/train.txt" >/dev/null
  "$cli" instances -o "$work/test.inst" "$work/test.txt" >/dev/null
fi

if [ "$mode" = explain ]; then
  MEMLENS_MPI_TIMEOUT=5 "$mpiexec" "${mpi_flags[@]}" -np 3 "$cli_mpi" explain --json \
    --context "and the LORD said unto" --model igtree "$work/train.txt" >"$work/trace.json" \
    2>"$work/err.txt" &
else
  MEMLENS_MPI_TIMEOUT=5 "$mpiexec" "${mpi_flags[@]}" -np 3 "$cli_mpi" timbl -f "$work/train.inst" \
    -t "$work/test.inst" -k3 -o "$work/out.txt" 2>"$work/err.txt" &
fi
mpirun_pid=$!

# Ranks 0 and 1: the launcher's children whose environment says so.
rank0=
for _ in $(seq 100); do
  for pid in $(pgrep -P "$mpirun_pid" || true); do
    case $(tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -x 'OMPI_COMM_WORLD_RANK=[01]\|PMI_RANK=[01]') in
      *=0) rank0=$pid ;;
      *=1) rank1=$pid ;;
    esac
  done
  [ -n "$rank0" ] && [ -n "$rank1" ] && break
  sleep 0.1
done
if [ -z "$rank0" ] || [ -z "$rank1" ]; then
  echo "FAIL: ranks 0 and 1 never started"
  exit 1
fi
# A rank that fails inside MPI_Init takes the launcher's own path, before rank 0 can say anything:
# fail rank 1 only once rank 0 is past it, that is once it catches SIGTERM (SigCgt bit 15).
for _ in $(seq 600); do
  caught=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$rank0/status" 2>/dev/null || true)
  [ -n "$caught" ] && (((0x$caught >> 14) & 1)) && break
  sleep 0.05
done
sleep 0.2
if [ "$mode" = stop ]; then kill -STOP "$rank1"; else kill -9 "$rank1"; fi

# The job must end by itself, well before this deadline.
for _ in $(seq 600); do
  kill -0 "$mpirun_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$mpirun_pid" 2>/dev/null; then
  echo "FAIL: the job still runs 60 s after rank 1 failed ($mode)"
  exit 1
fi
code=0
wait "$mpirun_pid" || code=$?
mpirun_pid= rank1=
cat "$work/err.txt"
[ "$code" -ne 0 ] || {
  echo "FAIL: exit code 0 after rank 1 failed ($mode)"
  exit 1
}
expect() {
  grep -q "$1" "$work/err.txt" || {
    echo "FAIL: no message says '$1'"
    exit 1
  }
}
if [ "$mode" = stop ]; then
  expect 'memlens-cli-mpi: .*had no answer from every rank within 5 s: a rank hangs or died'
else
  expect 'memlens-cli-mpi: stopped by the MPI launcher'
  expect 'rank 1'
fi
[ ! -e "$work/out.txt" ] || {
  echo "FAIL: an output file was written"
  exit 1
}
[ ! -s "$work/trace.json" ] || {
  echo "FAIL: a trace was printed"
  exit 1
}
echo "ok: the job ended with exit code $code after rank 1 failed ($mode)"
