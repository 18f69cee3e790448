#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "memlens/class_count.h"
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

// One feature's value/class counts in the order every sum over them takes (values, then
// classes, by index): row v is cells[rowStart[v], rowStart[v + 1]).
struct ValueClassRows {
  std::vector<uint32_t> rowStart;  // one more than the value indices
  std::vector<ClassCount> cells;
};

// Weight statistics of one feature (log base 2) given the class totals of the training set.
FeatureWeightDetail computeFeatureWeightDetail(const FeatureCounts& counts,
                                               const std::vector<uint64_t>& classTotals);
// The same from its counts as rows (bitwise the same statistics).
FeatureWeightDetail computeFeatureWeightDetail(const std::vector<uint64_t>& valueTotals,
                                               const ValueClassRows& rows,
                                               const std::vector<uint64_t>& classTotals);
// The chosen weighting of every feature, from their statistics.
std::vector<double> featureWeights(const std::vector<FeatureWeightDetail>& details,
                                   FeatureWeighting weighting);

// The chosen weighting for every feature ("none" gives 1 for all).
std::vector<double> computeFeatureWeights(const std::vector<FeatureCounts>& features,
                                          const std::vector<uint64_t>& classTotals,
                                          FeatureWeighting weighting);

}  // namespace memlens
