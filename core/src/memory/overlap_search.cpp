#include "memory/overlap_search.h"

#include <map>

namespace memlens {

OverlapSearch::GroupSummary OverlapSearch::summaryOfAll(const InstanceBase& base) {
  GroupSummary out;
  out.vectors = base.vectorCount();
  const auto& totals = base.classTotals();
  for (uint32_t c = 0; c < totals.size(); ++c)
    if (totals[c] > 0) out.distribution.push_back({c, static_cast<uint32_t>(totals[c])});
  return out;
}

OverlapSearch::GroupSummary OverlapSearch::summaryOf(const InstanceBase& base,
                                                     std::span<const uint32_t> ids,
                                                     std::span<const ClassCount> cached) {
  GroupSummary out;
  out.vectors = static_cast<uint32_t>(ids.size());
  std::map<uint32_t, uint64_t> sum;  // a trace sums a few groups: clarity over speed
  for (const ClassCount& c : cached) sum[c.classIndex] += c.count;
  for (uint32_t id : ids)
    for (const ClassCount& c : base.distribution(id)) sum[c.classIndex] += c.count;
  for (const auto& [c, n] : sum) out.distribution.push_back({c, static_cast<uint32_t>(n)});
  return out;
}

}  // namespace memlens
