// memlens-cli's experiments, memory files, train's and predict's memory and explain's trace run in
// one process (memlens-cli-mpi links its own, sharded).
#include "cli_common.h"
#include "memlens/memory_file.h"

namespace memlens::cli {

Result<std::unique_ptr<Experiment>> runExperiment(const CorpusArgs& corpus,
                                                  const ExperimentOptions& options,
                                                  JobControl* job) {
  return runExperimentInOneProcess(corpus, options, job);
}

Result<std::unique_ptr<Experiment>> runExperimentAndSave(const CorpusArgs& corpus,
                                                         const ExperimentOptions& options,
                                                         const std::string& save, JobControl* job) {
  return runExperimentAndSaveInOneProcess(corpus, options, save, job);
}

Result<std::shared_ptr<const Experiment>> openExperiment(const std::string& path, JobControl* job) {
  return openMemory(path, {}, job);
}

Result<CorpusPredictions> predictFromMemory(const std::string&,
                                            const OpenInOneProcess& openInOneProcess,
                                            const QueriesOf& queriesOf, JobControl*) {
  return predictFromMemoryInOneProcess(openInOneProcess, queriesOf);
}

Result<CorpusPredictions> predictOnCorpus(const CorpusArgs& corpus,
                                          const ExperimentOptions& options,
                                          const QueriesOf& queriesOf, JobControl* job) {
  return predictOnCorpusInOneProcess(corpus, options, queriesOf, job);
}

Result<TrainingSummary> describeTraining(const CorpusArgs& corpus, const ExperimentOptions& options,
                                         JobControl* job) {
  return describeTrainingInOneProcess(corpus, options, job);
}

Result<std::optional<TracedContext>> traceFromShards(const std::string&, const ContextOf&,
                                                     JobControl*) {
  return std::optional<TracedContext>();
}

Result<TracedContext> traceOnCorpus(const CorpusArgs& corpus, const ExperimentOptions& options,
                                    const ContextOf& contextOf, bool sequence, JobControl* job) {
  return traceOnCorpusInOneProcess(corpus, options, contextOf, sequence, job);
}

}  // namespace memlens::cli
