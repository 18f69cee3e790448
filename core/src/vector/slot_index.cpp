#include "vector/slot_index.h"

#include <algorithm>
#include <tuple>
#include <type_traits>

namespace memlens {

SlotIndex::SlotIndex(const InstanceBase& memory, int position, int sub, int third,
                     const WordClusters& clusters)
    : position_(position), sub_(sub), width_(static_cast<size_t>(memory.width())) {
  for (size_t j = 0; j < width_; ++j) {
    if (int(j) != position_ && int(j) != sub_) rest_.push_back(j);
  }
  const uint32_t n = memory.vectorCount();
  auto wordAt = [&](uint32_t slot, int j) { return j < 0 ? 0u : memory.vector(slot)[size_t(j)]; };
  // ((word, sub word), third word's cluster, slot)
  std::vector<std::tuple<uint64_t, uint32_t, uint32_t>> order(n);
  static_assert(std::is_same_v<WordClusters::Mask, uint64_t>);
  uint32_t groups = 0;
  for (uint32_t slot = 0; slot < n; ++slot) {
    const uint32_t word = wordAt(slot, position_);
    groups = std::max(groups, word + 1);
    order[slot] = {uint64_t{word} << 32 | wordAt(slot, sub_),
                   third < 0 ? 0u : clusters.fineOf(wordAt(slot, third)), slot};
  }
  std::sort(order.begin(), order.end());

  recordWords_ = width_ + 1;
  records_.resize(size_t{n} * recordWords_);
  restClusters_.resize(size_t{n} * rest_.size());
  groupRuns_.assign(size_t{groups} + 1, 0);
  for (uint32_t e = 0; e < n; ++e) {
    const uint64_t key = std::get<0>(order[e]);
    const bool newRun = e == 0 || key != std::get<0>(order[e - 1]);
    if (newRun) {
      runStart_.push_back(e);
      runs_.push_back(
          {static_cast<uint32_t>(key), static_cast<uint32_t>(blocks_.size() / blockStride())});
      ++groupRuns_[size_t(key >> 32) + 1];
    }
    if (newRun || e - blockBegin(uint32_t(blocks_.size() / blockStride()) - 1) == kBlockEntries) {
      blocks_.push_back(e);
      blocks_.resize(blocks_.size() + rest_.size(), 0);
    }
    const uint32_t slot = std::get<2>(order[e]);
    const auto values = memory.vector(slot);
    uint32_t* record = records_.data() + size_t(e) * recordWords_;
    std::copy(values.begin(), values.end(), record);
    record[width_] = slot;
    WordClusters::FineId* fine = restClusters_.data() + size_t(e) * rest_.size();
    WordClusters::Mask* mask = blocks_.data() + blocks_.size() - rest_.size();
    for (size_t i = 0; i < rest_.size(); ++i) {
      const uint32_t f = clusters.fineOf(values[rest_[i]]);
      mask[i] |= WordClusters::Mask{1} << (f / WordClusters::kFine);
      fine[i] = static_cast<WordClusters::FineId>(f);
    }
  }
  runStart_.push_back(n);
  runs_.push_back({0, static_cast<uint32_t>(blocks_.size() / blockStride())});
  blocks_.push_back(n);
  for (size_t w = 1; w < groupRuns_.size(); ++w) groupRuns_[w] += groupRuns_[w - 1];
}

uint32_t SlotIndex::findRun(uint32_t word, uint32_t subWord) const {
  if (word >= groupCount()) return kNone;
  const auto begin = runs_.begin() + groupRuns_[word];
  const auto end = runs_.begin() + groupRuns_[word + 1];
  const auto it = std::lower_bound(begin, end, subWord,
                                   [](const Run& run, uint32_t w) { return run.word < w; });
  return it != end && it->word == subWord ? static_cast<uint32_t>(it - runs_.begin()) : kNone;
}

}  // namespace memlens
