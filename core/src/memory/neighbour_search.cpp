#include "memory/neighbour_search.h"

#include "memory/bucket_vote.h"

#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <numeric>

namespace memlens {
namespace {

// Per-thread scratch, sized on demand.
struct Scratch {
  std::vector<int64_t> count;                     // per mask: vectors agreeing on the mask
  std::vector<int64_t> exact;                     // per mask: vectors with exactly that pattern
  std::vector<const SubsetIndex::Group*> groups;  // per mask
  std::vector<int64_t> classAcc;                  // per class
  std::vector<uint32_t> touched;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

NeighbourSearch::NeighbourSearch(const InstanceBase& base)
    : base_(base), width_(base.width()), full_(allFeatures(base.width())) {
  const size_t masks = size_t{1} << width_;
  built_ = std::make_unique<std::once_flag[]>(masks);
  indexes_.resize(masks);
  setWeights(std::vector<double>(static_cast<size_t>(width_), 1.0));
}

void NeighbourSearch::setWeights(const std::vector<double>& weights) {
  weights_ = weights;
  const size_t masks = size_t{1} << width_;
  // Sum in descending weight order so equal patterns give bitwise-equal sums more often.
  std::vector<int> byWeight(static_cast<size_t>(width_));
  std::iota(byWeight.begin(), byWeight.end(), 0);
  std::stable_sort(byWeight.begin(), byWeight.end(),
                   [&](int a, int b) { return weights_[a] > weights_[b]; });
  distanceOf_.assign(masks, 0.0);
  for (uint32_t m = 0; m < masks; ++m) {
    double d = 0.0;
    for (int f : byWeight)
      if (!(m & (1u << f))) d += weights_[f];
    distanceOf_[m] = d;
  }
  order_.resize(masks);
  std::iota(order_.begin(), order_.end(), 0u);
  // Among equal distances (zero-weight features) supersets come first: the walk in classify()
  // needs every superset of a mask visited before the mask.
  std::stable_sort(order_.begin(), order_.end(), [&](uint32_t a, uint32_t b) {
    if (distanceOf_[a] != distanceOf_[b]) return distanceOf_[a] < distanceOf_[b];
    return std::popcount(a) > std::popcount(b);
  });
  bucketOf_.assign(masks, 0);
  for (size_t i = 1; i < masks; ++i)
    bucketOf_[i] = bucketOf_[i - 1] +
                   (sameDistance(distanceOf_[order_[i]], distanceOf_[order_[i - 1]]) ? 0 : 1);
}

NeighbourSearch::NeighbourSearch(const InstanceBase& base, std::vector<SubsetIndex::Stored> stored)
    : NeighbourSearch(base) {
  for (SubsetIndex::Stored& st : stored) {
    const uint32_t mask = st.mask;
    std::call_once(built_[mask],
                   [&] { indexes_[mask] = std::make_unique<SubsetIndex>(base_, std::move(st)); });
  }
}

void NeighbourSearch::save(ByteWriter& out) const {
  const uint32_t masks = full_;  // 1 .. full - 1
  out.put<uint32_t>(masks - 1);
  out.put<uint32_t>(0);
  for (uint32_t m = 1; m < full_; ++m) index(m).save(out);
}

void NeighbourSearch::saveNone(ByteWriter& out) {
  out.put<uint32_t>(0);
  out.put<uint32_t>(0);
}

bool NeighbourSearch::loadIndexes(ByteReader& in, int width, uint32_t vectors, uint32_t classes,
                                  std::vector<SubsetIndex::Stored>& out) {
  out.clear();
  const auto count = in.get<uint32_t>();
  in.get<uint32_t>();
  if (!in.ok() || count == 0) return in.ok();
  const uint32_t full = allFeatures(width);
  if (width > kMaxWidth || count != full - 1)
    return in.fail(std::to_string(count) + " subset indexes for " + std::to_string(width) +
                   " features");
  for (uint32_t m = 1; m < full; ++m) {
    SubsetIndex::Stored& st = out.emplace_back();
    if (!SubsetIndex::load(in, vectors, classes, st)) return false;
    if (st.mask != m)
      return in.fail("subset index " + std::to_string(m) + " is for mask " +
                     std::to_string(st.mask));
  }
  return true;
}

const SubsetIndex& NeighbourSearch::index(uint32_t mask) const {
  std::call_once(built_[mask],
                 [&] { indexes_[mask] = std::make_unique<SubsetIndex>(base_, mask); });
  return *indexes_[mask];
}

std::vector<uint32_t> NeighbourSearch::members(const uint32_t* query, uint32_t mask) const {
  std::vector<uint32_t> ids;
  forEachMember(query, mask, [&](uint32_t id) {
    ids.push_back(id);
    return true;
  });
  return ids;
}

void NeighbourSearch::vectorsAdded(const std::vector<std::pair<uint32_t, uint32_t>>& countsAdded) {
  for (auto& idx : indexes_) {
    if (!idx) continue;
    for (const auto& [id, cls] : countsAdded) idx->countAdded(id, cls);
    idx->addNewVectors();
  }
}

bool NeighbourSearch::hasGroup(const uint32_t* query, uint32_t mask) const {
  if (mask == 0) return base_.vectorCount() > 0;
  if (mask == full_) return base_.find({query, static_cast<size_t>(width_)}) != InstanceBase::kNone;
  return group(query, mask) != nullptr;
}

size_t NeighbourSearch::memoryBytes() const {
  size_t bytes = indexes_.capacity() * sizeof(indexes_[0]) + distanceOf_.capacity() * 8 +
                 (order_.capacity() + bucketOf_.capacity()) * 4;
  for (const auto& idx : indexes_)
    if (idx) bytes += idx->memoryBytes();
  return bytes;
}

NeighbourSearch::GroupSummary NeighbourSearch::summarise(const uint32_t* query,
                                                         uint32_t mask) const {
  if (mask == 0) return summaryOfAll(base_);
  if (mask == full_) {
    const uint32_t id = base_.find({query, static_cast<size_t>(width_)});
    return id == InstanceBase::kNone ? GroupSummary{} : summaryOf(base_, {&id, 1});
  }
  const SubsetIndex::Group* g = group(query, mask);
  if (!g) return {};
  const auto cached = index(mask).cachedDistribution(*g);
  GroupSummary out =
      cached.empty() ? summaryOf(base_, members(query, mask)) : summaryOf(base_, {}, cached);
  out.vectors = g->count;
  return out;
}

template <typename Use>
void NeighbourSearch::walk(const uint32_t* query, uint32_t requiredMask, int kBuckets,
                           Use&& use) const {
  Scratch& s = scratch();
  const size_t masks = size_t{1} << width_;
  s.count.assign(masks, 0);
  s.exact.assign(masks, 0);
  s.groups.assign(masks, nullptr);
  const uint32_t classes = base_.classCount();
  if (s.classAcc.size() < classes) s.classAcc.assign(classes, 0);
  const uint32_t P = requiredMask;
  const uint32_t free = full_ & ~P;

  // Walk the patterns in ascending distance (supersets first among equal distances). For each
  // mask m ⊇ P: count[m] = stored vectors agreeing with the query on m (one index lookup), and
  // by Möbius inversion over the supersets already visited, exact[m] = vectors whose match
  // pattern is exactly m. Stop once the k+1 nearest non-empty buckets are complete.
  const int k = std::max(1, kBuckets);
  struct Bucket {
    double distance;
    std::vector<uint32_t> masks;
  };
  std::vector<Bucket> buckets;
  uint32_t fullId = InstanceBase::kNone;
  for (size_t i = 0; i < masks; ++i) {
    const uint32_t m = order_[i];
    if ((m & P) != P) continue;
    if (static_cast<int>(buckets.size()) == k + 1 &&
        !sameDistance(buckets.back().distance, distanceOf_[m]))
      break;
    if (m == 0) {
      s.count[m] = base_.vectorCount();
    } else if (m == full_) {
      // The instance base's own table answers exact matches; no subset index for all features.
      fullId = base_.find({query, static_cast<size_t>(width_)});
      s.count[m] = fullId != InstanceBase::kNone ? 1 : 0;
    } else {
      const SubsetIndex::Group* g = index(m).find(query);
      s.groups[m] = g;
      s.count[m] = g ? g->count : 0;
    }
    if (s.count[m] == 0) continue;
    const uint32_t rest = free & ~m;
    int64_t e = 0;
    for (uint32_t sub = rest;; sub = (sub - 1) & rest) {
      e += (std::popcount(sub) & 1) ? -s.count[m | sub] : s.count[m | sub];
      if (sub == 0) break;
    }
    s.exact[m] = e;
    if (e <= 0) continue;
    if (!buckets.empty() && sameDistance(buckets.back().distance, distanceOf_[m])) {
      buckets.back().masks.push_back(m);
    } else {
      buckets.push_back({distanceOf_[m], {m}});
    }
  }
  if (buckets.empty()) return;

  // Members of the group of mask m (all vectors for m == 0), calling fn(id) until it returns
  // false.
  auto forMembers = [&](uint32_t m, auto&& fn) {
    if (m == 0) {
      for (uint32_t id = 0; id < base_.vectorCount() && fn(id); ++id) {
      }
      return;
    }
    if (m == full_) {
      fn(fullId);
      return;
    }
    index(m).forEachMember(*s.groups[m], fn);
  };
  auto patternOf = [&](uint32_t id) {
    const auto v = base_.vector(id);
    uint32_t pat = 0;
    for (int f = 0; f < width_; ++f)
      if (v[f] == query[f]) pat |= 1u << f;
    return pat;
  };
  auto addCounts = [&](std::span<const ClassCount> dist, int64_t sign) {
    for (const ClassCount& c : dist) {
      if (s.classAcc[c.classIndex] == 0) s.touched.push_back(c.classIndex);
      s.classAcc[c.classIndex] += sign * c.count;
    }
  };
  // Adds the summed distribution of all vectors agreeing on T.
  auto addAggregate = [&](uint32_t T, int64_t sign) {
    if (T == 0) {
      const auto& totals = base_.classTotals();
      for (uint32_t c = 0; c < totals.size(); ++c) {
        if (s.classAcc[c] == 0) s.touched.push_back(c);
        s.classAcc[c] += sign * static_cast<int64_t>(totals[c]);
      }
      return;
    }
    if (T == full_) {
      addCounts(base_.distribution(fullId), sign);
      return;
    }
    const SubsetIndex::Group* g = s.groups[T];
    const auto cached = index(T).cachedDistribution(*g);
    if (!cached.empty()) {
      addCounts(cached, sign);
    } else {
      forMembers(T, [&](uint32_t id) {
        addCounts(base_.distribution(id), sign);
        return true;
      });
    }
  };
  auto bucketCounts = [&](const Bucket& b) {
    s.touched.clear();
    for (uint32_t m : b.masks) {
      const bool aggregate =
          m == 0 || (m != full_ && index(m).cachedDistribution(*s.groups[m]).size() > 0);
      if (!aggregate) {
        forMembers(m, [&](uint32_t id) {
          if (patternOf(id) == m) addCounts(base_.distribution(id), 1);
          return true;
        });
        continue;
      }
      // Inclusion–exclusion over supersets T of m: Σ (−1)^{|T∖m|} aggregate(T).
      const uint32_t rest = full_ & ~m;
      for (uint32_t sub = rest;; sub = (sub - 1) & rest) {
        const uint32_t T = m | sub;
        if (s.count[T] > 0) addAggregate(T, (std::popcount(sub) & 1) ? -1 : 1);
        if (sub == 0) break;
      }
    }
    SparseCounts out;
    for (uint32_t c : s.touched) {
      if (s.classAcc[c] != 0) out.emplace_back(c, s.classAcc[c]);
      s.classAcc[c] = 0;
    }
    s.touched.clear();
    return out;
  };

  // The `limit` lowest ids of bucket b (all when it holds no more), ascending: a capped list is
  // the same whichever search lists it and however the groups link their members (a sharded
  // memory's ranks list the same ones, docs/spec/distributed.md).
  auto membersOf = [&](int b, uint64_t limit) {
    std::vector<uint32_t> ids;
    for (uint32_t m : buckets[b].masks)
      forMembers(m, [&](uint32_t id) {
        if (patternOf(id) == m) ids.push_back(id);
        return true;
      });
    std::sort(ids.begin(), ids.end());
    if (ids.size() > limit) ids.resize(limit);
    return ids;
  };
  // Stored vectors in bucket b.
  auto sizeOf = [&](int b) {
    uint64_t size = 0;
    for (uint32_t m : buckets[b].masks) size += static_cast<uint64_t>(s.exact[m]);
    return size;
  };

  std::vector<double> distances;
  for (const Bucket& b : buckets) distances.push_back(b.distance);
  use(
      std::move(distances), [&](int b) { return bucketCounts(buckets[b]); }, membersOf, sizeOf);
}

void NeighbourSearch::classify(const uint32_t* query, uint32_t requiredMask,
                               const ClassifierOptions& options,
                               const PredictOptions& predictOptions, Prediction& out) const {
  out = Prediction{};
  walk(query, requiredMask, options.k,
       [&](std::vector<double> distances, auto&& countsOf, auto&& membersOf, auto&& sizeOf) {
         BucketVote vote(base_, options, std::move(distances), countsOf);
         vote.decide(predictOptions, out);
         if (!predictOptions.neighbours) return;
         const int K = vote.votedBuckets();
         for (int b = 0; b < K; ++b) {
           NeighbourBucket& bucket = out.neighbours.emplace_back();
           bucket.distance = vote.distance(b);
           bucket.weight = vote.weight(b, K, vote.votedRequested());
           listNeighbours(
               base_, predictOptions, sizeOf(b),
               [&](uint64_t limit) { return membersOf(b, limit); }, [&] { return countsOf(b); },
               bucket);
         }
       });
}

std::vector<OverlapSearch::ScoredBucket> NeighbourSearch::nearestBuckets(const uint32_t* query,
                                                                         uint32_t requiredMask,
                                                                         int k) const {
  std::vector<ScoredBucket> out;
  walk(query, requiredMask, k, [&](std::vector<double> distances, auto&& countsOf, auto&&, auto&&) {
    for (size_t b = 0; b < distances.size(); ++b)
      out.push_back({distances[b], countsOf(static_cast<int>(b))});
  });
  return out;
}

}  // namespace memlens
