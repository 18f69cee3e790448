#pragma once

#include <memory>

#include "classify/classifier_factories.h"
#include "distributed/sharded_classifier.h"

namespace memlens {

// IGTree sharded by the value of the tree's first feature (the highest-weight one): a rank
// holds every stored vector with its values, hence whole depth-1 subtrees, built with the global
// class totals and root default, so they are the one process's subtrees. A query goes to the
// rank that owns its first value; an answer at the root (no subtree matched) is the global root's,
// which rank 0 knows from the global statistics. Collective as ShardedClassifier.
class ShardedIgTree final : public ShardedClassifier {
 public:
  ShardedIgTree(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
                std::vector<int> order, bool rootHasChildren, std::unique_ptr<Classifier> local);

  // The whole memory's root as an answer (no subtree matched).
  Prediction rootAnswer(const PredictOptions& options) const;
  const std::vector<int>& order() const { return order_; }
  bool rootHasChildren() const { return rootHasChildren_; }
  // This rank's subtrees (null when it owns no stored vector).
  const Classifier* local() const { return local_.get(); }

  const InstanceBase* shard() const override { return local_ ? &local_->memory() : nullptr; }
  const IgTree* tree() const override { return local_ ? igTreeOf(*local_) : nullptr; }

 protected:
  bool disjoint() const override { return true; }
  Result<Message> answer(const InstanceSet& batch, const Message& plan,
                         const PredictOptions& options) const override;
  Status merge(const InstanceSet& batch, std::vector<Message>& answers,
               const PredictOptions& options, Prediction* out) const override;

 private:
  std::vector<int> order_;
  bool rootHasChildren_;
  std::unique_ptr<Classifier> local_;  // null when this rank owns no stored vector
};

Result<std::unique_ptr<ShardedClassifier>> trainShardedIgTree(Communicator& comm,
                                                              const ClassifierOptions& options,
                                                              InstanceSet block, JobControl* job);
// Collective: the sharded IGTree whose rank holds `local` (its subtrees: null when it owns no
// stored vector), whose tree root has `rootChildren` children on this rank.
Result<std::unique_ptr<ShardedClassifier>> assembleShardedIgTree(Communicator& comm,
                                                                 ClassifierOptions global,
                                                                 GlobalStatistics stats,
                                                                 std::unique_ptr<Classifier> local,
                                                                 uint64_t rootChildren);

}  // namespace memlens
