#include "memory/merged_buckets.h"

#include <algorithm>
#include <limits>
#include <memory>

namespace memlens {

MergedBuckets& MergedBuckets::forThread(size_t classes) {
  thread_local std::unique_ptr<MergedBuckets> merged;
  thread_local size_t size = 0;
  if (!merged || size < classes) {
    merged = std::make_unique<MergedBuckets>(classes);
    size = classes;
  }
  merged->clear();
  return *merged;
}

void MergedBuckets::clear() {
  buckets_.clear();
  counts_.clear();
}

void MergedBuckets::addBucket(double distance) {
  buckets_.push_back({distance, counts_.size(), counts_.size()});
}

void MergedBuckets::addCount(uint32_t classIndex, int64_t count) {
  counts_.emplace_back(classIndex, count);
  buckets_.back().end = counts_.size();
}

void MergedBuckets::decide(const std::vector<uint64_t>& classTotals,
                           const std::function<uint32_t(uint32_t)>& classIdOf,
                           const ClassifierOptions& options, const PredictOptions& predictOptions,
                           Prediction& out) {
  out = Prediction{};
  reach_ = kth_ = std::numeric_limits<double>::infinity();
  // Nearest first; buckets of different parts at one distance are one bucket, whose distance
  // is the smallest (the one memory's bucket starts at its nearest member).
  std::stable_sort(buckets_.begin(), buckets_.end(),
                   [](const Bucket& a, const Bucket& b) { return a.distance < b.distance; });
  const size_t wanted = static_cast<size_t>(std::max(1, options.k)) + 1;
  nearest_.clear();
  distances_.clear();
  for (size_t a = 0; a < buckets_.size() && nearest_.size() < wanted;) {
    size_t b = a;
    SparseCounts& merged = nearest_.emplace_back();
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
    distances_.push_back(buckets_[a].distance);
    a = b;
  }
  if (nearest_.size() == wanted) reach_ = distances_.back();
  if (nearest_.size() + 1 >= wanted) kth_ = distances_[wanted - 2];
  if (nearest_.empty()) return;
  BucketVote vote(classTotals, classIdOf, options, distances_,
                  [this](int b) { return nearest_[static_cast<size_t>(b)]; });
  vote.decide(predictOptions, out);
  if (!predictOptions.neighbours) return;
  // The parts hold the buckets' stored vectors: the caller lists them.
  const int K = vote.votedBuckets();
  for (int b = 0; b < K; ++b)
    out.neighbours.emplace_back(vote.distance(b), vote.weight(b, K, vote.votedRequested()),
                                std::vector<uint32_t>());
}

}  // namespace memlens
