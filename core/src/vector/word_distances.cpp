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

// Eight floats, one operation per lane (a GCC and Clang vector extension). Each lane multiplies and
// adds as the scalar code does, so every sum keeps its bits.
using Lanes [[gnu::vector_size(8 * sizeof(float))]] = float;

// dots[v] += row[v] · q for v < n, eight words at a time: at -O2 (RelWithDebInfo) the compiler
// leaves the plain loop scalar, and a column per query word is most of a word's first read.
void addScaled(float* dots, const float* row, float q, uint32_t n) {
  uint32_t v = 0;
  for (; v + 8 <= n; v += 8) {
    Lanes d, r;
    std::memcpy(&d, dots + v, sizeof d);
    std::memcpy(&r, row + v, sizeof r);
    d += r * q;
    std::memcpy(dots + v, &d, sizeof d);
  }
  for (; v < n; ++v) dots[v] += row[v] * q;
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
  byDimension_.resize(size_t{words_} * static_cast<size_t>(dimensions_));
  for (uint32_t v = 0; v < words_; ++v) {
    const auto e = vectors_->vector(v);
    for (int k = 0; k < dimensions_; ++k) byDimension_[size_t(k) * words_ + v] = e[size_t(k)];
  }
  tail_ = words_ - words_ % kProductRows;
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
  // Dimension by dimension over all words: each word's sum keeps distance()'s order, and the
  // inner loop runs over contiguous words (vectorised).
  std::vector<float> dots(words_, 0.0f);
  const float* a = vectors_->vector(x).data();
  for (int k = 0; k < dimensions_; ++k) {
    addScaled(dots.data(), byDimension_.data() + size_t(k) * words_, a[k], words_);
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
    std::partial_sort(words.begin(), words.begin() + std::ptrdiff_t(m), words.end(),
                      [&](uint32_t a, uint32_t b) { return table[a] < table[b]; });
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
