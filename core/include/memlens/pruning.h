#pragma once

#include <cstdint>
#include <string>

#include "memlens/edited_memory.h"
#include "memlens/evaluation.h"

namespace memlens {

enum class PruneStrategy {
  kCountThreshold,     // stored vectors holding fewer than minCount instances
  kNeverNeighbour,     // usage census: never a neighbour of a census token
  kNegativeCredit,     // usage census: backed rivals of the truth more than the truth
  kRandom,             // each stored vector kept with probability keepFraction (seeded)
  kDocument,           // every instance from one source document (corpus surgery)
  kWilson,             // Wilson editing: stored vectors their k nearest neighbours outvote
  kMerge,              // greedy merging of nearest same-majority vectors (a kMerge edit)
  kCondensed,          // Hart's condensed nearest neighbour, one IB2 pass
  kIgTreeCompression,  // vectors the IGTree answers from a shorter context, merged per node
  kPrefix,             // replay: keeps the first `instances` instances in corpus order, the
                       // memory as it was after them (a kKeepPrefix edit)
};

// Whether `strategy` reads PruneOptions::census; the others never do, and a memory file's
// validation part is copied out of it only when read (0.5 GB at 100M instances).
inline bool usesCensus(PruneStrategy strategy) {
  return strategy == PruneStrategy::kNeverNeighbour || strategy == PruneStrategy::kNegativeCredit;
}

struct PruneOptions {
  PruneStrategy strategy = PruneStrategy::kCountThreshold;
  uint32_t minCount = 2;
  double keepFraction = 0.5;
  uint64_t seed = 1;
  uint32_t document = 0;
  int neighbours = 3;                   // Wilson: k distance buckets
  int mergeNeighbours = 1;              // merge: k distance buckets searched for partners
  uint64_t instances = 0;               // prefix: the instances kept
  const InstanceSet* census = nullptr;  // usage census tokens: validation, never the test set
  // false: a kPrune edit leaves its sources unlisted (empty) for a preview that answers from the
  // stored vectors planned (a drag's stops); EditedMemory lists them when a preview or commit
  // needs them, so what is committed and journaled is the same.
  bool listSources = true;
};

// What one pruning did: slots and probe-set metrics before and after.
struct PruneReport {
  MemoryEdit edit;
  uint32_t slotsBefore = 0, slotsAfter = 0;
  Metrics before, after;
};

// The one edit that prunes `memory` as `options` say: a kPrune edit naming every instance of the
// stored vectors removed (whole vectors go), kRemoveDocument, kKeepPrefix, or for kMerge and
// kIgTreeCompression a kMerge edit moving every instance of each merged vector onto its
// survivor (instance counts are kept; pruning.cpp defines each strategy exactly). Choosing is
// read-only; commit the edit through EditedMemory::preview/commit (or Project::prune) to apply
// it. A strategy that would remove nothing, or everything, is an error. Honours cancel.
Result<MemoryEdit> planPrune(const EditedMemory& memory, const PruneOptions& options,
                             JobControl* job = nullptr);

}  // namespace memlens
