#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "memlens/job_control.h"
#include "memlens/word_vectors.h"
#include "vector/word_clusters.h"

namespace memlens {

// Squared distances ‖e(x) − e(v)‖² between word vectors as the vector memory reads them: for unit
// vectors 2 − 2·e(x)·e(v), clamped at 0, each dot product summed in one fixed order (the one the
// reads' former Eigen product used) so that a single pair, a whole column and every platform give
// the same bits; 0 for x = v, and 2 (one-hot) without vectors or for a word that has none. Also the
// words nearest each word, which a read's candidate search asks for again and again, computed once
// per word on first use (or for many words together, prepare()), with the least distance to each
// of a WordClusters' fine clusters.
// Immutable apart from that cache: may be used from several threads at once.
class WordDistances {
 public:
  // `vectors` may be null (one-hot words); it and `clusters` (may be null: no floors()) must
  // outlive this object. The words marked in `keptColumns` keep their whole column once it is
  // computed (see keptColumn()).
  WordDistances(const WordVectors* vectors, size_t nearWordCount,
                std::vector<bool> keptColumns = {}, const WordClusters* clusters = nullptr);
  WordDistances(const WordDistances&) = delete;
  WordDistances& operator=(const WordDistances&) = delete;

  // Words with a vector: 0 .. wordCount() − 1 (0 without vectors).
  uint32_t wordCount() const { return words_; }
  float distance(uint32_t x, uint32_t v) const;
  // distance(x, v) for each of `vs` into `out` (same size): several sums at once, which a
  // single one's chain of additions leaves the processor room for.
  void distances(uint32_t x, std::span<const uint32_t> vs, std::span<float> out) const;
  // distance(x, v) for every v < wordCount(); empty when x has no vector.
  std::vector<float> column(uint32_t x) const;
  // For x < wordCount(): the nearWordCount words v with the smallest distance(x, v), x first,
  // in the order std::partial_sort of all words by that distance (x before its equals) leaves
  // them in.
  const std::vector<uint32_t>& nearWords(uint32_t x) const { return near(x).words; }
  // column(x), computed once, for a word marked in keptColumns; else empty. A read whose query
  // word has one looks its distances up instead of computing them pair by pair.
  std::span<const float> keptColumn(uint32_t x) const {
    return x < words_ && x < keptColumns_.size() && keptColumns_[x] ? near(x).column
                                                                    : std::span<const float>();
  }
  // Computes what the calls above keep per word (nearWords(), farBound(), floors(), a kept
  // column) for each of `words` not yet computed, as on first use, but eight words' columns at a
  // time on every core: a column alone waits on its loads of the word vectors, which a tile of
  // eight shares. Reads of those words then find them ready; their values are the same. Stops
  // early (the rest left to first use) when `job` is cancelled.
  void prepare(std::span<const uint32_t> words, JobControl* job = nullptr) const;
  // A lower bound of distance(x, v) for every v outside nearWords(x) (any x).
  float farBound(uint32_t x) const { return x < words_ ? near(x).farBound : 2.0f; }
  // Into `out` (WordClusters::kFineCount floats): per fine cluster f, a lower bound of
  // distance(x, v) for every word v of f — the least such distance, or 2 when that is lower
  // (any x).
  void floors(uint32_t x, std::span<float> out) const;

 private:
  struct Near {
    std::once_flag once;
    std::vector<uint32_t> words;
    float farBound = 2.0f;
    std::vector<float> column;       // only for a word marked in keptColumns_
    std::vector<float> floors;       // per fine cluster, with clusters_
    std::atomic<bool> ready{false};  // the fields above are set
  };
  const Near& near(uint32_t x) const;
  // Sets n (x's) from `table` = column(x).
  void fill(Near& n, uint32_t x, std::vector<float> table) const;

  const WordVectors* vectors_;
  uint32_t words_ = 0;
  uint32_t tail_ = 0;  // the first word summed as the tail rows of a product
  int dimensions_ = 0;
  size_t nearWordCount_;
  std::vector<bool> keptColumns_;
  const WordClusters* clusters_;
  // The words below tail_ eight at a time, each eight's vectors as dimensions × 8 floats: a
  // column's sums for eight words run in a register over one contiguous block.
  std::vector<float> byBlock_;
  std::unique_ptr<Near[]> near_;  // per word, filled on first use
};

}  // namespace memlens
