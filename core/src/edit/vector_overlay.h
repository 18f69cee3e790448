#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "memlens/instance_base.h"

namespace memlens {

// The stored vectors an edited memory holds differently from the trained base it was edited
// from, each with its current class counts: a base vector whose counts an edit changed (masked out
// of the base's search and re-entered here) or a vector the base lacks. A plain value, copied per
// edit: its size is what the edits touched, not the memory's.
// Not thread-safe for change(); const calls may run concurrently.
class VectorOverlay {
 public:
  struct Entry {
    std::vector<std::pair<uint32_t, int64_t>> counts;  // (class id, count > 0); empty: no instance
    uint32_t baseId = InstanceBase::kNone;             // the base's vector, masked out of it
  };

  explicit VectorOverlay(const InstanceBase& base) : base_(&base), width_(base.width()) {}

  // Room for `entries` entries in all, so that adding them does not grow the index of them (a
  // document removal adds half a million).
  void reserve(size_t entries);
  // `delta` instances of class `classId` join (delta > 0) or leave stored vector `features`;
  // returns its entry.
  uint32_t change(std::span<const uint32_t> features, uint32_t classId, int delta);

  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  const std::vector<Entry>& entries() const { return entries_; }
  // Entry e's features, every entry's in one array: read in entry order (hashed per match pattern)
  // without following a pointer per entry.
  const uint32_t* featuresOf(uint32_t e) const { return values_.data() + size_t{e} * width_; }
  // The entry of stored vector `features`, or kNone.
  uint32_t find(std::span<const uint32_t> features) const;
  // Stored vectors of the edited memory: the base's unmasked ones and the overlay's non-empty.
  uint32_t vectorCount() const { return base_->vectorCount() - masked_ + occupied_; }

 private:
  static uint64_t hashOf(std::span<const uint32_t> features);
  // The slot holding `features` (hashed as `hash`), or the empty slot where it would go.
  size_t slotOf(std::span<const uint32_t> features, uint64_t hash) const;
  // Re-places every entry in `capacity` slots (a power of two).
  void rehash(size_t capacity);

  const InstanceBase* base_;
  size_t width_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> values_;  // width_ per entry: featuresOf()
  // The index of the entries by features: open addressing, linear probing, at most half full;
  // per slot (the top 32 bits of the hash << 32) | (entry + 1), 0 when empty. One flat array: no
  // node or key allocated per entry (each took a page fault to make and as long to free), and a
  // copy per edit is one block.
  std::vector<uint64_t> slots_;
  uint32_t masked_ = 0;    // entries with a baseId
  uint32_t occupied_ = 0;  // entries with counts
};

}  // namespace memlens
