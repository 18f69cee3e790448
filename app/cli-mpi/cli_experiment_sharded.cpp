// memlens-cli-mpi's experiments: on more than one rank, every rank tokenises and windows its
// block of the corpus and holds its shard of the memory; rank 0 tunes and evaluates
// (docs/spec/distributed.md). On one rank, as memlens-cli.
#include "cli_experiment_sharded.h"

#include "distributed/corpus_block.h"
#include "distributed/sharded_experiment.h"
#include "mpi_world.h"

namespace memlens::cli {

Result<std::unique_ptr<Experiment>> runShardedExperiment(const CorpusArgs& corpus,
                                                         const ExperimentOptions& options,
                                                         JobControl* job, ShardedMemory* kept) {
  Communicator& world = mpiWorld();
  if (Status st = corpus.check(); !st) return st;
  auto block = loadCorpusBlock(world, corpus.paths, corpus.tokeniser, job);
  if (!block) return block.status();
  auto trained = trainSharded(world, std::move(*block), options, job, kept);
  if (!trained || !*trained) return trained;
  // The memory's answers are all on rank 0 now: evaluating is one process's.
  auto e = Experiment::evaluated(std::move(*trained), {}, {}, job);
  if (e && !(*e)->report().complete) return Status::cancelled();
  return e;
}

Result<std::unique_ptr<Experiment>> runExperiment(const CorpusArgs& corpus,
                                                  const ExperimentOptions& options,
                                                  JobControl* job) {
  if (mpiWorld().size() == 1) return runExperimentInOneProcess(corpus, options, job);
  return runShardedExperiment(corpus, options, job, nullptr);
}

}  // namespace memlens::cli
