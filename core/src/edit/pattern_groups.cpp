#include "edit/pattern_groups.h"

#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>

#include "edit/overlay_index.h"

namespace memlens {

PatternGroups::PatternGroups(uint32_t begin, uint32_t end, uint32_t pattern, int width,
                             const std::function<const uint32_t*(uint32_t)>& valuesOf)
    : keys_(std::make_unique_for_overwrite<uint64_t[]>(end - begin)), size_(end - begin) {
  tbb::parallel_for(tbb::blocked_range<uint32_t>(begin, end, 4096), [&](const auto& range) {
    for (uint32_t i = range.begin(); i != range.end(); ++i)
      keys_[i - begin] = topOf(OverlayIndex::hashOn(valuesOf(i), pattern, width)) << 32 | i;
  });
  // Keys are distinct (each holds its item): any sort gives the same array.
  tbb::parallel_sort(keys_.get(), keys_.get() + size_);
}

uint64_t PatternGroups::topOf(uint64_t hash) {
  // The hash's low bits mix least (a multiply carries upwards only): mixed down first.
  hash ^= hash >> 33;
  hash *= 0xFF51AFD7ED558CCDull;
  hash ^= hash >> 33;
  return hash >> 32;
}

const uint64_t* PatternGroups::first(uint64_t top) const {
  return std::lower_bound(static_cast<const uint64_t*>(keys_.get()), end(), top << 32);
}

}  // namespace memlens
