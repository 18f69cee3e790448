// memlens-cli-mpi's explain: on more than one rank, the sharded experiment keeps every rank's
// shard and block, rank 0 encodes the context, and the ranks trace it together
// (docs/spec/distributed.md). On one rank, as memlens-cli.
#include "cli_experiment_sharded.h"
#include "distributed/sharded_trace.h"
#include "mpi_world.h"

namespace memlens::cli {

Result<TracedContext> traceOnCorpus(const CorpusArgs& corpus, const ExperimentOptions& options,
                                    const ContextOf& contextOf, JobControl* job) {
  Communicator& world = mpiWorld();
  if (world.size() == 1) return traceOnCorpusInOneProcess(corpus, options, contextOf, job);
  // Refused before the training it would waste (every rank sees the same options).
  const Algorithm algorithm = options.classifier.algorithm;
  if (algorithm != Algorithm::kIb1 && algorithm != Algorithm::kIgTree &&
      algorithm != Algorithm::kTribl2)
    return Status::invalidArgument(
        "explain runs sharded for --model ib1, igtree and tribl2 only: run it with one rank "
        "or with memlens-cli");
  ShardedMemory memory;
  auto trained = runShardedExperiment(corpus, options, job, &memory);
  if (!trained) return trained.status();
  Result<std::vector<uint32_t>> context = std::vector<uint32_t>();
  if (*trained) context = contextOf(**trained);
  if (Status st = world.agree(context ? Status::ok() : context.status()); !st) return st;
  auto trace = traceSharded(world, memory, trained->get(), *context);
  if (!trace) return trace.status();
  TracedContext traced;
  traced.trace = std::move(*trace);
  traced.experiment = std::move(*trained);
  return traced;
}

}  // namespace memlens::cli
