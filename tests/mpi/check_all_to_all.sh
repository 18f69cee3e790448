#!/usr/bin/env bash
# A program that checks messages in pieces (all_to_all_pieces.cpp, shard_by_value_rounds.cpp) at 2
# and 3 ranks.
# Usage: check_all_to_all.sh PROGRAM MPIEXEC
set -euo pipefail
program=$1 mpiexec=$2
# shellcheck source=tests/mpi/mpi_flags.sh
source "$(dirname "$0")/mpi_flags.sh"
for ranks in 2 3; do
  "$mpiexec" "${mpi_flags[@]}" -np $ranks "$program"
done
