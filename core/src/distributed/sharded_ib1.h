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

  const InstanceBase& shard() const override { return local_->base(); }

 protected:
  Result<Message> answer(const InstanceSet& batch, const PredictOptions& options) const override;
  Status merge(const InstanceSet& batch, std::vector<Message>& answers,
               const PredictOptions& options, Prediction* out) const override;

 private:
  // The shard with the global weights; untrained when this rank's block is empty.
  std::unique_ptr<OverlapMemory> local_;
};

Result<std::unique_ptr<ShardedClassifier>> trainShardedIb1(Communicator& comm,
                                                           const ClassifierOptions& options,
                                                           const InstanceSet& block,
                                                           JobControl* job);

}  // namespace memlens
