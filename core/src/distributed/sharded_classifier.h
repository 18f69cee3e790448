#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "classify/classifier_factories.h"
#include "distributed/communicator.h"
#include "distributed/global_statistics.h"
#include "distributed/message.h"
#include "memlens/classifier.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/prediction.h"
#include "memlens/result.h"

namespace memlens {

// A memory sharded over the ranks of an MPI job that answers exactly as one process holding the
// whole memory (docs/spec/distributed.md). Rank 0 reads the queries and sends them in batches
// to every rank; each rank answers from its shard; rank 0 merges the answers.
// Every call is collective. Not thread-safe.
class ShardedClassifier {
 public:
  // Queries per message: thousands, so that a batch's latency is paid per batch, not per query.
  static constexpr size_t kBatch = 4096;

  ShardedClassifier(const ShardedClassifier&) = delete;
  ShardedClassifier& operator=(const ShardedClassifier&) = delete;
  virtual ~ShardedClassifier() = default;

  // Collective: every rank passes its block of the training instances, the blocks contiguous
  // and in rank order (rank 0 the first lines). IB1, IGTree and TRIBL2 (overlap metric), and
  // the vector memory. Takes the block: the memories sharded by value free it once sent.
  static Result<std::unique_ptr<ShardedClassifier>> train(Communicator& comm,
                                                          const ClassifierOptions& options,
                                                          InstanceSet block,
                                                          JobControl* job = nullptr);

  // Collective: the sharded memory a shard file kept (distributed/shard_file.h): every rank
  // passes its shard as trained (empty when it held none) and what was derived from it, the
  // options and statistics of the whole memory. Nothing is re-added or retrained.
  static Result<std::unique_ptr<ShardedClassifier>> restore(
      Communicator& comm, const ClassifierOptions& options, GlobalStatistics stats,
      InstanceBase shard, StoredDerivations stored, JobControl* job = nullptr);

  // Collective: rank 0 passes the queries (other ranks' are not read) and gets one Prediction
  // per query, as one process would give it; the other ranks get an empty vector.
  // PredictOptions::neighbours is not supported.
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& options,
                                          JobControl* job = nullptr);
  // The same, `batch` queries at a time (rank 0's `batch` decides): rank 0's `consume` takes
  // each batch's predictions (the first is query `begin`'s) as they are merged, so that rank 0
  // need not hold them all at once. Distributions near a tree's root hold up to every class:
  // smaller batches bound what one batch's predictions take.
  Status predictEach(const InstanceSet& queries, const PredictOptions& options,
                     const std::function<void(size_t begin, std::vector<Prediction>&)>& consume,
                     JobControl* job = nullptr, size_t batch = kBatch);

  // Collective: the distinct stored vectors of the whole memory, one process's
  // memory().vectorCount(), on every rank.
  Result<uint64_t> storedVectors();

  // This rank's stored vectors (null when it holds none), IGTree's tree of them and the overlap
  // memory searching them (IB1, TRIBL2), null for the other algorithms: what a shard file keeps.
  virtual const InstanceBase* shard() const = 0;
  virtual const IgTree* tree() const { return nullptr; }
  virtual const OverlapMemory* overlap() const { return nullptr; }

  const ClassifierOptions& options() const { return options_; }
  const GlobalStatistics& statistics() const { return stats_; }
  // Features per instance (a rank's shard may be empty: more ranks than instances).
  int width() const { return static_cast<int>(stats_.weights().size()); }

  // Whether no stored vector is on two ranks (shards by value), so that counts add up.
  virtual bool disjoint() const = 0;

 protected:
  ShardedClassifier(Communicator& comm, ClassifierOptions options, GlobalStatistics stats)
      : comm_(comm), options_(std::move(options)), stats_(std::move(stats)) {}

  // A first round before the answers, when the answers need what only rank 0 can know (the
  // nearest distance of all ranks): every rank's probe() of the batch goes to rank 0, whose
  // plan() of them goes back to every rank's answer().
  virtual bool probes() const { return false; }
  virtual Result<Message> probe(const InstanceSet& /*batch*/) { return Message(); }
  virtual Message plan(const InstanceSet& /*batch*/, std::vector<Message>& /*probes*/) const {
    return Message();
  }
  // This rank's answers to a batch, for merge().
  virtual Result<Message> answer(const InstanceSet& batch, const Message& plan,
                                 const PredictOptions& options) const = 0;
  // Rank 0: the predictions for `batch` from every rank's answers (in rank order).
  virtual Status merge(const InstanceSet& batch, std::vector<Message>& answers,
                       const PredictOptions& options, Prediction* out) const = 0;

  Communicator& comm_;
  ClassifierOptions options_;
  GlobalStatistics stats_;
};

}  // namespace memlens
