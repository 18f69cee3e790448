#include "distributed/sharded_trace.h"

#include <algorithm>
#include <vector>

#include "classify/classifier_factories.h"
#include "distributed/message.h"
#include "distributed/shard_by_value.h"
#include "distributed/shard_vector.h"
#include "distributed/sharded_buckets_trace.h"
#include "distributed/sharded_ib1.h"
#include "distributed/sharded_igtree.h"
#include "distributed/sharded_tribl2.h"
#include "distributed/traced_vectors.h"
#include "memory/ig_tree.h"

namespace memlens {
namespace {

// IGTree's walk: the root is the whole memory's (every rank knows its statistics), the levels
// below it are the subtree of the owner of the context's first value, which is one process's
// subtree. Every rank gets the path (the evidence below needs its depth).
Result<TreePath> igTreePath(Communicator& comm, const ShardedIgTree& tree,
                            std::span<const uint32_t> context) {
  const int first = tree.order().front();
  const bool owner = ownerOf(context[static_cast<size_t>(first)], comm.size()) == comm.rank();
  Message mine;
  if (owner && tree.local()) mine.putSpan<TreeStep>(tree.local()->treePath(context).steps);
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  Message steps;
  Status merged = Status::ok();
  if (comm.rank() == 0) {
    std::vector<TreeStep> below;
    for (std::vector<uint8_t>& bytes : *gathered) {
      if (bytes.empty()) continue;
      Message m(std::move(bytes));
      below = m.getVector<TreeStep>();
      if (!m.ok() || below.empty()) merged = Status::internal("malformed tree path from a rank");
    }
    const Prediction root = tree.rootAnswer(PredictOptions{});
    std::vector<TreeStep> path(1);
    TreeStep& r = path.front();
    r.defaultClass = root.classId;
    r.classes = static_cast<uint32_t>(root.distribution.size());
    r.instances = root.instances;
    r.tested = tree.rootHasChildren();
    if (r.tested) {
      r.feature = first;
      r.value = context[static_cast<size_t>(first)];
      r.matched = below.size() > 1;
      if (r.matched) path.insert(path.end(), below.begin() + 1, below.end());
    }
    steps.putSpan<TreeStep>(path);
  }
  if (Status st = comm.agree(merged); !st) return st;
  if (Status st = share(comm, steps); !st) return st;
  TreePath path;
  path.steps = steps.getVector<TreeStep>();
  if (!steps.ok() || path.steps.empty()) return Status::internal("malformed tree path");
  path.depth = static_cast<int>(path.steps.size()) - 1;
  path.answer =
      path.depth == 0 ? TreePath::Answer::kRootMajority : TreePath::Answer::kDeepestDefault;
  return path;
}

// IGTree's evidence: at depth >= 1 every vector agreeing with the matched prefix is on the
// owner; at depth 0 it is every vector, and each rank sends its strongest. Disjoint shards number
// their vectors in the order of their first sources, as one process numbers the whole memory's,
// so a rank's strongest by (instances, local id) are its strongest by (instances, global id).
// Rank 0 gets the evidence with shard-local traces, and the first sources and provenance sources
// of the vectors shown.
Status igTreeEvidence(Communicator& comm, const ShardedIgTree& tree, const Trace& t,
                      const TraceOptions& options, TreeEvidence& evidence,
                      std::vector<ShardVector>& shown) {
  const int first = tree.order().front();
  const bool owner = ownerOf(t.context[static_cast<size_t>(first)], comm.size()) == comm.rank();
  Message mine;
  if ((t.path.depth == 0 || owner) && tree.local()) {
    const TreeEvidence local = treeEvidence(*tree.local(), t, options);
    const InstanceBase& shard = tree.local()->memory();
    mine.put<uint64_t>(local.storedVectors);
    mine.put<uint64_t>(local.instances);
    mine.put<uint64_t>(local.shown.size());
    for (const NeighbourTrace& n : local.shown)
      putShardVector(mine, shardVector(shard, n.storedVector, t, options));
  }
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  Status merged = Status::ok();
  if (comm.rank() == 0) {
    uint64_t vectors = 0;
    for (std::vector<uint8_t>& bytes : *gathered) {
      if (bytes.empty()) continue;
      Message m(std::move(bytes));
      vectors += m.get<uint64_t>();
      evidence.instances += m.get<uint64_t>();
      const auto n = m.get<uint64_t>();
      for (uint64_t i = 0; i < n && m.ok(); ++i) shown.push_back(getShardVector(m));
      if (!m.ok()) merged = Status::internal("malformed tree evidence from a rank");
    }
    evidence.storedVectors = static_cast<uint32_t>(vectors);
    std::sort(shown.begin(), shown.end(), [](const ShardVector& a, const ShardVector& b) {
      return a.trace.instanceCount > b.trace.instanceCount ||
             (a.trace.instanceCount == b.trace.instanceCount && a.firstSource < b.firstSource);
    });
    if (shown.size() > options.maxTreeEvidence) shown.resize(options.maxTreeEvidence);
  }
  return comm.agree(merged);
}

// TRIBL2's root: the whole memory's node.
void fillTribl2Root(const GlobalStatistics& stats, uint64_t storedVectors, TreeStep& root) {
  const auto& totals = stats.classTotals();
  std::vector<ClassCount> all;
  for (uint32_t c = 0; c < totals.size(); ++c) all.push_back({c, static_cast<uint32_t>(totals[c])});
  root.defaultClass = stats.classIds()[defaultClassOf(all, totals)];
  root.classes = static_cast<uint32_t>(totals.size());
  root.instances = stats.instanceCount();
  root.storedVectors = static_cast<uint32_t>(storedVectors);
}

// TRIBL2 when no stored vector has the context's first value: the walk stops at the root, and
// IB1 runs over the whole memory (the buckets of every rank, as for IB1).
Status tribl2Fallback(Communicator& comm, const ShardedTribl2& tribl2,
                      const std::vector<uint32_t>& firstHeld, uint64_t storedVectors, Trace& t,
                      const TraceOptions& options, std::vector<ShardBucket>& buckets) {
  TreeStep root;
  root.tested = true;
  root.feature = tribl2.firstFeature();
  root.value = t.context[static_cast<size_t>(root.feature)];
  fillTribl2Root(tribl2.statistics(), storedVectors, root);
  t.path.steps = {root};
  t.path.depth = 0;
  t.path.answer = TreePath::Answer::kIb1Fallback;
  return bucketsOverShards(comm, tribl2, firstHeld, t, options, buckets);
}

// TRIBL2 (the context's first value stored somewhere): every stored vector agreeing with the
// context on it is on the owner, so the walk below the root, an exact match and the IB1 below a
// matched prefix are the owner's, with the node defaults chosen by the global class totals. The
// root is the whole memory's. Rank 0 gets the path, the buckets and the evidence.
Status tribl2Trace(Communicator& comm, const ShardedTribl2& tribl2, const GlobalStatistics& stats,
                   uint64_t storedVectors, Trace& t, const TraceOptions& options,
                   std::vector<ShardBucket>& buckets, std::vector<ShardVector>& evidence) {
  const int first = tribl2.firstFeature();
  const uint32_t* q = t.context.data();
  Message mine;
  if (ownerOf(q[first], comm.size()) == comm.rank()) {
    const OverlapMemory& local = tribl2.local();
    const InstanceBase& shard = local.base();
    const TreePath path = tribl2TreePath(local, t.context, stats.classTotals());
    mine.putSpan<TreeStep>(path.steps);
    std::vector<ShardBucket> found;
    uint64_t shown = 0;
    if (path.answer == TreePath::Answer::kExactMatch) {
      const uint32_t exact = shard.find(t.context);
      found.push_back({0.0, 1.0, {shardVector(shard, exact, t, options)}, 0, {}});
      shown = 1;
    } else {
      uint32_t prefix = 0;
      for (int d = 0; d < path.depth; ++d)
        prefix |= 1u << local.treeOrder()[static_cast<size_t>(d)];
      PredictOptions asked;
      asked.neighbours = true;
      asked.maxNeighbours = options.maxBucketNeighbours;
      Prediction p;
      local.search().classify(q, prefix, tribl2.options(), asked, p);
      for (const NeighbourBucket& b : p.neighbours) {
        ShardBucket& out = found.emplace_back();
        out.distance = b.distance;
        out.weight = b.weight;
        out.unlistedVectors = b.unlistedVectors;
        out.unlistedCounts = b.unlistedCounts;
        for (const uint32_t v : b.storedVectors)
          out.vectors.push_back(shardVector(shard, v, t, options));
      }
    }
    mine.put<uint64_t>(found.size());
    for (const ShardBucket& b : found) {
      mine.put<double>(b.distance);
      mine.put<double>(b.weight);
      mine.put<uint64_t>(b.unlistedVectors);
      mine.putSpan<ClassVote>(b.unlistedCounts);
      mine.put<uint64_t>(b.vectors.size());
      for (const ShardVector& v : b.vectors) putShardVector(mine, v);
    }
    mine.put<uint64_t>(shown);  // the exact match is its own evidence
  }
  auto gathered = comm.gather(mine.bytes());
  if (!gathered) return gathered.status();
  if (comm.rank() != 0) return comm.agree(Status::ok());
  Message m(std::move((*gathered)[static_cast<size_t>(ownerOf(q[first], comm.size()))]));
  std::vector<TreeStep> steps = m.getVector<TreeStep>();
  const auto bucketCount = m.get<uint64_t>();
  for (uint64_t i = 0; i < bucketCount && m.ok(); ++i) {
    ShardBucket& b = buckets.emplace_back();
    b.distance = m.get<double>();
    b.weight = m.get<double>();
    b.unlistedVectors = m.get<uint64_t>();
    b.unlistedCounts = m.getVector<ClassVote>();
    const auto n = m.get<uint64_t>();
    for (uint64_t j = 0; j < n && m.ok(); ++j) b.vectors.push_back(getShardVector(m));
  }
  const bool exact = m.get<uint64_t>() == 1;
  if (!m.ok() || steps.size() < 2 || (exact && buckets.size() != 1))
    return comm.agree(Status::internal("malformed TRIBL2 trace from the owner"));
  fillTribl2Root(stats, storedVectors, steps.front());
  t.path.steps = std::move(steps);
  t.path.depth = static_cast<int>(t.path.steps.size()) - 1;
  t.path.answer = exact ? TreePath::Answer::kExactMatch : TreePath::Answer::kIb1Fallback;
  if (exact) {
    const ShardVector& v = buckets.front().vectors.front();
    t.evidence.storedVectors = 1;
    t.evidence.instances = v.trace.instanceCount;
    evidence.push_back(v);
  }
  return comm.agree(Status::ok());
}

}  // namespace

Result<Trace> traceSharded(Communicator& comm, ShardedMemory& memory, const Experiment* experiment,
                           std::span<const uint32_t> context, const TraceOptions& options) {
  ShardedClassifier& classifier = *memory.classifier;
  const auto* igtree = dynamic_cast<const ShardedIgTree*>(&classifier);
  const auto* tribl2 = dynamic_cast<const ShardedTribl2*>(&classifier);
  const auto* ib1 = dynamic_cast<const ShardedIb1*>(&classifier);
  if (!igtree && !tribl2 && !ib1)
    return Status::invalidArgument(
        "a sharded explain takes an IB1, IGTree or TRIBL2 memory: run it with one rank");
  Message query;
  if (comm.rank() == 0) query.putSpan<uint32_t>(context);
  if (Status st = share(comm, query); !st) return st;
  Trace t;
  t.context = query.getVector<uint32_t>();
  if (!query.ok() || t.context.size() != static_cast<size_t>(classifier.width()))
    return Status::internal("malformed context");
  t.featureWeights = classifier.statistics().weights();

  InstanceSet queries;
  queries.width = classifier.width();
  queries.features = t.context;
  queries.classes.assign(1, 0);
  queries.sources.assign(1, 0);
  auto predictions = classifier.predict(queries, PredictOptions{});
  if (!predictions) return predictions.status();

  std::vector<ShardBucket> buckets;
  std::vector<ShardVector> vectors;  // the evidence shown, then every bucket's
  auto firstHeld = firstHeldBefore(comm, classifier);
  if (!firstHeld) return firstHeld.status();
  if (ib1) {
    if (Status st = bucketsOverShards(comm, classifier, *firstHeld, t, options, buckets); !st)
      return st;
  } else if (igtree) {
    auto path = igTreePath(comm, *igtree, t.context);
    if (!path) return path.status();
    t.path = std::move(*path);
    if (Status st = igTreeEvidence(comm, *igtree, t, options, t.evidence, vectors); !st) return st;
  } else {
    auto stored = classifier.storedVectors();
    if (!stored) return stored.status();
    const bool walks = tribl2->stored(t.context[static_cast<size_t>(tribl2->firstFeature())]);
    if (Status st = walks ? tribl2Trace(comm, *tribl2, classifier.statistics(), *stored, t, options,
                                        buckets, vectors)
                          : tribl2Fallback(comm, *tribl2, *firstHeld, *stored, t, options, buckets);
        !st)
      return st;
  }
  const size_t evidence = vectors.size();
  for (ShardBucket& b : buckets)
    for (ShardVector& v : b.vectors) vectors.push_back(std::move(v));
  auto traced = tracedVectors(comm, memory, *firstHeld, std::move(vectors), options);
  if (!traced) return traced.status();
  if (comm.rank() != 0) return Trace{};

  auto next = traced->begin();
  t.evidence.shown.assign(std::make_move_iterator(next),
                          std::make_move_iterator(next + static_cast<std::ptrdiff_t>(evidence)));
  next += static_cast<std::ptrdiff_t>(evidence);
  for (ShardBucket& b : buckets) {
    BucketTrace& out = t.buckets.emplace_back();
    out.distance = b.distance;
    out.weight = b.weight;
    out.unlistedVectors = b.unlistedVectors;
    out.unlistedCounts = std::move(b.unlistedCounts);
    for (size_t i = 0; i < b.vectors.size(); ++i) out.neighbours.push_back(std::move(*next++));
  }
  t.prediction = std::move(predictions->front());
  smoothTrace(experiment->smoother(), t, options);
  return t;
}

}  // namespace memlens
