#include "vector/word_distances.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

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

// prepare() computes this many query words' columns in one pass over the word vectors.
constexpr size_t kTileWords = 8;

// Eight floats, one operation per lane, as Lanes.
using Lanes8 [[gnu::vector_size(8 * sizeof(float))]] = float;

// Into out[q][v] for each query vector a[q] (q < kTileWords) and each of the `words` words (a
// multiple of eight) stored by eight in `byBlock` as blockDots() reads them: their dot products,
// each lane summed over dimensions in order from 0 as blockDots() sums, so every sum has its bits.
// Each block row is loaded once for all the queries (one query's pass waits on those loads). With
// AVX a lane is one of eight in a 256-bit register (a multiply, then an add: "avx" does not fuse
// them), elsewhere one of four in two SSE registers: the same operations on the same values.
[[gnu::target_clones("avx", "default")]] void tileDots(const float* byBlock, uint32_t words,
                                                       const float* const* a, int dimensions,
                                                       float* const* out) {
  const size_t blockFloats = static_cast<size_t>(dimensions) * kProductRows;
  for (uint32_t v = 0; v < words; v += kProductRows) {
    const float* rows = byBlock + size_t(v / kProductRows) * blockFloats;
    Lanes8 d0 = {}, d1 = {}, d2 = {}, d3 = {}, d4 = {}, d5 = {}, d6 = {}, d7 = {};
    for (int k = 0; k < dimensions; ++k) {
      Lanes8 row;
      std::memcpy(&row, rows + size_t(k) * kProductRows, sizeof row);
      d0 += row * a[0][k];
      d1 += row * a[1][k];
      d2 += row * a[2][k];
      d3 += row * a[3][k];
      d4 += row * a[4][k];
      d5 += row * a[5][k];
      d6 += row * a[6][k];
      d7 += row * a[7][k];
    }
    static_assert(kTileWords == 8);
    std::memcpy(out[0] + v, &d0, sizeof d0);
    std::memcpy(out[1] + v, &d1, sizeof d1);
    std::memcpy(out[2] + v, &d2, sizeof d2);
    std::memcpy(out[3] + v, &d3, sizeof d3);
    std::memcpy(out[4] + v, &d4, sizeof d4);
    std::memcpy(out[5] + v, &d5, sizeof d5);
    std::memcpy(out[6] + v, &d6, sizeof d6);
    std::memcpy(out[7] + v, &d7, sizeof d7);
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
  std::call_once(n.once, [&] { fill(n, x, column(x)); });
  return n;
}

void WordDistances::prepare(std::span<const uint32_t> words, JobControl* job) const {
  std::vector<uint32_t> due;
  for (const uint32_t x : words) {
    if (x < words_ && !near_[x].ready.load(std::memory_order_acquire)) due.push_back(x);
  }
  std::sort(due.begin(), due.end());
  due.erase(std::unique(due.begin(), due.end()), due.end());
  const size_t tiles = (due.size() + kTileWords - 1) / kTileWords;
  tbb::parallel_for(tbb::blocked_range<size_t>(0, tiles, 1), [&](const auto& range) {
    for (size_t t = range.begin(); t != range.end(); ++t) {
      if (cancelRequested(job)) return;
      const size_t first = t * kTileWords, m = std::min(kTileWords, due.size() - first);
      // A short tile repeats its first word; those extra columns are dropped.
      std::vector<std::vector<float>> columns(m);
      std::vector<float> spare;
      const float* a[kTileWords];
      float* out[kTileWords];
      for (size_t q = 0; q < kTileWords; ++q) {
        a[q] = vectors_->vector(due[first + (q < m ? q : 0)]).data();
        std::vector<float>& column = q < m ? columns[q] : spare;
        if (column.empty()) column.resize(words_);
        out[q] = column.data();
      }
      tileDots(byBlock_.data(), tail_, a, dimensions_, out);
      for (size_t q = 0; q < m; ++q) {
        const uint32_t x = due[first + q];
        std::vector<float>& dots = columns[q];
        // The rest as column() sums them.
        for (uint32_t v = tail_; v < words_; ++v) {
          dots[v] = tailDot(vectors_->vector(v).data(), a[q], dimensions_);
        }
        for (float& d : dots) d = fromDot(d);
        dots[x] = 0.0f;
        Near& n = near_[x];
        std::call_once(n.once, [&] { fill(n, x, std::move(dots)); });
      }
    }
  });
}

void WordDistances::fill(Near& n, uint32_t x, std::vector<float> table) const {
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
  n.ready.store(true, std::memory_order_release);
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
