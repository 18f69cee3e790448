#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace memlens {

// Items grouped by the hash of their values on one match pattern (OverlayIndex::hashOn): keys of
// the top 32 bits of an item's hash above its index, placed by a counting sort into buckets of
// their leading bits (two to four items a bucket), items ascending within one. Eight bytes an item
// and no allocation per group, built in two passes: the hash tables of a document removal's half
// million edited vectors took most of a second per pattern to build (a page fault for every fresh
// page, an allocation per group) and as long to free. Shorter hashes collide more often (about
// one item in 2^32 per lookup): the callers compare the values.
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
    const size_t b = top >> shift_;
    for (const uint64_t* k = keys_.get() + start_[b]; k != keys_.get() + start_[b + 1]; ++k)
      if ((*k >> 32) == top) fn(static_cast<uint32_t>(*k));
  }
  bool contains(uint64_t hash) const {
    bool found = false;
    forEach(hash, [&found](uint32_t) { found = true; });
    return found;
  }

 private:
  static uint64_t topOf(uint64_t hash);

  int shift_;                    // a key's bucket: the top of its hash >> shift_
  std::vector<uint32_t> start_;  // per bucket, its first key; then the end
  // (top of the hash << 32) | item; not zeroed first (a fresh page costs a fault).
  std::unique_ptr<uint64_t[]> keys_;
};

}  // namespace memlens
