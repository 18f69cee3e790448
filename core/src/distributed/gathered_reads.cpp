#include "distributed/gathered_reads.h"

namespace memlens {
namespace {

std::string bytesOf(std::span<const uint32_t> query) {
  return {reinterpret_cast<const char*>(query.data()), query.size_bytes()};
}

}  // namespace

void GatheredReads::add(std::span<const uint32_t> query, std::span<const GatheredSlot> nearest) {
  std::vector<SlotRead> slots;
  slots.reserve(nearest.size());
  for (const GatheredSlot& g : nearest) {
    const auto [it, added] = slotOf_.try_emplace(g.key, static_cast<uint32_t>(slotOf_.size()));
    if (added) {
      keys_.push_back(g.key);
      counts_.insert(counts_.end(), g.counts.begin(), g.counts.end());
      countStart_.push_back(counts_.size());
    }
    slots.push_back({it->second, g.distance, 0.0});
  }
  reads_[bytesOf(query)] = std::move(slots);
}

std::vector<SlotRead> GatheredReads::nearest(std::span<const uint32_t> query) const {
  const auto it = reads_.find(bytesOf(query));
  return it == reads_.end() ? std::vector<SlotRead>() : it->second;
}

}  // namespace memlens
