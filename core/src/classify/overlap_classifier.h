#pragma once

#include "memlens/classifier.h"
#include "memory/overlap_memory.h"

namespace memlens {

// The Classifier plumbing IB1 and TRIBL2 share around an OverlapMemory: training, growth, batch
// and single prediction. Subclasses say only how one query is classified.
// Thread-safety as Classifier.
class OverlapClassifier : public Classifier {
 public:
  explicit OverlapClassifier(const ClassifierOptions& options)
      : options_(options), memory_(options) {}

  Status train(const InstanceSet& instances, JobControl* job) override;
  Status add(const InstanceSet& instances, JobControl* job) override;
  // Takes `base` as the trained memory (see OverlapMemory::adopt).
  Status adopt(InstanceBase base, std::vector<double> weights, JobControl* job,
               SubsetIndexing indexing, std::vector<SubsetIndex::Stored> stored = {}) {
    return memory_.adopt(std::move(base), std::move(weights), job, indexing, std::move(stored));
  }
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& options,
                                          JobControl* job) const override;
  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options) const override;
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override { return memory_.base(); }
  const std::vector<double>& weights() const override { return memory_.weights(); }
  const OverlapMemory& overlapMemory() const { return memory_; }

 protected:
  // Classifies one query of `memory().width()` values into `out`; the memory is trained.
  virtual void classify(const uint32_t* query, const PredictOptions& options,
                        Prediction& out) const = 0;

  ClassifierOptions options_;
  OverlapMemory memory_;
};

}  // namespace memlens
