#include "memlens/vector_memory.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace memlens {

VectorMemory::VectorMemory(const InstanceBase& memory, std::vector<double> weights,
                           const WordVectors* vectors, VectorMemoryOptions options)
    : memory_(memory), weights_(std::move(weights)), vectors_(vectors), options_(options) {
  const int width = memory_.width();
  std::vector<int> order(static_cast<size_t>(width));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return weights_[size_t(a)] > weights_[size_t(b)]; });
  const int indexed = std::min(options_.indexedPositions, width);
  indexed_.assign(order.begin(), order.begin() + indexed);
  postings_.resize(indexed_.size());
  for (size_t p = 0; p < indexed_.size(); ++p) {
    for (uint32_t slot = 0; slot < memory_.vectorCount(); ++slot) {
      const uint32_t value = memory_.vector(slot)[size_t(indexed_[p])];
      if (value >= postings_[p].size()) postings_[p].resize(value + 1);
      postings_[p][value].push_back(slot);
    }
  }
}

std::vector<std::vector<float>> VectorMemory::distanceTables(
    std::span<const uint32_t> query) const {
  std::vector<std::vector<float>> tables(query.size());
  if (!vectors_) return tables;
  const uint32_t n = vectors_->size();
  const int dims = vectors_->dimensions();
  // ‖a − b‖² = 2 − 2·a·b for unit vectors: one vectorised product of every word vector with
  // the query's words (a scalar dot-product loop was most of a read's time).
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajor> words(vectors_->vector(0).data(), n, dims);
  RowMajor queryWords = RowMajor::Zero(static_cast<Eigen::Index>(query.size()), dims);
  for (size_t j = 0; j < query.size(); ++j) {
    if (query[j] < n) queryWords.row(Eigen::Index(j)) = words.row(query[j]);
  }
  const Eigen::MatrixXf dots = words * queryWords.transpose();  // n x width, column-major
  for (size_t j = 0; j < query.size(); ++j) {
    if (query[j] >= n) continue;
    std::vector<float>& table = tables[j];
    table.resize(n);
    const float* column = dots.data() + j * n;
    for (uint32_t v = 0; v < n; ++v) table[v] = std::max(0.0f, 2.0f - 2.0f * column[v]);
    table[query[j]] = 0.0f;
  }
  return tables;
}

double VectorMemory::wordDistance(const std::vector<float>& table, uint32_t x, uint32_t v) {
  if (x == v) return 0.0;
  return v < table.size() ? table[v] : 2.0;  // one-hot, or a word without a vector
}

std::vector<uint32_t> VectorMemory::candidates(
    std::span<const uint32_t> query, const std::vector<std::vector<float>>& tables) const {
  std::vector<uint32_t> out;
  if (indexed_.empty()) {
    out.resize(memory_.vectorCount());
    std::iota(out.begin(), out.end(), 0u);
    return out;
  }
  // Marks slots already taken: a per-thread stamp array beats sorting 10^5 candidates.
  thread_local std::vector<uint32_t> seen;
  thread_local uint32_t epoch = 0;
  if (seen.size() < memory_.vectorCount()) seen.resize(memory_.vectorCount(), epoch);
  if (++epoch == 0) std::fill(seen.begin(), seen.end(), epoch++);
  for (size_t p = 0; p < indexed_.size(); ++p) {
    const auto j = size_t(indexed_[p]);
    std::vector<uint32_t> words = {query[j]};
    const std::vector<float>& table = tables[j];
    if (!table.empty()) {
      words.resize(table.size());
      std::iota(words.begin(), words.end(), 0u);
      const size_t m = std::min(words.size(), size_t(options_.candidateWords) + 1);
      std::partial_sort(words.begin(), words.begin() + std::ptrdiff_t(m), words.end(),
                        [&](uint32_t a, uint32_t b) { return table[a] < table[b]; });
      words.resize(m);
    }
    const size_t start = out.size();
    for (uint32_t w : words) {
      if (w >= postings_[p].size()) continue;
      if (w != query[j] && out.size() - start >= size_t(options_.candidateSlots)) break;
      for (uint32_t slot : postings_[p][w]) {
        if (seen[slot] != epoch) {
          seen[slot] = epoch;
          out.push_back(slot);
        }
      }
    }
  }
  return out;
}

std::vector<SlotRead> VectorMemory::nearest(std::span<const uint32_t> query) const {
  const size_t width = query.size();
  const auto tables = distanceTables(query);
  std::vector<SlotRead> reads;
  for (uint32_t slot : candidates(query, tables)) {
    const auto values = memory_.vector(slot);
    double d = 0.0;
    for (size_t j = 0; j < width; ++j)
      d += weights_[j] * wordDistance(tables[j], query[j], values[j]);
    reads.push_back({slot, d, 0.0});
  }
  const size_t k = std::min(reads.size(), size_t(std::max(1, options_.topK)));
  std::partial_sort(reads.begin(), reads.begin() + std::ptrdiff_t(k), reads.end(),
                    [](const SlotRead& a, const SlotRead& b) {
                      return a.distance != b.distance ? a.distance < b.distance : a.slot < b.slot;
                    });
  return {reads.begin(), reads.begin() + std::ptrdiff_t(k)};  // without the candidates' capacity
}

VectorRead VectorMemory::attend(std::vector<SlotRead> slots, double temperature) const {
  VectorRead result;
  if (slots.empty()) return result;
  std::vector<double> counts(slots.size(), 0.0);
  for (size_t i = 0; i < slots.size(); ++i) {
    for (const ClassCount& c : memory_.distribution(slots[i].slot)) counts[i] += c.count;
  }
  // α_i ∝ c_i · exp(−(d_i − d_min)/T): shifting by d_min keeps T → 0 finite.
  const double dMin = slots.front().distance;
  double z = 0.0;
  for (size_t i = 0; i < slots.size(); ++i) {
    slots[i].attention = counts[i] * std::exp(-(slots[i].distance - dMin) / temperature);
    z += slots[i].attention;
  }
  // (class index, mass), merged after sorting: k slots touch few classes, so no dense array.
  std::vector<std::pair<uint32_t, double>> mass;
  for (size_t i = 0; i < slots.size(); ++i) {
    slots[i].attention /= z;
    for (const ClassCount& c : memory_.distribution(slots[i].slot)) {
      mass.emplace_back(c.classIndex, slots[i].attention * c.count / counts[i]);
    }
  }
  std::sort(mass.begin(), mass.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  double best = -1.0;
  for (size_t i = 0; i < mass.size();) {
    const uint32_t ci = mass[i].first;
    double m = 0.0;
    for (; i < mass.size() && mass[i].first == ci; ++i) m += mass[i].second;
    if (m <= 0.0) continue;
    result.memory.push_back({memory_.classId(ci), m});
    if (m > best) {
      best = m;
      result.classId = memory_.classId(ci);
    }
  }
  result.slots = std::move(slots);
  return result;
}

Prediction VectorMemory::predict(std::span<const uint32_t> query,
                                 const PredictOptions& options) const {
  VectorRead r = read(query);
  Prediction p;
  p.classId = r.classId;
  p.distance = r.slots.empty() ? 0.0 : r.slots.front().distance;
  if (options.distributions) p.distribution = std::move(r.memory);
  for (const SlotRead& s : r.slots) {
    uint64_t count = 0;
    for (const ClassCount& c : memory_.distribution(s.slot)) count += c.count;
    p.instances += count;
    if (options.neighbours)
      p.neighbours.push_back({s.distance, s.attention / static_cast<double>(count), {s.slot}});
  }
  return p;
}

std::vector<std::vector<double>> VectorMemory::attentionTerms(
    std::span<const uint32_t> query, std::span<const SlotRead> slots) const {
  const auto tables = distanceTables(query);
  std::vector<std::vector<double>> map;
  for (const SlotRead& r : slots) {
    const auto values = memory_.vector(r.slot);
    std::vector<double>& row = map.emplace_back(query.size());
    for (size_t j = 0; j < query.size(); ++j) {
      row[j] = weights_[j] * wordDistance(tables[j], query[j], values[j]) / options_.temperature;
    }
  }
  return map;
}

}  // namespace memlens
