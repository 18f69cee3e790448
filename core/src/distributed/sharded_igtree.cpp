#include "distributed/sharded_igtree.h"

#include "classify/classifier_factories.h"
#include "distributed/shard_by_value.h"
#include "memory/ig_tree.h"
#include "memory/overlap_memory.h"

namespace memlens {

ShardedIgTree::ShardedIgTree(Communicator& comm, ClassifierOptions options, GlobalStatistics stats,
                             std::vector<int> order, bool rootHasChildren,
                             std::unique_ptr<Classifier> local)
    : ShardedClassifier(comm, std::move(options), std::move(stats)),
      order_(std::move(order)),
      rootHasChildren_(rootHasChildren),
      local_(std::move(local)) {}

Result<std::unique_ptr<ShardedClassifier>> trainShardedIgTree(Communicator& comm,
                                                              const ClassifierOptions& options,
                                                              InstanceSet block, JobControl* job) {
  auto stats = GlobalStatistics::ofBlock(comm, block, options, job);
  if (!stats) return stats.status();
  ClassifierOptions global = options;
  global.fixedWeights = stats->weights();
  std::vector<int> order = memoryOrder(global, global.fixedWeights);
  // The root's default is the whole memory's majority class.
  auto shard = shardByValue(comm, std::move(block), order.front(), *stats, job);
  Status built = shard ? Status::ok() : shard.status();
  auto base = std::make_unique<InstanceBase>(shard ? std::move(shard).value() : InstanceBase());
  std::vector<ClassCount> rootDist;
  for (uint32_t c = 0; c < stats->classTotals().size(); ++c)
    rootDist.push_back({c, static_cast<uint32_t>(stats->classTotals()[c])});
  IgTreeDefaults defaults;
  defaults.classTotals = &stats->classTotals();
  defaults.rootDefault =
      rootDist.empty() ? InstanceBase::kNone : defaultClassOf(rootDist, stats->classTotals());
  std::unique_ptr<Classifier> local;
  uint64_t rootChildren = 0;
  if (built && base->vectorCount() > 0) {
    auto tree = IgTree::build(*base, order, job, defaults);
    if (tree) {
      rootChildren = tree->root().childCount;
      local = makeIgTreeClassifier(global, std::move(base), std::move(tree).value(),
                                   global.fixedWeights);
    } else {
      built = tree.status();
    }
  }
  if (Status st = comm.agree(built); !st) return st;
  return assembleShardedIgTree(comm, std::move(global), std::move(stats).value(), std::move(local),
                               rootChildren);
}

Result<std::unique_ptr<ShardedClassifier>> assembleShardedIgTree(Communicator& comm,
                                                                 ClassifierOptions global,
                                                                 GlobalStatistics stats,
                                                                 std::unique_ptr<Classifier> local,
                                                                 uint64_t rootChildren) {
  std::vector<int> order = memoryOrder(global, global.fixedWeights);
  auto children = comm.sum(rootChildren);
  if (!children) return children.status();
  return std::unique_ptr<ShardedClassifier>(
      std::make_unique<ShardedIgTree>(comm, std::move(global), std::move(stats), std::move(order),
                                      *children > 0, std::move(local)));
}

Prediction ShardedIgTree::rootAnswer(const PredictOptions& options) const {
  Prediction p;
  const auto& totals = stats_.classTotals();
  std::vector<ClassCount> dist;
  for (uint32_t c = 0; c < totals.size(); ++c)
    dist.push_back({c, static_cast<uint32_t>(totals[c])});
  p.classId = stats_.classIds()[defaultClassOf(dist, totals)];
  p.matchDepth = 0;
  p.leaf = !rootHasChildren_;
  // The weight of every feature, summed from the last in tree order as the one process does.
  double tail = 0.0;
  for (size_t d = order_.size(); d-- > 0;) tail += options_.fixedWeights[order_[d]];
  p.distance = tail;
  p.instances = stats_.instanceCount();
  if (options.distributions)
    for (uint32_t c = 0; c < totals.size(); ++c)
      p.distribution.push_back({stats_.classIds()[c], static_cast<double>(totals[c])});
  return p;
}

Result<Message> ShardedIgTree::answer(const InstanceSet& batch, const Message&,
                                      const PredictOptions& options) const {
  Message m;
  const auto first = static_cast<size_t>(order_.front());
  for (size_t q = 0; q < batch.size(); ++q) {
    if (ownerOf(batch.instance(q)[first], comm_.size()) != comm_.rank()) continue;
    m.put<uint32_t>(static_cast<uint32_t>(q));
    const Prediction p = local_ ? local_->predictOne(batch.instance(q), options) : Prediction{};
    // Depth 0: the shard's root is not the whole memory's; rank 0 answers with the latter.
    m.put<int32_t>(p.matchDepth);
    if (p.matchDepth == 0) continue;
    m.put<uint32_t>(p.classId);
    m.put<uint8_t>(p.leaf ? 1 : 0);
    m.put<double>(p.distance);
    m.put<uint64_t>(p.instances);
    m.putSpan<ClassVote>(p.distribution);
  }
  return m;
}

Status ShardedIgTree::merge(const InstanceSet& batch, std::vector<Message>& answers,
                            const PredictOptions& options, Prediction* out) const {
  std::vector<char> answered(batch.size(), 0);
  for (Message& m : answers) {
    while (m.ok() && !m.atEnd()) {
      const auto q = m.get<uint32_t>();
      if (q >= batch.size() || answered[q]) return Status::internal("a query answered twice");
      answered[q] = 1;
      Prediction& p = out[q];
      const auto depth = m.get<int32_t>();
      if (depth == 0) {
        p = rootAnswer(options);
        continue;
      }
      p = Prediction{};
      p.matchDepth = depth;
      p.classId = m.get<uint32_t>();
      p.leaf = m.get<uint8_t>() != 0;
      p.distance = m.get<double>();
      p.instances = m.get<uint64_t>();
      p.distribution = m.getVector<ClassVote>();
    }
    if (!m.ok()) return Status::internal("malformed IGTree answers from a rank");
  }
  for (char a : answered)
    if (!a) return Status::internal("a query no rank answered");
  return Status::ok();
}

}  // namespace memlens
