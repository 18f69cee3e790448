#pragma once

#include <cstdint>

namespace memlens {

// Count of one class (dense class index, see InstanceBase::classId) in a distribution.
struct ClassCount {
  uint32_t classIndex = 0;
  uint32_t count = 0;
};

}  // namespace memlens
