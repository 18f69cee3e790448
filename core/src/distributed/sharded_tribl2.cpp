#include "distributed/sharded_tribl2.h"

#include <tbb/parallel_for.h>

#include <algorithm>

#include "distributed/bucket_merge.h"
#include "distributed/shard_by_value.h"
#include "memory/ig_tree.h"

namespace memlens {
namespace {

// What the owner of a query found.
enum class Found : uint8_t { kExact, kBelowPrefix };

// Collective: the values of `feature` in every rank's shard, sorted, on every rank.
Result<std::vector<uint32_t>> allValues(Communicator& comm, const InstanceBase& shard,
                                        int feature) {
  Message mine;
  std::vector<uint32_t> values;
  for (const auto& [id, index] : shard.featureCounts()[static_cast<size_t>(feature)].valueIndex)
    values.push_back(id);
  mine.putSpan<uint32_t>(values);
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  Message all;
  if (comm.rank() == 0) {
    values.clear();
    for (auto& bytes : *gathered) {
      Message m(std::move(bytes));
      for (uint32_t v : m.getVector<uint32_t>()) values.push_back(v);
    }
    std::sort(values.begin(), values.end());
    all.putSpan<uint32_t>(values);
  }
  if (Status st = comm.broadcast(all.bytes()); !st) return st;
  return all.getVector<uint32_t>();
}

}  // namespace

ShardedTribl2::ShardedTribl2(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
                             std::vector<uint32_t> firstValues,
                             std::unique_ptr<OverlapMemory> local)
    : ShardedClassifier(comm, std::move(options), std::move(stats)),
      first_(memoryOrder(options_, options_.fixedWeights).front()),
      firstValues_(std::move(firstValues)),
      local_(std::move(local)) {}

Result<std::unique_ptr<ShardedClassifier>> trainShardedTribl2(Communicator& comm,
                                                              const ClassifierOptions& options,
                                                              InstanceSet block, JobControl* job) {
  auto stats = GlobalStatistics::ofBlock(comm, block, options, job);
  if (!stats) return stats.status();
  ClassifierOptions global = options;
  global.fixedWeights = stats->weights();
  const int first = memoryOrder(global, global.fixedWeights).front();
  auto shard = shardByValue(comm, std::move(block), first, *stats, job);
  if (Status st = comm.agree(shard ? Status::ok() : shard.status()); !st) return st;
  return assembleShardedTribl2(comm, std::move(global), std::move(stats).value(),
                               std::move(shard).value(), {}, job);
}

Result<std::unique_ptr<ShardedClassifier>> assembleShardedTribl2(
    Communicator& comm, ClassifierOptions global, GlobalStatistics stats, InstanceBase shard,
    std::vector<SubsetIndex::Stored> indexes, JobControl* job) {
  const int first = memoryOrder(global, global.fixedWeights).front();
  auto values = allValues(comm, shard, first);
  if (!values) return values.status();
  auto local = std::make_unique<OverlapMemory>(global);
  Status adopted =
      shard.vectorCount() > 0
          ? local->adopt(std::move(shard), {}, job, SubsetIndexing::kUpFront, std::move(indexes))
          : Status::ok();
  if (Status st = comm.agree(adopted); !st) return st;
  return std::unique_ptr<ShardedClassifier>(std::make_unique<ShardedTribl2>(
      comm, std::move(global), std::move(stats), std::move(values).value(), std::move(local)));
}

bool ShardedTribl2::stored(uint32_t firstValue) const {
  return std::binary_search(firstValues_.begin(), firstValues_.end(), firstValue);
}

Result<Message> ShardedTribl2::answer(const InstanceSet& batch, const Message&,
                                      const PredictOptions&) const {
  // Per query: nothing (another rank's), the exact match's distribution, or buckets (below the
  // matched prefix, or over the shard when the first value is stored nowhere).
  struct Answer {
    bool mine = false;
    bool exact = false;
    int depth = 0;
    std::vector<ClassCount> distribution;
    std::vector<OverlapSearch::ScoredBucket> buckets;
  };
  std::vector<Answer> found(batch.size());
  const int w = batch.width;
  tbb::parallel_for(size_t{0}, batch.size(), [&](size_t q) {
    const uint32_t* query = batch.instance(q).data();
    Answer& a = found[q];
    const uint32_t value = query[first_];
    if (!stored(value)) {
      a.mine = true;
      if (local_->trained()) a.buckets = local_->search().nearestBuckets(query, 0, options_.k);
      return;
    }
    if (ownerOf(value, comm_.size()) != comm_.rank()) return;
    a.mine = true;
    const InstanceBase& base = local_->base();
    const uint32_t exact = base.find({query, static_cast<size_t>(w)});
    if (exact != InstanceBase::kNone) {
      a.exact = true;
      const auto d = base.distribution(exact);
      a.distribution.assign(d.begin(), d.end());
      return;
    }
    // The walk of Tribl2Classifier: the shard holds every stored vector below the first value.
    uint32_t prefix = 0;
    for (; a.depth < w - 1; ++a.depth) {
      const uint32_t next = prefix | (1u << local_->treeOrder()[static_cast<size_t>(a.depth)]);
      if (!local_->search().hasGroup(query, next)) break;
      prefix = next;
    }
    a.buckets = local_->search().nearestBuckets(query, prefix, options_.k);
  });
  // The shard's class indices are the global ones (shardByValue registers them in order).
  const std::vector<uint32_t> global = stats_.globalIndices(local_->base());
  Message m;
  for (const Answer& a : found) {
    if (!a.mine) continue;
    if (a.exact) {
      m.put<uint8_t>(static_cast<uint8_t>(Found::kExact));
      m.putSpan<ClassCount>(a.distribution);
    } else {
      m.put<uint8_t>(static_cast<uint8_t>(Found::kBelowPrefix));
      m.put<int32_t>(a.depth);
      BucketMerge::put(m, a.buckets, global);
    }
  }
  return m;
}

Status ShardedTribl2::merge(const InstanceSet& batch, std::vector<Message>& answers,
                            const PredictOptions& options, Prediction* out) const {
  BucketMerge buckets(stats_, options_);
  const auto& totals = stats_.classTotals();
  for (size_t q = 0; q < batch.size(); ++q) {
    const uint32_t value = batch.instance(q)[static_cast<size_t>(first_)];
    Prediction& p = out[q];
    buckets.begin();
    if (!stored(value)) {
      // IB1 over the whole memory: every rank's buckets.
      for (Message& m : answers) {
        m.get<uint8_t>();
        m.get<int32_t>();
        if (!buckets.read(m)) return Status::internal("malformed neighbour buckets from a rank");
      }
      buckets.decide(options, p);
      continue;
    }
    Message& m = answers[static_cast<size_t>(ownerOf(value, comm_.size()))];
    if (static_cast<Found>(m.get<uint8_t>()) == Found::kBelowPrefix) {
      const auto depth = m.get<int32_t>();
      if (!buckets.read(m)) return Status::internal("malformed neighbour buckets from a rank");
      buckets.decide(options, p);
      p.matchDepth = depth;
      continue;
    }
    std::vector<ClassCount> sorted = m.getVector<ClassCount>();
    std::sort(sorted.begin(), sorted.end(),
              [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
    if (!m.ok() || sorted.empty() || sorted.back().classIndex >= totals.size())
      return Status::internal("malformed exact match from a rank");
    p = Prediction{};
    p.classId = stats_.classIds()[defaultClassOf(sorted, totals)];
    p.matchDepth = batch.width;
    for (const ClassCount& c : sorted) p.instances += c.count;
    if (options.distributions)
      for (const ClassCount& c : sorted)
        p.distribution.push_back({stats_.classIds()[c.classIndex], static_cast<double>(c.count)});
  }
  for (Message& m : answers)
    if (!m.atEnd()) return Status::internal("a rank answered more queries than were sent");
  return Status::ok();
}

}  // namespace memlens
