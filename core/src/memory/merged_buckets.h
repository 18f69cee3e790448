#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "memlens/classifier.h"
#include "memlens/prediction.h"
#include "memory/bucket_vote.h"

namespace memlens {

// The exact merge of the nearest buckets that disjoint parts of one memory found for one query
// (a sharded memory's ranks; an edited memory's base and overlay): buckets of different parts at
// one distance are one bucket, whose distance is the smallest; the k + 1 nearest merged buckets
// get the one memory's vote (distance weighting, tie rules, the k + 1 retry) over its classes.
// Each part must give every one of its buckets up to its own (k + 1)-th. One object per thread;
// clear() starts the next query.
class MergedBuckets {
 public:
  // `classes`: how many class indices the counts use.
  explicit MergedBuckets(size_t classes) : acc_(classes, 0) {}

  // This thread's merge, cleared, for `classes` class indices (grown to the most asked for).
  static MergedBuckets& forThread(size_t classes);

  void clear();
  // Starts a part's bucket at `distance`; addCount() fills it.
  void addBucket(double distance);
  void addCount(uint32_t classIndex, int64_t count);

  // The vote over the buckets added since clear() (an empty Prediction when there were none).
  // `classTotals` and `classIdOf` describe the whole memory's classes by index. With
  // predictOptions.neighbours, out.neighbours holds the voted buckets' distances and weights,
  // without stored vectors (the parts hold those).
  void decide(const std::vector<uint64_t>& classTotals,
              const std::function<uint32_t(uint32_t)>& classIdOf, const ClassifierOptions& options,
              const PredictOptions& predictOptions, Prediction& out);
  // After decide(): the distance of the (k + 1)-th merged bucket, +∞ when there were fewer. No
  // change farther than it can change the vote.
  double reach() const { return reach_; }
  // After decide(): the distance of the k-th merged bucket, +∞ when there were fewer.
  double kthDistance() const { return kth_; }
  // After decide(): the merged buckets it read (at most k + 1), nearest first: their distances
  // and counts (class index, count).
  const std::vector<double>& nearestDistances() const { return distances_; }
  const std::vector<SparseCounts>& nearestCounts() const { return nearest_; }

 private:
  struct Bucket {
    double distance;
    size_t begin, end;  // its counts in counts_
  };
  std::vector<Bucket> buckets_;
  SparseCounts counts_;
  std::vector<int64_t> acc_;  // per class, zero between calls
  std::vector<SparseCounts> nearest_;
  std::vector<double> distances_;
  double reach_ = 0.0;
  double kth_ = 0.0;
};

}  // namespace memlens
