#include "distributed/bucket_merge.h"

namespace memlens {

BucketMerge::BucketMerge(const GlobalStatistics& stats, const ClassifierOptions& options)
    : stats_(stats), options_(options), merged_(stats.classIds().size()) {}

void BucketMerge::put(Message& m, const std::vector<OverlapSearch::ScoredBucket>& buckets,
                      const std::vector<uint32_t>& globalIndex) {
  m.put<uint32_t>(static_cast<uint32_t>(buckets.size()));
  for (const OverlapSearch::ScoredBucket& b : buckets) {
    m.put<double>(b.distance);
    m.put<uint32_t>(static_cast<uint32_t>(b.counts.size()));
    for (const auto& [c, n] : b.counts) {
      m.put<uint32_t>(globalIndex[c]);
      m.put<int64_t>(n);
    }
  }
}

void BucketMerge::begin() { merged_.clear(); }

bool BucketMerge::read(Message& m) {
  const auto classes = static_cast<uint32_t>(stats_.classIds().size());
  const auto buckets = m.get<uint32_t>();
  for (uint32_t b = 0; b < buckets && m.ok(); ++b) {
    merged_.addBucket(m.get<double>());
    const auto n = m.get<uint32_t>();
    for (uint32_t c = 0; c < n && m.ok(); ++c) {
      const auto index = m.get<uint32_t>();
      const auto count = m.get<int64_t>();
      if (index >= classes || count <= 0) return false;
      merged_.addCount(index, count);
    }
  }
  return m.ok();
}

void BucketMerge::decide(const PredictOptions& options, Prediction& out) {
  merged_.decide(
      stats_.classTotals(), [this](uint32_t c) { return stats_.classIds()[c]; }, options_, options,
      out);
}

}  // namespace memlens
