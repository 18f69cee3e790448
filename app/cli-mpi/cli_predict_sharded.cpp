// memlens-cli-mpi's predict: on more than one rank, every rank windows its block of the corpus
// and holds its shard of the memory; rank 0 encodes the contexts and sends them to every rank in
// batches (docs/spec/distributed.md). On one rank, as memlens-cli.
#include "cli_common.h"
#include "distributed/corpus_block.h"
#include "distributed/sharded_classifier.h"
#include "mpi_world.h"

namespace memlens::cli {

Result<CorpusPredictions> predictOnCorpus(const CorpusArgs& corpus,
                                          const ExperimentOptions& options,
                                          const QueriesOf& queriesOf, JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1) return predictOnCorpusInOneProcess(corpus, options, queriesOf, job);
  if (Status st = corpus.check(); !st) return st;
  auto block = loadCorpusBlock(world, corpus.paths, corpus.tokeniser, job);
  if (!block) return block.status();
  auto instances = windowCorpusBlock(world, *block, options.window, job);
  if (!instances) return instances.status();
  // The whole corpus's token indices: their order is one process's stored vector order, by which
  // the vector memory's ranks break ties.
  for (uint64_t& source : instances->sources) source += block->firstToken;
  auto memory = ShardedClassifier::train(world, options.classifier, std::move(*instances), job);
  if (!memory) return memory.status();

  InstanceSet queries;
  if (world.rank() == 0) queries = queriesOf(*block->corpus, options.window.width);
  auto predictions = (*memory)->predict(queries, {}, job);
  if (!predictions) return predictions.status();
  if (world.rank() != 0) return CorpusPredictions{};
  return CorpusPredictions{std::move(block->corpus), std::move(*predictions)};
}

}  // namespace memlens::cli
