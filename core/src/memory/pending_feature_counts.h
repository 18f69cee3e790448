#pragma once

#include <mutex>
#include <vector>

#include "memlens/feature_weights.h"
#include "memlens/instance_base.h"

namespace memlens {

// The per-feature counts of a memory built by InstanceBase::fromRuns(): the value×class cells
// as rows, with the weight statistics computed from them; `counts` gets its value×class tables
// from the rows the first time featureCounts() is called (copies of the memory share this).
struct InstanceBase::PendingCounts {
  std::vector<FeatureCounts> counts;
  std::vector<ValueClassRows> rows;
  std::vector<FeatureWeightDetail> details;
  std::once_flag built;
};

}  // namespace memlens
