#include "memory/mvdm_search.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numeric>

#include "memory/bucket_vote.h"

namespace memlens {
namespace {

// Per-thread scratch, sized on demand.
struct Scratch {
  std::vector<std::vector<double>> tables;  // per feature, by Vocabulary id
  std::vector<double> distance;             // per candidate
  std::vector<int64_t> classAcc;            // per class
  std::vector<uint32_t> touched;
};

Scratch& scratch() {
  thread_local Scratch s;
  return s;
}

}  // namespace

MvdmSearch::MvdmSearch(const InstanceBase& base, int threshold)
    : base_(base), threshold_(std::max(1, threshold)) {
  setWeights(std::vector<double>(static_cast<size_t>(base.width()), 1.0));
}

void MvdmSearch::setWeights(const std::vector<double>& weights) {
  weights_ = weights;
  byWeight_.resize(weights.size());
  std::iota(byWeight_.begin(), byWeight_.end(), 0);
  std::stable_sort(byWeight_.begin(), byWeight_.end(),
                   [&](int a, int b) { return weights_[a] > weights_[b]; });
}

void MvdmSearch::refresh() {
  const auto& counts = base_.featureCounts();
  features_.assign(counts.size(), Feature{});
  idLimit_ = 0;
  for (size_t f = 0; f < counts.size(); ++f) {
    const FeatureCounts& fc = counts[f];
    Feature& out = features_[f];
    for (const auto& [id, index] : fc.valueIndex) idLimit_ = std::max(idLimit_, id + 1);
    // Two passes over the co-occurrence counts (sizes, then entries), then each row sorted by
    // class index, the order the distance sums run in.
    const size_t values = fc.valueTotals.size();
    out.rowStart.assign(values + 1, 0);
    fc.valueClass.forEach([&](uint64_t key, uint32_t) { ++out.rowStart[(key >> 32) + 1]; });
    std::partial_sum(out.rowStart.begin(), out.rowStart.end(), out.rowStart.begin());
    std::vector<std::pair<uint32_t, double>> entries(out.rowStart.back());
    std::vector<uint64_t> fill(out.rowStart.begin(), out.rowStart.end() - 1);
    fc.valueClass.forEach([&](uint64_t key, uint32_t n) {
      const uint32_t v = static_cast<uint32_t>(key >> 32);
      entries[fill[v]++] = {static_cast<uint32_t>(key & 0xFFFFFFFFu),
                            static_cast<double>(n) / static_cast<double>(fc.valueTotals[v])};
    });
    for (size_t v = 0; v < values; ++v)
      std::sort(entries.begin() + static_cast<std::ptrdiff_t>(out.rowStart[v]),
                entries.begin() + static_cast<std::ptrdiff_t>(out.rowStart[v + 1]));
    out.rowClass.resize(entries.size());
    out.rowP.resize(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) std::tie(out.rowClass[i], out.rowP[i]) = entries[i];
  }
}

uint32_t MvdmSearch::frequentValue(int feature, uint32_t id) const {
  const FeatureCounts& fc = base_.featureCounts()[feature];
  const auto it = fc.valueIndex.find(id);
  if (it == fc.valueIndex.end() || fc.valueTotals[it->second] < static_cast<uint64_t>(threshold_))
    return kRare;
  return it->second;
}

double MvdmSearch::valueDistance(int feature, uint32_t a, uint32_t b) const {
  // ½·Σ_c |P(c|a) − P(c|b)| as one merge over both rows in class order: TiMBL buckets MVDM
  // distances exactly, so the sum must round as its does, term by term in that order.
  const Feature& f = features_[feature];
  uint64_t i = f.rowStart[a], ie = f.rowStart[a + 1];
  uint64_t j = f.rowStart[b], je = f.rowStart[b + 1];
  double sum = 0.0;
  while (i < ie && j < je) {
    if (f.rowClass[j] < f.rowClass[i]) {
      sum += f.rowP[j++];
    } else if (f.rowClass[i] < f.rowClass[j]) {
      sum += f.rowP[i++];
    } else {
      sum += std::fabs(f.rowP[i++] - f.rowP[j++]);
    }
  }
  for (; i < ie; ++i) sum += f.rowP[i];
  for (; j < je; ++j) sum += f.rowP[j];
  return sum / 2.0;
}

void MvdmSearch::classify(const uint32_t* query, const std::vector<uint32_t>* candidates,
                          const ClassifierOptions& options, const PredictOptions& predictOptions,
                          Prediction& out) const {
  out = Prediction{};
  const int width = base_.width();
  const uint32_t n = candidates ? static_cast<uint32_t>(candidates->size()) : base_.vectorCount();
  if (n == 0) return;
  Scratch& s = scratch();
  s.tables.resize(static_cast<size_t>(width));
  std::vector<uint32_t> queryValue(static_cast<size_t>(width));
  for (int f = 0; f < width; ++f) {
    s.tables[f].assign(idLimit_, kUnknownDistance);
    queryValue[f] = frequentValue(f, query[f]);
  }
  // δ_f(query value, x) for a stored value x, computed on first use.
  auto delta = [&](int f, uint32_t x) {
    double& t = s.tables[f][x];
    if (t == kUnknownDistance) {
      const uint32_t v = x == query[f] ? 0 : frequentValue(f, x);
      t = x == query[f]                            ? 0.0
          : (queryValue[f] == kRare || v == kRare) ? 1.0
                                                   : valueDistance(f, queryValue[f], v);
    }
    return t;
  };
  auto idAt = [&](uint32_t i) { return candidates ? (*candidates)[i] : i; };

  // TiMBL 6.5 (observed): with k = 1, an exact match is the only vector at distance 0; other
  // vectors whose values differ at zero MVDM distance drop out of the search. (Its +v n output
  // lists them, but its predictions never use them.)
  const uint32_t exact =
      options.k == 1 ? base_.find({query, static_cast<size_t>(width)}) : InstanceBase::kNone;
  constexpr double kDropped = std::numeric_limits<double>::infinity();

  // The k + 1 smallest distinct distances (the extra one for the tie retry). Unlike overlap
  // sums, MVDM distances are bucketed exactly, as TiMBL does: values with no class in common
  // with the query's differ by 1 give or take a rounding, and TiMBL keeps those apart.
  const size_t keep = static_cast<size_t>(std::max(1, options.k)) + 1;
  auto same = [](double a, double b) { return std::fabs(a - b) < DBL_EPSILON; };
  std::vector<double> nearest;
  s.distance.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t id = idAt(i);
    const uint32_t* x = base_.values() + static_cast<size_t>(id) * width;
    double d = 0.0;
    for (int f : byWeight_) d += weights_[f] * delta(f, x[f]);
    if (exact != InstanceBase::kNone && id != exact && d == 0.0) d = kDropped;
    s.distance[i] = d;
    if (d == kDropped) continue;
    if (nearest.size() == keep && d > nearest.back() && !same(nearest.back(), d)) continue;
    const auto pos = std::lower_bound(nearest.begin(), nearest.end(), d);
    if ((pos != nearest.end() && same(*pos, d)) || (pos != nearest.begin() && same(*(pos - 1), d)))
      continue;
    nearest.insert(pos, d);
    if (nearest.size() > keep) nearest.pop_back();
  }
  std::vector<std::vector<uint32_t>> members(nearest.size());
  for (uint32_t i = 0; i < n; ++i) {
    const double d = s.distance[i];
    auto pos = std::lower_bound(nearest.begin(), nearest.end(), d);
    if (pos != nearest.begin() && (pos == nearest.end() || !same(*pos, d))) --pos;
    if (pos != nearest.end() && same(*pos, d))
      members[static_cast<size_t>(pos - nearest.begin())].push_back(idAt(i));
  }

  const uint32_t classes = base_.classCount();
  if (s.classAcc.size() < classes) s.classAcc.assign(classes, 0);
  auto countsOf = [&](int b) {
    s.touched.clear();
    for (uint32_t id : members[b])
      for (const ClassCount& c : base_.distribution(id)) {
        if (s.classAcc[c.classIndex] == 0) s.touched.push_back(c.classIndex);
        s.classAcc[c.classIndex] += c.count;
      }
    SparseCounts counts;
    for (uint32_t c : s.touched) {
      counts.emplace_back(c, s.classAcc[c]);
      s.classAcc[c] = 0;
    }
    return counts;
  };
  BucketVote vote(base_, options, nearest, countsOf);
  vote.decide(predictOptions, out);
  if (!predictOptions.neighbours) return;
  const int K = vote.votedBuckets();
  for (int b = 0; b < K; ++b) {
    std::vector<uint32_t> ids = members[b];
    std::sort(ids.begin(), ids.end());
    out.neighbours.push_back(
        {nearest[b], vote.weight(b, K, vote.votedRequested()), std::move(ids)});
  }
}

}  // namespace memlens
