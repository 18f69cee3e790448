#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "distributed/communicator.h"
#include "distributed/message.h"
#include "memlens/instance_base.h"
#include "memlens/trace.h"

namespace memlens {

// A stored vector of a rank's shard as rank 0 needs it for a sharded trace: its trace without id
// or provenance, its first source (which orders stored vectors as one process numbers them) and
// the sources whose provenance it shows.
struct ShardVector {
  uint64_t firstSource = 0;
  NeighbourTrace trace;
  std::vector<uint64_t> sources;
};

// A bucket of neighbours as one process lists it, its vectors in ascending id order.
struct ShardBucket {
  double distance = 0.0;
  double weight = 1.0;
  std::vector<ShardVector> vectors;
  uint64_t unlistedVectors = 0;
  std::vector<ClassVote> unlistedCounts;
};

// Stored vector `v` of `shard` against t.context with t.featureWeights, and the first
// options.maxProvenance of its sources.
ShardVector shardVector(const InstanceBase& shard, uint32_t v, const Trace& t,
                        const TraceOptions& options);

void putShardVector(Message& m, const ShardVector& v);
ShardVector getShardVector(Message& m);

void putString(Message& m, const std::string& s);
std::string getString(Message& m);

// Collective: rank 0's `message` on every rank (its bytes replaced there).
Status share(Communicator& comm, Message& message);

}  // namespace memlens
