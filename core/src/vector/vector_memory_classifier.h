#pragma once

#include <memory>
#include <vector>

#include "memlens/vector_memory.h"
#include "memlens/word_vectors.h"
#include "vector/attention_classifier.h"

namespace memlens {

// The vector memory as a Classifier, so evaluation, traces and learning curves treat it like the
// other engines: the slots are an InstanceBase of the training instances, the position weights
// those of IB1, the word vectors learnt from the same instances (never from held-out text), and
// a prediction is the attention read (VectorMemory::predict).
// Thread-safety as Classifier; setTemperature() counts as a change like add().
class VectorMemoryClassifier final : public AttentionClassifier {
 public:
  explicit VectorMemoryClassifier(const ClassifierOptions& options) : options_(options) {}

  Status train(const InstanceSet& instances, JobControl* job) override;
  Status add(const InstanceSet& instances, JobControl* job) override;
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& options,
                                          JobControl* job) const override;
  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options) const override;
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override { return state_ ? state_->base : empty_; }
  const std::vector<double>& weights() const override {
    return state_ ? state_->weights : noWeights_;
  }

  // Null before training.
  const VectorMemory* vectorMemory() const { return state_ ? state_->read.get() : nullptr; }
  const AttentionRead* attentionRead() const override { return vectorMemory(); }
  // Takes `base` as the trained memory: weights, word vectors and the read are derived from it
  // as train() derives them, no instance is re-added.
  Status adopt(InstanceBase base, JobControl* job);
  void setTemperature(double temperature) override;

 private:
  struct State {
    explicit State(InstanceBase b) : base(std::move(b)) {}
    InstanceBase base;
    std::vector<double> weights;
    std::unique_ptr<WordVectors> vectors;
    std::unique_ptr<VectorMemory> read;  // over base, weights and vectors above
  };
  // Adds `instances` to `base` and derives weights, vectors and the read from the result; the
  // current state is replaced only when all of it succeeded.
  Status rebuild(InstanceBase base, const InstanceSet& instances, JobControl* job);
  // Makes `base` with `vectors` (learnt from it; null without) the trained memory: its weights
  // and read derived as train() derives them.
  Status install(InstanceBase base, std::unique_ptr<WordVectors> vectors, JobControl* job);

  ClassifierOptions options_;
  std::unique_ptr<State> state_;
  InstanceBase empty_;
  std::vector<double> noWeights_;
};

}  // namespace memlens
