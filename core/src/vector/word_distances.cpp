#include "vector/word_distances.h"

#include <algorithm>
#include <cstring>
#include <numeric>
#include <utility>

namespace memlens {

namespace {

float fromDot(float dot) { return std::max(0.0f, 2.0f - 2.0f * dot); }

// Reads used to take these sums from one Eigen product of all word vectors with the query's
// (SSE, 8 rows at a time): most rows summed dimension by dimension, the last rows % 8 in four
// interleaved partial sums. Summing as it did keeps every distance, and so every read, as it was.
constexpr uint32_t kProductRows = 8;

float tailDot(const float* b, const float* a, int dimensions) {
  float c[4] = {};
  const int blocks = dimensions / 4 * 4;
  for (int k = 0; k < blocks; k += 4) {
    for (int i = 0; i < 4; ++i) c[i] += b[k + i] * a[k + i];
  }
  float dot = (c[0] + c[1]) + (c[2] + c[3]);
  for (int k = blocks; k < dimensions; ++k) dot += b[k] * a[k];
  return dot;
}

// Four floats, one operation per lane (a GCC and Clang vector extension, one SSE register). Each
// lane multiplies and adds as the scalar code does, so every sum keeps its bits.
using Lanes [[gnu::vector_size(4 * sizeof(float))]] = float;

Lanes lanesAt(const float* p) {
  Lanes l;
  std::memcpy(&l, p, sizeof l);
  return l;
}

// Into `out`: the dot products of the query vector `a` with the words of `blocks` (1 or 2)
// consecutive blocks of eight words' vectors, each stored dimension by dimension (dimensions × 8
// floats), each lane summed over dimensions in order from 0 as the scalar code sums, so every sum
// keeps its bits. The sums stay in registers, four independent chains of additions for two blocks:
// at -O2 (RelWithDebInfo) the compiler leaves the plain loop scalar, and a column per query word
// is most of a word's first read.
void blockDots(const float* rows, const float* a, int dimensions, int blocks, float* out) {
  const size_t second = static_cast<size_t>(dimensions) * kProductRows;
  Lanes d0 = {}, d1 = {}, d2 = {}, d3 = {};
  for (int k = 0; k < dimensions; ++k) {
    const float* row = rows + size_t(k) * kProductRows;
    d0 += lanesAt(row) * a[k];
    d1 += lanesAt(row + 4) * a[k];
    if (blocks == 2) {
      d2 += lanesAt(row + second) * a[k];
      d3 += lanesAt(row + second + 4) * a[k];
    }
  }
  std::memcpy(out, &d0, sizeof d0);
  std::memcpy(out + 4, &d1, sizeof d1);
  if (blocks == 2) {
    std::memcpy(out + 8, &d2, sizeof d2);
    std::memcpy(out + 12, &d3, sizeof d3);
  }
}

}  // namespace

WordDistances::WordDistances(const WordVectors* vectors, size_t nearWordCount,
                             std::vector<bool> keptColumns, const WordClusters* clusters)
    : vectors_(vectors),
      nearWordCount_(nearWordCount),
      keptColumns_(std::move(keptColumns)),
      clusters_(clusters) {
  if (!vectors_) return;
  words_ = vectors_->size();
  dimensions_ = vectors_->dimensions();
  tail_ = words_ - words_ % kProductRows;
  const auto dimensions = static_cast<size_t>(dimensions_);
  byBlock_.resize(size_t{tail_} * dimensions);
  for (uint32_t v = 0; v < tail_; ++v) {
    const auto e = vectors_->vector(v);
    float* block = byBlock_.data() + size_t(v / kProductRows) * dimensions * kProductRows;
    for (size_t k = 0; k < dimensions; ++k) block[k * kProductRows + v % kProductRows] = e[k];
  }
  near_ = std::make_unique<Near[]>(words_);
}

float WordDistances::distance(uint32_t x, uint32_t v) const {
  if (x == v) return 0.0f;
  if (x >= words_ || v >= words_) return 2.0f;
  const float* a = vectors_->vector(x).data();
  const float* b = vectors_->vector(v).data();
  if (v >= tail_) return fromDot(tailDot(b, a, dimensions_));
  float dot = 0.0f;
  for (int k = 0; k < dimensions_; ++k) dot += b[k] * a[k];
  return fromDot(dot);
}

void WordDistances::distances(uint32_t x, std::span<const uint32_t> vs,
                              std::span<float> out) const {
  constexpr size_t kLanes = 8;
  for (size_t b = 0; b < vs.size(); b += kLanes) {
    const size_t m = std::min(kLanes, vs.size() - b);
    if (x >= words_ ||
        std::any_of(vs.begin() + std::ptrdiff_t(b), vs.begin() + std::ptrdiff_t(b + m),
                    [&](uint32_t v) { return v >= tail_; })) {
      for (size_t l = 0; l < m; ++l) out[b + l] = distance(x, vs[b + l]);
      continue;
    }
    const float* a = vectors_->vector(x).data();
    const float* rows[kLanes];
    for (size_t l = 0; l < kLanes; ++l) {
      rows[l] = l < m && vs[b + l] < words_ ? vectors_->vector(vs[b + l]).data() : a;
    }
    float dots[kLanes] = {};
    for (int k = 0; k < dimensions_; ++k) {
      for (size_t l = 0; l < kLanes; ++l) dots[l] += rows[l][k] * a[k];
    }
    for (size_t l = 0; l < m; ++l) {
      const uint32_t v = vs[b + l];
      out[b + l] = v == x ? 0.0f : v < words_ ? fromDot(dots[l]) : 2.0f;
    }
  }
}

std::vector<float> WordDistances::column(uint32_t x) const {
  if (x >= words_) return {};
  // Eight words at a time, each word's sum in distance()'s order, over one contiguous block of
  // their vectors.
  std::vector<float> dots(words_, 0.0f);
  const float* a = vectors_->vector(x).data();
  const size_t blockFloats = static_cast<size_t>(dimensions_) * kProductRows;
  for (uint32_t v = 0; v < tail_; v += 2 * kProductRows) {
    blockDots(byBlock_.data() + size_t(v / kProductRows) * blockFloats, a, dimensions_,
              v + 2 * kProductRows <= tail_ ? 2 : 1, dots.data() + v);
  }
  for (uint32_t v = tail_; v < words_; ++v) {
    dots[v] = tailDot(vectors_->vector(v).data(), a, dimensions_);
  }
  for (float& d : dots) d = fromDot(d);
  dots[x] = 0.0f;
  return dots;
}

const WordDistances::Near& WordDistances::near(uint32_t x) const {
  Near& n = near_[x];
  std::call_once(n.once, [&] {
    std::vector<float> table = column(x);
    std::vector<uint32_t> words(table.size());
    std::iota(words.begin(), words.end(), 0u);
    const size_t m = std::min(words.size(), nearWordCount_);
    // x first, even when more than m words are at 0 from it: a read takes x_j's own group and
    // runs as near (issue 20).
    std::partial_sort(words.begin(), words.begin() + std::ptrdiff_t(m), words.end(),
                      [&](uint32_t a, uint32_t b) {
                        return table[a] != table[b] ? table[a] < table[b] : a == x && b != x;
                      });
    // A copy, not resize(): the list would keep the whole vocabulary's capacity, and with one
    // list per word that is vocabulary² words.
    n.words.assign(words.begin(), words.begin() + std::ptrdiff_t(m));
    // Every word outside the list is at least as far as its last one; a word without a vector
    // is at 2.
    if (m == 0) {
      n.farBound = 0.0f;
    } else if (m < table.size()) {
      n.farBound = std::min(table[n.words.back()], 2.0f);
    }
    if (clusters_) {
      // Every word without a vector is at 2, so 2 is a floor of any cluster.
      n.floors.assign(WordClusters::kFineCount, 2.0f);
      for (uint32_t f = 0; f < WordClusters::kFineCount; ++f) {
        float floor = 2.0f;
        for (const uint32_t v : clusters_->members(f)) {
          if (v < words_) floor = std::min(floor, table[v]);
        }
        n.floors[f] = floor;
      }
    }
    if (x < keptColumns_.size() && keptColumns_[x]) n.column = std::move(table);
  });
  return n;
}

void WordDistances::floors(uint32_t x, std::span<float> out) const {
  if (clusters_ && x < words_) {
    std::copy(near(x).floors.begin(), near(x).floors.end(), out.begin());
    return;
  }
  // Without a vector, x is at 2 from every word but itself.
  std::fill(out.begin(), out.end(), clusters_ ? 2.0f : 0.0f);
  if (clusters_) out[clusters_->fineOf(x)] = 0.0f;
}

}  // namespace memlens
