#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/prediction.h"
#include "memory/bucket_vote.h"

namespace memlens {

// A bit mask over feature positions with every feature of a `width`-feature memory set.
inline uint32_t allFeatures(int width) { return width >= 32 ? 0xFFFFFFFFu : (1u << width) - 1; }

// Exact k-nearest-bucket search under the weighted overlap metric, and the groups of stored
// vectors agreeing with a query on a set of features (TRIBL2's tree nodes, traces). Masks are
// bit masks over feature positions (bit f = feature f). Two implementations give the same
// answers: NeighbourSearch (match patterns, fastest on narrow memories; memory exponential in
// the width) and InvertedListSearch (per-value lists; memory linear in the stored vectors).
// Thread-safety: const calls may run from many threads; setWeights()/vectorsAdded() may not run
// concurrently with anything else.
class OverlapSearch {
 public:
  virtual ~OverlapSearch() = default;

  virtual void setWeights(const std::vector<double>& weights) = 0;
  // The base grew; `countsAdded` lists (vector id, class index) for every instance merged into a
  // vector that already existed.
  virtual void vectorsAdded(const std::vector<std::pair<uint32_t, uint32_t>>& countsAdded) = 0;

  // IB1 over the stored vectors that match `query` on every feature of `requiredMask` (TRIBL2
  // passes its matched tree prefix; IB1 passes 0).
  virtual void classify(const uint32_t* query, uint32_t requiredMask,
                        const ClassifierOptions& options, const PredictOptions& predictOptions,
                        Prediction& out) const = 0;

  // What classify() votes over, for a vote elsewhere (the merge of a sharded memory's ranks):
  // the k + 1 nearest non-empty buckets of the stored vectors matching `query` on every feature
  // of `requiredMask`, nearest first, each with its summed class counts (by class index).
  struct ScoredBucket {
    double distance = 0.0;
    SparseCounts counts;
  };
  virtual std::vector<ScoredBucket> nearestBuckets(const uint32_t* query, uint32_t requiredMask,
                                                   int k) const = 0;

  // Whether some stored vector agrees with `query` on every feature of `mask`.
  virtual bool hasGroup(const uint32_t* query, uint32_t mask) const = 0;
  // The stored vectors agreeing with `query` on `mask`, in no promised order.
  virtual std::vector<uint32_t> members(const uint32_t* query, uint32_t mask) const = 0;

  // The stored vectors agreeing with `query` on `mask` (any mask: 0 = all, full = the exact
  // match): how many, and their summed class counts by class index. For tracing.
  struct GroupSummary {
    uint32_t vectors = 0;
    std::vector<ClassCount> distribution;
  };
  virtual GroupSummary summarise(const uint32_t* query, uint32_t mask) const = 0;

  // Heap bytes the search holds beyond the instance base (per-thread scratch excluded).
  virtual size_t memoryBytes() const = 0;

 protected:
  // Every stored vector of `base`.
  static GroupSummary summaryOfAll(const InstanceBase& base);
  // Stored vectors `ids`, plus class counts `cached` already summed for others.
  static GroupSummary summaryOf(const InstanceBase& base, std::span<const uint32_t> ids,
                                std::span<const ClassCount> cached = {});
};

}  // namespace memlens
