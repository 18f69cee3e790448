#pragma once

#include <cstdint>
#include <functional>
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
  using Count = std::pair<uint32_t, int64_t>;  // (class id, count > 0)
  struct Entry {
    size_t begin = 0;  // its counts: countsOf()
    uint32_t size = 0;
    uint32_t baseId = InstanceBase::kNone;  // the base's vector, masked out of it
  };
  // `delta` instances of class `classId` join (delta > 0) or leave the stored vector whose width
  // features start at `features`.
  struct Change {
    const uint32_t* features;
    uint32_t classId;
    int delta;
  };

  explicit VectorOverlay(const InstanceBase& base) : base_(&base), width_(base.width()) {}
  // The counts compacted, and room for an edit's few more entries (a copy per edit: appending
  // to a copy sized exactly moved every array again).
  VectorOverlay(const VectorOverlay& other);
  VectorOverlay& operator=(const VectorOverlay&) = delete;
  VectorOverlay(VectorOverlay&&) = default;
  VectorOverlay& operator=(VectorOverlay&&) = default;

  // Applies `changes` in order and gives `beside` each one's entry as soon as they are known: the
  // entries, their order and their counts are what applying them one at a time gives (a vector
  // enters when first changed; a base vector with its counts in the base). The new entries are
  // found and built on all cores, their counts in one array: a document removal adds half a
  // million. `beside` runs on another core while the counts are written, so it may read
  // featuresOf() but no counts. Fewer than 2^31 changes.
  void change(std::span<const Change> changes,
              const std::function<void(std::span<const uint32_t>)>& beside);

  static constexpr uint32_t kNone = 0xFFFFFFFFu;

  const std::vector<Entry>& entries() const { return entries_; }
  // Entry e's class counts (empty: no instance), in the order the changes first gave the classes.
  std::span<const Count> countsOf(uint32_t e) const {
    return {counts_.data() + entries_[e].begin, entries_[e].size};
  }
  // Entry e's features, every entry's in one array: read in entry order (hashed per match pattern)
  // without following a pointer per entry.
  const uint32_t* featuresOf(uint32_t e) const { return values_.data() + size_t{e} * width_; }
  // Hints the caches to fetch entry e's place, then (a few reads later) its counts: for reads in
  // another order than the entries' (an IGTree edit reads them in tree order, each a cache miss
  // or two at 100M instances).
  void prefetchEntry(uint32_t e) const { __builtin_prefetch(entries_.data() + e); }
  void prefetchCounts(uint32_t e) const { __builtin_prefetch(counts_.data() + entries_[e].begin); }
  // The entry of stored vector `features`, or kNone.
  uint32_t find(std::span<const uint32_t> features) const;
  // Stored vectors of the edited memory: the base's unmasked ones and the overlay's non-empty.
  uint32_t vectorCount() const { return base_->vectorCount() - masked_ + occupied_; }

 private:
  static uint64_t hashOf(const uint32_t* features, size_t width);
  // The slot holding `features` (hashed as `hash`), or the empty slot where it would go.
  size_t slotOf(const uint32_t* features, uint64_t hash) const;
  // Re-places entries [0, entries) in `capacity` slots (a power of two).
  void rehash(size_t capacity, uint32_t entries);
  // The entries of `changes`, new ones added (features, base vector and slot, no counts yet).
  std::vector<uint32_t> entriesOf(std::span<const Change> changes);
  // Writes the counts of the entries `changes` touch, each from its counts before and its changes
  // in order.
  void applyCounts(std::span<const Change> changes, const std::vector<uint32_t>& entryOf,
                   uint32_t firstNew);

  const InstanceBase* base_;
  size_t width_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> values_;  // width_ per entry: featuresOf()
  // Every entry's counts, an entry's in one run; a changed entry's run is written anew after the
  // others and the old one left (compacted when copied, or once the runs left outgrow the live
  // ones). No allocation per entry (a document's half million each took a heap allocation).
  std::vector<Count> counts_;
  size_t liveCounts_ = 0;
  // The index of the entries by features: open addressing, linear probing, at most half full;
  // per slot (the top 32 bits of the hash << 32) | (entry + 1), 0 when empty. One flat array: no
  // node or key allocated per entry (each took a page fault to make and as long to free), and a
  // copy per edit is one block.
  std::vector<uint64_t> slots_;
  uint32_t masked_ = 0;    // entries with a baseId
  uint32_t occupied_ = 0;  // entries with counts
};

}  // namespace memlens
