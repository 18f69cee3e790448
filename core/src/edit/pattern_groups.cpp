#include "edit/pattern_groups.h"

#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <bit>

#include "base/huge_pages.h"
#include "edit/overlay_index.h"

namespace memlens {

PatternGroups::PatternGroups(uint32_t begin, uint32_t end, uint32_t pattern, int width,
                             const std::function<const uint32_t*(uint32_t)>& valuesOf)
    : shift_(32 - std::max(1, static_cast<int>(std::bit_width(end - begin)) - 2)),
      start_((size_t{1} << (32 - shift_)) + 1, 0),
      keys_(std::make_unique_for_overwrite<uint64_t[]>(end - begin)) {
  adviseHugePages(keys_.get(), size_t{end - begin} * sizeof(uint64_t));
  // Each item's hash top, in an array this thread keeps for its next groups: a document removal
  // builds a dozen, each over half a million items, and a fresh page costs a fault.
  thread_local std::vector<uint32_t> scratch;
  if (scratch.size() < end - begin) {
    scratch = std::vector<uint32_t>();
    scratch.reserve(end - begin);
    adviseHugePages(scratch.data(), size_t{end - begin} * sizeof(uint32_t));
    scratch.resize(end - begin);
  }
  uint32_t* const tops = scratch.data();
  // Isolated: while this thread waits for the hashing it runs no other task of its caller's (one
  // that builds groups would use this scratch again; a query would use its own per-thread
  // scratch).
  tbb::this_task_arena::isolate([&] {
    tbb::parallel_for(tbb::blocked_range<uint32_t>(begin, end, 4096), [&](const auto& range) {
      for (uint32_t i = range.begin(); i != range.end(); ++i)
        tops[i - begin] =
            static_cast<uint32_t>(topOf(OverlayIndex::hashOn(valuesOf(i), pattern, width)));
    });
  });
  for (uint32_t i = 0; i < end - begin; ++i) ++start_[(tops[i] >> shift_) + 1];
  for (size_t b = 1; b < start_.size(); ++b) start_[b] += start_[b - 1];
  // Items in order: ascending within a bucket.
  std::vector<uint32_t> next(start_.begin(), start_.end() - 1);
  for (uint32_t i = begin; i < end; ++i) {
    const uint32_t top = tops[i - begin];
    keys_[next[top >> shift_]++] = uint64_t{top} << 32 | i;
  }
}

uint64_t PatternGroups::topOf(uint64_t hash) {
  // The hash's low bits mix least (a multiply carries upwards only): mixed down first.
  hash ^= hash >> 33;
  hash *= 0xFF51AFD7ED558CCDull;
  hash ^= hash >> 33;
  return hash >> 32;
}

}  // namespace memlens
