#include "memory/overlap_memory.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <numeric>
#include <string>

#include "base/fork_join_edges.h"
#include "memory/inverted_list_search.h"
#include "memory/neighbour_search.h"

namespace memlens {
namespace {

void buildSubsetIndexes(const NeighbourSearch& search, int width, JobControl* job) {
  const uint32_t masks = 1u << width;
  const uint32_t probe[NeighbourSearch::kMaxWidth] = {};
  ForkJoinEdges edges;
  const auto build = [&](const tbb::blocked_range<uint32_t>& range) {
    const ForkJoinEdges::Chunk edge(edges);
    for (uint32_t m = range.begin(); m != range.end(); ++m) {
      if (!cancelRequested(job)) search.group(probe, m);
    }
  };
  edges.fork();
  // The range form copies the body into oneTBB's task; the index form keeps a reference to this
  // frame's closure, whose stores the compiler may sink past fork().
  tbb::parallel_for(tbb::blocked_range<uint32_t>(1u, masks - 1, 1), build);
  edges.join();
}

}  // namespace

std::vector<int> featureOrder(const std::vector<double>& weights) {
  std::vector<int> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return weights[a] > weights[b]; });
  return order;
}

std::vector<double> memoryWeights(const ClassifierOptions& options, const InstanceBase& base) {
  if (!options.fixedWeights.empty()) return options.fixedWeights;
  if (const auto* details = base.weightDetails())
    return featureWeights(*details, options.weighting);
  return computeFeatureWeights(base.featureCounts(), base.classTotals(), options.weighting);
}

std::vector<int> memoryOrder(const ClassifierOptions& options, const std::vector<double>& weights) {
  return options.fixedOrder.empty() ? featureOrder(weights) : options.fixedOrder;
}

Status checkFixedWeights(const ClassifierOptions& options, int width) {
  if (!options.fixedOrder.empty()) {
    std::vector<int> sorted = options.fixedOrder;
    std::sort(sorted.begin(), sorted.end());
    for (size_t i = 0; i < sorted.size(); ++i)
      if (sorted.size() != static_cast<size_t>(width) || sorted[i] != static_cast<int>(i))
        return Status::invalidArgument("fixed feature order: not a permutation of the " +
                                       std::to_string(width) + " features");
  }
  if (options.fixedWeights.empty() || options.fixedWeights.size() == static_cast<size_t>(width))
    return Status::ok();
  return Status::invalidArgument(
      "fixed feature weights: " + std::to_string(options.fixedWeights.size()) +
      " given, the memory has " + std::to_string(width) + " features");
}

void OverlapMemory::refreshWeights(State& s) const {
  applyWeights(s, memoryWeights(options_, s.base));
}

void OverlapMemory::applyWeights(State& s, std::vector<double> weights) const {
  s.weights = std::move(weights);
  s.order = memoryOrder(options_, s.weights);
  s.search->setWeights(s.weights);
  if (s.mvdm) {
    s.mvdm->refresh();
    s.mvdm->setWeights(s.weights);
  }
}

namespace {

Status checkWidth(const ClassifierOptions& options, int width) {
  if (width < 1 || width > InstanceSet::kMaxWidth)
    return Status::invalidArgument("IB1 and TRIBL2 support 1 to " +
                                   std::to_string(InstanceSet::kMaxWidth) + " features, not " +
                                   std::to_string(width));
  return checkFixedWeights(options, width);
}

}  // namespace

Status OverlapMemory::train(const InstanceSet& instances, JobControl* job) {
  if (Status st = checkWidth(options_, instances.width); !st) return st;
  InstanceBase base(instances.width);
  if (Status st = base.add(instances, job); !st) return st;
  if (cancelRequested(job)) return Status::cancelled();
  return adopt(std::move(base), {}, job);
}

Status OverlapMemory::adopt(InstanceBase base, std::vector<double> weights, JobControl* job,
                            SubsetIndexing indexing, std::vector<SubsetIndex::Stored> stored) {
  const int width = base.width();
  if (Status st = checkWidth(options_, width); !st) return st;
  auto s = std::make_unique<State>(std::move(base));
  if (width <= kPatternSearchMaxWidth && !stored.empty()) {
    s->search = std::make_unique<NeighbourSearch>(s->base, std::move(stored));
  } else if (width <= kPatternSearchMaxWidth && indexing == SubsetIndexing::kUpFront) {
    auto patterns = std::make_unique<NeighbourSearch>(s->base);
    buildSubsetIndexes(*patterns, width, job);
    s->search = std::move(patterns);
  } else {
    s->search = std::make_unique<InvertedListSearch>(s->base);
  }
  if (options_.metric == Metric::kMvdm)
    s->mvdm = std::make_unique<MvdmSearch>(s->base, options_.mvdmThreshold);
  if (weights.empty()) {
    refreshWeights(*s);
  } else {
    applyWeights(*s, std::move(weights));
  }
  if (cancelRequested(job)) return Status::cancelled();
  state_ = std::move(s);
  return Status::ok();
}

Status OverlapMemory::add(const InstanceSet& instances, JobControl* job) {
  if (!state_) return train(instances, job);
  State& s = *state_;
  const uint32_t oldVectors = s.base.vectorCount();
  if (Status st = s.base.add(instances, job); !st) return st;
  std::vector<std::pair<uint32_t, uint32_t>> countsAdded;
  for (size_t i = 0; i < instances.size(); ++i) {
    const uint32_t id = s.base.find(instances.instance(i));
    if (id < oldVectors) countsAdded.emplace_back(id, s.base.classIndex(instances.classes[i]));
  }
  s.search->vectorsAdded(countsAdded);
  refreshWeights(s);
  return Status::ok();
}

}  // namespace memlens
