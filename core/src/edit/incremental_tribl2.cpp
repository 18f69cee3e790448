#include "edit/incremental_tribl2.h"

#include <algorithm>

#include "classify/classifier_factories.h"
#include "memory/ig_tree.h"

namespace memlens {

IncrementalTribl2::IncrementalTribl2(const ClassifierOptions& options,
                                     std::shared_ptr<const Classifier> base,
                                     std::shared_ptr<const VectorOverlay> overlay,
                                     ClassOrder classes, std::vector<uint32_t> touched,
                                     std::function<const InstanceSet&()> instances,
                                     const IncrementalTribl2* previous,
                                     std::shared_ptr<const ReweightedDistances> reweighted)
    : IncrementalClassifier(options, base, classes, instances),
      memory_(*overlapMemoryOf(*base_)),
      edited_(options, std::move(base), std::move(overlay), std::move(classes),
              std::move(instances), previous ? &previous->edited_ : nullptr, std::move(reweighted)),
      touched_(std::move(touched)) {}

bool IncrementalTribl2::rebuiltFor(const uint32_t* query) const {
  return std::binary_search(touched_.begin(), touched_.end(),
                            query[static_cast<size_t>(firstFeature())]);
}

void IncrementalTribl2::answer(const uint32_t* query, const PredictOptions& options,
                               Prediction& out, Bound& bound) const {
  bound = Bound{};
  const int w = width();
  if (const auto counts = edited_.exactCounts({query, static_cast<size_t>(w)}); !counts.empty())
    return exact(counts, options, out, bound);
  if (!edited_.hasGroup(query, 1u << firstFeature())) {
    edited_.search(query, 0, options, out, bound);
    out.matchDepth = 0;
    return;
  }
  // The walk of Tribl2Classifier.
  uint32_t prefix = 0;
  int depth = 0;
  for (; depth < w - 1; ++depth) {
    const uint32_t next = prefix | (1u << memory_.treeOrder()[static_cast<size_t>(depth)]);
    if (!edited_.hasGroup(query, next)) break;
    prefix = next;
  }
  edited_.search(query, prefix, options, out, bound);
  out.matchDepth = depth;
  // Only stored vectors with the query's first value voted: rebuiltFor() covers them.
  bound.reach = -1.0;
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
  // The default was chosen by totals among the most frequent classes.
  for (const ClassCount& c : dist)
    if (c.count == most) bound.tiedOn.push_back(classes_.ids[c.classIndex]);
  if (bound.tiedOn.size() < 2) bound.tiedOn.clear();
}

}  // namespace memlens
