#pragma once

#include <memory>

#include "cli_common.h"
#include "distributed/sharded_memory.h"

namespace memlens::cli {

// runExperiment() on more than one rank (a collective call): rank 0 gets the evaluated
// experiment, the other ranks null. With `kept`, every rank keeps its shard and block there.
Result<std::unique_ptr<Experiment>> runShardedExperiment(const CorpusArgs& corpus,
                                                         const ExperimentOptions& options,
                                                         JobControl* job, ShardedMemory* kept);

}  // namespace memlens::cli
