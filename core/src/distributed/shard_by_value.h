#pragma once

#include "distributed/communicator.h"
#include "distributed/global_statistics.h"
#include "memlens/instance_base.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// The rank that holds the stored vectors whose sharding feature has `value`.
inline int ownerOf(uint32_t value, int ranks) {
  return static_cast<int>(value % static_cast<uint32_t>(ranks));
}

// Collective: sends every instance of this rank's `block` to the owner of its value of `feature`
// (the tree's first feature) and returns this rank's shard: the instances it owns, as an
// instance base with the global class indices (IGTree's default-class ties and TRIBL2's exact
// matches follow them). The block moves in rounds of at most comm.roundBytes(), its memory
// released as it is sent, and each received round is freed once it is in the shard: a rank holds
// about one block's worth of instances at a time, as one process holds its instances, not also
// packed and received copies of them.
Result<InstanceBase> shardByValue(Communicator& comm, InstanceSet block, int feature,
                                  const GlobalStatistics& stats, JobControl* job);

}  // namespace memlens
