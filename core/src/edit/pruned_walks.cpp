#include "edit/pruned_walks.h"

#include <tbb/parallel_for.h>

namespace memlens {
namespace {

std::vector<double> distancesOf(const NeighbourSearch& search) {
  std::vector<double> out(search.patternsByDistance().size());
  for (uint32_t m = 0; m < out.size(); ++m) out[m] = search.distanceOf(m);
  return out;
}

}  // namespace

PrunedWalks::PrunedWalks(const std::shared_ptr<const Classifier>& memory,
                         const NeighbourSearch& search,
                         const std::shared_ptr<const ProbeQueries>& queries)
    : memory_(memory),
      queries_(queries),
      search_(&search),
      distances_(distancesOf(search)),
      walks_(queries->size()) {
  const InstanceBase& base = memory->memory();
  single_.resize(base.vectorCount());
  tbb::parallel_for(tbb::blocked_range<uint32_t>(0, base.vectorCount(), 4096),
                    [&](const auto& range) {
                      for (uint32_t v = range.begin(); v != range.end(); ++v) {
                        uint64_t held = 0;
                        for (const ClassCount& c : base.distribution(v)) held += c.count;
                        single_[v] = held == 1;
                      }
                    });
}

bool PrunedWalks::serves(const std::shared_ptr<const Classifier>& memory,
                         const NeighbourSearch& search,
                         const std::shared_ptr<const ProbeQueries>& queries) const {
  return memory_.lock() == memory && queries_.lock() == queries && search_ == &search &&
         distances_ == distancesOf(search);
}

bool PrunedWalks::coveredBy(const std::vector<bool>& removed) const {
  if (removed.size() != single_.size()) return false;
  for (size_t v = 0; v < single_.size(); ++v)
    if (single_[v] && !removed[v]) return false;
  return true;
}

bool PrunedWalks::reserve(uint64_t bytes) {
  if (bytes_.fetch_add(bytes) + bytes <= kMaxBytes) return true;
  bytes_ -= bytes;
  return false;
}

}  // namespace memlens
