#pragma once

#include <cstdint>
#include <span>

#include "distributed/communicator.h"
#include "distributed/sharded_memory.h"
#include "memlens/experiment.h"
#include "memlens/result.h"
#include "memlens/vector_trace.h"

namespace memlens {

// Collective: the trace of rank 0's `context` (width ids) over a sharded vector memory, the one
// traceVectorMemory() gives in one process over the whole memory (docs/spec/distributed.md): the
// slots of the exact merge of every rank's nearest (as eval reads them), read at the temperature
// rank 0's experiment tuned; each slot's values, counts, attention-map row, instance count and
// sources from the rank that holds it, its id as one process numbers it, and its provenance from
// the ranks whose blocks hold the tokens; λ and the outcomes from rank 0's smoother. Rank 0
// passes the experiment trainSharded() gave it and gets the trace; the other ranks pass null and
// get an empty trace. Every rank returns the same status.
Result<VectorTrace> traceShardedVectorMemory(Communicator& comm, const ShardedMemory& memory,
                                             const Experiment* experiment,
                                             std::span<const uint32_t> context,
                                             size_t topOutcomes = 10);

}  // namespace memlens
