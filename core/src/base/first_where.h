#pragma once

#include <tbb/blocked_range.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <cstddef>
#include <span>

namespace memlens {

// The index of the first element `i` of `values` for which `pred(values[i], i)` holds, or
// values.size(). Opening a memory file checks hundreds of millions of indices this way: blocks
// are tested without a branch per element, so that the compiler can vectorise the common case
// of a clean array, and large arrays are split over the cores. `pred` must be safe to call from
// several threads at once (a pure test of the element).
template <typename T, typename Pred>
size_t firstWhere(std::span<const T> values, Pred pred) {
  constexpr size_t kBlock = 4096;
  const auto firstIn = [&](size_t begin, size_t end) {
    for (size_t b = begin; b < end; b += kBlock) {
      const size_t e = std::min(end, b + kBlock);
      bool any = false;
      for (size_t i = b; i < e; ++i) any |= pred(values[i], i);
      if (!any) continue;
      for (size_t i = b; i < e; ++i)
        if (pred(values[i], i)) return i;
    }
    return end;
  };
  constexpr size_t kSerialBelow = size_t{1} << 20;
  if (values.size() < kSerialBelow) return firstIn(0, values.size());
  return tbb::parallel_reduce(
      tbb::blocked_range<size_t>(0, values.size(), kSerialBelow / 4), values.size(),
      [&](const tbb::blocked_range<size_t>& r, size_t found) {
        // A range after the first failure found so far cannot hold the first one.
        if (r.begin() >= found) return found;
        const size_t here = firstIn(r.begin(), r.end());
        return here < r.end() ? std::min(found, here) : found;
      },
      [](size_t a, size_t b) { return std::min(a, b); });
}

}  // namespace memlens
