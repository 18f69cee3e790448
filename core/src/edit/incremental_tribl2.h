#pragma once

#include <memory>
#include <vector>

#include "edit/incremental_ib1.h"
#include "memory/overlap_memory.h"

namespace memlens {

// TRIBL2 under the overlap metric with fixed feature weights over an edited memory, without
// retraining: the trained memory and the overlay of what the edits changed, searched together
// (IncrementalIb1::search, hasGroup, exactCounts) along TRIBL2's walk: the exact match, the
// prefix of tree features some stored vector shares with the query, and IB1 below that prefix,
// voted over the edited memory's classes and totals. TRIBL2's walk, exact match and IB1 below a
// matched prefix only see stored vectors with the query's first tree value
// (docs/spec/distributed.md, "TRIBL2"), so an edit can change only the answers of queries with a
// first value it touched, of those whose tie it moved, and of the fallback (a query whose first
// value no stored vector has: IB1 over the whole memory) within its reach. Recomputed weights that
// keep the base's tree order and order of match distances are taken as IncrementalIb1 takes them.
// Thread-safety as Classifier.
class IncrementalTribl2 final : public IncrementalClassifier {
 public:
  // `base`: a TRIBL2 classifier with `options`' fixed weights; `overlay` what differs from it;
  // `touched`: the first tree values the last edit touched (sorted); `previous` and `reweighted`
  // as IncrementalIb1's.
  IncrementalTribl2(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                    std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                    std::vector<uint32_t> touched, std::function<const InstanceSet&()> instances,
                    const IncrementalTribl2* previous = nullptr,
                    std::shared_ptr<const ReweightedDistances> reweighted = nullptr);

  const std::vector<double>& weights() const override { return edited_.weights(); }

  // Bound: the fallback's reach (IncrementalIb1); ties of an exact match's default or a vote.
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;
  bool rebuiltFor(const uint32_t* query) const override;
  TreePath treePath(std::span<const uint32_t> features) const override {
    return full().treePath(features);
  }

  int firstFeature() const { return memory_.treeOrder().front(); }

 private:
  void exact(const std::vector<std::pair<uint32_t, int64_t>>& counts, const PredictOptions& options,
             Prediction& out, Bound& bound) const;

  const OverlapMemory& memory_;
  IncrementalIb1 edited_;
  std::vector<uint32_t> touched_;
};

}  // namespace memlens
