# Sourced by the MPI tests and the distributed bench after setting $mpiexec: sets mpi_flags, and
# defines mask_run_times.
# Open MPI refuses more ranks than cores unless told, and root unless told (CI may run as root).
mpi_flags=()
if "$mpiexec" --version 2>&1 | grep -Eq 'Open MPI|OpenRTE'; then mpi_flags=(--oversubscribe); fi
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Masks the fields of `eval --json` that time the run, which differ between any two runs.
mask_run_times() {
  sed -E -e 's/"created":"[^"]*"/"created":"-"/' -e 's/"seconds":\{[^}]*\}/"seconds":{}/' \
    -e 's/"(latencyMeanMicros|latencyP99Micros)":[^,}]*/"\1":0/g'
}
