#include "edit/incremental_classifier.h"

#include <algorithm>

#include "classify/batch_predict.h"
#include "classify/classifier_factories.h"
#include "memory/overlap_memory.h"

namespace memlens {

std::vector<uint32_t> tiedClasses(const Prediction& p) {
  if (!p.tie) return {};
  if (p.distribution.empty()) return {Prediction::kNoClass};
  double best = 0.0;
  for (const ClassVote& v : p.distribution) best = std::max(best, v.weight);
  std::vector<uint32_t> top;
  for (const ClassVote& v : p.distribution)
    if (v.weight == best) top.push_back(v.classId);
  if (top.size() < 2) top.clear();  // the k + 1 vote broke the tie
  return top;
}

IncrementalClassifier::IncrementalClassifier(const ClassifierOptions& options,
                                             std::shared_ptr<const Classifier> base,
                                             ClassOrder classes,
                                             std::function<const InstanceSet&()> instances,
                                             std::vector<double> weights)
    : options_(options),
      base_(std::move(base)),
      classes_(std::move(classes)),
      weights_(weights.empty() ? base_->weights() : std::move(weights)),
      byWeight_(featureOrder(weights_)),
      width_(base_->memory().width()),
      instances_(std::move(instances)) {}

Status IncrementalClassifier::train(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("an edited memory changes by edits, not by training");
}

Status IncrementalClassifier::add(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("an edited memory grows by insert edits, not by add()");
}

double IncrementalClassifier::distance(const uint32_t* a, const uint32_t* b) const {
  double d = 0.0;
  for (int f : byWeight_)
    if (a[f] != b[f]) d += weights_[static_cast<size_t>(f)];
  return d;
}

Result<std::vector<Prediction>> IncrementalClassifier::predict(const InstanceSet& queries,
                                                               const PredictOptions& options,
                                                               JobControl* job) const {
  if (options.neighbours) return full().predict(queries, options, job);
  return predictBatch(queries, width_, options, job, [&](const uint32_t* q, Prediction& out) {
    Bound bound;
    answer(q, options, out, bound);
  });
}

Prediction IncrementalClassifier::predictOne(std::span<const uint32_t> features,
                                             const PredictOptions& options) const {
  if (options.neighbours) return full().predictOne(features, options);
  Prediction out;
  if (features.size() != static_cast<size_t>(width_)) return out;
  Bound bound;
  answer(features.data(), options, out, bound);
  return out;
}

const InstanceBase& IncrementalClassifier::memory() const {
  // The stored vectors alone (the Memory tab lists them): no search indexes to build. Their ids
  // are those of full()'s memory, built from the same instances in the same order.
  std::call_once(memoryOnce_, [this] {
    memoryBuilt_ = InstanceBase(width_);
    (void)memoryBuilt_.add(instances_());
  });
  return memoryBuilt_;
}

const Classifier& IncrementalClassifier::full() const {
  std::call_once(fullOnce_, [this] {
    // The options were checked when the base was trained with them, and EditedMemory refuses an
    // empty memory: neither step fails (if one did, the classifier would say it is untrained).
    auto created = createClassifier(options_);
    full_ = std::move(*created);
    (void)full_->train(instances_());
  });
  return *full_;
}

}  // namespace memlens
