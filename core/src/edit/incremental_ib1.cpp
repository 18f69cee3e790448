#include "edit/incremental_ib1.h"

#include <algorithm>
#include <limits>

#include "classify/batch_predict.h"
#include "classify/classifier_factories.h"
#include "memory/merged_buckets.h"

namespace memlens {
namespace {

// Per-thread merge scratch, grown to the most classes seen.
MergedBuckets& mergeScratch(size_t classes) {
  thread_local std::unique_ptr<MergedBuckets> merged;
  thread_local size_t size = 0;
  if (!merged || size < classes) {
    merged = std::make_unique<MergedBuckets>(classes);
    size = classes;
  }
  merged->clear();
  return *merged;
}

void subtract(SparseCounts& counts, std::span<const ClassCount> gone) {
  for (const ClassCount& g : gone)
    for (auto& [c, n] : counts)
      if (c == g.classIndex) n -= g.count;
  std::erase_if(counts, [](const auto& cn) { return cn.second <= 0; });
}

}  // namespace

IncrementalIb1::IncrementalIb1(const ClassifierOptions& options,
                               std::shared_ptr<const Classifier> base,
                               std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                               std::function<const InstanceSet&()> instances)
    : options_(options),
      base_(std::move(base)),
      memory_(*overlapMemoryOf(*base_)),
      overlay_(std::move(overlay)),
      classes_(std::move(classes)),
      weights_(base_->weights()),
      byWeight_(featureOrder(weights_)),
      width_(base_->memory().width()),
      instances_(std::move(instances)) {
  const InstanceBase& b = base_->memory();
  editedIndex_.resize(b.classCount());
  for (uint32_t c = 0; c < b.classCount(); ++c) {
    const uint32_t id = b.classId(c);
    editedIndex_[c] = id < classes_.indexOfId.size() ? classes_.indexOfId[id] : InstanceBase::kNone;
  }
}

Status IncrementalIb1::train(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("an edited memory changes by edits, not by training");
}

Status IncrementalIb1::add(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("an edited memory grows by insert edits, not by add()");
}

double IncrementalIb1::distance(const uint32_t* a, const uint32_t* b) const {
  double d = 0.0;
  for (int f : byWeight_)
    if (a[f] != b[f]) d += weights_[static_cast<size_t>(f)];
  return d;
}

void IncrementalIb1::classify(const uint32_t* query, const PredictOptions& options, Prediction& out,
                              double& reach) const {
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
          subtract(b.counts, base.distribution(entries[e].baseId));
          break;
        }
    }
    std::erase_if(buckets, [](const auto& b) { return b.counts.empty(); });
    if (exhausted || buckets.size() >= wanted) break;
  }
  const double limit =
      buckets.size() >= wanted ? buckets[wanted - 1].distance : std::numeric_limits<double>::max();
  MergedBuckets& merged = mergeScratch(classes_.ids.size());
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
  reach = merged.reach();
}

Result<std::vector<Prediction>> IncrementalIb1::predict(const InstanceSet& queries,
                                                        const PredictOptions& options,
                                                        JobControl* job) const {
  if (options.neighbours) return full().predict(queries, options, job);
  return predictBatch(queries, width_, options, job, [&](const uint32_t* q, Prediction& out) {
    double reach = 0.0;
    classify(q, options, out, reach);
  });
}

Prediction IncrementalIb1::predictOne(std::span<const uint32_t> features,
                                      const PredictOptions& options) const {
  if (options.neighbours) return full().predictOne(features, options);
  Prediction out;
  if (features.size() != static_cast<size_t>(width_)) return out;
  double reach = 0.0;
  classify(features.data(), options, out, reach);
  return out;
}

const InstanceBase& IncrementalIb1::memory() const {
  // The stored vectors alone (the Memory tab lists them): no search indexes to build. Their ids
  // are those of full()'s memory, built from the same instances in the same order.
  std::call_once(memoryOnce_, [this] {
    memoryBuilt_ = InstanceBase(width_);
    (void)memoryBuilt_.add(instances_());
  });
  return memoryBuilt_;
}

const Classifier& IncrementalIb1::full() const {
  std::call_once(fullOnce_, [this] {
    // The options were checked when the base was trained with them, and EditedMemory refuses an
    // empty memory: neither step fails (if one did, the classifier would say it is untrained).
    auto created = createClassifier(options_);
    full_ = std::move(*created);
    (void)full_->train(instances_());
  });
  return *full_;
}

}  // namespace memlens
