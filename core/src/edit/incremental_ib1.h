#pragma once

#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "edit/incremental_classifier.h"
#include "edit/overlay_index.h"
#include "edit/vector_overlay.h"
#include "memory/overlap_memory.h"

namespace memlens {

// IB1 under the overlap metric with fixed feature weights over an edited memory, without
// retraining: the trained base's nearest buckets with the overlay's base vectors masked out (their
// counts subtracted, asking the base for more buckets while fewer than k + 1 are left), merged
// exactly with the overlay's vectors (MergedBuckets, as a sharded memory merges its ranks) and
// voted over the edited memory's classes. It answers as IB1 trained on the edited instances.
// TRIBL2's fallback (a query whose first tree value no stored vector has) is this search too.
// Thread-safety as Classifier.
class IncrementalIb1 final : public IncrementalClassifier {
 public:
  // `base`: an IB1 or TRIBL2 classifier (overlapMemoryOf(*base) not null) with `options`' fixed
  // weights.
  // `previous`: the engine of the memory `overlay` was copied from and appended to (its index is
  // shared), or null.
  IncrementalIb1(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                 std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                 std::function<const InstanceSet&()> instances,
                 const IncrementalIb1* previous = nullptr);

  // Bound::reach: the distance beyond which no stored vector's change can change the answer: the
  // k-th merged bucket's (MergedBuckets::kthDistance) when the vote was not tied, else the
  // (k + 1)-th's (MergedBuckets::reach).
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;

  // The edited memory's overlap search, for TRIBL2: IB1 over the stored vectors agreeing with
  // `query` on every feature of `required` (answer() passes 0); whether some stored vector agrees
  // with it on `mask`; the class counts (class id, count) of stored vector `features` (empty: the
  // memory has no such vector).
  void search(const uint32_t* query, uint32_t required, const PredictOptions& options,
              Prediction& out, Bound& bound) const;
  bool hasGroup(const uint32_t* query, uint32_t mask) const;
  std::vector<std::pair<uint32_t, int64_t>> exactCounts(std::span<const uint32_t> features) const;

 private:
  const OverlapMemory& memory_;
  std::shared_ptr<const VectorOverlay> overlay_;
  OverlayIndex index_;                 // over overlay_
  std::vector<uint32_t> editedIndex_;  // by base class index
};

}  // namespace memlens
