#pragma once

#include <cstdint>
#include <functional>
#include <memory>

namespace memlens {

// Items grouped by the hash of their values on one match pattern (OverlayIndex::hashOn): one
// sorted array of keys, each the top 32 bits of an item's hash above its index, so a group is
// the run of keys found by binary search. Eight bytes an item and no allocation per group: the
// hash tables of a document removal's half million edited vectors took most of a second per
// pattern to build (a page fault for every fresh page, and an allocation per group) and as long
// to free. Shorter hashes collide more often (about one item in 2^32 per lookup): the callers
// compare the values.
// Thread-safety: const calls may run concurrently.
class PatternGroups {
 public:
  // Items [begin, end), item i's `width` values at valuesOf(i).
  PatternGroups(uint32_t begin, uint32_t end, uint32_t pattern, int width,
                const std::function<const uint32_t*(uint32_t)>& valuesOf);

  // Calls fn(item) for every item whose values on the pattern hash as `hash` (hashOn() of a
  // query), ascending.
  template <typename Fn>
  void forEach(uint64_t hash, Fn&& fn) const {
    const uint64_t top = topOf(hash);
    for (const uint64_t* it = first(top); it != end() && (*it >> 32) == top; ++it)
      fn(static_cast<uint32_t>(*it));
  }
  bool contains(uint64_t hash) const {
    const uint64_t top = topOf(hash);
    const uint64_t* it = first(top);
    return it != end() && (*it >> 32) == top;
  }

 private:
  static uint64_t topOf(uint64_t hash);
  const uint64_t* first(uint64_t top) const;
  const uint64_t* end() const { return keys_.get() + size_; }

  // (top of the hash << 32) | item, ascending; not zeroed first (a fresh page costs a fault).
  std::unique_ptr<uint64_t[]> keys_;
  size_t size_;
};

}  // namespace memlens
