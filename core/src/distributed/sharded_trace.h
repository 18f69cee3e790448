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
// prediction from the shards, the tree path from the owner of the context's first value, the
// tree evidence from the ranks that hold it, its stored-vector ids numbered as one process
// numbers them, TRIBL2's buckets from the owner, and the provenance from the ranks whose blocks
// hold the tokens. Rank 0 passes the experiment trainSharded() gave it (its smoother) and gets
// the trace; the other ranks pass null and get an empty trace. IGTree, and TRIBL2 when some
// stored vector has the context's first tree value (else TRIBL2 runs IB1 over the whole memory:
// refused, as IB1 is). Every rank returns the same status.
Result<Trace> traceSharded(Communicator& comm, ShardedMemory& memory, const Experiment* experiment,
                           std::span<const uint32_t> context, const TraceOptions& options = {});

}  // namespace memlens
