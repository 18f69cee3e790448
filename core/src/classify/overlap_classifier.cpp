#include "classify/overlap_classifier.h"

#include "classify/batch_predict.h"
#include "classify/classifier_factories.h"

namespace memlens {

Status OverlapClassifier::train(const InstanceSet& instances, JobControl* job) {
  return memory_.train(instances, job);
}

Status OverlapClassifier::add(const InstanceSet& instances, JobControl* job) {
  return memory_.add(instances, job);
}

Result<std::vector<Prediction>> OverlapClassifier::predict(const InstanceSet& queries,
                                                           const PredictOptions& options,
                                                           JobControl* job) const {
  if (!memory_.trained()) return Status::invalidArgument("the memory is empty: train first");
  return predictBatch(queries, memory_.base().width(), options, job,
                      [&](const uint32_t* q, Prediction& out) { classify(q, options, out); });
}

Prediction OverlapClassifier::predictOne(std::span<const uint32_t> features,
                                         const PredictOptions& options) const {
  Prediction out;
  if (memory_.trained() && features.size() == static_cast<size_t>(memory_.base().width())) {
    classify(features.data(), options, out);
  }
  return out;
}

const OverlapMemory* overlapMemoryOf(const Classifier& classifier) {
  const auto* overlap = dynamic_cast<const OverlapClassifier*>(&classifier);
  return overlap ? &overlap->overlapMemory() : nullptr;
}

}  // namespace memlens
