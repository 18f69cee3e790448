#include "distributed/bucket_merge.h"

#include <algorithm>

#include "memory/bucket_vote.h"

namespace memlens {

BucketMerge::BucketMerge(const GlobalStatistics& stats, const ClassifierOptions& options)
    : stats_(stats), options_(options), acc_(stats.classIds().size(), 0) {}

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

void BucketMerge::begin() {
  buckets_.clear();
  counts_.clear();
}

bool BucketMerge::read(Message& m) {
  const auto classes = static_cast<uint32_t>(acc_.size());
  const auto buckets = m.get<uint32_t>();
  for (uint32_t b = 0; b < buckets && m.ok(); ++b) {
    Bucket& bucket = buckets_.emplace_back();
    bucket.distance = m.get<double>();
    bucket.begin = counts_.size();
    const auto n = m.get<uint32_t>();
    for (uint32_t c = 0; c < n && m.ok(); ++c) {
      const auto index = m.get<uint32_t>();
      const auto count = m.get<int64_t>();
      if (index >= classes || count <= 0) return false;
      counts_.emplace_back(index, count);
    }
    bucket.end = counts_.size();
  }
  return m.ok();
}

void BucketMerge::decide(const PredictOptions& options, Prediction& out) {
  out = Prediction{};
  // Nearest first; buckets of different ranks at one distance are one bucket, whose distance
  // is the smallest (the one process's bucket starts at its nearest member).
  std::stable_sort(buckets_.begin(), buckets_.end(),
                   [](const Bucket& a, const Bucket& b) { return a.distance < b.distance; });
  const size_t wanted = static_cast<size_t>(std::max(1, options_.k)) + 1;
  std::vector<SparseCounts> nearest;
  std::vector<double> distances;
  for (size_t a = 0; a < buckets_.size() && nearest.size() < wanted;) {
    size_t b = a;
    SparseCounts& merged = nearest.emplace_back();
    for (; b < buckets_.size() && sameDistance(buckets_[a].distance, buckets_[b].distance); ++b)
      for (size_t i = buckets_[b].begin; i < buckets_[b].end; ++i) {
        const auto [c, n] = counts_[i];
        if (acc_[c] == 0) merged.emplace_back(c, 0);
        acc_[c] += n;
      }
    for (auto& [c, n] : merged) {
      n = acc_[c];
      acc_[c] = 0;
    }
    distances.push_back(buckets_[a].distance);
    a = b;
  }
  if (nearest.empty()) return;
  BucketVote vote(
      stats_.classTotals(), [this](uint32_t c) { return stats_.classIds()[c]; }, options_,
      std::move(distances), [&nearest](int b) { return nearest[static_cast<size_t>(b)]; });
  vote.decide(options, out);
}

}  // namespace memlens
