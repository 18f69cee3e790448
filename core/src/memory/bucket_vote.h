#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
#include <utility>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/instance_base.h"
#include "memlens/prediction.h"

namespace memlens {

// Distances closer than this (relative) are one bucket, as in TiMBL.
inline bool sameDistance(double a, double b) {
  return std::fabs(a - b) <= 1e-12 * std::max(1.0, std::fabs(a));
}

using SparseCounts = std::vector<std::pair<uint32_t, int64_t>>;  // (class index, count)

// The summed class counts of stored vectors `ids` of `base`, in order of first appearance.
SparseCounts summedCounts(const InstanceBase& base, std::span<const uint32_t> ids);
// `all` (a bucket's summed counts) less those of its stored vectors `listed`, by class id, in
// class index order (not the order of `all`, which depends on how the search summed them);
// classes left with no count are dropped.
std::vector<ClassVote> unlistedCounts(const InstanceBase& base, const SparseCounts& all,
                                      std::span<const uint32_t> listed);

// Fills `out` with bucket b's neighbours: all its `size` stored vectors, or (when there are more
// than options.maxNeighbours) that many of them, the rest counted with their class counts (all
// of the bucket's, `counts`, less the listed ones'). `membersOf(limit)` gives the bucket's
// `limit` lowest ids (all when it holds no more), ascending.
template <typename MembersOf>
void listNeighbours(const InstanceBase& base, const PredictOptions& options, uint64_t size,
                    MembersOf&& membersOf, const std::function<SparseCounts()>& counts,
                    NeighbourBucket& out) {
  if (size <= options.maxNeighbours) {
    out.storedVectors = membersOf(size);
    return;
  }
  out.storedVectors = membersOf(options.maxNeighbours);
  if (out.storedVectors.size() > options.maxNeighbours)
    out.storedVectors.resize(options.maxNeighbours);
  // More than `size` found only in a damaged memory file, whose group sizes disagree.
  out.unlistedVectors = size - std::min<uint64_t>(size, out.storedVectors.size());
  out.unlistedCounts = unlistedCounts(base, counts(), out.storedVectors);
}

// The k-nearest-bucket vote both metrics share (engine spec): distance weighting Z / ID / IL /
// ED, TiMBL's vote threshold, and its tie rules (k+1 buckets, then training frequency, then
// class order). The search supplies the bucket distances (nearest first, at most k+1 of them)
// and the summed class counts of a bucket on request; bucket k's counts are asked for only on a
// tie. Stateless apart from its inputs; one object per query.
class BucketVote {
 public:
  BucketVote(const InstanceBase& base, const ClassifierOptions& options,
             std::vector<double> distances, std::function<SparseCounts(int bucket)> countsOf)
      : BucketVote(
            base.classTotals(), [&base](uint32_t c) { return base.classId(c); }, options,
            std::move(distances), std::move(countsOf)) {}
  // A vote over classes no one InstanceBase holds (a sharded memory's, merged on rank 0): their
  // training totals by class index and the Vocabulary id of each index.
  BucketVote(const std::vector<uint64_t>& classTotals,
             std::function<uint32_t(uint32_t classIndex)> classIdOf,
             const ClassifierOptions& options, std::vector<double> distances,
             std::function<SparseCounts(int bucket)> countsOf)
      : totals_(classTotals),
        classIdOf_(std::move(classIdOf)),
        options_(options),
        distances_(std::move(distances)),
        countsOf_(std::move(countsOf)) {}

  // Fills classId, distance, tie and (with options.distributions) the distribution of `out`.
  void decide(const PredictOptions& options, Prediction& out);

  // The buckets behind the reported votes: k, or k + 1 when the wider vote broke a tie (fewer
  // when the memory ran out of distances), and how many were requested for that vote.
  int votedBuckets() const { return votedBuckets_; }
  double distance(int b) const { return distances_[static_cast<size_t>(b)]; }
  int votedRequested() const { return votedRequested_; }
  // The weight of bucket b's counts in a vote over K buckets where `requested` were asked for.
  double weight(int b, int K, int requested) const;

 private:
  std::vector<std::pair<uint32_t, double>> vote(int K, int requested);

  const std::vector<uint64_t>& totals_;
  std::function<uint32_t(uint32_t)> classIdOf_;
  const ClassifierOptions& options_;
  std::vector<double> distances_;
  std::function<SparseCounts(int)> countsOf_;
  std::vector<SparseCounts> counts_;
  int votedBuckets_ = 0;
  int votedRequested_ = 0;
};

}  // namespace memlens
