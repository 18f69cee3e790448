#pragma once

#include <memory>
#include <string>

#include "distributed/communicator.h"
#include "distributed/sharded_classifier.h"
#include "memlens/experiment.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// A sharded memory saved as one memory file per rank (docs/spec/distributed.md, "Shard files"):
// rank r of N writes `PATH.r-of-N`, a memory file holding its shard (instance base, IGTree,
// subset indexes) and a `shard` section (its rank, N, the save's id, the global statistics);
// rank 0's also holds the experiment but its memory (run record, corpus files, vocabulary,
// validation and test parts, base model, class counts). Opened under the same N, the shards
// answer as the saving run's memory did, without training.

// "PATH.r-of-N".
std::string shardPath(const std::string& path, int rank, int ranks);

// Collective: every rank writes its shard of `memory`; rank 0 passes the evaluated `experiment`
// (the other ranks null). Every file is written to a temporary file and synced; only when every
// rank has succeeded are they renamed into place, so a failure or cancel on any rank removes
// every rank's temporary file and leaves the files at the paths as they were. Returns this
// rank's file size.
Result<uint64_t> saveShards(Communicator& comm, const ShardedClassifier& memory,
                            const Experiment* experiment, const std::string& path,
                            JobControl* job = nullptr);

struct OpenedShards {
  std::unique_ptr<ShardedClassifier> memory;  // every rank
  // Rank 0: the saved experiment without a classifier (its corpus, test part, base model,
  // record); null elsewhere.
  std::unique_ptr<Experiment> experiment;
};

// Collective: the memory saved at `path` by as many ranks as `comm` has. Refused (every rank
// the same status) when a shard is missing, damaged, another rank's, of another N, of another
// save than rank 0's, or a memory file of one process.
Result<OpenedShards> openShards(Communicator& comm, const std::string& path,
                                JobControl* job = nullptr);

// Collective: openShards(), with rank 0's experiment answering its test part (the ranks answer
// every test query once, as a sharded eval does): evaluated() of it gives the saving run's
// record. Rank 0 gets the experiment, the other ranks null.
Result<std::unique_ptr<Experiment>> openShardedExperiment(Communicator& comm,
                                                          const std::string& path,
                                                          JobControl* job = nullptr);

}  // namespace memlens
