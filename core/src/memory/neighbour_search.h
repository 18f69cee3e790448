#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/prediction.h"
#include "memory/subset_index.h"

namespace memlens {

// Exact k-nearest-bucket search under the weighted overlap metric, without scanning memory.
// With overlap distance a stored vector's distance to the query depends only on which features
// match (its match pattern), so the search walks the 2^width patterns in ascending distance,
// learns how many stored vectors have exactly each pattern from per-subset group sizes
// (SubsetIndex, built lazily) by Möbius inversion, and sums class distributions only for the
// patterns of the k (+1 on a tie) nearest buckets.
// Thread-safety: classify() may run from many threads; setWeights()/vectorsAdded() may not run
// concurrently with anything else.
class NeighbourSearch {
 public:
  static constexpr int kMaxWidth = 16;

  explicit NeighbourSearch(const InstanceBase& base);
  NeighbourSearch(const NeighbourSearch&) = delete;
  NeighbourSearch& operator=(const NeighbourSearch&) = delete;

  void setWeights(const std::vector<double>& weights);
  // The base grew: `oldVectorCount` vectors existed before; `countsAdded` lists (vector id, class
  // index) for every instance merged into a vector that already existed.
  void vectorsAdded(const std::vector<std::pair<uint32_t, uint32_t>>& countsAdded);

  // IB1 over the stored vectors that match `query` on every feature of `requiredMask` (TRIBL2
  // passes its matched tree prefix; IB1 passes 0).
  void classify(const uint32_t* query, uint32_t requiredMask, const ClassifierOptions& options,
                const PredictOptions& predictOptions, Prediction& out) const;

  // The group of stored vectors agreeing with `query` on `mask` (0 < mask < all features; the
  // InstanceBase answers full matches), or null.
  const SubsetIndex::Group* group(const uint32_t* query, uint32_t mask) const {
    return index(mask).find(query);
  }
  // The stored vectors of that group, newest first (empty when there is none).
  std::vector<uint32_t> members(const uint32_t* query, uint32_t mask) const;

  // The stored vectors agreeing with `query` on `mask` (any mask: 0 = all, full = the exact
  // match): how many, and their summed class counts by class index. For tracing.
  struct GroupSummary {
    uint32_t vectors = 0;
    std::vector<ClassCount> distribution;
  };
  GroupSummary summarise(const uint32_t* query, uint32_t mask) const;

 private:
  const SubsetIndex& index(uint32_t mask) const;

  const InstanceBase& base_;
  int width_;
  uint32_t full_;
  std::vector<double> weights_;
  std::vector<uint32_t> order_;     // masks by ascending distance
  std::vector<uint32_t> bucketOf_;  // per position in order_: distance group
  std::vector<double> distanceOf_;  // per mask
  mutable std::unique_ptr<std::once_flag[]> built_;
  mutable std::vector<std::unique_ptr<SubsetIndex>> indexes_;
};

}  // namespace memlens
