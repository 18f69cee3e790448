#pragma once

#include "distributed/communicator.h"

namespace memlens::cli {

// The MPI world memlens-cli-mpi's main() started.
Communicator& mpiWorld();

}  // namespace memlens::cli
