#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/feature_weights.h"

namespace memlens {

// The parts of computeFeatureWeightDetail that information gain and gain ratio need, for callers
// that keep each value's entropy between calls (MaintainedCounts): bitwise the same figures.

// The entropy of one value's class distribution (`row`, by class index: the order of the sum).
double valueEntropy(std::span<const ClassCount> row, uint64_t total);
// Information gain, split info and gain ratio alone (χ² and shared variance left 0) from the
// values' totals and entropies (valueEntropy; 0 for a value of no cells), in the order of the sum.
FeatureWeightDetail informationDetail(std::span<const uint64_t> valueTotals,
                                      std::span<const double> valueEntropies,
                                      const std::vector<uint64_t>& classTotals);

}  // namespace memlens
