// memlens-cli-mpi: memlens-cli whose `timbl` runs sharded over the ranks of an MPI job
// (mpirun -np N, srun), with the answers of one process (docs/spec/distributed.md), also on one
// rank. The other commands run only on one rank, as in memlens-cli.
#include <unistd.h>

#include <csignal>
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

// Launchers (mpirun, srun) stop every rank with SIGTERM when one rank dies or fails; rank 0 says
// so before it goes, rather than vanishing mid-run without a word of its own.
void reportStopped(int) {
  static const char kMessage[] =
      "memlens-cli-mpi: stopped by the MPI launcher: another rank ended (the launcher's message "
      "says which); the output is incomplete\n";
  [[maybe_unused]] const ssize_t written = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  ::_exit(1);
}

}  // namespace

Communicator& mpiWorld() { return *world; }

}  // namespace memlens::cli

int main(int argc, char** argv) {
  memlens::Communicator communicator(&argc, &argv);
  memlens::cli::world = &communicator;
  if (communicator.rank() == 0) std::signal(SIGTERM, memlens::cli::reportStopped);
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
