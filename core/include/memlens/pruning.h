#pragma once

#include <cstdint>
#include <string>

#include "memlens/edited_memory.h"
#include "memlens/evaluation.h"

namespace memlens {

enum class PruneStrategy {
  kCountThreshold,  // stored vectors holding fewer than minCount instances
  kNeverNeighbour,  // usage census: never a neighbour of a census token
  kNegativeCredit,  // usage census: backed rivals of the truth more than the truth
  kRandom,          // each stored vector kept with probability keepFraction (seeded)
  kDocument,        // every instance from one source document (corpus surgery)
  kWilson,          // Wilson editing: stored vectors their k nearest neighbours outvote
};

struct PruneOptions {
  PruneStrategy strategy = PruneStrategy::kCountThreshold;
  uint32_t minCount = 2;
  double keepFraction = 0.5;
  uint64_t seed = 1;
  uint32_t document = 0;
  int neighbours = 3;                   // Wilson: k distance buckets
  const InstanceSet* census = nullptr;  // usage census tokens: validation, never the test set
};

// What one pruning did: slots and probe-set metrics before and after.
struct PruneReport {
  MemoryEdit edit;
  uint32_t slotsBefore = 0, slotsAfter = 0;
  Metrics before, after;
};

const char* pruneStrategyName(PruneStrategy s);

// The one edit that prunes `memory` as `options` say: a kPrune edit naming every instance of the
// stored vectors removed (whole vectors go), or kRemoveDocument. Choosing is read-only; commit
// the edit through EditedMemory::preview/commit (or Project::prune) to apply it. A strategy that
// would remove nothing, or everything, is an error. Honours cancel.
Result<MemoryEdit> planPrune(const EditedMemory& memory, const PruneOptions& options,
                             JobControl* job = nullptr);

}  // namespace memlens
