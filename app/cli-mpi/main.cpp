// memlens-cli-mpi: memlens-cli whose `timbl` runs sharded over the ranks of an MPI job
// (mpirun -np N, srun), with the answers of one process (docs/spec/distributed.md). With one
// rank every command runs as in memlens-cli.
#include <cstdio>
#include <cstring>

#include "mpi_world.h"
#include "run_cli.h"

namespace memlens::cli {
namespace {

Communicator* world = nullptr;

// The commands that run sharded; the others would run once per rank.
bool runsSharded(int argc, char** argv) {
  if (argc < 2) return true;  // the help
  const char* command = argv[1];
  return std::strcmp(command, "timbl") == 0 || command[0] == '-' ||
         std::strcmp(command, "help") == 0;
}

}  // namespace

Communicator& mpiWorld() { return *world; }

}  // namespace memlens::cli

int main(int argc, char** argv) {
  memlens::Communicator communicator(&argc, &argv);
  memlens::cli::world = &communicator;
  if (communicator.size() > 1 && !memlens::cli::runsSharded(argc, argv)) {
    if (communicator.rank() == 0)
      std::fprintf(stderr,
                   "memlens-cli-mpi: '%s' does not run sharded yet (only 'timbl' does); run it "
                   "with one rank or with memlens-cli\n",
                   argv[1]);
    return 2;
  }
  return memlens::cli::runCli(argc, argv);
}
