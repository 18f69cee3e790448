// memlens-cli-mpi's experiments: on more than one rank, every rank tokenises and windows its
// block of the corpus and holds its shard of the memory; rank 0 tunes and evaluates
// (docs/spec/distributed.md). On one rank, as memlens-cli.
#include "cli_experiment_sharded.h"

#include <chrono>

#include "distributed/corpus_block.h"
#include "distributed/shard_file.h"
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

Result<std::unique_ptr<Experiment>> runExperimentAndSave(const CorpusArgs& corpus,
                                                         const ExperimentOptions& options,
                                                         const std::string& save, JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1) return runExperimentAndSaveInOneProcess(corpus, options, save, job);
  // Checked before training: a shard file holds IB1's, IGTree's or TRIBL2's structures only.
  if (options.classifier.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument(
        "a sharded vector memory cannot be saved yet (--save): run it with one rank");
  ShardedMemory memory;
  auto e = runShardedExperiment(corpus, options, job, &memory);
  // Rank 0's evaluation may fail after the ranks' part: every rank learns it before saving.
  if (Status st = world.agree(e ? Status::ok() : e.status()); !st) return e ? st : e.status();
  const auto start = std::chrono::steady_clock::now();
  auto bytes = saveShards(world, *memory.classifier, e->get(), save, job);
  if (!bytes) return bytes.status();
  auto total = world.sum(*bytes);
  if (!total) return total.status();
  reportSaved(
      shardPath(save, 0, world.size()) + " ... " + shardPath(save, world.size() - 1, world.size()),
      *total, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return e;
}

}  // namespace memlens::cli
