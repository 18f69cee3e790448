// memlens-cli-mpi's train (without --save): on more than one rank, every rank windows its block of
// the corpus and holds its shard of the memory; the summary's counts and weights are the whole
// memory's, reduced over the ranks (docs/spec/distributed.md). On one rank, as memlens-cli.
#include <chrono>

#include "cli_common.h"
#include "distributed/corpus_block.h"
#include "distributed/sharded_classifier.h"
#include "mpi_world.h"

namespace memlens::cli {

Result<TrainingSummary> describeTraining(const CorpusArgs& corpus, const ExperimentOptions& options,
                                         JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1) return describeTrainingInOneProcess(corpus, options, job);
  if (Status st = corpus.check(); !st) return st;
  auto block = loadCorpusBlock(world, corpus.paths, corpus.tokeniser, job);
  if (!block) return block.status();
  const auto t0 = std::chrono::steady_clock::now();
  auto instances = windowCorpusBlock(world, *block, options.window, job);
  if (!instances) return instances.status();
  auto total = world.sum(instances->size());
  if (!total) return total.status();
  // The vector memory's ranks break ties by the whole corpus's token indices.
  for (uint64_t& source : instances->sources) source += block->firstToken;
  auto memory = ShardedClassifier::train(world, options.classifier, std::move(*instances), job);
  if (!memory) return memory.status();
  auto storedVectors = (*memory)->storedVectors();
  if (!storedVectors) return storedVectors.status();

  TrainingSummary summary;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (world.rank() != 0) return summary;
  const GlobalStatistics& stats = (*memory)->statistics();
  summary.corpus = std::move(block->corpus);
  summary.options = options;
  summary.instances = *total;
  summary.storedVectors = *storedVectors;
  for (uint64_t count : stats.classTotals()) summary.classes += count > 0 ? 1 : 0;
  summary.weights = stats.weights();
  return summary;
}

}  // namespace memlens::cli
