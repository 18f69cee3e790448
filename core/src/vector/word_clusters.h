#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "memlens/word_vectors.h"

namespace memlens {

// Word ids in kCount clusters, each split in kFine fine clusters, for a vector-memory read's
// bounds on distances it has not computed: a read knows per query word the least distance to any
// word of each fine cluster (WordDistances::floors()), which bounds every word of the cluster
// whose distance the query word's table does not hold yet. With vectors, spherical k-means puts
// near words together (the fine clusters: k-means within each cluster), so that a far cluster's
// least distance is high; words without a vector (and every word of a one-hot memory) are spread
// by id, where one-hot distances make each cluster but the query word's a floor of 2.
// Immutable: may be read from several threads at once.
class WordClusters {
 public:
  static constexpr uint32_t kCount = 64;
  // Fine clusters per cluster: 16, about 13 KJV words each, for 4 KB of floors per query word
  // (WordDistances) and 2 bytes an id.
  static constexpr uint32_t kFine = 16;
  static constexpr uint32_t kFineCount = kCount * kFine;
  using FineId = uint16_t;

  // `vectors` may be null (one-hot words); it is not kept.
  explicit WordClusters(const WordVectors* vectors);

  // The fine cluster of `word`; its cluster is fineOf(word) / kFine.
  uint32_t fineOf(uint32_t word) const {
    return word < fine_.size() ? fine_[word] : (word % kCount) * kFine + word / kCount % kFine;
  }
  uint32_t of(uint32_t word) const { return fineOf(word) / kFine; }
  // The words with a vector in fine cluster f, ascending.
  std::span<const uint32_t> members(uint32_t f) const {
    if (start_.empty()) return {};
    return std::span<const uint32_t>(byFine_).subspan(start_[f], start_[f + 1] - start_[f]);
  }

 private:
  std::vector<FineId> fine_;      // per word with a vector
  std::vector<uint32_t> byFine_;  // the words with a vector, by fine cluster
  std::vector<uint32_t> start_;   // per fine cluster + 1: its first index in byFine_
};
static_assert(WordClusters::kFineCount - 1 <= std::numeric_limits<WordClusters::FineId>::max());

}  // namespace memlens
