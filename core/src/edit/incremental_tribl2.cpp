#include "edit/incremental_tribl2.h"

#include <algorithm>
#include <bit>

#include "classify/classifier_factories.h"
#include "memory/ig_tree.h"
#include "memory/overlap_search.h"

namespace memlens {

IncrementalTribl2::IncrementalTribl2(const ClassifierOptions& options,
                                     std::shared_ptr<const Classifier> base,
                                     std::shared_ptr<const VectorOverlay> overlay,
                                     ClassOrder classes,
                                     std::function<const InstanceSet&()> instances,
                                     const IncrementalTribl2* previous,
                                     std::shared_ptr<const ReweightedDistances> reweighted)
    : IncrementalClassifier(options, base, classes, instances),
      memory_(*overlapMemoryOf(*base_)),
      edited_(options, std::move(base), std::move(overlay), std::move(classes),
              std::move(instances), previous ? &previous->edited_ : nullptr,
              std::move(reweighted)) {}

void IncrementalTribl2::answer(const uint32_t* query, const PredictOptions& options,
                               Prediction& out, Bound& bound) const {
  std::shared_ptr<const IncrementalIb1::Vote> vote;
  answer(query, options, out, bound, vote);
}

void IncrementalTribl2::answer(const uint32_t* query, const PredictOptions& options,
                               Prediction& out, Bound& bound,
                               std::shared_ptr<const IncrementalIb1::Vote>& vote) const {
  bound = Bound{};
  vote.reset();
  const int w = width();
  if (const auto counts = edited_.exactCounts({query, static_cast<size_t>(w)}); !counts.empty())
    return exact(counts, options, out, bound);
  // The walk of Tribl2Classifier; a query whose first value no stored vector has falls back to
  // IB1 over the whole memory.
  const std::vector<int>& order = memory_.treeOrder();
  uint32_t prefix = 0;
  int depth = 0;
  for (; depth < w - 1; ++depth) {
    const uint32_t next = prefix | (1u << order[static_cast<size_t>(depth)]);
    if (!edited_.hasGroup(query, next)) break;
    prefix = next;
  }
  edited_.search(query, prefix, options, out, bound, &vote);
  out.matchDepth = depth;
  bound.deeper = prefix | (1u << order[static_cast<size_t>(depth)]);
}

bool IncrementalTribl2::revote(const IncrementalIb1::Vote& kept, const Bound& was,
                               std::span<const IncrementalIb1::Change> changes,
                               const PredictOptions& options, Prediction& out, Bound& bound,
                               std::shared_ptr<const IncrementalIb1::Vote>& vote) const {
  // Some bucket within the kept reach is left, so the prefix's group is not empty.
  if (!edited_.revote(kept, changes, options, out, bound, vote, was.required)) return false;
  out.matchDepth = std::popcount(was.required);
  bound.deeper = was.deeper;
  return true;
}

void IncrementalTribl2::exact(const std::vector<std::pair<uint32_t, int64_t>>& counts,
                              const PredictOptions& options, Prediction& out, Bound& bound) const {
  std::vector<ClassCount> dist;
  for (const auto& [id, n] : counts)
    dist.push_back({classes_.indexOfId[id], static_cast<uint32_t>(n)});
  std::sort(dist.begin(), dist.end(),
            [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
  out = Prediction{};
  out.classId = classes_.ids[defaultClassOf(dist, classes_.totals)];
  out.matchDepth = width();
  uint32_t most = 0;
  for (const ClassCount& c : dist) {
    out.instances += c.count;
    most = std::max(most, c.count);
    if (options.distributions)
      out.distribution.push_back({classes_.ids[c.classIndex], static_cast<double>(c.count)});
  }
  // Only the vector itself: its counts, or its removal.
  bound.reach = 0.0;
  bound.required = allFeatures(width());
  // The default was chosen by totals among the most frequent classes.
  for (const ClassCount& c : dist)
    if (c.count == most) bound.tiedOn.push_back(classes_.ids[c.classIndex]);
  if (bound.tiedOn.size() < 2) bound.tiedOn.clear();
}

}  // namespace memlens
