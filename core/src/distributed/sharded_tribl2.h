#pragma once

#include <memory>
#include <vector>

#include "distributed/sharded_classifier.h"
#include "memory/overlap_memory.h"

namespace memlens {

// TRIBL2 sharded by the value of the tree's first feature, as ShardedIgTree: every stored vector
// that agrees with a query on that feature is on its owner, so the tree walk, an exact match and
// the IB1 fallback below a matched prefix are the owner's alone (rank 0 votes over its buckets
// with the global classes). A query whose first value no stored vector has falls back to IB1
// over the whole memory: every rank sends its nearest buckets, merged as ShardedIb1 merges them.
// Collective as ShardedClassifier.
class ShardedTribl2 final : public ShardedClassifier {
 public:
  ShardedTribl2(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
                std::vector<uint32_t> firstValues, std::unique_ptr<OverlapMemory> local);

  int firstFeature() const { return first_; }
  // Whether some stored vector, on any rank, has `firstValue` at the first tree feature.
  bool stored(uint32_t firstValue) const;
  const OverlapMemory& local() const { return *local_; }

  const InstanceBase* shard() const override { return &local_->base(); }
  const OverlapMemory* overlap() const override { return local_.get(); }

 protected:
  bool disjoint() const override { return true; }
  Result<Message> answer(const InstanceSet& batch, const Message& plan,
                         const PredictOptions& options) const override;
  Status merge(const InstanceSet& batch, std::vector<Message>& answers,
               const PredictOptions& options, Prediction* out) const override;

 private:
  int first_;                          // the tree's first feature
  std::vector<uint32_t> firstValues_;  // its values in the whole memory, sorted
  std::unique_ptr<OverlapMemory> local_;
};

Result<std::unique_ptr<ShardedClassifier>> trainShardedTribl2(Communicator& comm,
                                                              const ClassifierOptions& options,
                                                              InstanceSet block, JobControl* job);
// Collective: the sharded TRIBL2 over `shard` (this rank's share by first value, every global
// class registered in global order) with the global weights in `global`; `indexes`: a shard
// file's subset indexes.
Result<std::unique_ptr<ShardedClassifier>> assembleShardedTribl2(
    Communicator& comm, ClassifierOptions global, GlobalStatistics stats, InstanceBase shard,
    std::vector<SubsetIndex::Stored> indexes, JobControl* job);

}  // namespace memlens
