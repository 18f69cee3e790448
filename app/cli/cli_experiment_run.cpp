// memlens-cli's experiments run in one process (memlens-cli-mpi links its own, sharded).
#include "cli_common.h"

namespace memlens::cli {

Result<std::unique_ptr<Experiment>> runExperiment(const CorpusArgs& corpus,
                                                  const ExperimentOptions& options,
                                                  JobControl* job) {
  return runExperimentInOneProcess(corpus, options, job);
}

}  // namespace memlens::cli
