// memlens-cli's experiments (and predict's memory, explain's trace) run in one process
// (memlens-cli-mpi links its own, sharded).
#include "cli_common.h"

namespace memlens::cli {

Result<std::unique_ptr<Experiment>> runExperiment(const CorpusArgs& corpus,
                                                  const ExperimentOptions& options,
                                                  JobControl* job) {
  return runExperimentInOneProcess(corpus, options, job);
}

Result<CorpusPredictions> predictOnCorpus(const CorpusArgs& corpus,
                                          const ExperimentOptions& options,
                                          const QueriesOf& queriesOf, JobControl* job) {
  return predictOnCorpusInOneProcess(corpus, options, queriesOf, job);
}

Result<TracedContext> traceOnCorpus(const CorpusArgs& corpus, const ExperimentOptions& options,
                                    const ContextOf& contextOf, JobControl* job) {
  return traceOnCorpusInOneProcess(corpus, options, contextOf, job);
}

}  // namespace memlens::cli
