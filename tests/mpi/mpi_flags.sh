# Sourced by the MPI tests and the distributed bench after setting $mpiexec: sets mpi_flags.
# Open MPI refuses more ranks than cores unless told, and root unless told (CI may run as root).
mpi_flags=()
if "$mpiexec" --version 2>&1 | grep -Eq 'Open MPI|OpenRTE'; then mpi_flags=(--oversubscribe); fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
