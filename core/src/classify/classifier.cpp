#include "memlens/classifier.h"

#include <cmath>

#include "classify/classifier_factories.h"

namespace memlens {

Result<std::unique_ptr<Classifier>> createClassifier(const ClassifierOptions& options) {
  if (options.k < 1) return Status::invalidArgument("k must be at least 1");
  if (options.distanceWeighting == DistanceWeighting::kExponentialDecay &&
      (!std::isfinite(options.edAlpha) || !std::isfinite(options.edBeta)))
    return Status::invalidArgument("exponential decay needs finite a and b");
  for (double w : options.fixedWeights)
    if (!std::isfinite(w) || w < 0.0)
      return Status::invalidArgument("fixed feature weights must be finite and not negative");
  if (!options.fixedWeights.empty() && options.algorithm == Algorithm::kVectorMemory)
    return Status::invalidArgument("fixed feature weights apply to IB1, IGTree and TRIBL2");
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

}  // namespace memlens
