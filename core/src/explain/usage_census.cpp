#include "memlens/usage_census.h"

#include <algorithm>

namespace memlens {

Result<std::vector<SlotUsage>> usageCensus(const Classifier& classifier, const InstanceSet& probe,
                                           JobControl* job) {
  if (classifier.options().algorithm == Algorithm::kIgTree) {
    return Status::invalidArgument(
        "a usage census needs neighbours: use IB1 or TRIBL2, not IGTree");
  }
  PredictOptions options;
  options.neighbours = true;
  options.distributions = false;
  auto predictions = classifier.predict(probe, options, job);
  if (!predictions) return predictions.status();

  const InstanceBase& memory = classifier.memory();
  std::vector<SlotUsage> usage(memory.vectorCount());
  for (size_t i = 0; i < probe.size(); ++i) {
    const uint32_t truth = memory.classIndex(probe.classes[i]);
    for (const NeighbourBucket& bucket : (*predictions)[i].neighbours) {
      for (uint32_t v : bucket.storedVectors) {
        double total = 0.0, forTruth = 0.0, bestRival = 0.0;
        for (const ClassCount& c : memory.distribution(v)) {
          total += c.count;
          if (c.classIndex == truth) {
            forTruth = c.count;
          } else {
            bestRival = std::max(bestRival, double(c.count));
          }
        }
        ++usage[v].neighbourCount;
        usage[v].credit += (forTruth - bestRival) / total;
      }
    }
  }
  return usage;
}

}  // namespace memlens
