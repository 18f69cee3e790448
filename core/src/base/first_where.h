#pragma once

#include <algorithm>
#include <cstddef>
#include <span>

namespace memlens {

// The index of the first element `i` of `values` for which `pred(values[i], i)` holds, or
// values.size(). Blocks are tested without a branch per element, so that the compiler can
// vectorise the common case of a clean array: opening a memory file checks hundreds of millions
// of indices this way at memory speed.
template <typename T, typename Pred>
size_t firstWhere(std::span<const T> values, Pred pred) {
  constexpr size_t kBlock = 4096;
  for (size_t b = 0; b < values.size(); b += kBlock) {
    const size_t e = std::min(values.size(), b + kBlock);
    bool any = false;
    for (size_t i = b; i < e; ++i) any |= pred(values[i], i);
    if (!any) continue;
    for (size_t i = b; i < e; ++i)
      if (pred(values[i], i)) return i;
  }
  return values.size();
}

}  // namespace memlens
