#pragma once

#include <memory>

#include "distributed/sharded_classifier.h"
#include "memory/overlap_memory.h"

namespace memlens {

// IB1 sharded by contiguous blocks of the training instances: every rank searches its block
// with the global weights and returns its k + 1 nearest buckets (distance, summed class counts)
// per query; rank 0 merges buckets at equal distance across ranks, keeps the k + 1 nearest and
// runs the one process's vote (distance weighting, tie rules, the k + 1 retry) over them.
// Collective as ShardedClassifier.
class ShardedIb1 final : public ShardedClassifier {
 public:
  ShardedIb1(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
             std::unique_ptr<OverlapMemory> local);

 public:
  const InstanceBase* shard() const override { return &local_->base(); }
  const OverlapMemory* overlap() const override { return local_.get(); }

 protected:
  // Round one: each rank's nearest bucket distances; rank 0 plans, per query, the distance
  // of the (k + 1)-th merged bucket, beyond which no rank's counts can matter (the far buckets
  // of a small shard hold thousands of classes: sending them all cost 13 kB a query at k = 1).
  bool disjoint() const override { return false; }
  bool probes() const override { return true; }
  Result<Message> probe(const InstanceSet& batch) override;
  Message plan(const InstanceSet& batch, std::vector<Message>& probes) const override;
  Result<Message> answer(const InstanceSet& batch, const Message& plan,
                         const PredictOptions& options) const override;
  Status merge(const InstanceSet& batch, std::vector<Message>& answers,
               const PredictOptions& options, Prediction* out) const override;

 private:
  // The shard with the global weights; untrained when this rank's block is empty.
  std::unique_ptr<OverlapMemory> local_;
  // The current batch's nearest buckets, from probe() to answer().
  std::vector<std::vector<OverlapSearch::ScoredBucket>> found_;
};

Result<std::unique_ptr<ShardedClassifier>> trainShardedIb1(Communicator& comm,
                                                           const ClassifierOptions& options,
                                                           const InstanceSet& block,
                                                           JobControl* job);
// Collective: the sharded IB1 over `shard` (this rank's block as an instance base, empty when
// the block was) with the global weights in `global`; `indexes`: a shard file's subset indexes.
Result<std::unique_ptr<ShardedClassifier>> assembleShardedIb1(
    Communicator& comm, ClassifierOptions global, GlobalStatistics stats, InstanceBase shard,
    std::vector<SubsetIndex::Stored> indexes, JobControl* job);

}  // namespace memlens
