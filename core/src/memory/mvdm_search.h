#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/prediction.h"

namespace memlens {

// Exact k-nearest-bucket search under the weighted modified value difference metric (engine
// spec): δ_i(a, b) = ½·Σ_c |P(c|a) − P(c|b)|, and 1 when either value was seen fewer than L
// times. Unlike overlap, an MVDM distance is not fixed by the match pattern, so the search scans
// its candidates, with one table per feature over the vocabulary that caches δ(query value, v)
// for the values v met.
// Thread-safety: classify() may run from many threads; refresh()/setWeights() may not run
// concurrently with anything else.
class MvdmSearch {
 public:
  MvdmSearch(const InstanceBase& base, int threshold);

  // Recomputes the value-class probabilities from the base's counts (after training or growth).
  void refresh();
  void setWeights(const std::vector<double>& weights);

  // IB1 over `candidates`, or over every stored vector when `candidates` is null.
  void classify(const uint32_t* query, const std::vector<uint32_t>* candidates,
                const ClassifierOptions& options, const PredictOptions& predictOptions,
                Prediction& out) const;

 private:
  static constexpr uint32_t kRare = 0xFFFFFFFFu;    // a value seen fewer than L times (or never)
  static constexpr double kUnknownDistance = -1.0;  // a table entry not computed yet

  // P(class | value) of one feature, per dense value index, in class-index order (compressed
  // sparse rows).
  struct Feature {
    std::vector<uint64_t> rowStart;  // per value index, into rowClass/rowP
    std::vector<uint32_t> rowClass;
    std::vector<double> rowP;
  };
  // The dense value index of Vocabulary id `id` at `feature`, or kRare.
  uint32_t frequentValue(int feature, uint32_t id) const;
  // δ between two frequent values (dense indices) of `feature`.
  double valueDistance(int feature, uint32_t a, uint32_t b) const;

  const InstanceBase& base_;
  int threshold_;
  uint32_t idLimit_ = 0;  // 1 + the largest Vocabulary id of any feature value
  std::vector<Feature> features_;
  std::vector<double> weights_;
  std::vector<int> byWeight_;  // features by descending weight: the summation order
};

}  // namespace memlens
