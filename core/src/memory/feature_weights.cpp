#include "memlens/feature_weights.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <span>

#include "base/fork_join_edges.h"
#include "base/huge_pages.h"
#include "memlens/classifier.h"
#include "memory/feature_information.h"

namespace memlens {

FeatureWeightDetail computeFeatureWeightDetail(const FeatureCounts& counts,
                                               const std::vector<uint64_t>& classTotals) {
  // Canonical order (values, then classes, by first appearance) so that equal statistics of
  // two features give bitwise-equal weights, as they do in TiMBL.
  // Counted into one row per value, then each row sorted by class: the keys are unique, and no
  // sort runs over all of them.
  ValueClassRows rows;
  rows.rowStart.assign(counts.valueTotals.size() + 1, 0);
  counts.valueClass.forEach([&](uint64_t key, uint32_t) { ++rows.rowStart[(key >> 32) + 1]; });
  for (size_t v = 1; v < rows.rowStart.size(); ++v) rows.rowStart[v] += rows.rowStart[v - 1];
  rows.cells = hugePageVector<ClassCount>(rows.rowStart.back());
  std::vector<uint32_t> fill(rows.rowStart.begin(), rows.rowStart.end() - 1);
  counts.valueClass.forEach([&](uint64_t key, uint32_t o) {
    rows.cells[fill[key >> 32]++] = {static_cast<uint32_t>(key), o};
  });
  for (size_t v = 0; v < fill.size(); ++v)
    std::sort(rows.cells.begin() + rows.rowStart[v], rows.cells.begin() + rows.rowStart[v + 1],
              [](const ClassCount& a, const ClassCount& b) { return a.classIndex < b.classIndex; });
  return computeFeatureWeightDetail(counts.valueTotals, rows, classTotals);
}

double valueEntropy(std::span<const ClassCount> row, uint64_t total) {
  const double nv = static_cast<double>(total);
  double hv = 0.0;
  for (const ClassCount& cell : row) {
    const double p = static_cast<double>(cell.count) / nv;
    hv -= p * std::log2(p);
  }
  return hv;
}

FeatureWeightDetail informationDetail(std::span<const uint64_t> valueTotals,
                                      std::span<const double> valueEntropies,
                                      const std::vector<uint64_t>& classTotals) {
  FeatureWeightDetail d;
  double n = 0.0;
  for (uint64_t c : classTotals) n += static_cast<double>(c);
  if (n <= 0.0) return d;
  double classEntropy = 0.0;
  for (uint64_t c : classTotals) {
    if (c == 0) continue;
    const double p = static_cast<double>(c) / n;
    classEntropy -= p * std::log2(p);
  }
  double conditional = 0.0;
  for (size_t v = 0; v < valueTotals.size(); ++v)
    if (valueTotals[v] > 0)
      conditional += (static_cast<double>(valueTotals[v]) / n) * valueEntropies[v];
  double split = 0.0;
  for (uint64_t nv : valueTotals) {
    if (nv == 0) continue;
    const double p = static_cast<double>(nv) / n;
    split -= p * std::log2(p);
  }
  d.infoGain = std::max(0.0, classEntropy - conditional);
  if (d.infoGain < 1e-12) d.infoGain = 0.0;
  d.splitInfo = split;
  d.gainRatio = split > 1e-12 ? d.infoGain / split : 0.0;
  return d;
}

FeatureWeightDetail computeFeatureWeightDetail(const std::vector<uint64_t>& valueTotals,
                                               const ValueClassRows& rows,
                                               const std::vector<uint64_t>& classTotals) {
  const size_t valuesN = valueTotals.size();
  const auto row = [&](size_t v) {
    return std::span<const ClassCount>(rows.cells.data() + rows.rowStart[v],
                                       rows.rowStart[v + 1] - rows.rowStart[v]);
  };
  // A value of no cells adds +0.0 to the conditional entropy: as if skipped.
  std::vector<double> entropies(valuesN, 0.0);
  for (size_t v = 0; v < valuesN; ++v)
    if (!row(v).empty()) entropies[v] = valueEntropy(row(v), valueTotals[v]);
  FeatureWeightDetail d = informationDetail(valueTotals, entropies, classTotals);
  double n = 0.0;
  for (uint64_t c : classTotals) n += static_cast<double>(c);
  if (n <= 0.0) return d;
  size_t classes = 0;
  for (uint64_t c : classTotals) classes += c > 0 ? 1 : 0;
  // χ² = Σ_{v,c} (E−O)²/E over every cell, zero cells included (TiMBL's order of summation;
  // feature ties in the tree order depend on the last bits). Very large tables use the
  // equivalent Σ_{O>0} O²/E − n.
  double chi = 0.0;
  if (valuesN * classTotals.size() <= 20'000'000) {
    for (uint32_t v = 0; v < valuesN; ++v) {
      const double nv = static_cast<double>(valueTotals[v]);
      const std::span<const ClassCount> cells = row(v);
      size_t next = 0;
      for (uint32_t c = 0; c < classTotals.size(); ++c) {
        double o = 0.0;
        if (next < cells.size() && cells[next].classIndex == c)
          o = static_cast<double>(cells[next++].count);
        const double e = nv * static_cast<double>(classTotals[c]) / n;
        if (e > 0.0) chi += (e - o) * (e - o) / e;
      }
    }
  } else {
    for (size_t v = 0; v < valuesN; ++v)
      for (const ClassCount& cell : row(v)) {
        const double e = static_cast<double>(valueTotals[v]) *
                         static_cast<double>(classTotals[cell.classIndex]) / n;
        chi += static_cast<double>(cell.count) * static_cast<double>(cell.count) / e;
      }
    chi -= n;
  }
  d.chiSquare = std::max(0.0, chi);
  const size_t m = std::min(classes, valuesN);
  d.sharedVariance = m > 1 ? d.chiSquare / (n * static_cast<double>(m - 1)) : 0.0;
  return d;
}

std::vector<double> computeFeatureWeights(const std::vector<FeatureCounts>& features,
                                          const std::vector<uint64_t>& classTotals,
                                          FeatureWeighting weighting) {
  if (weighting == FeatureWeighting::kNone) return std::vector<double>(features.size(), 1.0);
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
  return featureWeights(details, weighting);
}

std::vector<double> featureWeights(const std::vector<FeatureWeightDetail>& details,
                                   FeatureWeighting weighting) {
  std::vector<double> w(details.size(), 1.0);
  for (size_t i = 0; i < details.size(); ++i) {
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
