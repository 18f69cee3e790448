#include "distributed/sharded_ib1.h"

#include <tbb/parallel_for.h>

#include "distributed/bucket_merge.h"

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
  const std::vector<uint32_t> global = stats_.globalIndices(local_->base());
  Message m;
  for (const auto& buckets : found) BucketMerge::put(m, buckets, global);
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
