#pragma once

#include <memory>
#include <utility>
#include <vector>

namespace memlens {

// Under the overlap metric a stored vector's distance to a query depends only on which features
// mismatch (its match pattern), and IB1's buckets, vote and answer with an unweighted vote (-d Z)
// depend on the weights only through the order relation (<, same, >) among the distances of the
// 2^width patterns. When new weights give every pair of patterns the relation the search's
// weights give it, summed as the searches sum them (descending weight order, compared by
// sameDistance()), a memory searched under the old weights answers as one trained under the new:
// only the distances it reports differ, and map one to one.
// Thread-safety: immutable.
class ReweightedDistances {
 public:
  // Wider memories retrain: the check measures every pair of patterns (1024 at width 10).
  static constexpr int kMaxWidth = 10;

  // The map from distances under `from` (the search's weights) to those under `to`; null when
  // some pair of patterns compares otherwise under `to`, when "same" is not bitwise equality
  // under both (so every bucket has one distance to map), or when the memory is too wide.
  static std::shared_ptr<const ReweightedDistances> of(const std::vector<double>& from,
                                                       std::vector<double> to);

  const std::vector<double>& weights() const { return weights_; }
  // The distance under the new weights of the patterns at `distance` under the search's.
  double operator()(double distance) const;

 private:
  std::vector<double> weights_;
  std::vector<std::pair<double, double>> distances_;  // (search's, new) by the search's, distinct
};

}  // namespace memlens
