#pragma once

#include <cstdint>
#include <vector>

#include "distributed/global_statistics.h"
#include "distributed/message.h"
#include "memlens/classifier.h"
#include "memlens/prediction.h"
#include "memory/merged_buckets.h"
#include "memory/overlap_search.h"

namespace memlens {

// The exact merge of the nearest buckets several shards found for one query (IB1, TRIBL2's
// fallback): every rank sends its k + 1 nearest buckets with their class counts, merged and voted
// over the global classes by MergedBuckets.
// One object per merging thread; begin() starts the next query.
class BucketMerge {
 public:
  BucketMerge(const GlobalStatistics& stats, const ClassifierOptions& options);

  // A rank's buckets into `m`, with its class indices mapped to global ones by `globalIndex`.
  static void put(Message& m, const std::vector<OverlapSearch::ScoredBucket>& buckets,
                  const std::vector<uint32_t>& globalIndex);

  void begin();
  // Reads one rank's buckets for the current query; false when `m` is malformed.
  bool read(Message& m);
  // The vote over the buckets read since begin() (an empty Prediction when there were none).
  void decide(const PredictOptions& options, Prediction& out);

 private:
  const GlobalStatistics& stats_;
  const ClassifierOptions& options_;
  MergedBuckets merged_;
};

}  // namespace memlens
