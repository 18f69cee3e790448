// memlens-cli-mpi's --memory: on more than one rank, every rank opens its shard file
// (PATH.r-of-N, saved by `eval` or `train --save` under as many ranks) and rank 0 asks the
// sharded memory (docs/spec/distributed.md, "Shard files"). On one rank, as memlens-cli.
#include "cli_common.h"
#include "distributed/shard_file.h"
#include "memlens/memory_file.h"
#include "mpi_world.h"

namespace memlens::cli {

Result<std::shared_ptr<const Experiment>> openExperiment(const std::string& path, JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1) return openMemory(path, {}, job);
  auto e = openShardedExperiment(world, path, job);
  if (!e) return e.status();
  return std::shared_ptr<const Experiment>(std::move(*e));
}

Result<CorpusPredictions> predictFromMemory(const std::string& path,
                                            const OpenInOneProcess& openInOneProcess,
                                            const QueriesOf& queriesOf, JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1) return predictFromMemoryInOneProcess(openInOneProcess, queriesOf);
  auto opened = openShards(world, path, job);
  if (!opened) return opened.status();
  std::shared_ptr<const Experiment> e = std::move(opened->experiment);
  InstanceSet queries;
  if (e) queries = queriesOf(e->corpus(), e->record().options.window.width);
  auto predictions = opened->memory->predict(queries, {}, job);
  if (!predictions) return predictions.status();
  if (!e) return CorpusPredictions{};
  return CorpusPredictions{std::shared_ptr<const TokenisedCorpus>(e, &e->corpus()),
                           std::move(*predictions)};
}

}  // namespace memlens::cli
