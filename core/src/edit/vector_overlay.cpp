#include "edit/vector_overlay.h"

#include <algorithm>
#include <bit>

#include "base/huge_pages.h"

namespace memlens {

uint64_t VectorOverlay::hashOf(std::span<const uint32_t> features) {
  uint64_t h = 0xCBF29CE484222325ull;
  for (uint32_t x : features) h = (h ^ x) * 0x100000001B3ull;
  // A multiply carries upwards only: the low bits (the slot) mixed from the high ones.
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 33);
}

size_t VectorOverlay::slotOf(std::span<const uint32_t> features, uint64_t hash) const {
  const size_t mask = slots_.size() - 1;
  const uint64_t tag = hash >> 32;
  for (size_t s = hash & mask;; s = (s + 1) & mask) {
    const uint64_t slot = slots_[s];
    if (slot == 0) return s;
    if ((slot >> 32) == tag &&
        std::equal(features.begin(), features.end(), featuresOf(static_cast<uint32_t>(slot) - 1)))
      return s;
  }
}

void VectorOverlay::rehash(size_t capacity) {
  slots_ = hugePageVector<uint64_t>(capacity, 0);
  for (uint32_t e = 0; e < entries_.size(); ++e) {
    const uint64_t h = hashOf({featuresOf(e), width_});
    slots_[slotOf({featuresOf(e), width_}, h)] = (h >> 32) << 32 | (uint64_t{e} + 1);
  }
}

void VectorOverlay::reserve(size_t entries) {
  // Huge pages for a document's half million entries: fresh pages cost a fault each.
  entries_.reserve(entries);
  adviseHugePages(entries_.data(), entries * sizeof(Entry));
  values_.reserve(entries * width_);
  adviseHugePages(values_.data(), entries * width_ * sizeof(uint32_t));
  if (2 * entries > slots_.size()) rehash(std::bit_ceil(std::max<size_t>(2 * entries, 16)));
}

uint32_t VectorOverlay::change(std::span<const uint32_t> features, uint32_t classId, int delta) {
  if (2 * (entries_.size() + 1) > slots_.size()) rehash(std::max<size_t>(2 * slots_.size(), 16));
  const uint64_t h = hashOf(features);
  const size_t s = slotOf(features, h);
  if (slots_[s] == 0) {
    const auto added = static_cast<uint32_t>(entries_.size());
    slots_[s] = (h >> 32) << 32 | (uint64_t{added} + 1);
    values_.insert(values_.end(), features.begin(), features.end());
    Entry& e = entries_.emplace_back();
    // A base vector enters with the counts it has in the base, which the edit then changes.
    e.baseId = base_->find(features);
    if (e.baseId != InstanceBase::kNone) {
      ++masked_;
      const auto distribution = base_->distribution(e.baseId);
      e.counts.reserve(distribution.size() + 1);
      for (const ClassCount& c : distribution)
        e.counts.emplace_back(base_->classId(c.classIndex), c.count);
      ++occupied_;
    }
  }
  const uint32_t entry = static_cast<uint32_t>(slots_[s]) - 1;
  Entry& e = entries_[entry];
  const bool wasOccupied = !e.counts.empty();
  auto c = std::find_if(e.counts.begin(), e.counts.end(),
                        [classId](const auto& cc) { return cc.first == classId; });
  if (c == e.counts.end()) {
    e.counts.emplace_back(classId, delta);
  } else if ((c->second += delta) == 0) {
    e.counts.erase(c);
  }
  occupied_ += static_cast<uint32_t>(!e.counts.empty()) - static_cast<uint32_t>(wasOccupied);
  return entry;
}

uint32_t VectorOverlay::find(std::span<const uint32_t> features) const {
  if (slots_.empty() || features.size() != width_) return kNone;
  const uint64_t slot = slots_[slotOf(features, hashOf(features))];
  return slot == 0 ? kNone : static_cast<uint32_t>(slot) - 1;
}

}  // namespace memlens
