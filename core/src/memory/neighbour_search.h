#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/prediction.h"
#include "memory/overlap_search.h"
#include "memory/subset_index.h"

namespace memlens {

// Exact k-nearest-bucket search under the weighted overlap metric, without scanning memory,
// for narrow memories (its indexes and scratch grow as 2^width). With overlap distance a stored
// vector's distance to the query depends only on which features match (its match pattern), so the
// search walks the 2^width patterns in ascending distance, learns how many stored vectors have
// exactly each pattern from per-subset group sizes (SubsetIndex, built lazily) by Möbius inversion,
// and sums class distributions only for the patterns of the k (+1 on a tie) nearest buckets.
// Thread-safety as OverlapSearch.
class NeighbourSearch final : public OverlapSearch {
 public:
  static constexpr int kMaxWidth = 16;

  explicit NeighbourSearch(const InstanceBase& base);
  // Over the subset indexes a memory file holds for `base` (one per mask, 0 < mask < all
  // features, in ascending order: loadIndexes()): nothing is built.
  NeighbourSearch(const InstanceBase& base, std::vector<SubsetIndex::Stored> stored);
  NeighbourSearch(const NeighbourSearch&) = delete;
  NeighbourSearch& operator=(const NeighbourSearch&) = delete;

  void setWeights(const std::vector<double>& weights) override;
  void vectorsAdded(const std::vector<std::pair<uint32_t, uint32_t>>& countsAdded) override;
  void classify(const uint32_t* query, uint32_t requiredMask, const ClassifierOptions& options,
                const PredictOptions& predictOptions, Prediction& out) const override;
  std::vector<ScoredBucket> nearestBuckets(const uint32_t* query, uint32_t requiredMask,
                                           int k) const override;
  bool hasGroup(const uint32_t* query, uint32_t mask) const override;
  std::vector<uint32_t> members(const uint32_t* query, uint32_t mask) const override;
  GroupSummary summarise(const uint32_t* query, uint32_t mask) const override;
  size_t memoryBytes() const override;

  // The memory-file form: every subset index (building those not built yet), or none.
  void save(ByteWriter& out) const;
  // The same form holding no index (a memory searched otherwise).
  static void saveNone(ByteWriter& out);
  // What save() wrote, for a memory of `width` features (none, or every mask in order), `vectors`
  // stored vectors and `classes` classes; false (the reader says why) when sizes disagree.
  static bool loadIndexes(ByteReader& in, int width, uint32_t vectors, uint32_t classes,
                          std::vector<SubsetIndex::Stored>& out);

  // The group of stored vectors agreeing with `query` on `mask` (0 < mask < all features; the
  // InstanceBase answers full matches), or null.
  const SubsetIndex::Group* group(const uint32_t* query, uint32_t mask) const {
    return index(mask).find(query);
  }
  // members() without the copy: fn(id) for each, until it returns false.
  template <typename Fn>
  void forEachMember(const uint32_t* query, uint32_t mask, Fn&& fn) const {
    const SubsetIndex& idx = index(mask);
    if (const SubsetIndex::Group* g = idx.find(query)) idx.forEachMember(*g, fn);
  }
  // The 2^width match patterns (masks of the features matched) by ascending distance, supersets
  // first among equal ones, as the search walks them; a pattern's distance.
  const std::vector<uint32_t>& patternsByDistance() const { return order_; }
  double distanceOf(uint32_t mask) const { return distanceOf_[mask]; }

 private:
  const SubsetIndex& index(uint32_t mask) const;
  // Finds the k + 1 nearest non-empty buckets of the stored vectors matching `requiredMask`
  // and calls use(distances, countsOf(b), membersOf(b)) unless there is none.
  template <typename Use>
  void walk(const uint32_t* query, uint32_t requiredMask, int k, Use&& use) const;

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
