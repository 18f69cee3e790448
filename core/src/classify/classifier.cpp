#include "memlens/classifier.h"

#include <cmath>

#include "classify/classifier_factories.h"

namespace memlens {

namespace {

Status checkOptions(const ClassifierOptions& options) {
  if (options.k < 1) return Status::invalidArgument("k must be at least 1");
  if (options.distanceWeighting == DistanceWeighting::kExponentialDecay &&
      (!std::isfinite(options.edAlpha) || !std::isfinite(options.edBeta)))
    return Status::invalidArgument("exponential decay needs finite a and b");
  for (double w : options.fixedWeights)
    if (!std::isfinite(w) || w < 0.0)
      return Status::invalidArgument("fixed feature weights must be finite and not negative");
  if (!options.fixedWeights.empty() && options.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument("fixed feature weights apply to IB1, IGTree and TRIBL2");
  return Status::ok();
}

}  // namespace

Result<std::unique_ptr<Classifier>> createClassifier(const ClassifierOptions& options) {
  if (Status s = checkOptions(options); !s) return s;
  switch (options.algorithm) {
    case Algorithm::kIb1:
      return makeIb1Classifier(options);
    case Algorithm::kTribl2:
      return makeTribl2Classifier(options);
    case Algorithm::kIgTree:
      return makeIgTreeClassifier(options);
    case Algorithm::kVectorMemory:
      return makeVectorMemoryClassifier(options);
  }
  return Status::invalidArgument("unknown algorithm");
}

Result<std::unique_ptr<Classifier>> restoreClassifier(const ClassifierOptions& options,
                                                      InstanceBase base, JobControl* job) {
  if (Status s = checkOptions(options); !s) return s;
  switch (options.algorithm) {
    case Algorithm::kIb1:
      return restoreIb1Classifier(options, std::move(base), job);
    case Algorithm::kTribl2:
      return restoreTribl2Classifier(options, std::move(base), job);
    case Algorithm::kIgTree:
      return restoreIgTreeClassifier(options, std::move(base), job);
    case Algorithm::kVectorMemory:
      return restoreVectorMemoryClassifier(options, std::move(base), job);
  }
  return Status::invalidArgument("unknown algorithm");
}

}  // namespace memlens
