#pragma once

#include <memory>

#include "edit/incremental_classifier.h"
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
  IncrementalIb1(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                 std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                 std::function<const InstanceSet&()> instances);

  // Bound::reach: the distance beyond which no stored vector's change can change the answer
  // (MergedBuckets::reach).
  void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
              Bound& bound) const override;

 private:
  const OverlapMemory& memory_;
  std::shared_ptr<const VectorOverlay> overlay_;
  std::vector<uint32_t> editedIndex_;  // by base class index
};

}  // namespace memlens
