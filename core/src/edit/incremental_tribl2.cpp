#include "edit/incremental_tribl2.h"

#include <algorithm>

#include "classify/classifier_factories.h"
#include "memory/ig_tree.h"
#include "memory/merged_buckets.h"

namespace memlens {

IncrementalTribl2::IncrementalTribl2(const ClassifierOptions& options,
                                     std::shared_ptr<const Classifier> base,
                                     std::shared_ptr<const VectorOverlay> overlay,
                                     ClassOrder classes, Parts parts,
                                     std::vector<uint32_t> rebuiltNow,
                                     std::function<const InstanceSet&()> instances)
    : IncrementalClassifier(options, base, classes, instances),
      memory_(*overlapMemoryOf(*base_)),
      fallback_(options, std::move(base), std::move(overlay), std::move(classes),
                std::move(instances)),
      parts_(std::move(parts)),
      rebuiltNow_(std::move(rebuiltNow)) {}

Result<std::shared_ptr<const OverlapMemory>> IncrementalTribl2::buildPart(
    const InstanceSet& instances, const ClassifierOptions& options) {
  InstanceBase base(instances.width);
  if (Status s = base.add(instances); !s) return s;
  auto part = std::make_shared<OverlapMemory>(options);
  if (Status s = part->adopt(std::move(base), options.fixedWeights, nullptr); !s) return s;
  return std::shared_ptr<const OverlapMemory>(std::move(part));
}

bool IncrementalTribl2::rebuiltFor(const uint32_t* query) const {
  return std::binary_search(rebuiltNow_.begin(), rebuiltNow_.end(),
                            query[static_cast<size_t>(firstFeature())]);
}

void IncrementalTribl2::answer(const uint32_t* query, const PredictOptions& options,
                               Prediction& out, Bound& bound) const {
  bound = Bound{};
  const int first = firstFeature();
  const OverlapMemory* memory = &memory_;
  if (auto it = parts_.find(query[static_cast<size_t>(first)]); it != parts_.end()) {
    memory = it->second.get();
  } else if (!memory_.search().hasGroup(query, 1u << first)) {
    memory = nullptr;
  }
  if (!memory) {
    fallback_.answer(query, options, out, bound);
    out.matchDepth = 0;
    return;
  }
  // The walk of Tribl2Classifier, inside the query's first value.
  const InstanceBase& base = memory->base();
  const int w = width();
  if (const uint32_t id = base.find({query, static_cast<size_t>(w)}); id != InstanceBase::kNone)
    return exact(base, id, options, out, bound);
  uint32_t prefix = 0;
  int depth = 0;
  for (; depth < w - 1; ++depth) {
    const uint32_t next = prefix | (1u << memory->treeOrder()[static_cast<size_t>(depth)]);
    if (!memory->search().hasGroup(query, next)) break;
    prefix = next;
  }
  MergedBuckets& merged = MergedBuckets::forThread(classes_.ids.size());
  for (const auto& b : memory->search().nearestBuckets(query, prefix, options_.k)) {
    merged.addBucket(b.distance);
    for (const auto& [c, n] : b.counts) merged.addCount(classes_.indexOfId[base.classId(c)], n);
  }
  merged.decide(
      classes_.totals, [this](uint32_t c) { return classes_.ids[c]; }, options_, options, out);
  out.matchDepth = depth;
  bound.tiedOn = tiedClasses(out);
}

void IncrementalTribl2::exact(const InstanceBase& base, uint32_t id, const PredictOptions& options,
                              Prediction& out, Bound& bound) const {
  std::vector<ClassCount> dist;
  for (const ClassCount& c : base.distribution(id))
    dist.push_back({classes_.indexOfId[base.classId(c.classIndex)], c.count});
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
