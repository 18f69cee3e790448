#include "edit/probe_queries.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace memlens {

Result<std::shared_ptr<const ProbeQueries>> ProbeQueries::of(const InstanceSet& probe,
                                                             JobControl* job) {
  auto q = std::make_shared<ProbeQueries>();
  const size_t n = probe.size();
  const auto w = static_cast<size_t>(std::max(probe.width, 0));
  q->width_ = w;
  q->queryOf_.resize(n);
  // Open addressing on the values' hash, at most half full: the 100-copy corpus's 9.1M probe
  // tokens take a fraction of a second, where a node-based map took several.
  constexpr uint32_t kEmpty = UINT32_MAX;
  std::vector<uint32_t> slots(std::bit_ceil(std::max<size_t>(2 * n, 16)), kEmpty);
  const size_t mask = slots.size() - 1;
  const auto hashOf = [w](const uint32_t* v) {
    uint64_t h = 0xCBF29CE484222325ull;
    for (size_t f = 0; f < w; ++f) h = (h ^ v[f]) * 0x100000001B3ull;
    return static_cast<size_t>(h ^ (h >> 31));
  };
  for (size_t t = 0; t < n; ++t) {
    if (t % 65536 == 0 && cancelRequested(job)) return Status::cancelled();
    const uint32_t* v = probe.features.data() + t * w;
    size_t s = hashOf(v) & mask;
    for (; slots[s] != kEmpty; s = (s + 1) & mask)
      if (std::memcmp(q->query(slots[s]), v, w * sizeof(uint32_t)) == 0) break;
    if (slots[s] == kEmpty) {
      slots[s] = static_cast<uint32_t>(q->count_++);
      q->features_.insert(q->features_.end(), v, v + w);
    }
    q->queryOf_[t] = slots[s];
  }
  q->features_.shrink_to_fit();
  return std::shared_ptr<const ProbeQueries>(std::move(q));
}

}  // namespace memlens
