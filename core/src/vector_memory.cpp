#include "memlens/vector_memory.h"

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

std::vector<std::vector<float>> VectorMemory::distanceTables(std::span<const uint32_t> query) const {
  std::vector<std::vector<float>> tables(query.size());
  if (!vectors_) return tables;
  const uint32_t n = vectors_->size();
  const int dims = vectors_->dimensions();
  for (size_t j = 0; j < query.size(); ++j) {
    if (query[j] >= n) continue;
    const float* x = vectors_->vector(query[j]).data();
    std::vector<float>& table = tables[j];
    table.resize(n);
    for (uint32_t v = 0; v < n; ++v) {
      const float* e = vectors_->vector(v).data();
      float dot = 0.0f;
      for (int d = 0; d < dims; ++d) dot += x[d] * e[d];
      table[v] = std::max(0.0f, 2.0f - 2.0f * dot);
    }
    table[query[j]] = 0.0f;
  }
  return tables;
}

double VectorMemory::wordDistance(const std::vector<float>& table, uint32_t x, uint32_t v) {
  if (x == v) return 0.0;
  return v < table.size() ? table[v] : 2.0;  // one-hot, or a word without a vector
}

std::vector<uint32_t> VectorMemory::candidates(std::span<const uint32_t> query,
                                               const std::vector<std::vector<float>>& tables) const {
  std::vector<uint32_t> out;
  if (indexed_.empty()) {
    out.resize(memory_.vectorCount());
    std::iota(out.begin(), out.end(), 0u);
    return out;
  }
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
    for (uint32_t w : words) {
      if (w < postings_[p].size()) out.insert(out.end(), postings_[p][w].begin(), postings_[p][w].end());
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

VectorRead VectorMemory::read(std::span<const uint32_t> query) const {
  VectorRead result;
  const size_t width = query.size();
  const auto tables = distanceTables(query);
  std::vector<SlotRead> reads;
  for (uint32_t slot : candidates(query, tables)) {
    const auto values = memory_.vector(slot);
    double d = 0.0;
    for (size_t j = 0; j < width; ++j) d += weights_[j] * wordDistance(tables[j], query[j], values[j]);
    reads.push_back({slot, d, 0.0});
  }
  const size_t k = std::min(reads.size(), size_t(std::max(1, options_.topK)));
  std::partial_sort(reads.begin(), reads.begin() + std::ptrdiff_t(k), reads.end(),
                    [](const SlotRead& a, const SlotRead& b) {
                      return a.distance != b.distance ? a.distance < b.distance : a.slot < b.slot;
                    });
  reads.resize(k);
  if (reads.empty()) return result;

  // α_i ∝ c_i · exp(−(d_i − d_min)/T): shifting by d_min keeps T → 0 finite.
  const double dMin = reads.front().distance, t = options_.temperature;
  double z = 0.0;
  std::vector<double> classMass(memory_.classCount(), 0.0);
  for (SlotRead& r : reads) {
    uint64_t count = 0;
    for (const ClassCount& c : memory_.distribution(r.slot)) count += c.count;
    r.attention = static_cast<double>(count) * std::exp(-(r.distance - dMin) / t);
    z += r.attention;
  }
  for (SlotRead& r : reads) {
    r.attention /= z;
    uint64_t count = 0;
    for (const ClassCount& c : memory_.distribution(r.slot)) count += c.count;
    for (const ClassCount& c : memory_.distribution(r.slot)) {
      classMass[c.classIndex] += r.attention * c.count / static_cast<double>(count);
    }
  }
  double best = -1.0;
  for (uint32_t ci = 0; ci < classMass.size(); ++ci) {
    if (classMass[ci] <= 0.0) continue;
    result.memory.push_back({memory_.classId(ci), classMass[ci]});
    if (classMass[ci] > best) {
      best = classMass[ci];
      result.classId = memory_.classId(ci);
    }
  }
  result.slots = std::move(reads);
  return result;
}

Prediction VectorMemory::predict(std::span<const uint32_t> query) const {
  VectorRead r = read(query);
  Prediction p;
  p.classId = r.classId;
  p.distribution = std::move(r.memory);
  p.distance = r.slots.empty() ? 0.0 : r.slots.front().distance;
  return p;
}

std::vector<std::vector<double>> VectorMemory::attentionTerms(std::span<const uint32_t> query,
                                                              std::span<const SlotRead> slots) const {
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
