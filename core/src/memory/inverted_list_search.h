#pragma once

#include <cstdint>
#include <vector>

#include "memlens/instance_base.h"
#include "memory/overlap_search.h"

namespace memlens {

// Exact k-nearest-bucket search under the weighted overlap metric for memories of any width
// (1 to 32 features), in memory linear in the stored vectors: one list of stored vector ids per
// (feature, value). A query ORs its match pattern into a per-vector scratch word while walking
// the lists of its own values (score accumulation, as in exact top-k text retrieval), so only
// stored vectors sharing a value with it are touched; the others all share the largest
// distance. The longest lists (frequent tokens) are skipped when a bound on the nearest buckets
// shows they cannot decide the answer (max-score pruning). Distances are summed in descending
// feature weight, as NeighbourSearch sums them, so both searches form the same buckets.
// Thread-safety as OverlapSearch.
class InvertedListSearch final : public OverlapSearch {
 public:
  explicit InvertedListSearch(const InstanceBase& base);
  InvertedListSearch(const InvertedListSearch&) = delete;
  InvertedListSearch& operator=(const InvertedListSearch&) = delete;

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

 private:
  // Patterns over the kTableRanks highest-weight features have their distance tabulated.
  static constexpr int kTableRanks = 12;
  // Stored vectors scored exactly to bound the nearest buckets before the walk.
  static constexpr size_t kSampleVectors = 1024;
  // Under TRIBL2's prefix, list ids walked per member beyond which scoring every member's row
  // costs less.
  static constexpr size_t kWalkPerMember = 16;

  const std::vector<uint32_t>& list(int feature, uint32_t value) const;
  // Finds the k + 1 nearest buckets of the stored vectors agreeing with `query` on
  // `requiredMask` and calls use(distances, countsOf(b), membersOf(b)) unless there is none.
  template <typename Use>
  void walk(const uint32_t* query, uint32_t requiredMask, int k, Use&& use) const;
  // Calls fn(id) for the stored vectors agreeing with `query` on the features of `mask`
  // (mask ≠ 0), until fn returns false.
  template <typename Fn>
  void forEachAgreeing(const uint32_t* query, uint32_t mask, Fn&& fn) const;
  // The match pattern of stored vector `id` by weight rank (bit r = feature byWeight_[r]).
  uint32_t rankPattern(uint32_t id, const uint32_t* query) const;
  // Max-score pruning: scores the members of the query's shortest lists to bound the start of
  // the (k+1)-th bucket (`bound`), and returns the ranks (bits) of the longest lists whose
  // summed weight is too small for a vector matching only them to come within it; 0 when no
  // list can be skipped so.
  uint32_t skippableRanks(const uint32_t* query, size_t keep, double& bound) const;
  // TRIBL2's fallback: the exact distances of the stored vectors `ids` (those agreeing with
  // `query` on `requiredMask`) into `distances`, dropping from `ids` some that are too far to
  // be among the nearest `keep` buckets. Bounds and walks the lists as classify() does for IB1,
  // restricted to the members; `pattern` is the per-vector scratch, all zero before and after.
  void scoreAgreeing(const uint32_t* query, uint32_t requiredMask, size_t keep,
                     std::vector<uint32_t>& ids, std::vector<double>& distances,
                     std::vector<uint32_t>& pattern) const;
  // The distance of a stored vector with rank pattern `pattern`: the weights of its mismatched
  // features summed in rank order.
  double distance(uint32_t pattern) const;

  const InstanceBase& base_;
  int width_;
  uint32_t indexed_ = 0;
  std::vector<std::vector<std::vector<uint32_t>>> lists_;  // [feature][value]: ids, ascending
  std::vector<double> weights_;
  std::vector<int> byWeight_;          // rank → feature
  std::vector<double> tableDistance_;  // per pattern of the first kTableRanks ranks
};

}  // namespace memlens
