#include "distributed/sharded_classifier.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "distributed/sharded_ib1.h"
#include "distributed/sharded_igtree.h"
#include "distributed/sharded_tribl2.h"
#include "distributed/sharded_vector_memory.h"

namespace memlens {
namespace {

Message batchMessage(const InstanceSet& queries, size_t begin, size_t end) {
  Message m;
  m.put<int32_t>(queries.width);
  m.putSpan<uint32_t>({queries.features.data() + begin * static_cast<size_t>(queries.width),
                       (end - begin) * static_cast<size_t>(queries.width)});
  return m;
}

}  // namespace

Result<uint64_t> ShardedClassifier::storedVectors() {
  const InstanceBase* mine = shard();
  const uint32_t local = mine ? mine->vectorCount() : 0;
  if (disjoint()) return comm_.sum(local);
  // A vector may be on several ranks: each goes to one rank, chosen by its hash, which counts
  // the distinct vectors it receives.
  const auto bytesOf = [&](uint32_t id) {
    const auto v = mine->vector(id);
    return std::string_view(reinterpret_cast<const char*>(v.data()), v.size_bytes());
  };
  std::vector<std::vector<uint8_t>> to(static_cast<size_t>(comm_.size()));
  for (uint32_t id = 0; id < local; ++id) {
    const std::string_view v = bytesOf(id);
    auto& out = to[std::hash<std::string_view>{}(v) % to.size()];
    out.insert(out.end(), v.begin(), v.end());
  }
  auto received = comm_.allToAll(std::move(to));
  if (!received) return received.status();
  const size_t vectorBytes = static_cast<size_t>(width()) * sizeof(uint32_t);
  std::unordered_set<std::string_view> distinct;
  for (const auto& from : *received) {
    for (size_t at = 0; at + vectorBytes <= from.size(); at += vectorBytes)
      distinct.emplace(reinterpret_cast<const char*>(from.data()) + at, vectorBytes);
  }
  return comm_.sum(distinct.size());
}

Result<std::unique_ptr<ShardedClassifier>> ShardedClassifier::train(
    Communicator& comm, const ClassifierOptions& options, InstanceSet block, JobControl* job) {
  if (options.algorithm == Algorithm::kVectorMemory)
    return trainShardedVectorMemory(comm, options, std::move(block), job);
  if (options.metric != Metric::kOverlap)
    return Status::invalidArgument("a sharded memory uses the overlap metric (-mO) for now");
  if (options.algorithm == Algorithm::kIb1) return trainShardedIb1(comm, options, block, job);
  if (options.algorithm == Algorithm::kTribl2)
    return trainShardedTribl2(comm, options, std::move(block), job);
  return trainShardedIgTree(comm, options, std::move(block), job);
}

Result<std::unique_ptr<ShardedClassifier>> ShardedClassifier::restore(
    Communicator& comm, const ClassifierOptions& options, GlobalStatistics stats,
    InstanceBase shard, StoredDerivations stored, JobControl* job) {
  ClassifierOptions global = options;
  global.fixedWeights = stats.weights();
  if (options.algorithm == Algorithm::kIb1)
    return assembleShardedIb1(comm, std::move(global), std::move(stats), std::move(shard),
                              std::move(stored.subsetIndexes), job);
  if (options.algorithm == Algorithm::kTribl2)
    return assembleShardedTribl2(comm, std::move(global), std::move(stats), std::move(shard),
                                 std::move(stored.subsetIndexes), job);
  if (options.algorithm == Algorithm::kIgTree) {
    std::unique_ptr<Classifier> local;
    uint64_t rootChildren = 0;
    if (shard.vectorCount() > 0 && stored.igTree) {
      rootChildren = stored.igTree->root().childCount;
      local = makeIgTreeClassifier(global, std::make_unique<InstanceBase>(std::move(shard)),
                                   std::move(*stored.igTree), global.fixedWeights);
    }
    return assembleShardedIgTree(comm, std::move(global), std::move(stats), std::move(local),
                                 rootChildren);
  }
  return Status::invalidArgument("a sharded memory is IB1, IGTree or TRIBL2 for now");
}

Result<std::vector<Prediction>> ShardedClassifier::predict(const InstanceSet& queries,
                                                           const PredictOptions& options,
                                                           JobControl* job) {
  std::vector<Prediction> out;
  if (comm_.rank() == 0) out.resize(queries.size());
  Status st = predictEach(
      queries, options,
      [&](size_t begin, std::vector<Prediction>& batch) {
        std::move(batch.begin(), batch.end(), out.begin() + static_cast<std::ptrdiff_t>(begin));
      },
      job);
  if (!st) return st;
  return out;
}

Status ShardedClassifier::predictEach(
    const InstanceSet& queries, const PredictOptions& options,
    const std::function<void(size_t begin, std::vector<Prediction>&)>& consume, JobControl* job,
    size_t batchSize) {
  if (comm_.rank() == 0 && options.neighbours)
    return Status::invalidArgument("a sharded memory does not list neighbours yet");
  std::vector<Prediction> out;
  for (size_t begin = 0;; begin += batchSize) {
    // Rank 0 says what comes next: a batch, or the end (an empty message).
    Message batch;
    const size_t end = std::min(queries.size(), begin + batchSize);
    if (comm_.rank() == 0 && begin < queries.size()) batch = batchMessage(queries, begin, end);
    if (Status st = comm_.broadcast(batch.bytes()); !st) return st;
    if (batch.bytes().empty()) break;
    InstanceSet part;
    part.width = batch.get<int32_t>();
    part.features = batch.getVector<uint32_t>();
    if (!batch.ok() || part.width <= 0) return Status::internal("malformed query batch");
    part.classes.assign(part.features.size() / static_cast<size_t>(part.width), 0);
    Message plan;
    if (probes()) {
      auto probe = this->probe(part);
      if (Status st = comm_.agree(probe ? Status::ok() : probe.status()); !st) return st;
      auto probed = comm_.gather(probe->bytes());
      if (!probed) return probed.status();
      if (comm_.rank() == 0) {
        std::vector<Message> probeAnswers;
        for (auto& bytes : *probed) probeAnswers.emplace_back(std::move(bytes));
        plan = this->plan(part, probeAnswers);
      }
      if (Status st = comm_.broadcast(plan.bytes()); !st) return st;
    }
    auto mine = answer(part, plan, options);
    if (Status st = comm_.agree(mine ? Status::ok() : mine.status()); !st) return st;
    auto gathered = comm_.gather(mine->bytes());
    if (!gathered) return gathered.status();
    Status merged = Status::ok();
    if (comm_.rank() == 0) {
      std::vector<Message> answers;
      for (auto& bytes : *gathered) answers.emplace_back(std::move(bytes));
      out.assign(part.size(), Prediction{});
      merged = merge(part, answers, options, out.data());
      if (merged) consume(begin, out);
      reportProgress(job, static_cast<double>(end) / static_cast<double>(queries.size()),
                     "classifying");
    }
    if (Status st = comm_.agree(merged); !st) return st;
  }
  return Status::ok();
}

}  // namespace memlens
