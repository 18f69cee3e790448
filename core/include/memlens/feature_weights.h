#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "memlens/count_table.h"

namespace memlens {

enum class FeatureWeighting;

// Value/class co-occurrence counts of one feature, maintained incrementally while instances are
// added. Value and class indices are dense (per feature / per instance base).
struct FeatureCounts {
  std::unordered_map<uint32_t, uint32_t> valueIndex;  // Vocabulary id -> dense value index
  std::vector<uint64_t> valueTotals;                  // per value index
  CountTable valueClass;                              // (valueIndex << 32 | classIndex) -> n
};

struct FeatureWeightDetail {
  double infoGain = 0.0;
  double splitInfo = 0.0;
  double gainRatio = 0.0;
  double chiSquare = 0.0;
  double sharedVariance = 0.0;
};

// Weight statistics of one feature (log base 2) given the class totals of the training set.
FeatureWeightDetail computeFeatureWeightDetail(const FeatureCounts& counts,
                                               const std::vector<uint64_t>& classTotals);

// The chosen weighting for every feature ("none" gives 1 for all).
std::vector<double> computeFeatureWeights(const std::vector<FeatureCounts>& features,
                                          const std::vector<uint64_t>& classTotals,
                                          FeatureWeighting weighting);

}  // namespace memlens
