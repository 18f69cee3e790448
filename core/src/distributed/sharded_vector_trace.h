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

// Collective: the tokens × slots map of rank 0's `tokens` over a sharded vector memory, the one
// traceVectorSequence() gives in one process: every token's context read as above, the columns
// chosen by the attention summed over the rows (ties in one process's slot order), their ids,
// values and counts from the ranks that hold them. Rank 0 passes its experiment and gets the
// map; the other ranks pass null and get an empty map. Every rank returns the same status.
Result<SequenceAttention> traceShardedVectorSequence(Communicator& comm,
                                                     const ShardedMemory& memory,
                                                     const Experiment* experiment,
                                                     std::span<const uint32_t> tokens,
                                                     size_t maxSlots = 10);

}  // namespace memlens
