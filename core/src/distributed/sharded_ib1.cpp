#include "distributed/sharded_ib1.h"

#include <tbb/parallel_for.h>

#include <algorithm>

#include "memory/bucket_vote.h"

namespace memlens {

ShardedIb1::ShardedIb1(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
                       std::unique_ptr<OverlapMemory> local)
    : ShardedClassifier(comm, std::move(options), std::move(stats)), local_(std::move(local)) {}

Result<std::unique_ptr<ShardedClassifier>> trainShardedIb1(Communicator& comm,
                                                           const ClassifierOptions& options,
                                                           const InstanceSet& block,
                                                           JobControl* job) {
  InstanceBase base(block.width);
  Status added = base.add(block, job);
  if (Status st = comm.agree(added); !st) return st;
  auto stats = GlobalStatistics::reduce(comm, base, options);
  if (!stats) return stats.status();
  ClassifierOptions global = options;
  global.fixedWeights = stats->weights();
  auto local = std::make_unique<OverlapMemory>(global);
  // A rank whose block is empty (more ranks than instances) has no bucket to give.
  Status adopted = base.vectorCount() > 0 ? local->adopt(std::move(base), job) : Status::ok();
  if (Status st = comm.agree(adopted); !st) return st;
  return std::unique_ptr<ShardedClassifier>(std::make_unique<ShardedIb1>(
      comm, std::move(global), std::move(stats).value(), std::move(local)));
}

Result<Message> ShardedIb1::answer(const InstanceSet& batch, const PredictOptions&) const {
  std::vector<std::vector<OverlapSearch::ScoredBucket>> found(batch.size());
  if (local_->trained()) {
    tbb::parallel_for(size_t{0}, batch.size(), [&](size_t q) {
      found[q] = local_->search().nearestBuckets(batch.instance(q).data(), 0, options_.k);
    });
  }
  // Global class indices, so that rank 0 merges without looking classes up.
  const InstanceBase& base = local_->base();
  std::vector<uint32_t> global(base.classCount());
  for (uint32_t c = 0; c < base.classCount(); ++c) global[c] = stats_.classIndex(base.classId(c));
  Message m;
  for (const auto& buckets : found) {
    m.put<uint32_t>(static_cast<uint32_t>(buckets.size()));
    for (const OverlapSearch::ScoredBucket& b : buckets) {
      m.put<double>(b.distance);
      m.put<uint32_t>(static_cast<uint32_t>(b.counts.size()));
      for (const auto& [c, n] : b.counts) {
        m.put<uint32_t>(global[c]);
        m.put<int64_t>(n);
      }
    }
  }
  return m;
}

Status ShardedIb1::merge(const InstanceSet& batch, std::vector<Message>& answers,
                         const PredictOptions& options, Prediction* out) const {
  struct Bucket {
    double distance;
    size_t begin, end;  // its counts in `counts`
  };
  const size_t wanted = static_cast<size_t>(options_.k) + 1;
  const auto classIdOf = [this](uint32_t c) { return stats_.classIds()[c]; };
  const auto classes = static_cast<uint32_t>(stats_.classIds().size());
  std::vector<Bucket> all;
  SparseCounts counts;
  std::vector<int64_t> acc(classes, 0);
  std::vector<SparseCounts> nearest;
  std::vector<double> distances;
  for (size_t q = 0; q < batch.size(); ++q) {
    all.clear();
    counts.clear();
    for (Message& m : answers) {
      const auto buckets = m.get<uint32_t>();
      for (uint32_t b = 0; b < buckets && m.ok(); ++b) {
        Bucket& bucket = all.emplace_back();
        bucket.distance = m.get<double>();
        bucket.begin = counts.size();
        const auto n = m.get<uint32_t>();
        for (uint32_t c = 0; c < n && m.ok(); ++c) {
          const auto index = m.get<uint32_t>();
          if (index >= classes) return Status::internal("a class no rank counted");
          counts.emplace_back(index, m.get<int64_t>());
        }
        bucket.end = counts.size();
      }
      if (!m.ok()) return Status::internal("malformed neighbour buckets from a rank");
    }
    // Nearest first; buckets of different ranks at one distance are one bucket, whose distance
    // is the smallest (the one process's bucket starts at its nearest member).
    std::stable_sort(all.begin(), all.end(),
                     [](const Bucket& a, const Bucket& b) { return a.distance < b.distance; });
    nearest.clear();
    distances.clear();
    for (size_t a = 0; a < all.size() && nearest.size() < wanted;) {
      size_t b = a;
      SparseCounts& merged = nearest.emplace_back();
      for (; b < all.size() && sameDistance(all[a].distance, all[b].distance); ++b)
        for (size_t i = all[b].begin; i < all[b].end; ++i) {
          const auto [c, n] = counts[i];
          if (acc[c] == 0) merged.emplace_back(c, 0);
          acc[c] += n;
        }
      for (auto& [c, n] : merged) {
        n = acc[c];
        acc[c] = 0;
      }
      distances.push_back(all[a].distance);
      a = b;
    }
    Prediction& p = out[q];
    p = Prediction{};
    if (nearest.empty()) continue;
    BucketVote vote(stats_.classTotals(), classIdOf, options_, distances,
                    [&nearest](int b) { return nearest[static_cast<size_t>(b)]; });
    vote.decide(options, p);
  }
  for (Message& m : answers)
    if (!m.atEnd()) return Status::internal("a rank answered more queries than were sent");
  return Status::ok();
}

}  // namespace memlens
