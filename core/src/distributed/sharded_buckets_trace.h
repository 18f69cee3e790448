#pragma once

#include <cstdint>
#include <vector>

#include "distributed/communicator.h"
#include "distributed/shard_vector.h"
#include "distributed/sharded_classifier.h"
#include "memlens/result.h"
#include "memlens/trace.h"

namespace memlens {

// Collective: which of this rank's stored vectors no earlier rank holds (IB1's blocks repeat
// vectors; the first rank holding one numbers it as one process does): firstHeld[i] is how many
// of local ids 0 .. i-1 are first held here (size: the shard's vectors + 1). Empty for disjoint
// shards (every vector is first held where it lies). One exchange of every stored vector.
Result<std::vector<uint32_t>> firstHeldBefore(Communicator& comm,
                                              const ShardedClassifier& classifier);

// Collective: the buckets one process lists for t.context (t.featureWeights the global weights)
// when it runs IB1 over the whole memory (IB1, TRIBL2 when its walk matched nothing), with the
// distances and weights of the exact merge of every rank's nearest buckets, each bucket's
// options.maxBucketNeighbours lowest-id vectors (their counts, instances and sources joined over
// the ranks that hold them) and the rest counted as unlisted. Rank 0 gets them; the vectors carry
// no id yet (their first sources order them as one process's ids).
Status bucketsOverShards(Communicator& comm, const ShardedClassifier& classifier,
                         const std::vector<uint32_t>& firstHeld, const Trace& t,
                         const TraceOptions& options, std::vector<ShardBucket>& buckets);

}  // namespace memlens
