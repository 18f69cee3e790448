#include "memlens/classifier.h"

#include <cmath>
#include <string>

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
                                                      InstanceBase base, JobControl* job,
                                                      StoredDerivations stored,
                                                      SubsetIndexing indexing) {
  if (Status s = checkOptions(options); !s) return s;
  if (!stored.weights.empty() && stored.weights.size() != static_cast<size_t>(base.width()))
    return Status::invalidArgument(std::to_string(stored.weights.size()) +
                                   " feature weights for a memory of " +
                                   std::to_string(base.width()) + " features");
  switch (options.algorithm) {
    case Algorithm::kIb1:
      return restoreIb1Classifier(options, std::move(base), std::move(stored), job, indexing);
    case Algorithm::kTribl2:
      return restoreTribl2Classifier(options, std::move(base), std::move(stored), job, indexing);
    case Algorithm::kIgTree:
      if (stored.igTree && !stored.weights.empty())
        return makeIgTreeClassifier(options, std::make_unique<InstanceBase>(std::move(base)),
                                    std::move(*stored.igTree), std::move(stored.weights));
      return restoreIgTreeClassifier(options, std::move(base), job);
    case Algorithm::kVectorMemory:
      return restoreVectorMemoryClassifier(options, std::move(base), job);
  }
  return Status::invalidArgument("unknown algorithm");
}

}  // namespace memlens
