#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "memlens/attention_read.h"

namespace memlens {

// One slot of a merged read: its distance, its key (the first source of its stored vector, whose
// order is one process's slot order) and its class counts by global class index.
struct GatheredSlot {
  double distance = 0.0;
  uint64_t key = 0;
  std::span<const ClassCount> counts;
};

// The nearest slots a sharded vector memory's ranks found for some queries, merged on rank 0,
// read as one process's VectorMemory reads its own: the same slots in the same order with the
// same counts give the same attention, distribution and tuning sums. A slot met by several
// queries is kept once. Slot ids are this object's own (they never leave it).
// Immutable after the last add(): const calls may run concurrently.
class GatheredReads final : public AttentionRead {
 public:
  // `classIds`: the vocabulary id of each global class index.
  GatheredReads(std::vector<double> weights, std::vector<uint32_t> classIds, double temperature)
      : weights_(std::move(weights)), classIds_(std::move(classIds)), temperature_(temperature) {}

  // `query`'s nearest slots, nearest first (ties by key).
  void add(std::span<const uint32_t> query, std::span<const GatheredSlot> nearest);

  // The slots add() gave for `query` (none for a query never added).
  std::vector<SlotRead> nearest(std::span<const uint32_t> query) const override;
  const std::vector<double>& weights() const override { return weights_; }
  double temperature() const override { return temperature_; }
  // The key add() gave slot `slot` (an id from nearest()).
  uint64_t key(uint32_t slot) const { return keys_[slot]; }
  void setTemperature(double temperature) { temperature_ = temperature; }

 protected:
  std::span<const ClassCount> slotDistribution(uint32_t slot) const override {
    return {counts_.data() + countStart_[slot], countStart_[slot + 1] - countStart_[slot]};
  }
  uint32_t classIdOf(uint32_t classIndex) const override { return classIds_[classIndex]; }

 private:
  std::vector<double> weights_;
  std::vector<uint32_t> classIds_;
  double temperature_;
  std::unordered_map<uint64_t, uint32_t> slotOf_;  // key -> slot id
  std::vector<uint64_t> keys_;                     // slot id -> key
  std::vector<size_t> countStart_{0};              // per slot + 1
  std::vector<ClassCount> counts_;
  std::unordered_map<std::string, std::vector<SlotRead>> reads_;  // a query's bytes -> its slots
};

}  // namespace memlens
