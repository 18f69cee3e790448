#include "edit/reweighted_distances.h"

#include <algorithm>
#include <cstdint>

#include "memory/bucket_vote.h"
#include "memory/overlap_memory.h"

namespace memlens {
namespace {

// Per mismatch mask, its distance summed as NeighbourSearch and InvertedListSearch sum it.
std::vector<double> patternDistances(const std::vector<double>& weights) {
  const std::vector<int> byWeight = featureOrder(weights);
  std::vector<double> d(size_t{1} << weights.size(), 0.0);
  for (uint32_t m = 0; m < d.size(); ++m)
    for (int f : byWeight)
      if (m & (1u << f)) d[m] += weights[static_cast<size_t>(f)];
  return d;
}

// -1, 0 or 1; 2 when sameDistance() disagrees with bitwise equality.
int compare(double a, double b) {
  const bool same = sameDistance(a, b);
  if (same != sameDistance(b, a) || same != (a == b)) return 2;
  return same ? 0 : a < b ? -1 : 1;
}

}  // namespace

std::shared_ptr<const ReweightedDistances> ReweightedDistances::of(const std::vector<double>& from,
                                                                   std::vector<double> to) {
  if (from.size() != to.size() || from.size() > static_cast<size_t>(kMaxWidth)) return nullptr;
  const std::vector<double> a = patternDistances(from), b = patternDistances(to);
  for (size_t i = 0; i < a.size(); ++i)
    for (size_t j = i + 1; j < a.size(); ++j) {
      const int was = compare(a[i], a[j]);
      if (was == 2 || compare(b[i], b[j]) != was) return nullptr;
    }
  auto r = std::make_shared<ReweightedDistances>();
  r->weights_ = std::move(to);
  for (size_t i = 0; i < a.size(); ++i) r->distances_.emplace_back(a[i], b[i]);
  std::sort(r->distances_.begin(), r->distances_.end());
  r->distances_.erase(std::unique(r->distances_.begin(), r->distances_.end()), r->distances_.end());
  return r;
}

double ReweightedDistances::operator()(double distance) const {
  // Every distance the search reports is a pattern's, summed as above.
  auto it = std::lower_bound(distances_.begin(), distances_.end(), std::pair(distance, 0.0),
                             [](const auto& x, const auto& y) { return x.first < y.first; });
  return it == distances_.end() ? distances_.back().second : it->second;
}

}  // namespace memlens
