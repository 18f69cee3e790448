#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "memlens/storage.h"

namespace memlens {

class ByteReader;
class ByteWriter;

// A compact hash map from 64-bit keys to 32-bit counts (open addressing, 16 bytes a slot),
// for the millions of (feature value, class) co-occurrence counts a large memory keeps —
// a quarter of std::unordered_map's footprint. Counts may drop to 0; such entries stay and are
// skipped by forEach(). Read from a memory file, its slots are a view of the file, copied on the
// first change. Not thread-safe for writes.
class CountTable {
 public:
  uint32_t& operator[](uint64_t key) {
    owned();
    if ((size_ + 1) * 2 > slots_.size()) grow();
    Slot& s = probe(slots_.mutate(), key);
    if (!s.used) {
      s.used = 1;
      s.key = key;
      ++size_;
    }
    return s.count;
  }
  // Room for `n` keys in all, so that adding them does not grow the table.
  void reserve(size_t n) {
    if (n * 2 <= slots_.size()) return;
    size_t slots = slots_.empty() ? 16 : slots_.size();
    while (n * 2 > slots) slots *= 2;
    rehash(slots);
  }
  uint32_t* find(uint64_t key) {
    if (slots_.empty()) return nullptr;
    Slot& s = probe(owned(), key);
    return s.used ? &s.count : nullptr;
  }
  // Entries (zero counts included); counted over the slots for a table read from a file.
  size_t size() const;
  size_t slotCount() const { return slots_.size(); }
  size_t memoryBytes() const { return slots_.capacity() * sizeof(Slot); }
  // The table as it is (slot order decides forEach()'s order, hence sums over it), for memory
  // files. load() views the slots in place and checks only their number (a power of 2); the
  // caller checks the keys and that a free slot remains (size() * 2 <= slotCount(): lookups stop
  // at one) before the table is used.
  void save(ByteWriter& out) const;
  static bool load(ByteReader& in, CountTable& table);

  template <typename Fn>
  void forEach(Fn&& fn) const {
    for (const Slot& s : slots_)
      if (s.used && s.count != 0) fn(s.key, s.count);
  }

 private:
  struct Slot {
    uint64_t key = 0;
    uint32_t count = 0;
    uint32_t used = 0;
  };
  static constexpr size_t kUncounted = SIZE_MAX;
  static uint64_t hash(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
  }
  static Slot& probe(std::vector<Slot>& slots, uint64_t key) {
    const size_t mask = slots.size() - 1;
    for (size_t i = hash(key) & mask;; i = (i + 1) & mask)
      if (!slots[i].used || slots[i].key == key) return slots[i];
  }
  // The slots as a vector of their own (a view is copied), with size_ counted.
  std::vector<Slot>& owned() {
    size_ = size();
    return slots_.mutate();
  }
  void grow() { rehash(slots_.empty() ? 16 : slots_.size() * 2); }
  void rehash(size_t slots);

  Storage<Slot> slots_;
  size_t size_ = 0;  // kUncounted for a table read from a file until size() counts it
};

}  // namespace memlens
