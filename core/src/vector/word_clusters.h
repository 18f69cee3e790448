#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/word_vectors.h"

namespace memlens {

// Word ids in kCount clusters, for a vector-memory read's bound on a whole block of slots: a read
// knows per query word the least distance to any word of each cluster (WordDistances::floors()),
// and a block whose words at a position all lie in clusters far from the query's word there is
// skipped unread. With vectors, spherical k-means puts near words together, so that a far
// cluster's least distance is high; words without a vector (and every word of a one-hot memory)
// are spread by id, where one-hot distances make each cluster but the query word's a floor of 2.
// Immutable: may be read from several threads at once.
class WordClusters {
 public:
  static constexpr uint32_t kCount = 64;  // one bit each in a uint64_t mask
  using Mask = uint64_t;

  // `vectors` may be null (one-hot words); it is not kept.
  explicit WordClusters(const WordVectors* vectors);

  uint32_t of(uint32_t word) const {
    return word < cluster_.size() ? cluster_[word] : word % kCount;
  }
  // The words with a vector in cluster c, ascending.
  std::span<const uint32_t> members(uint32_t c) const {
    if (start_.empty()) return {};
    return std::span<const uint32_t>(byCluster_).subspan(start_[c], start_[c + 1] - start_[c]);
  }

 private:
  std::vector<uint8_t> cluster_;     // per word with a vector
  std::vector<uint32_t> byCluster_;  // the words with a vector, by cluster
  std::vector<uint32_t> start_;      // per cluster + 1: its first index in byCluster_
};

}  // namespace memlens
