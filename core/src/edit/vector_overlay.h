#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <unordered_map>
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
    std::vector<uint32_t> features;
    std::vector<std::pair<uint32_t, int64_t>> counts;  // (class id, count > 0); empty: no instance
    uint32_t baseId = InstanceBase::kNone;             // the base's vector, masked out of it
  };

  explicit VectorOverlay(const InstanceBase& base) : base_(&base) {}

  // Room for `entries` entries in all, so that adding them does not rehash the index of them
  // (a document removal adds half a million).
  void reserve(size_t entries);
  // `delta` instances of class `classId` join (delta > 0) or leave stored vector `features`;
  // returns its entry.
  uint32_t change(std::span<const uint32_t> features, uint32_t classId, int delta);

  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  const std::vector<Entry>& entries() const { return entries_; }
  // The entry of stored vector `features`, or kNone.
  uint32_t find(std::span<const uint32_t> features) const;
  // Stored vectors of the edited memory: the base's unmasked ones and the overlay's non-empty.
  uint32_t vectorCount() const { return base_->vectorCount() - masked_ + occupied_; }

 private:
  const InstanceBase* base_;
  std::vector<Entry> entries_;
  // Looked up by span (transparent), so finding an entry allocates no key.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::span<const uint32_t> v) const;
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::span<const uint32_t> a, std::span<const uint32_t> b) const {
      return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }
  };
  std::unordered_map<std::vector<uint32_t>, uint32_t, Hash, Equal> indexOf_;  // features -> entry
  uint32_t masked_ = 0;    // entries with a baseId
  uint32_t occupied_ = 0;  // entries with counts
};

}  // namespace memlens
