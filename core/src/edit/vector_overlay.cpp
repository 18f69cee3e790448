#include "edit/vector_overlay.h"

#include <algorithm>

namespace memlens {

size_t VectorOverlay::Hash::operator()(std::span<const uint32_t> v) const {
  uint64_t h = 0xCBF29CE484222325ull;
  for (uint32_t x : v) h = (h ^ x) * 0x100000001B3ull;
  return static_cast<size_t>(h ^ (h >> 29));
}

void VectorOverlay::reserve(size_t entries) {
  entries_.reserve(entries);
  indexOf_.reserve(entries);
}

uint32_t VectorOverlay::change(std::span<const uint32_t> features, uint32_t classId, int delta) {
  auto it = indexOf_.find(features);
  if (it == indexOf_.end()) {
    it = indexOf_
             .emplace(std::vector<uint32_t>(features.begin(), features.end()),
                      static_cast<uint32_t>(entries_.size()))
             .first;
    Entry& e = entries_.emplace_back();
    e.features = it->first;
    // A base vector enters with the counts it has in the base, which the edit then changes.
    e.baseId = base_->find(features);
    if (e.baseId != InstanceBase::kNone) {
      ++masked_;
      for (const ClassCount& c : base_->distribution(e.baseId))
        e.counts.emplace_back(base_->classId(c.classIndex), c.count);
      ++occupied_;
    }
  }
  Entry& e = entries_[it->second];
  const bool wasOccupied = !e.counts.empty();
  auto c = std::find_if(e.counts.begin(), e.counts.end(),
                        [classId](const auto& cc) { return cc.first == classId; });
  if (c == e.counts.end()) {
    e.counts.emplace_back(classId, delta);
  } else if ((c->second += delta) == 0) {
    e.counts.erase(c);
  }
  occupied_ += static_cast<uint32_t>(!e.counts.empty()) - static_cast<uint32_t>(wasOccupied);
  return it->second;
}

uint32_t VectorOverlay::find(std::span<const uint32_t> features) const {
  const auto it = indexOf_.find(features);
  return it == indexOf_.end() ? kNone : it->second;
}

}  // namespace memlens
