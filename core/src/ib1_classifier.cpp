#include "batch_predict.h"
#include "classifier_factories.h"
#include "overlap_memory.h"

namespace memlens {
namespace {

// IB1: exact k-nearest-bucket classification under the weighted overlap metric (no scan; see
// NeighbourSearch). Thread-safety as Classifier.
class Ib1Classifier final : public Classifier {
 public:
  explicit Ib1Classifier(const ClassifierOptions& options) : options_(options), memory_(options) {}

  Status train(const InstanceSet& instances, JobControl* job) override {
    return memory_.train(instances, job);
  }
  Status add(const InstanceSet& instances, JobControl* job) override {
    return memory_.add(instances, job);
  }
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& options,
                                          JobControl* job) const override {
    if (!memory_.trained()) return Status::invalidArgument("the memory is empty: train first");
    return predictBatch(queries, memory_.base().width(), options, job,
                        [&](const uint32_t* q, Prediction& out) { classify(q, options, out); });
  }
  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options) const override {
    Prediction out;
    if (memory_.trained() && features.size() == static_cast<size_t>(memory_.base().width()))
      classify(features.data(), options, out);
    return out;
  }
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override { return memory_.base(); }
  const std::vector<double>& weights() const override { return memory_.weights(); }

 private:
  void classify(const uint32_t* q, const PredictOptions& options, Prediction& out) const {
    memory_.search().classify(q, 0, options_, options, out);
  }

  ClassifierOptions options_;
  OverlapMemory memory_;
};

}  // namespace

std::unique_ptr<Classifier> makeIb1Classifier(const ClassifierOptions& options) {
  return std::make_unique<Ib1Classifier>(options);
}

}  // namespace memlens
