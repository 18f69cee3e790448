#pragma once

#include <memory>
#include <span>
#include <vector>

#include "distributed/answers_only.h"
#include "distributed/gathered_reads.h"
#include "memlens/instance_base.h"
#include "vector/attention_classifier.h"

namespace memlens {

// A sharded vector memory's reads of a few query sets, merged on rank 0, as the classifier
// tuning and evaluation ask: the one process's attention read at the tuned temperature over the
// slots the ranks found (GatheredReads), so a token's prediction is one process's. A query it
// was not given gets an empty Prediction. It holds no memory: memory() is empty, train() and
// add() fail.
// Immutable but for setTemperature(): const calls may run concurrently.
class AnsweredVectorMemory final : public AnswersOnly<AttentionClassifier> {
 public:
  AnsweredVectorMemory(const ClassifierOptions& options, std::unique_ptr<GatheredReads> reads)
      : options_(options), reads_(std::move(reads)) {}

  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options = {}) const override {
    return reads_->predict(features, options);
  }
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override { return empty_; }
  const std::vector<double>& weights() const override { return reads_->weights(); }

  const AttentionRead* attentionRead() const override { return reads_.get(); }
  void setTemperature(double temperature) override;

 private:
  ClassifierOptions options_;
  std::unique_ptr<GatheredReads> reads_;
  InstanceBase empty_;
};

}  // namespace memlens
