// memlens-cli-mpi: memlens-cli whose `timbl`, `eval`, `predict`, `explain` and
// `train` run sharded over the ranks of an MPI job (mpirun -np N, srun), with the answers
// of one process, and save and open a memory as one shard file per rank
// (docs/spec/distributed.md); `timbl` also on one rank. The other commands run only on one rank,
// as in memlens-cli.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "mpi_world.h"
#include "run_cli.h"

namespace memlens::cli {
namespace {

Communicator* world = nullptr;

bool isEval(int argc, char** argv) { return argc >= 2 && std::strcmp(argv[1], "eval") == 0; }

bool isPredict(int argc, char** argv) { return argc >= 2 && std::strcmp(argv[1], "predict") == 0; }

bool isExplain(int argc, char** argv) { return argc >= 2 && std::strcmp(argv[1], "explain") == 0; }

bool isTrain(int argc, char** argv) { return argc >= 2 && std::strcmp(argv[1], "train") == 0; }

// Whether `option` (or `option=...`) is on the command line.
bool hasOption(int argc, char** argv, std::string_view option) {
  for (int i = 2; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word == option || (word.starts_with(option) && word[option.size()] == '=')) return true;
  }
  return false;
}

// The commands that run sharded; the others would run once per rank.
bool runsSharded(int argc, char** argv) {
  if (argc < 2) return true;  // the help
  const char* command = argv[1];
  return std::strcmp(command, "timbl") == 0 || isEval(argc, argv) || isPredict(argc, argv) ||
         isExplain(argc, argv) || isTrain(argc, argv) || command[0] == '-' ||
         std::strcmp(command, "help") == 0;
}

// An eval option that does not run sharded yet (other test sets, the learning curve), or null.
const char* unshardedEvalOption(int argc, char** argv) {
  static const char* const kOptions[] = {"--test",   "--test-instances",   "--weights",
                                         "--attach", "--attach-instances", "--curve"};
  for (const char* option : kOptions)
    if (hasOption(argc, argv, option)) return option;
  return nullptr;
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
                   "memlens-cli-mpi: '%s' does not run sharded yet (only 'timbl', 'eval', "
                   "'predict', 'explain' and 'train' do); run it with one rank or with "
                   "memlens-cli\n",
                   argv[1]);
    return 2;
  }
  const bool eval = memlens::cli::isEval(argc, argv);
  const bool train = memlens::cli::isTrain(argc, argv);
  const bool explain = memlens::cli::isExplain(argc, argv);
  if (communicator.size() > 1 &&
      (eval || train || explain || memlens::cli::isPredict(argc, argv))) {
    const char* option = eval ? memlens::cli::unshardedEvalOption(argc, argv) : nullptr;
    if (option) {
      if (communicator.rank() == 0)
        std::fprintf(stderr,
                     "memlens-cli-mpi: %s %s does not run sharded yet; run it with one rank "
                     "or with memlens-cli\n",
                     argv[1], option);
      return 2;
    }
    // The ranks agree on every outcome, which rank 0 alone reports (and prints the record).
    if (communicator.rank() != 0 &&
        (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)))
      return 1;
  }
  return memlens::cli::runCli(argc, argv);
}
