#include "vector/slot_index.h"

#include <algorithm>

namespace memlens {

SlotIndex::SlotIndex(const InstanceBase& memory, int position, int sub)
    : position_(position), sub_(sub), width_(static_cast<size_t>(memory.width())) {
  const uint32_t n = memory.vectorCount();
  auto wordAt = [&](uint32_t slot, int j) { return j < 0 ? 0u : memory.vector(slot)[size_t(j)]; };
  // (word, sub word) above, slot below: a group's runs in word order, a run's entries by slot.
  // Two stable counting sorts, by the sub word and then by the word (words are dense ids).
  std::vector<uint32_t> word(n), subWord(n);
  uint32_t values = 1;
  for (uint32_t slot = 0; slot < n; ++slot) {
    word[slot] = wordAt(slot, position_);
    subWord[slot] = wordAt(slot, sub_);
    values = std::max({values, word[slot] + 1, subWord[slot] + 1});
  }
  std::vector<uint32_t> bySub(n), order(n);
  auto countingSort = [&](auto slots, const std::vector<uint32_t>& key,
                          std::vector<uint32_t>& out) {
    std::vector<uint32_t> start(size_t{values} + 1, 0);
    for (uint32_t i = 0; i < n; ++i) ++start[size_t{key[slots(i)]} + 1];
    for (size_t v = 1; v < start.size(); ++v) start[v] += start[v - 1];
    for (uint32_t i = 0; i < n; ++i) out[start[key[slots(i)]]++] = slots(i);
  };
  countingSort([](uint32_t i) { return i; }, subWord, bySub);
  countingSort([&](uint32_t i) { return bySub[i]; }, word, order);
  const uint32_t groups = n ? word[order[n - 1]] + 1 : 0;

  words_.reserve(size_t{n} * (width_ - 1));
  slots_.reserve(n);
  groupRuns_.assign(size_t{groups} + 1, 0);
  for (uint32_t e = 0; e < n; ++e) {
    const uint32_t slot = order[e];
    if (e == 0 || word[slot] != word[order[e - 1]] || subWord[slot] != subWord[order[e - 1]]) {
      runStart_.push_back(e);
      runWord_.push_back(subWord[slot]);
      ++groupRuns_[size_t{word[slot]} + 1];
    }
    const auto context = memory.vector(slot);
    for (size_t j = 0; j < width_; ++j) {
      if (int(j) != position_) words_.push_back(context[j]);
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
