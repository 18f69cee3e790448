#include "vector/vector_memory_classifier.h"

#include <tbb/parallel_invoke.h>

#include "classify/batch_predict.h"
#include "classify/classifier_factories.h"

namespace memlens {

std::unique_ptr<Classifier> makeVectorMemoryClassifier(const ClassifierOptions& options) {
  return std::make_unique<VectorMemoryClassifier>(options);
}

Result<std::unique_ptr<Classifier>> restoreVectorMemoryClassifier(const ClassifierOptions& options,
                                                                  InstanceBase base,
                                                                  JobControl* job) {
  auto c = std::make_unique<VectorMemoryClassifier>(options);
  if (Status s = c->adopt(std::move(base), job); !s) return s;
  return std::unique_ptr<Classifier>(std::move(c));
}

Status VectorMemoryClassifier::train(const InstanceSet& instances, JobControl* job) {
  if (instances.width < 1) return Status::invalidArgument("the vector memory needs a context");
  // The word vectors (mostly one thread's SVD) need only the instances' word pairs, so they are
  // learnt while the memory is built, not after it. They are the longer task: last, which
  // parallel_invoke runs on this thread at once, the memory left to the other core (after the
  // Kneser-Ney base that Experiment trains beside: both together take less than the vectors).
  InstanceBase base(instances.width);
  Status added;
  Result<std::unique_ptr<WordVectors>> vectors = std::unique_ptr<WordVectors>();
  tbb::parallel_invoke([&] { added = base.add(instances, job); },
                       [&] {
                         if (options_.wordVectors.dimensions > 0)
                           vectors = WordVectors::train(instances, options_.wordVectors, job);
                       });
  if (!added) return added;
  if (!vectors) return vectors.status();
  return install(std::move(base), std::move(*vectors), job);
}

Status VectorMemoryClassifier::add(const InstanceSet& instances, JobControl* job) {
  if (!state_) return train(instances, job);
  // Grow a copy so that a cancel leaves the current memory untouched.
  return rebuild(state_->base, instances, job);
}

Status VectorMemoryClassifier::rebuild(InstanceBase base, const InstanceSet& instances,
                                       JobControl* job) {
  if (instances.width < 1) return Status::invalidArgument("the vector memory needs a context");
  if (Status s = base.add(instances, job); !s) return s;
  return adopt(std::move(base), job);
}

Status VectorMemoryClassifier::adopt(InstanceBase base, JobControl* job) {
  if (base.width() < 1) return Status::invalidArgument("the vector memory needs a context");
  std::unique_ptr<WordVectors> vectors;
  if (options_.wordVectors.dimensions > 0) {
    auto trained = WordVectors::train(base, options_.wordVectors, job);
    if (!trained) return trained.status();
    vectors = std::move(*trained);
  }
  return install(std::move(base), std::move(vectors), job);
}

Status VectorMemoryClassifier::install(InstanceBase base, std::unique_ptr<WordVectors> vectors,
                                       JobControl* job) {
  auto s = std::make_unique<State>(std::move(base));
  s->weights =
      computeFeatureWeights(s->base.featureCounts(), s->base.classTotals(), options_.weighting);
  s->vectors = std::move(vectors);
  s->read =
      std::make_unique<VectorMemory>(s->base, s->weights, s->vectors.get(), options_.vectorMemory);
  if (cancelRequested(job)) return Status::cancelled();
  state_ = std::move(s);
  return Status::ok();
}

void VectorMemoryClassifier::setTemperature(double temperature) {
  options_.vectorMemory.temperature = temperature;
  if (state_) state_->read->setTemperature(temperature);
}

Result<std::vector<Prediction>> VectorMemoryClassifier::predict(const InstanceSet& queries,
                                                                const PredictOptions& options,
                                                                JobControl* job) const {
  if (!state_) return Status::invalidArgument("the memory is empty: train first");
  return predictBatch(queries, state_->base.width(), options, job,
                      [&](const uint32_t* q, Prediction& out) {
                        out = predictOne({q, static_cast<size_t>(state_->base.width())}, options);
                      });
}

Prediction VectorMemoryClassifier::predictOne(std::span<const uint32_t> features,
                                              const PredictOptions& options) const {
  if (!state_ || features.size() != static_cast<size_t>(state_->base.width())) return {};
  return state_->read->predict(features, options);
}

}  // namespace memlens
