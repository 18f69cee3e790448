#include "memory/inverted_list_search.h"

#include <algorithm>
#include <array>
#include <limits>
#include <span>

#include "memlens/instance_set.h"
#include "memory/bucket_vote.h"
#include "memory/overlap_memory.h"

namespace memlens {
namespace {

// Per-thread scratch, sized on demand. `pattern` is all zero between queries.
struct Scratch {
  std::vector<uint32_t> pattern;  // per stored vector: rank pattern while a query runs
  std::vector<uint32_t> touched;  // vectors whose pattern word is set
  std::vector<uint32_t> ids;      // candidates
  std::vector<double> distance;   // per candidate
  std::vector<double> nearest;    // distinct distances, ascending
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

const std::vector<uint32_t> kNoIds;

// Groups ascending distinct distances into buckets as NeighbourSearch does (a distance joins the
// bucket whose first distance it equals within sameDistance) and keeps the first `keep`: their
// first distances go to `starts`. Returns the first distance beyond them, or +∞ when `sorted`
// ran out first.
double bucketStarts(const std::vector<double>& sorted, size_t keep, std::vector<double>& starts) {
  starts.clear();
  for (double d : sorted) {
    if (!starts.empty() && sameDistance(starts.back(), d)) continue;
    if (starts.size() == keep) return d;
    starts.push_back(d);
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace

InvertedListSearch::InvertedListSearch(const InstanceBase& base)
    : base_(base), width_(base.width()), lists_(static_cast<size_t>(base.width())) {
  vectorsAdded({});
  setWeights(std::vector<double>(static_cast<size_t>(width_), 1.0));
}

void InvertedListSearch::setWeights(const std::vector<double>& weights) {
  weights_ = weights;
  byWeight_ = featureOrder(weights_);
  const int ranks = std::min(width_, kTableRanks);
  tableDistance_.assign(size_t{1} << ranks, 0.0);
  for (uint32_t p = 0; p < tableDistance_.size(); ++p) {
    double d = 0.0;
    for (int r = 0; r < ranks; ++r)
      if (!(p & (1u << r))) d += weights_[byWeight_[r]];
    tableDistance_[p] = d;
  }
}

double InvertedListSearch::distance(uint32_t pattern) const {
  double d = tableDistance_[pattern & (tableDistance_.size() - 1)];
  for (int r = kTableRanks; r < width_; ++r)
    if (!(pattern & (1u << r))) d += weights_[byWeight_[r]];
  return d;
}

void InvertedListSearch::vectorsAdded(const std::vector<std::pair<uint32_t, uint32_t>>&) {
  const uint32_t n = base_.vectorCount();
  if (indexed_ == 0) {
    // A whole memory at once: each list sized exactly, not grown by doubling (a third more
    // memory on the KJV).
    for (int f = 0; f < width_; ++f) {
      std::vector<uint32_t> length;
      for (uint32_t id = 0; id < n; ++id) {
        const uint32_t value = base_.vector(id)[f];
        if (length.size() <= value) length.resize(size_t{value} + 1, 0);
        ++length[value];
      }
      auto& byValue = lists_[f];
      byValue.resize(std::max(byValue.size(), length.size()));
      for (size_t value = 0; value < length.size(); ++value) byValue[value].reserve(length[value]);
    }
  }
  for (uint32_t id = indexed_; id < n; ++id) {
    const auto v = base_.vector(id);
    for (int f = 0; f < width_; ++f) {
      auto& byValue = lists_[f];
      if (byValue.size() <= v[f]) byValue.resize(size_t{v[f]} + 1);
      byValue[v[f]].push_back(id);
    }
  }
  indexed_ = n;
}

const std::vector<uint32_t>& InvertedListSearch::list(int feature, uint32_t value) const {
  const auto& byValue = lists_[feature];
  return value < byValue.size() ? byValue[value] : kNoIds;
}

template <typename Fn>
void InvertedListSearch::forEachAgreeing(const uint32_t* query, uint32_t mask, Fn&& fn) const {
  // Intersect the mask's lists (ascending ids), walking the shortest and galloping through the
  // others: sequential reads instead of a row read per id.
  std::array<std::span<const uint32_t>, InstanceSet::kMaxWidth> lists;
  size_t count = 0;
  for (int f = 0; f < width_; ++f)
    if (mask & (1u << f)) lists[count++] = list(f, query[f]);
  std::sort(lists.begin(), lists.begin() + static_cast<ptrdiff_t>(count),
            [](const auto& a, const auto& b) { return a.size() < b.size(); });
  for (uint32_t id : lists[0]) {
    bool agrees = true;
    for (size_t i = 1; i < count && agrees; ++i) {
      auto& rest = lists[i];
      size_t step = 1;
      while (step < rest.size() && rest[step - 1] < id) step *= 2;
      const auto end = rest.begin() + static_cast<ptrdiff_t>(std::min(step, rest.size()));
      const auto pos = std::lower_bound(rest.begin() + static_cast<ptrdiff_t>(step / 2), end, id);
      rest = rest.subspan(static_cast<size_t>(pos - rest.begin()));
      if (rest.empty()) return;
      agrees = rest[0] == id;
    }
    if (agrees && !fn(id)) return;
  }
}

uint32_t InvertedListSearch::rankPattern(uint32_t id, const uint32_t* query) const {
  const auto v = base_.vector(id);
  uint32_t p = 0;
  for (int r = 0; r < width_; ++r)
    if (v[byWeight_[r]] == query[byWeight_[r]]) p |= 1u << r;
  return p;
}

bool InvertedListSearch::hasGroup(const uint32_t* query, uint32_t mask) const {
  if (mask == 0) return base_.vectorCount() > 0;
  bool found = false;
  forEachAgreeing(query, mask, [&](uint32_t) { return !(found = true); });
  return found;
}

std::vector<uint32_t> InvertedListSearch::members(const uint32_t* query, uint32_t mask) const {
  std::vector<uint32_t> ids;
  if (mask == 0) {
    ids.resize(base_.vectorCount());
    for (uint32_t id = 0; id < ids.size(); ++id) ids[id] = id;
    return ids;
  }
  forEachAgreeing(query, mask, [&](uint32_t id) {
    ids.push_back(id);
    return true;
  });
  return ids;
}

OverlapSearch::GroupSummary InvertedListSearch::summarise(const uint32_t* query,
                                                          uint32_t mask) const {
  if (mask == 0) return summaryOfAll(base_);
  return summaryOf(base_, members(query, mask));
}

size_t InvertedListSearch::memoryBytes() const {
  size_t bytes = tableDistance_.capacity() * sizeof(double);
  for (const auto& byValue : lists_) {
    bytes += byValue.capacity() * sizeof(std::vector<uint32_t>);
    for (const auto& ids : byValue) bytes += ids.capacity() * sizeof(uint32_t);
  }
  return bytes;
}

uint32_t InvertedListSearch::skippableRanks(const uint32_t* query, size_t keep,
                                            double& bound) const {
  // The query's lists, shortest first.
  std::vector<std::pair<size_t, int>> byLength;  // (length, rank)
  for (int r = 0; r < width_; ++r)
    byLength.emplace_back(list(byWeight_[r], query[byWeight_[r]]).size(), r);
  std::sort(byLength.begin(), byLength.end());
  // Score the members of the shortest lists exactly, up to kSampleVectors of them.
  std::vector<double> sample;  // distinct distances, ascending
  size_t scored = 0;
  for (const auto& [length, r] : byLength) {
    if (length == 0) continue;
    if (scored > 0 && scored + length > kSampleVectors) break;
    scored += length;
    for (uint32_t id : list(byWeight_[r], query[byWeight_[r]])) {
      const double d = distance(rankPattern(id, query));
      const auto pos = std::lower_bound(sample.begin(), sample.end(), d);
      if (pos == sample.end() || *pos != d) sample.insert(pos, d);
    }
  }
  std::vector<double> starts;
  bucketStarts(sample, keep, starts);
  if (starts.size() < keep) return 0;
  // The (k+1)-th bucket starts no farther than among the sample: a stored vector farther than
  // `bound` is not needed. It must match features of summed weight total − bound, so the
  // longest lists whose weights sum to less cannot hold one on their own.
  bound = starts.back() + 1e-9 * std::max(1.0, starts.back());
  const double total = distance(0);
  const double needed = total - bound - 1e-9 * std::max(1.0, total);
  uint32_t skipped = 0;
  double skippedWeight = 0.0;
  for (auto it = byLength.rbegin(); it != byLength.rend(); ++it) {
    const double w = weights_[byWeight_[it->second]];
    if (skippedWeight + w >= needed) break;
    skippedWeight += w;
    skipped |= 1u << it->second;
  }
  return skipped;
}

void InvertedListSearch::scoreAgreeing(const uint32_t* query, uint32_t requiredMask, size_t keep,
                                       std::vector<uint32_t>& ids, std::vector<double>& distances,
                                       std::vector<uint32_t>& pattern) const {
  auto scoreAll = [&] {
    for (uint32_t id : ids) distances.push_back(distance(rankPattern(id, query)));
  };
  if (ids.size() <= kSampleVectors) return scoreAll();
  // Mark the members: their pattern words start as the required ranks (never 0, as the mask is
  // not), which they all match; every other word stays 0.
  const uint32_t n = base_.vectorCount();
  if (pattern.size() < n) pattern.resize(n, 0);
  uint32_t requiredRanks = 0;
  for (int r = 0; r < width_; ++r)
    if (requiredMask & (1u << byWeight_[r])) requiredRanks |= 1u << r;
  for (uint32_t id : ids) pattern[id] = requiredRanks;
  auto unmark = [&] {
    for (uint32_t id : ids) pattern[id] = 0;
  };
  // The query's other lists, shortest first.
  std::vector<std::pair<size_t, int>> byLength;  // (length, rank)
  for (int r = 0; r < width_; ++r)
    if (!(requiredRanks & (1u << r)))
      byLength.emplace_back(list(byWeight_[r], query[byWeight_[r]]).size(), r);
  std::sort(byLength.begin(), byLength.end());
  // Bound the (k+1)-th bucket among the members by scoring those in the shortest lists exactly
  // (they share rare values with the query, so are likely near), then the first members if that
  // found too few distinct distances.
  std::vector<double> sample;  // distinct distances, ascending
  auto score = [&](uint32_t id) {
    const double d = distance(rankPattern(id, query));
    const auto pos = std::lower_bound(sample.begin(), sample.end(), d);
    if (pos == sample.end() || *pos != d) sample.insert(pos, d);
  };
  size_t scanned = 0;
  for (const auto& [length, r] : byLength) {
    if (length == 0) continue;
    if (scanned > 0 && scanned + length > kSampleVectors) break;
    scanned += length;
    for (uint32_t id : list(byWeight_[r], query[byWeight_[r]]))
      if (pattern[id] != 0) score(id);
  }
  std::vector<double> starts;
  bucketStarts(sample, keep, starts);
  if (starts.size() < keep) {
    for (size_t i = 0; i < kSampleVectors; ++i) score(ids[i]);
    bucketStarts(sample, keep, starts);
  }
  if (starts.size() < keep) {
    unmark();
    return scoreAll();
  }
  // A member farther than `bound` is not needed. Skip the longest lists while a member matching
  // only them (and the required features) would still be farther; walk the others, OR-ing their
  // rank bits into the members' patterns, unless that reads more ids than scoring every member.
  const double bound = starts.back() + 1e-9 * std::max(1.0, starts.back());
  const double total = distance(0);
  const double needed =
      total - bound - 1e-9 * std::max(1.0, total) - (total - distance(requiredRanks));
  uint32_t skipped = 0;
  double skippedWeight = 0.0;
  size_t walked = 0;
  bool skipping = true;
  for (auto it = byLength.rbegin(); it != byLength.rend(); ++it) {
    const double w = weights_[byWeight_[it->second]];
    skipping = skipping && skippedWeight + w < needed;
    if (skipping) {
      skippedWeight += w;
      skipped |= 1u << it->second;
    } else {
      walked += it->first;
    }
  }
  if (walked > kWalkPerMember * ids.size()) {
    unmark();
    return scoreAll();
  }
  for (const auto& [length, r] : byLength) {
    if (skipped & (1u << r)) continue;
    for (uint32_t id : list(byWeight_[r], query[byWeight_[r]]))
      if (pattern[id] != 0) pattern[id] |= 1u << r;
  }
  // Keep the members within the bound, in their order, with their exact distances. A member's
  // pattern is exact unless lists were skipped; then it gives the nearest it can be.
  size_t kept = 0;
  for (uint32_t id : ids) {
    const uint32_t p = pattern[id];
    pattern[id] = 0;
    if (skipped == 0) {
      distances.push_back(distance(p));
    } else if (distance(p | skipped) <= bound) {
      distances.push_back(distance(rankPattern(id, query)));
    } else {
      continue;
    }
    ids[kept++] = id;
  }
  ids.resize(kept);
}

template <typename Use>
void InvertedListSearch::walk(const uint32_t* query, uint32_t requiredMask, int k,
                              Use&& use) const {
  Scratch& s = scratch();
  const uint32_t n = base_.vectorCount();
  // The smallest distinct distances, enough for k + 1 buckets unless many distances fall
  // within sameDistance of each other; then all of them (below).
  const size_t keep = static_cast<size_t>(std::max(1, k)) + 1;
  const size_t cap = 8 * keep;
  bool cut = false;
  s.nearest.clear();
  auto offer = [&](double d) {
    if (s.nearest.size() == cap && d >= s.nearest.back()) {
      cut = cut || d > s.nearest.back();
      return;
    }
    const auto pos = std::lower_bound(s.nearest.begin(), s.nearest.end(), d);
    if (pos != s.nearest.end() && *pos == d) return;
    s.nearest.insert(pos, d);
    if (s.nearest.size() > cap) {
      s.nearest.pop_back();
      cut = true;
    }
  };
  std::vector<double> starts;
  s.ids.clear();
  s.distance.clear();
  s.touched.clear();
  // Stored vectors sharing no value with the query, all at distance(0), left out of `ids`.
  bool unmatched = false;
  if (requiredMask != 0) {
    forEachAgreeing(query, requiredMask, [&](uint32_t id) {
      s.ids.push_back(id);
      return true;
    });
    scoreAgreeing(query, requiredMask, keep, s.ids, s.distance, s.pattern);
  } else {
    // Score accumulation: OR each list's rank bit into the patterns of its vectors (the lists
    // hold ascending ids, so the pattern words are touched in order), skipping the long lists
    // that cannot decide the answer (see skippableRanks()).
    if (s.pattern.size() < n) s.pattern.resize(n, 0);
    double bound = 0.0;
    const uint32_t skipped = skippableRanks(query, keep, bound);
    s.touched.clear();
    for (int r = 0; r < width_; ++r) {
      if (skipped & (1u << r)) continue;
      const int f = byWeight_[r];
      for (uint32_t id : list(f, query[f])) {
        if (s.pattern[id] == 0) s.touched.push_back(id);
        s.pattern[id] |= 1u << r;
      }
    }
    for (uint32_t id : s.touched) {
      if (skipped == 0) {
        s.ids.push_back(id);
        s.distance.push_back(distance(s.pattern[id]));
      } else if (distance(s.pattern[id] | skipped) <= bound) {
        s.ids.push_back(id);
        s.distance.push_back(distance(rankPattern(id, query)));
      }
    }
    unmatched = skipped == 0 && s.touched.size() < n;
  }
  for (double d : s.distance) offer(d);
  const double unmatchedDistance = distance(0);
  if (unmatched) offer(unmatchedDistance);
  double beyond = bucketStarts(s.nearest, keep, starts);
  if (cut && beyond == std::numeric_limits<double>::infinity()) {
    s.nearest = s.distance;
    if (unmatched) s.nearest.push_back(unmatchedDistance);
    std::sort(s.nearest.begin(), s.nearest.end());
    s.nearest.erase(std::unique(s.nearest.begin(), s.nearest.end()), s.nearest.end());
    beyond = bucketStarts(s.nearest, keep, starts);
  }
  auto bucketOf = [&](double d) {
    return static_cast<size_t>(std::upper_bound(starts.begin(), starts.end(), d) - starts.begin()) -
           1;
  };

  std::vector<std::vector<uint32_t>> buckets(starts.size());
  for (size_t i = 0; i < s.ids.size(); ++i)
    if (s.distance[i] < beyond) buckets[bucketOf(s.distance[i])].push_back(s.ids[i]);
  if (unmatched && unmatchedDistance < beyond) {
    auto& b = buckets[bucketOf(unmatchedDistance)];
    for (uint32_t id = 0; id < n; ++id)
      if (s.pattern[id] == 0) b.push_back(id);
  }
  if (requiredMask == 0)
    for (uint32_t id : s.touched) s.pattern[id] = 0;
  if (starts.empty()) return;

  auto countsOf = [&](int b) { return summedCounts(base_, buckets[b]); };
  auto membersOf = [&](int b) {
    std::vector<uint32_t>& ids = buckets[b];
    std::sort(ids.begin(), ids.end());
    return std::move(ids);
  };
  use(std::move(starts), countsOf, membersOf);
}

void InvertedListSearch::classify(const uint32_t* query, uint32_t requiredMask,
                                  const ClassifierOptions& options,
                                  const PredictOptions& predictOptions, Prediction& out) const {
  out = Prediction{};
  walk(query, requiredMask, options.k,
       [&](std::vector<double> starts, auto&& countsOf, auto&& membersOf) {
         BucketVote vote(base_, options, std::move(starts), countsOf);
         vote.decide(predictOptions, out);
         if (!predictOptions.neighbours) return;
         const int K = vote.votedBuckets();
         for (int b = 0; b < K; ++b) {
           NeighbourBucket& bucket = out.neighbours.emplace_back();
           bucket.distance = vote.distance(b);
           bucket.weight = vote.weight(b, K, vote.votedRequested());
           const std::vector<uint32_t> members = membersOf(b);
           listNeighbours(
               base_, predictOptions, members.size(), [&](uint64_t) { return members; },
               [&] { return summedCounts(base_, members); }, bucket);
         }
       });
}

std::vector<OverlapSearch::ScoredBucket> InvertedListSearch::nearestBuckets(const uint32_t* query,
                                                                            uint32_t requiredMask,
                                                                            int k) const {
  std::vector<ScoredBucket> out;
  walk(query, requiredMask, k, [&](std::vector<double> starts, auto&& countsOf, auto&&) {
    for (size_t b = 0; b < starts.size(); ++b)
      out.push_back({starts[b], countsOf(static_cast<int>(b))});
  });
  return out;
}

}  // namespace memlens
