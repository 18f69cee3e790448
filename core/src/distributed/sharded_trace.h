#pragma once

#include <cstdint>
#include <span>

#include "distributed/communicator.h"
#include "distributed/sharded_memory.h"
#include "memlens/experiment.h"
#include "memlens/result.h"
#include "memlens/trace.h"

namespace memlens {

// Collective: the trace of rank 0's `context` (width ids) over the sharded memory, the one
// traceContext() gives in one process over the whole memory (docs/spec/distributed.md): the
// prediction from the shards, IGTree's and TRIBL2's tree path from the owner of the context's
// first value and their tree evidence from the ranks that hold it, IB1's buckets (and TRIBL2's
// when its walk matched nothing) from the exact merge of every rank's nearest buckets, their
// vectors joined over the ranks that hold them, stored-vector ids numbered as one process
// numbers them, and the provenance from the ranks whose blocks hold the tokens. Rank 0 passes
// the experiment trainSharded() gave it (its smoother) and gets the trace; the other ranks pass
// null and get an empty trace. Every rank returns the same status.
Result<Trace> traceSharded(Communicator& comm, ShardedMemory& memory, const Experiment* experiment,
                           std::span<const uint32_t> context, const TraceOptions& options = {});

}  // namespace memlens
