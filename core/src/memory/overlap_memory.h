#pragma once

#include <memory>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memory/mvdm_search.h"
#include "memory/overlap_search.h"
#include "memory/subset_index.h"

namespace memlens {

// Whether a narrow memory gets the pattern search's subset indexes, all built as the memory is
// trained or adopted (training pays for them, not the first queries), or none: it is searched
// through per-value lists as a wide memory is, built in one pass over the stored vectors, at a
// few times the cost per query (a base read to answer a few queries: on the KJV the indexes cost
// more than reading the base).
enum class SubsetIndexing { kUpFront, kNone };

// What IB1 and TRIBL2 share: the instance base, its feature weights, the tree order (features
// by descending weight, ties to the lower index), the overlap search over it (which also serves
// TRIBL2's tree walk: NeighbourSearch on narrow memories, InvertedListSearch on wide ones) and,
// under MVDM, the value-difference search.
// Grows in place with add(); not thread-safe for train()/add().
class OverlapMemory {
 public:
  // Widest memory searched by match patterns (NeighbourSearch, its 2^width subset indexes built
  // at training); wider ones use per-value lists (InvertedListSearch). At width 8 on 120k KJV
  // instances the pattern search answered 4x faster but held 11x the memory (680 MB).
  static constexpr int kPatternSearchMaxWidth = 6;

  explicit OverlapMemory(const ClassifierOptions& options) : options_(options) {}

  Status train(const InstanceSet& instances, JobControl* job);
  // As train(), over a memory already built (a memory file's): no instance is re-added.
  // `weights`: those training computed for `base`, or empty to compute them. `stored`: the
  // subset indexes a memory file holds for `base` (NeighbourSearch::loadIndexes()), taken as
  // they are by a narrow memory instead of building any; empty to build them as `indexing` says.
  Status adopt(InstanceBase base, std::vector<double> weights, JobControl* job,
               SubsetIndexing indexing = SubsetIndexing::kUpFront,
               std::vector<SubsetIndex::Stored> stored = {});
  Status add(const InstanceSet& instances, JobControl* job);

  bool trained() const { return state_ != nullptr; }
  const InstanceBase& base() const { return state_ ? state_->base : empty_; }
  const std::vector<double>& weights() const { return state_ ? state_->weights : noWeights_; }
  const std::vector<int>& treeOrder() const { return state_->order; }
  const OverlapSearch& search() const { return *state_->search; }
  // The MVDM search when the metric is MVDM, else null.
  const MvdmSearch* mvdm() const { return state_->mvdm.get(); }

 private:
  struct State {
    explicit State(InstanceBase b) : base(std::move(b)) {}
    InstanceBase base;
    std::vector<double> weights;
    std::vector<int> order;
    std::unique_ptr<OverlapSearch> search;
    std::unique_ptr<MvdmSearch> mvdm;
  };
  void refreshWeights(State& s) const;
  void applyWeights(State& s, std::vector<double> weights) const;

  ClassifierOptions options_;
  std::unique_ptr<State> state_;
  InstanceBase empty_;
  std::vector<double> noWeights_;
};

// Features by descending weight, ties to the lower original index.
std::vector<int> featureOrder(const std::vector<double>& weights);

// The feature weights a memory of `base` uses: options.fixedWeights, else computed by
// options.weighting from the base's counts.
std::vector<double> memoryWeights(const ClassifierOptions& options, const InstanceBase& base);
// The tree order a memory with `weights` uses: options.fixedOrder, else featureOrder(weights).
std::vector<int> memoryOrder(const ClassifierOptions& options, const std::vector<double>& weights);
// Fixed weights must give one weight per feature of a `width`-feature memory, a fixed order
// every feature once.
Status checkFixedWeights(const ClassifierOptions& options, int width);

}  // namespace memlens
