#include "edit/incremental_ib1.h"

#include <algorithm>
#include <limits>

#include "classify/classifier_factories.h"
#include "memory/merged_buckets.h"

namespace memlens {
namespace {

// Through a dense per-class scratch array: a stored vector many contexts share (an empty one at
// block starts) has thousands of classes, as has its bucket, and a pairwise match took ~1 ms.
void subtract(SparseCounts& counts, std::span<const ClassCount> gone, uint32_t classCount) {
  thread_local std::vector<int64_t> minus;
  if (minus.size() < classCount) minus.resize(classCount, 0);
  for (const ClassCount& g : gone) minus[g.classIndex] += g.count;
  for (auto& [c, n] : counts) n -= minus[c];
  for (const ClassCount& g : gone) minus[g.classIndex] = 0;
  std::erase_if(counts, [](const auto& cn) { return cn.second <= 0; });
}

}  // namespace

IncrementalIb1::IncrementalIb1(const ClassifierOptions& options,
                               std::shared_ptr<const Classifier> base,
                               std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                               std::function<const InstanceSet&()> instances)
    : IncrementalClassifier(options, std::move(base), std::move(classes), std::move(instances)),
      memory_(*overlapMemoryOf(*base_)),
      overlay_(std::move(overlay)) {
  const InstanceBase& b = base_->memory();
  editedIndex_.resize(b.classCount());
  for (uint32_t c = 0; c < b.classCount(); ++c) editedIndex_[c] = classes_.indexOf(b.classId(c));
}

void IncrementalIb1::answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
                            Bound& bound) const {
  const InstanceBase& base = base_->memory();
  const std::vector<VectorOverlay::Entry>& entries = overlay_->entries();
  thread_local std::vector<double> distances;  // per overlay entry
  distances.resize(entries.size());
  for (size_t e = 0; e < entries.size(); ++e)
    distances[e] = distance(query, entries[e].features.data());
  const int k = std::max(1, options_.k);
  const auto wanted = static_cast<size_t>(k) + 1;
  std::vector<OverlapSearch::ScoredBucket> buckets;
  // Masking can empty base buckets: ask for more until k + 1 are left or the base runs out.
  for (int asked = k;; asked *= 2) {
    buckets = memory_.search().nearestBuckets(query, 0, asked);
    const bool exhausted = buckets.size() < static_cast<size_t>(asked) + 1;
    for (size_t e = 0; e < entries.size() && !buckets.empty(); ++e) {
      if (entries[e].baseId == InstanceBase::kNone) continue;
      const double d = distances[e];
      if (d > buckets.back().distance && !sameDistance(d, buckets.back().distance)) continue;
      for (auto& b : buckets)
        if (sameDistance(b.distance, d)) {
          subtract(b.counts, base.distribution(entries[e].baseId), base.classCount());
          break;
        }
    }
    std::erase_if(buckets, [](const auto& b) { return b.counts.empty(); });
    if (exhausted || buckets.size() >= wanted) break;
  }
  const double limit =
      buckets.size() >= wanted ? buckets[wanted - 1].distance : std::numeric_limits<double>::max();
  MergedBuckets& merged = MergedBuckets::forThread(classes_.ids.size());
  for (const auto& b : buckets) {
    merged.addBucket(b.distance);
    for (const auto& [c, n] : b.counts) merged.addCount(editedIndex_[c], n);
  }
  for (size_t e = 0; e < entries.size(); ++e) {
    const double d = distances[e];
    if (entries[e].counts.empty() || (d > limit && !sameDistance(d, limit))) continue;
    merged.addBucket(d);
    for (const auto& [id, n] : entries[e].counts) merged.addCount(classes_.indexOfId[id], n);
  }
  merged.decide(
      classes_.totals, [this](uint32_t c) { return classes_.ids[c]; }, options_, options, out);
  bound.reach = merged.reach();
  bound.tiedOn = tiedClasses(out);
}

}  // namespace memlens
