#pragma once

#include <map>
#include <memory>
#include <vector>

#include "edit/incremental_ib1.h"
#include "memory/overlap_memory.h"

namespace memlens {

// TRIBL2 under the overlap metric with fixed feature weights over an edited memory, without
// retraining. TRIBL2's walk, its exact match and the IB1 below a matched prefix only see stored
// vectors with the query's first tree value (docs/spec/distributed.md, "TRIBL2"): a first value
// an edit touched is answered by a memory rebuilt from that value's live instances (a part), any
// other by the trained memory, whose vectors with that value did not change; either way votes and
// an exact match's default are taken over the edited memory's classes and totals. A query whose
// first value no stored vector has falls back to IB1 over the whole memory: IncrementalIb1 over
// the trained memory and the overlay of what the edits changed.
// Thread-safety as Classifier.
class IncrementalTribl2 final : public IncrementalClassifier {
 public:
  // Null: no live instance has the value.
  using Parts = std::map<uint32_t, std::shared_ptr<const OverlapMemory>>;

  // `base`: a TRIBL2 classifier with `options`' fixed weights; `overlay` what differs from it;
  // `parts`: the first values rebuilt since `base`; `rebuiltNow`: those the last edit rebuilt
  // (sorted).
  IncrementalTribl2(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                    std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes, Parts parts,
                    std::vector<uint32_t> rebuiltNow,
                    std::function<const InstanceSet&()> instances);

  // The memory of `instances` (all with one first value, not empty).
  static Result<std::shared_ptr<const OverlapMemory>> buildPart(const InstanceSet& instances,
                                                                const ClassifierOptions& options);

  // Bound: the fallback's reach (IncrementalIb1); ties of an exact match's default or a vote.
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;
  bool rebuiltFor(const uint32_t* query) const override;
  TreePath treePath(std::span<const uint32_t> features) const override {
    return full().treePath(features);
  }

  int firstFeature() const { return memory_.treeOrder().front(); }
  const Parts& parts() const { return parts_; }

 private:
  void exact(const InstanceBase& base, uint32_t id, const PredictOptions& options, Prediction& out,
             Bound& bound) const;

  const OverlapMemory& memory_;
  IncrementalIb1 fallback_;
  Parts parts_;
  std::vector<uint32_t> rebuiltNow_;
};

}  // namespace memlens
