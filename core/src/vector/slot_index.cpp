#include "vector/slot_index.h"

#include <algorithm>

namespace memlens {

SlotIndex::SlotIndex(const InstanceBase& memory, int position, int sub)
    : position_(position), sub_(sub), width_(static_cast<size_t>(memory.width())) {
  const uint32_t n = memory.vectorCount();
  auto wordAt = [&](uint32_t slot, int j) { return j < 0 ? 0u : memory.vector(slot)[size_t(j)]; };
  // (word, sub word) above, slot below: a group's runs in word order, a run's entries by slot.
  std::vector<std::pair<uint64_t, uint32_t>> order(n);
  uint32_t groups = 0;
  for (uint32_t slot = 0; slot < n; ++slot) {
    const uint32_t word = wordAt(slot, position_);
    groups = std::max(groups, word + 1);
    order[slot] = {uint64_t{word} << 32 | wordAt(slot, sub_), slot};
  }
  std::sort(order.begin(), order.end());

  words_.reserve(size_t{n} * (width_ - 1));
  slots_.reserve(n);
  groupRuns_.assign(size_t{groups} + 1, 0);
  for (uint32_t e = 0; e < n; ++e) {
    const uint64_t key = order[e].first;
    if (e == 0 || key != order[e - 1].first) {
      runStart_.push_back(e);
      runWord_.push_back(static_cast<uint32_t>(key));
      ++groupRuns_[size_t(key >> 32) + 1];
    }
    const uint32_t slot = order[e].second;
    const auto values = memory.vector(slot);
    for (size_t j = 0; j < width_; ++j) {
      if (int(j) != position_) words_.push_back(values[j]);
    }
    slots_.push_back(slot);
  }
  runStart_.push_back(n);
  for (size_t w = 1; w < groupRuns_.size(); ++w) groupRuns_[w] += groupRuns_[w - 1];
}

uint32_t SlotIndex::findRun(uint32_t word, uint32_t subWord) const {
  if (word >= groupCount()) return kNone;
  const auto begin = runWord_.begin() + groupRuns_[word];
  const auto end = runWord_.begin() + groupRuns_[word + 1];
  const auto it = std::lower_bound(begin, end, subWord);
  return it != end && *it == subWord ? static_cast<uint32_t>(it - runWord_.begin()) : kNone;
}

}  // namespace memlens
