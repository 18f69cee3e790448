#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "base/lazy_checked_array.h"
#include "memlens/instance_base.h"

namespace memlens {

// What InstanceBase::load() leaves to the first reads of a memory read from a file: the arrays
// whose elements readers hand out as they are (stored values, class counts) are checked a chunk
// at a time; the links, sources and hash slots are checked by their readers as they follow them.
struct InstanceBase::FileChecks {
  LazyCheckedArray<uint32_t> values;               // below the vocabulary size
  LazyCheckedArray<ClassCount> single, multiFlat;  // class indices below the class count
  uint64_t sourceLimit = 0;                        // the token stream's size
  // The per-feature value×class counts, checked when first asked for (keys inside the feature's
  // values and the classes, a free slot left): the loaded ones, or a copy without the bad keys.
  mutable std::once_flag featuresOnce;
  mutable std::vector<FeatureCounts> repairedFeatures;
  mutable std::string featureDamage;
};

}  // namespace memlens
