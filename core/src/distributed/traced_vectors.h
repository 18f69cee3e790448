#pragma once

#include <cstdint>
#include <vector>

#include "distributed/communicator.h"
#include "distributed/shard_vector.h"
#include "distributed/sharded_memory.h"
#include "memlens/result.h"
#include "memlens/trace.h"

namespace memlens {

// Collective: the traces of `vectors` (rank 0's; the other ranks pass none) with one process's
// ids, counted from the vectors' first sources over every rank (`firstHeld`: firstHeldBefore()'s,
// empty for disjoint shards), and their provenance, from the ranks whose blocks hold the tokens.
// Rank 0 gets them in the order given; the other ranks get none.
Result<std::vector<NeighbourTrace>> tracedVectors(Communicator& comm, const ShardedMemory& memory,
                                                  const std::vector<uint32_t>& firstHeld,
                                                  std::vector<ShardVector> vectors,
                                                  const TraceOptions& options);

}  // namespace memlens
