#pragma once

#include <memory>

#include "distributed/communicator.h"
#include "distributed/corpus_block.h"
#include "distributed/sharded_classifier.h"
#include "memlens/experiment.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// Collective: Experiment::trained() over a corpus sharded by lines (docs/spec/distributed.md):
// every rank windows and splits its block, the memory is sharded (ShardedClassifier), the
// Kneser-Ney counts are reduced to rank 0, which gathers the validation and test parts, has
// the ranks answer their queries, and tunes. Rank 0 gets the trained experiment, which
// evaluated() turns into one process's record; the other ranks get null. IB1, IGTree and TRIBL2
// (overlap metric), line or OLIFANT blocks. Every rank returns the same status. `memory`, when
// given, gets every rank's shard of the memory (to save it: shard_file.h); else it is freed.
Result<std::unique_ptr<Experiment>> trainSharded(
    Communicator& comm, CorpusBlock block, const ExperimentOptions& options,
    JobControl* job = nullptr, std::unique_ptr<ShardedClassifier>* memory = nullptr);

}  // namespace memlens
