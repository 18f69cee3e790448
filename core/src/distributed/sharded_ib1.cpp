#include "distributed/sharded_ib1.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <limits>

#include "distributed/bucket_merge.h"
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
  return assembleShardedIb1(comm, std::move(global), std::move(stats).value(), std::move(base), {},
                            job);
}

Result<std::unique_ptr<ShardedClassifier>> assembleShardedIb1(
    Communicator& comm, ClassifierOptions global, GlobalStatistics stats, InstanceBase shard,
    std::vector<SubsetIndex::Stored> indexes, JobControl* job) {
  auto local = std::make_unique<OverlapMemory>(global);
  // A rank whose block is empty (more ranks than instances) has no bucket to give.
  Status adopted =
      shard.vectorCount() > 0
          ? local->adopt(std::move(shard), {}, job, SubsetIndexing::kUpFront, std::move(indexes))
          : Status::ok();
  if (Status st = comm.agree(adopted); !st) return st;
  return std::unique_ptr<ShardedClassifier>(
      std::make_unique<ShardedIb1>(comm, std::move(global), std::move(stats), std::move(local)));
}

Result<Message> ShardedIb1::probe(const InstanceSet& batch) {
  found_.assign(batch.size(), {});
  if (local_->trained()) {
    tbb::parallel_for(size_t{0}, batch.size(), [&](size_t q) {
      found_[q] = local_->search().nearestBuckets(batch.instance(q).data(), 0, options_.k);
    });
  }
  Message m;
  for (const auto& buckets : found_) {
    m.put<uint32_t>(static_cast<uint32_t>(buckets.size()));
    for (const OverlapSearch::ScoredBucket& b : buckets) m.put<double>(b.distance);
  }
  return m;
}

Message ShardedIb1::plan(const InstanceSet& batch, std::vector<Message>& probes) const {
  const size_t wanted = static_cast<size_t>(options_.k) + 1;
  std::vector<double> distances;
  Message cutoffs;
  for (size_t q = 0; q < batch.size(); ++q) {
    distances.clear();
    for (Message& m : probes) {
      const auto n = m.get<uint32_t>();
      for (uint32_t b = 0; b < n && m.ok(); ++b) distances.push_back(m.get<double>());
    }
    std::sort(distances.begin(), distances.end());
    // The start of the (k + 1)-th merged bucket, grouped as BucketMerge groups.
    double cutoff = std::numeric_limits<double>::infinity();
    size_t groups = 0;
    for (size_t a = 0; a < distances.size();) {
      if (++groups == wanted) {
        cutoff = distances[a];
        break;
      }
      size_t b = a;
      while (b < distances.size() && sameDistance(distances[a], distances[b])) ++b;
      a = b;
    }
    cutoffs.put<double>(cutoff);
  }
  return cutoffs;
}

Result<Message> ShardedIb1::answer(const InstanceSet& batch, const Message& plan,
                                   const PredictOptions&) const {
  Message cutoffs(plan.bytes());
  const std::vector<uint32_t> global = stats_.globalIndices(local_->base());
  Message m;
  std::vector<OverlapSearch::ScoredBucket> needed;
  for (size_t q = 0; q < batch.size(); ++q) {
    const double cutoff = cutoffs.get<double>();
    needed.clear();
    for (const OverlapSearch::ScoredBucket& b : found_[q])
      if (b.distance <= cutoff || sameDistance(cutoff, b.distance)) needed.push_back(b);
    BucketMerge::put(m, needed, global);
  }
  if (!cutoffs.ok() || !cutoffs.atEnd()) return Status::internal("malformed plan from rank 0");
  return m;
}

Status ShardedIb1::merge(const InstanceSet& batch, std::vector<Message>& answers,
                         const PredictOptions& options, Prediction* out) const {
  BucketMerge merge(stats_, options_);
  for (size_t q = 0; q < batch.size(); ++q) {
    merge.begin();
    for (Message& m : answers)
      if (!merge.read(m)) return Status::internal("malformed neighbour buckets from a rank");
    merge.decide(options, out[q]);
  }
  for (Message& m : answers)
    if (!m.atEnd()) return Status::internal("a rank answered more queries than were sent");
  return Status::ok();
}

}  // namespace memlens
