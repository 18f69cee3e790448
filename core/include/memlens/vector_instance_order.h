#pragma once

#include <cstdint>
#include <vector>

#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace memlens {

// The instances merged into stored vector `id` of `base` (its distribution's total).
inline uint32_t vectorInstances(const InstanceBase& base, uint32_t id) {
  uint32_t count = 0;
  for (const ClassCount& c : base.distribution(id)) count += c.count;
  return count;
}

// The ids of `base`'s stored vectors by the instances merged into each (their distribution's
// total), most first, ties by ascending id: what a stable sort on the counts gives, in linear
// time (a stable radix sort on 16-bit digits; the second pass only when a count reaches 65,536),
// as the Memory tab's sort by instances needs it over millions of vectors. Cancellable: on
// cancel, Status::cancelled().
Result<std::vector<uint32_t>> vectorsByInstances(const InstanceBase& base,
                                                 JobControl* job = nullptr);

}  // namespace memlens
