#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <span>
#include <vector>

namespace memlens {

// Row indices grouped by a key (a class id, a first tree value), ascending within each key: a
// counting sort, 4 bytes per row and none per key, where a map of vectors would allocate per key
// and take seconds at 100M rows.
// Immutable once made; safe to read from many threads.
class RowsByKey {
 public:
  RowsByKey() = default;
  // Rows 0..rows-1, row i under key keyOf(i).
  template <typename KeyOf>
  RowsByKey(size_t rows, KeyOf keyOf) {
    uint32_t top = 0;
    for (size_t i = 0; i < rows; ++i) top = std::max(top, keyOf(i));
    start_.assign(size_t{top} + 2, 0);
    for (size_t i = 0; i < rows; ++i) ++start_[size_t{keyOf(i)} + 1];
    std::partial_sum(start_.begin(), start_.end(), start_.begin());
    rows_.resize(rows);
    std::vector<uint64_t> next(start_.begin(), start_.end() - 1);
    for (size_t i = 0; i < rows; ++i) rows_[next[keyOf(i)]++] = static_cast<uint32_t>(i);
  }

  // Keys 0..keys()-1 may have rows.
  size_t keys() const { return start_.empty() ? 0 : start_.size() - 1; }
  std::span<const uint32_t> of(uint32_t key) const {
    if (key >= keys()) return {};
    return {rows_.data() + start_[key], rows_.data() + start_[size_t{key} + 1]};
  }

 private:
  std::vector<uint64_t> start_;
  std::vector<uint32_t> rows_;
};

}  // namespace memlens
