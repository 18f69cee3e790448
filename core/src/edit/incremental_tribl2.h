#pragma once

#include <memory>
#include <span>
#include <vector>

#include "edit/incremental_ib1.h"
#include "memory/overlap_memory.h"

namespace memlens {

// TRIBL2 under the overlap metric with fixed feature weights over an edited memory, without
// retraining: the trained memory and the overlay of what the edits changed, searched together
// (IncrementalIb1::search, hasGroup, exactCounts) along TRIBL2's walk: the exact match, the
// prefix of tree features some stored vector shares with the query, and IB1 below that prefix,
// voted over the edited memory's classes and totals. An answer reads only the stored vectors
// below its matched prefix (docs/spec/distributed.md, "TRIBL2"; the whole memory for a query
// whose first tree value no stored vector has), so an edit changes it only through a vector
// there within its vote's reach, one that makes the walk go deeper (agreeing with the query on
// the prefix one tree feature longer), or a tie it moved; a vote an edit reaches is voted again
// from the buckets it read while the walk stays (IncrementalIb1::revote). Recomputed weights
// that keep the base's tree order and order of match distances are taken as IncrementalIb1
// takes them. Thread-safety as Classifier.
class IncrementalTribl2 final : public IncrementalClassifier {
 public:
  // `base`: a TRIBL2 classifier with `options`' fixed weights; `overlay` what differs from it;
  // `previous` and `reweighted` as IncrementalIb1's.
  IncrementalTribl2(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                    std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                    std::function<const InstanceSet&()> instances,
                    const IncrementalTribl2* previous = nullptr,
                    std::shared_ptr<const ReweightedDistances> reweighted = nullptr);

  const std::vector<double>& weights() const override { return edited_.weights(); }

  // Bound: an exact match's own vector (reach 0 on every feature) and its default's tie; else the
  // vote's reach below the matched prefix (`required`), the prefix one tree feature longer
  // (`deeper`) and the vote's tie.
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;
  // As answer(), also giving the buckets the vote read (null for an exact match; see
  // IncrementalIb1::answer).
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out, Bound& bound,
              std::shared_ptr<const IncrementalIb1::Vote>& vote) const;
  // The answer again from `kept`, the vote of the memory this one was edited from, answered with
  // bound `was`, and `changes`: every change this memory's edit made to a stored vector agreeing
  // with the query on `was.required` within `was.reach`; the caller has seen that no edited
  // vector agrees with it on `was.deeper`, so the walk stops where it stopped. False as
  // IncrementalIb1::revote.
  bool revote(const IncrementalIb1::Vote& kept, const Bound& was,
              std::span<const IncrementalIb1::Change> changes, const PredictOptions& options,
              Prediction& out, Bound& bound,
              std::shared_ptr<const IncrementalIb1::Vote>& vote) const;
  TreePath treePath(std::span<const uint32_t> features) const override {
    return full().treePath(features);
  }

  // The overlap search over the edited memory (its index of the overlay's entries).
  const IncrementalIb1& edited() const { return edited_; }

 private:
  void exact(const std::vector<std::pair<uint32_t, int64_t>>& counts, const PredictOptions& options,
             Prediction& out, Bound& bound) const;

  const OverlapMemory& memory_;
  IncrementalIb1 edited_;
};

}  // namespace memlens
