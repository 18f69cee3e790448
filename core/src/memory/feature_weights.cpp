#include "memlens/feature_weights.h"

#include <algorithm>
#include <cmath>
#include <tuple>

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
  // Keys (value << 32 | class) are unique: sorting by them alone is that order.
  std::vector<std::pair<uint64_t, uint32_t>> byKey;
  byKey.reserve(counts.valueClass.size());
  counts.valueClass.forEach([&](uint64_t key, uint32_t o) { byKey.emplace_back(key, o); });
  std::sort(byKey.begin(), byKey.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::tuple<uint32_t, uint32_t, uint64_t>> cells;
  cells.reserve(byKey.size());
  for (const auto& [key, o] : byKey)
    cells.emplace_back(static_cast<uint32_t>(key >> 32), static_cast<uint32_t>(key), o);

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
  for (size_t i = 0; i < features.size(); ++i) {
    const FeatureWeightDetail d = computeFeatureWeightDetail(features[i], classTotals);
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
