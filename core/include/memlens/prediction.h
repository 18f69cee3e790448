#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace memlens {

// One class's share of a vote: `classId` is the class's Vocabulary id; `weight` is its count
// (or distance-weighted count) summed over the neighbours that voted.
struct ClassVote {
  uint32_t classId = 0;
  double weight = 0.0;
};

// All stored vectors at one distance from the query (k counts these buckets, not instances).
// `storedVectors` are ids into the classifier's InstanceBase.
struct NeighbourBucket {
  NeighbourBucket() = default;
  NeighbourBucket(double d, double w, std::vector<uint32_t> vectors)
      : distance(d), weight(w), storedVectors(std::move(vectors)) {}

  double distance = 0.0;
  // The distance weight (Z, IL, ID, ED) each class count in this bucket was multiplied by in
  // the vote: Σ over buckets of weight × counts re-adds to the prediction's distribution.
  double weight = 1.0;
  std::vector<uint32_t> storedVectors;
  // Stored vectors of the bucket left out of `storedVectors` by PredictOptions::maxNeighbours,
  // and their summed class counts (by class id, `weight` the count), so that the listed and the
  // unlisted still re-add to the vote. 0 and empty when every vector is listed.
  uint64_t unlistedVectors = 0;
  std::vector<ClassVote> unlistedCounts;
};

// What a classifier answers for one query.
struct Prediction {
  static constexpr uint32_t kNoClass = 0xFFFFFFFFu;

  uint32_t classId = kNoClass;  // Vocabulary id of the predicted class
  // Votes in class-index order (first appearance of the class in the training data), which is
  // the order TiMBL prints with +v db. Empty unless PredictOptions::distributions.
  std::vector<ClassVote> distribution;
  double distance = 0.0;  // distance of the nearest bucket (IB1, TRIBL2) or of the unconsulted
                          // features (IGTree)
  // Training instances behind `distribution` (with distance weighting Z, IGTree or an exact
  // match, the sum of its weights): how much evidence the vote rests on, whatever its scale.
  uint64_t instances = 0;
  int matchDepth = 0;  // features matched along the tree path (IGTree, TRIBL2); 0 for IB1
  bool leaf = true;    // IGTree: the answering node has no children (TiMBL's "L" vs "N")
  bool tie = false;    // the top classes of the k-bucket vote were tied
  std::vector<NeighbourBucket> neighbours;  // only with PredictOptions::neighbours (IB1, TRIBL2)
};

struct PredictOptions {
  bool distributions = true;
  bool neighbours = false;
  // Stored vectors listed per bucket with `neighbours` (IB1 and TRIBL2 over the overlap metric):
  // a bucket of a large memory can hold millions. The rest are counted (NeighbourBucket).
  size_t maxNeighbours = SIZE_MAX;
  int threads = 0;  // 0: all cores
};

}  // namespace memlens
