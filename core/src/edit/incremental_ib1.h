#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "edit/vector_overlay.h"
#include "memlens/classifier.h"
#include "memory/overlap_memory.h"

namespace memlens {

// An edited memory's classes, in the order a memory trained on its live instances gives them
// (first appearance), with their training totals: what ties are broken by.
struct ClassOrder {
  std::vector<uint32_t> ids;        // by class index
  std::vector<uint64_t> totals;     // by class index
  std::vector<uint32_t> indexOfId;  // by class id (InstanceBase::kNone: no live instance)
};

// IB1 under the overlap metric with fixed feature weights over an edited memory, without
// retraining: the trained base's nearest buckets with the overlay's base vectors masked out (their
// counts subtracted, asking the base for more buckets while fewer than k + 1 are left), merged
// exactly with the overlay's vectors (MergedBuckets, as a sharded memory merges its ranks) and
// voted over the edited memory's classes. It answers as IB1 trained on the edited instances.
// memory() and neighbour lists need the edited memory's InstanceBase (and for neighbours its
// search): each is built from `instances` on first use, not per edit.
// Thread-safety as Classifier; train() and add() are refused (the edited memory is a view).
class IncrementalIb1 final : public Classifier {
 public:
  // `base`: an IB1 classifier (overlapMemoryOf(*base) not null) with `options`' fixed weights.
  IncrementalIb1(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                 std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                 std::function<const InstanceSet&()> instances);

  Status train(const InstanceSet& instances, JobControl* job) override;
  Status add(const InstanceSet& instances, JobControl* job) override;
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& options,
                                          JobControl* job) const override;
  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options) const override;
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override;
  const std::vector<double>& weights() const override { return base_->weights(); }

  // One query of width() values (neighbour lists aside); `reach` gets the distance beyond which
  // no stored vector's change can change the answer (MergedBuckets::reach).
  void classify(const uint32_t* query, const PredictOptions& options, Prediction& out,
                double& reach) const;
  // The weighted overlap distance of two vectors, summed as the base's search sums it.
  double distance(const uint32_t* a, const uint32_t* b) const;
  const ClassOrder& classes() const { return classes_; }
  const std::shared_ptr<const Classifier>& base() const { return base_; }

 private:
  const Classifier& full() const;

  ClassifierOptions options_;
  std::shared_ptr<const Classifier> base_;
  const OverlapMemory& memory_;
  std::shared_ptr<const VectorOverlay> overlay_;
  ClassOrder classes_;
  std::vector<uint32_t> editedIndex_;  // by base class index
  std::vector<double> weights_;
  std::vector<int> byWeight_;
  int width_;
  std::function<const InstanceSet&()> instances_;
  mutable std::once_flag fullOnce_, memoryOnce_;
  mutable std::unique_ptr<Classifier> full_;
  mutable InstanceBase memoryBuilt_;
};

}  // namespace memlens
