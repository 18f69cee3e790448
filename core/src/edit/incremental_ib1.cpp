#include "edit/incremental_ib1.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "classify/classifier_factories.h"

namespace memlens {
namespace {

// The counts of the masked stored vectors `gone` taken out of a bucket, through a dense per-class
// scratch array: a bucket far from the query holds thousands of classes and a document removal
// masks thousands of its vectors, so matching them one by one took seconds.
void subtract(SparseCounts& counts, const InstanceBase& base, std::span<const uint32_t> gone) {
  thread_local std::vector<int64_t> minus;
  if (minus.size() < base.classCount()) minus.resize(base.classCount(), 0);
  for (uint32_t id : gone)
    for (const ClassCount& g : base.distribution(id)) minus[g.classIndex] += g.count;
  for (auto& [c, n] : counts) n -= minus[c];
  for (uint32_t id : gone)
    for (const ClassCount& g : base.distribution(id)) minus[g.classIndex] = 0;
  std::erase_if(counts, [](const auto& cn) { return cn.second <= 0; });
}

}  // namespace

IncrementalIb1::IncrementalIb1(const ClassifierOptions& options,
                               std::shared_ptr<const Classifier> base,
                               std::shared_ptr<const VectorOverlay> overlay, ClassOrder classes,
                               std::function<const InstanceSet&()> instances,
                               const IncrementalIb1* previous,
                               std::shared_ptr<const ReweightedDistances> reweighted)
    : IncrementalClassifier(options, std::move(base), std::move(classes), std::move(instances)),
      memory_(*overlapMemoryOf(*base_)),
      overlay_(std::move(overlay)),
      index_(
          *overlay_, width(),
          [this](const uint32_t* a, const uint32_t* b) { return distance(a, b); },
          previous ? &previous->index_ : nullptr),
      reweighted_(std::move(reweighted)) {
  const InstanceBase& b = base_->memory();
  editedIndex_.resize(b.classCount());
  for (uint32_t c = 0; c < b.classCount(); ++c) editedIndex_[c] = classes_.indexOf(b.classId(c));
}

void IncrementalIb1::answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
                            Bound& bound) const {
  search(query, 0, options, out, bound, nullptr);
}

void IncrementalIb1::answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
                            Bound& bound, std::shared_ptr<const Vote>& vote) const {
  search(query, 0, options, out, bound, &vote);
}

bool IncrementalIb1::revote(const Vote& kept, std::span<const Change> changes,
                            const PredictOptions& options, Prediction& out, Bound& bound,
                            std::shared_ptr<const Vote>& vote, uint32_t required) const {
  // The buckets within the kept reach, changed: kept ones by index, new distances after them.
  thread_local std::vector<double> distances;
  thread_local std::vector<std::tuple<uint32_t, uint32_t, int64_t>> counts;  // bucket, class, n
  distances.assign(kept.distances.begin(), kept.distances.end());
  counts.clear();
  for (size_t b = 0, i = 0; b < kept.ends.size(); ++b)
    for (; i < kept.ends[b]; ++i)
      counts.emplace_back(static_cast<uint32_t>(b), kept.counts[i].first, kept.counts[i].second);
  for (const Change& c : changes) {
    size_t b = 0;
    while (b < distances.size() && !sameDistance(distances[b], c.distance)) ++b;
    if (b == distances.size()) distances.push_back(c.distance);
    counts.emplace_back(static_cast<uint32_t>(b), c.classId, c.delta);
  }
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
  });
  // Summed per bucket and class; empty buckets dropped, the rest nearest first.
  thread_local std::vector<std::pair<double, std::vector<std::pair<uint32_t, int64_t>>>> buckets;
  buckets.clear();
  for (size_t i = 0; i < counts.size();) {
    const uint32_t b = std::get<0>(counts[i]), c = std::get<1>(counts[i]);
    int64_t n = 0;
    for (; i < counts.size() && std::get<0>(counts[i]) == b && std::get<1>(counts[i]) == c; ++i)
      n += std::get<2>(counts[i]);
    if (n < 0) return false;  // not the memory `kept` was read from
    if (n == 0) continue;
    if (buckets.empty() || !sameDistance(buckets.back().first, distances[b]))
      buckets.emplace_back(distances[b], std::vector<std::pair<uint32_t, int64_t>>{});
    buckets.back().second.emplace_back(c, n);
  }
  std::stable_sort(buckets.begin(), buckets.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const auto k = static_cast<size_t>(std::max(1, options_.k));
  // Fewer than k left: the next ones lie beyond the kept reach, unknown unless it was whole.
  if (buckets.empty() || (buckets.size() < k && !kept.whole)) return false;
  MergedBuckets& merged = MergedBuckets::forThread(classes_.ids.size());
  for (size_t b = 0; b < buckets.size() && b <= k; ++b) {
    merged.addBucket(buckets[b].first);
    for (const auto& [c, n] : buckets[b].second) merged.addCount(classes_.indexOfId[c], n);
  }
  merged.decide(
      classes_.totals, [this](uint32_t c) { return classes_.ids[c]; }, options_, options, out);
  // A tie is broken by the (k + 1)-th bucket, unknown when only k are and more may be.
  if (out.tie && buckets.size() == k && !kept.whole) return false;
  finish(merged, required, kept.whole, out, bound, &vote);
  return true;
}

void IncrementalIb1::finish(const MergedBuckets& merged, uint32_t required, bool complete,
                            Prediction& out, Bound& bound,
                            std::shared_ptr<const Vote>* vote) const {
  if (reweighted_) out.distance = (*reweighted_)(out.distance);
  // Over the whole memory an untied vote reads only its k nearest buckets (counts and
  // distances): no change farther than the k-th can change it. The (k + 1)-th bucket's counts
  // break ties.
  bound.reach = required == 0 && !out.tie ? merged.kthDistance() : merged.reach();
  bound.required = required;
  bound.tiedOn = tiedClasses(out);
  if (!vote) return;
  vote->reset();
  auto kept = std::make_shared<Vote>();
  kept->whole = complete && std::isinf(merged.reach());
  const std::vector<double>& distances = merged.nearestDistances();
  for (size_t b = 0; b < distances.size(); ++b) {
    if (distances[b] > bound.reach && !sameDistance(distances[b], bound.reach)) break;
    for (const auto& [c, n] : merged.nearestCounts()[b])
      kept->counts.emplace_back(classes_.ids[c], n);
    if (kept->counts.size() > kMaxVoteCounts) return;
    kept->distances.push_back(distances[b]);
    kept->ends.push_back(static_cast<uint32_t>(kept->counts.size()));
  }
  *vote = std::move(kept);
}

void IncrementalIb1::search(const uint32_t* query, uint32_t required, const PredictOptions& options,
                            Prediction& out, Bound& bound,
                            std::shared_ptr<const Vote>* vote) const {
  const InstanceBase& base = base_->memory();
  const std::vector<VectorOverlay::Entry>& entries = overlay_->entries();
  const int k = std::max(1, options_.k);
  const auto wanted = static_cast<size_t>(k) + 1;
  std::vector<OverlapSearch::ScoredBucket> buckets;
  // Masking can empty base buckets: ask for more until k + 1 are left or the base runs out.
  for (int asked = k;; asked *= 2) {
    buckets = memory_.search().nearestBuckets(query, required, asked);
    const bool exhausted = buckets.size() < static_cast<size_t>(asked) + 1;
    // Per bucket, its masked vectors.
    thread_local std::vector<std::vector<uint32_t>> gone;
    if (gone.size() < buckets.size()) gone.resize(buckets.size());
    if (!buckets.empty())
      index_.within(query, buckets.back().distance, required, [&](uint32_t e, double d) {
        if (entries[e].baseId == InstanceBase::kNone) return;
        for (size_t b = 0; b < buckets.size(); ++b)
          if (sameDistance(buckets[b].distance, d)) {
            gone[b].push_back(entries[e].baseId);
            break;
          }
      });
    for (size_t b = 0; b < buckets.size(); ++b) {
      if (!gone[b].empty()) subtract(buckets[b].counts, base, gone[b]);
      gone[b].clear();
    }
    std::erase_if(buckets, [](const auto& b) { return b.counts.empty(); });
    if (exhausted || buckets.size() >= wanted) break;
  }
  const double limit =
      buckets.size() >= wanted ? buckets[wanted - 1].distance : std::numeric_limits<double>::max();
  // The vote reads the k + 1 nearest merged buckets (MergedBuckets::decide: a bucket is the
  // distances the same as its nearest): the base's buckets and the overlay's entries beyond the
  // (k + 1)-th bucket start of both together are left out: a far query of a document removal
  // reached half a million entries, each added and sorted as a bucket of its own, and the base
  // gives more buckets than the vote reads when masking emptied some.
  thread_local std::vector<double> starts;  // the distinct distances up to `tight`, ascending
  thread_local std::vector<std::pair<double, uint32_t>> near;  // (distance, entry) within reach
  starts.clear();
  near.clear();
  double tight = std::numeric_limits<double>::infinity();
  const auto tighten = [&] {
    size_t groups = 0;
    for (size_t a = 0; a < starts.size(); ++groups) {
      if (groups + 1 == wanted) {
        tight = starts[a];
        starts.resize(a + 1);
        return;
      }
      const double start = starts[a];
      while (a < starts.size() && sameDistance(start, starts[a])) ++a;
    }
  };
  const auto reached = [&tight](double d) { return d <= tight || sameDistance(tight, d); };
  for (const auto& b : buckets) starts.push_back(b.distance);
  tighten();
  index_.within(query, limit, required, [&](uint32_t e, double d) {
    if (!reached(d) || overlay_->countsOf(e).empty()) return;
    near.emplace_back(d, e);
    const auto at = std::lower_bound(starts.begin(), starts.end(), d);
    if (at != starts.end() && *at == d) return;
    starts.insert(at, d);
    tighten();
  });
  MergedBuckets& merged = MergedBuckets::forThread(classes_.ids.size());
  for (const auto& b : buckets) {
    if (!reached(b.distance)) continue;
    merged.addBucket(b.distance);
    for (const auto& [c, n] : b.counts) merged.addCount(editedIndex_[c], n);
  }
  // The entries at one distance as one bucket, its classes in order of first appearance: what
  // decide() makes of them one by one (that far query's were at a few distances).
  thread_local std::vector<double> distances;
  thread_local std::vector<int64_t> sum;
  thread_local std::vector<uint32_t> classes;
  distances.clear();
  if (sum.size() < classes_.ids.size()) sum.resize(classes_.ids.size(), 0);
  for (const auto& [d, e] : near)
    if (reached(d) && std::find(distances.begin(), distances.end(), d) == distances.end())
      distances.push_back(d);
  for (const double at : distances) {
    classes.clear();
    for (const auto& [d, e] : near) {
      if (d != at) continue;
      for (const auto& [id, n] : overlay_->countsOf(e)) {
        const uint32_t c = classes_.indexOfId[id];
        if (sum[c] == 0) classes.push_back(c);
        sum[c] += n;
      }
    }
    merged.addBucket(at);
    for (uint32_t c : classes) {
      merged.addCount(c, sum[c]);
      sum[c] = 0;
    }
  }
  merged.decide(
      classes_.totals, [this](uint32_t c) { return classes_.ids[c]; }, options_, options, out);
  finish(merged, required, true, out, bound, vote);
}

bool IncrementalIb1::hasGroup(const uint32_t* query, uint32_t mask) const {
  const std::vector<VectorOverlay::Entry>& entries = overlay_->entries();
  uint32_t masked = 0;
  bool occupied = false;
  index_.within(query, std::numeric_limits<double>::infinity(), mask, [&](uint32_t e, double) {
    masked += entries[e].baseId != InstanceBase::kNone ? 1 : 0;
    occupied = occupied || !overlay_->countsOf(e).empty();
  });
  if (occupied) return true;
  const OverlapSearch& search = memory_.search();
  if (masked == 0) return search.hasGroup(query, mask);
  // Some of the group's base vectors are masked: is any other left?
  return search.hasGroup(query, mask) && search.summarise(query, mask).vectors > masked;
}

std::vector<std::pair<uint32_t, int64_t>> IncrementalIb1::exactCounts(
    std::span<const uint32_t> features) const {
  std::vector<std::pair<uint32_t, int64_t>> counts;
  if (const uint32_t e = overlay_->find(features); e != VectorOverlay::kNone) {
    const std::span<const VectorOverlay::Count> held = overlay_->countsOf(e);
    counts.assign(held.begin(), held.end());
  } else {
    const InstanceBase& base = base_->memory();
    if (const uint32_t id = base.find(features); id != InstanceBase::kNone)
      for (const ClassCount& c : base.distribution(id))
        counts.emplace_back(base.classId(c.classIndex), c.count);
  }
  return counts;
}

}  // namespace memlens
