#include "memlens/feature_weights.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "base/fork_join_edges.h"
#include "base/huge_pages.h"
#include "memlens/classifier.h"

namespace memlens {

FeatureWeightDetail computeFeatureWeightDetail(const FeatureCounts& counts,
                                               const std::vector<uint64_t>& classTotals) {
  FeatureWeightDetail d;
  double n = 0.0;
  for (uint64_t c : classTotals) n += static_cast<double>(c);
  if (n <= 0.0) return d;

  double classEntropy = 0.0;
  size_t classes = 0;
  for (uint64_t c : classTotals) {
    if (c == 0) continue;
    ++classes;
    const double p = static_cast<double>(c) / n;
    classEntropy -= p * std::log2(p);
  }

  // Canonical order (values, then classes, by first appearance) so that equal statistics of
  // two features give bitwise-equal weights, as they do in TiMBL.
  // Counted into one bucket per value, then each bucket sorted by class: the keys are unique,
  // and no sort runs over all of them.
  std::vector<size_t> start(counts.valueTotals.size() + 1, 0);
  counts.valueClass.forEach([&](uint64_t key, uint32_t) { ++start[(key >> 32) + 1]; });
  for (size_t v = 1; v < start.size(); ++v) start[v] += start[v - 1];
  auto cells = hugePageVector<std::tuple<uint32_t, uint32_t, uint64_t>>(start.back());
  counts.valueClass.forEach([&](uint64_t key, uint32_t o) {
    cells[start[key >> 32]++] = {static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key), o};
  });
  // Filling moved each start to its bucket's end.
  for (size_t v = 0, begin = 0; v + 1 < start.size(); ++v) {
    std::sort(cells.begin() + static_cast<std::ptrdiff_t>(begin),
              cells.begin() + static_cast<std::ptrdiff_t>(start[v]));
    begin = start[v];
  }

  double conditional = 0.0;
  for (size_t a = 0; a < cells.size();) {
    const uint32_t value = std::get<0>(cells[a]);
    const double nv = static_cast<double>(counts.valueTotals[value]);
    double hv = 0.0;
    size_t b = a;
    for (; b < cells.size() && std::get<0>(cells[b]) == value; ++b) {
      const double p = static_cast<double>(std::get<2>(cells[b])) / nv;
      hv -= p * std::log2(p);
    }
    conditional += (nv / n) * hv;
    a = b;
  }
  // χ² = Σ_{v,c} (E−O)²/E over every cell, zero cells included (TiMBL's order of summation;
  // feature ties in the tree order depend on the last bits). Very large tables use the
  // equivalent Σ_{O>0} O²/E − n.
  double chi = 0.0;
  const size_t valuesN = counts.valueTotals.size();
  if (valuesN * classTotals.size() <= 20'000'000) {
    size_t next = 0;
    for (uint32_t v = 0; v < valuesN; ++v) {
      const double nv = static_cast<double>(counts.valueTotals[v]);
      for (uint32_t c = 0; c < classTotals.size(); ++c) {
        double o = 0.0;
        if (next < cells.size() && std::get<0>(cells[next]) == v && std::get<1>(cells[next]) == c)
          o = static_cast<double>(std::get<2>(cells[next++]));
        const double e = nv * static_cast<double>(classTotals[c]) / n;
        if (e > 0.0) chi += (e - o) * (e - o) / e;
      }
    }
  } else {
    for (const auto& [v, c, o] : cells) {
      const double e =
          static_cast<double>(counts.valueTotals[v]) * static_cast<double>(classTotals[c]) / n;
      chi += static_cast<double>(o) * static_cast<double>(o) / e;
    }
    chi -= n;
  }
  double split = 0.0;
  for (uint64_t nv : counts.valueTotals) {
    if (nv == 0) continue;
    const double p = static_cast<double>(nv) / n;
    split -= p * std::log2(p);
  }

  d.infoGain = std::max(0.0, classEntropy - conditional);
  if (d.infoGain < 1e-12) d.infoGain = 0.0;
  d.splitInfo = split;
  d.gainRatio = split > 1e-12 ? d.infoGain / split : 0.0;
  d.chiSquare = std::max(0.0, chi);
  const size_t values = counts.valueTotals.size();
  const size_t m = std::min(classes, values);
  d.sharedVariance = m > 1 ? d.chiSquare / (n * static_cast<double>(m - 1)) : 0.0;
  return d;
}

std::vector<double> computeFeatureWeights(const std::vector<FeatureCounts>& features,
                                          const std::vector<uint64_t>& classTotals,
                                          FeatureWeighting weighting) {
  std::vector<double> w(features.size(), 1.0);
  if (weighting == FeatureWeighting::kNone) return w;
  // One feature per task: each sorts its (value, class) cells, millions on a large memory.
  std::vector<FeatureWeightDetail> details(features.size());
  ForkJoinEdges edges;
  const auto compute = [&](const tbb::blocked_range<size_t>& range) {
    const ForkJoinEdges::Chunk edge(edges);
    for (size_t i = range.begin(); i != range.end(); ++i)
      details[i] = computeFeatureWeightDetail(features[i], classTotals);
  };
  edges.fork();
  tbb::parallel_for(tbb::blocked_range<size_t>(0, features.size(), 1), compute);
  edges.join();
  for (size_t i = 0; i < features.size(); ++i) {
    const FeatureWeightDetail& d = details[i];
    switch (weighting) {
      case FeatureWeighting::kGainRatio:
        w[i] = d.gainRatio;
        break;
      case FeatureWeighting::kInfoGain:
        w[i] = d.infoGain;
        break;
      case FeatureWeighting::kChiSquare:
        w[i] = d.chiSquare;
        break;
      case FeatureWeighting::kSharedVariance:
        w[i] = d.sharedVariance;
        break;
      case FeatureWeighting::kNone:
        break;
    }
  }
  return w;
}

}  // namespace memlens
