#pragma once

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "distributed/gathered_reads.h"
#include "distributed/sharded_classifier.h"
#include "memlens/vector_memory.h"
#include "memlens/word_vectors.h"
#include "vector/attention_classifier.h"

namespace memlens {

// The vector memory sharded by the value of its highest-weight position (shardByValue): every
// slot, with all its counts, on one rank. The weights, the word vectors (from the ranks' summed
// word-context counts) and the slot counts the approximate search chooses its candidate words
// by are global, so a rank's read is the exact top-k of its own slots among one process's
// candidates; rank 0 keeps the k nearest of all ranks' (ties by first source, one process's slot
// order) and reads them as one process does (docs/spec/distributed.md).
// Collective as ShardedClassifier.
class ShardedVectorMemory final : public ShardedClassifier {
 public:
  ShardedVectorMemory(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
                      std::unique_ptr<InstanceBase> shard, std::unique_ptr<WordVectors> vectors);

  // Collective: rank 0 passes its query sets (the other ranks' are not read) and gets a
  // classifier that reads every distinct query of them as one process (at any temperature, for
  // tuning); the other ranks get null.
  Result<std::unique_ptr<AttentionClassifier>> gather(std::span<const InstanceSet* const> queries,
                                                      JobControl* job = nullptr);
  // The same, as the merged reads themselves (whose keys name the slots to the ranks).
  Result<std::unique_ptr<GatheredReads>> gatherReads(std::span<const InstanceSet* const> queries,
                                                     JobControl* job = nullptr);

  // This rank's slot whose first source is `key` (a GatheredReads key), if it holds it.
  std::optional<uint32_t> slotOf(uint64_t key) const;
  // The read over this rank's shard, with the global weights and word vectors.
  const VectorMemory& vectorMemory() const { return *read_; }

 protected:
  const InstanceBase* shard() const override { return shard_.get(); }
  bool disjoint() const override { return true; }
  // Level 1's candidate words depend on level 0's and on the slots of every rank: the ranks send
  // their counts for the words it may choose, rank 0 says how many it chooses.
  bool probes() const override { return read_->candidateLevels() >= 2; }
  Result<Message> probe(const InstanceSet& batch) override;
  Message plan(const InstanceSet& batch, std::vector<Message>& probes) const override;
  Result<Message> answer(const InstanceSet& batch, const Message& plan,
                         const PredictOptions& options) const override;
  Status merge(const InstanceSet& batch, std::vector<Message>& answers,
               const PredictOptions& options, Prediction* out) const override;

 private:
  // What the search needs from every shard: the slots per word at level 0's position, and the
  // words at each level's position (how many may be there).
  struct GlobalCounts {
    std::vector<uint64_t> levelZeroSlots;
    std::vector<uint32_t> groupCounts;
  };
  friend Result<std::unique_ptr<ShardedClassifier>> trainShardedVectorMemory(
      Communicator&, const ClassifierOptions&, InstanceSet, JobControl*);
  // Level 0's candidate words for `query`, from the global counts.
  std::vector<uint32_t> levelZero(std::span<const uint32_t> query) const;

  std::unique_ptr<InstanceBase> shard_;
  std::unique_ptr<WordVectors> vectors_;  // null: one-hot words
  std::unique_ptr<VectorMemory> read_;    // over shard_ with the global weights and vectors_
  GlobalCounts global_;
  std::vector<uint64_t> keys_;  // per slot of shard_: its first source, one process's slot order
  // The current batch's candidate words, from probe() to answer() (level 1: the words it may
  // choose until plan() cuts them).
  std::vector<VectorMemory::CandidateWords> candidates_;
  // While gather() runs: where merge() puts the reads.
  GatheredReads* gathering_ = nullptr;
};

Result<std::unique_ptr<ShardedClassifier>> trainShardedVectorMemory(
    Communicator& comm, const ClassifierOptions& options, InstanceSet block, JobControl* job);

}  // namespace memlens
