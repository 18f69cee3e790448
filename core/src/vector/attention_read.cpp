#include "memlens/attention_read.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "vector/class_sums.h"

namespace memlens {

VectorRead AttentionRead::attend(std::vector<SlotRead> slots, double temperature) const {
  VectorRead result;
  if (slots.empty()) return result;
  // Each slot's class counts looked up once (a virtual call), for its total and its shares.
  std::vector<std::span<const ClassCount>> distributions(slots.size());
  std::vector<double> counts(slots.size(), 0.0);
  size_t pairs = 0;
  uint32_t classes = 0;
  for (size_t i = 0; i < slots.size(); ++i) {
    distributions[i] = slotDistribution(slots[i].slot);
    pairs += distributions[i].size();
    for (const ClassCount& c : distributions[i]) {
      counts[i] += c.count;
      classes = std::max(classes, c.classIndex + 1);
    }
  }
  weigh(slots, counts, temperature);
  // Each class's shares added in slot order, nearest first, as classProbabilities() adds them.
  thread_local ClassSums sums;
  sums.reserve(classes, pairs);
  for (size_t i = 0; i < slots.size(); ++i) {
    for (const ClassCount& c : distributions[i]) {
      sums.add(c.classIndex, slots[i].attention * c.count / counts[i]);
    }
  }
  double best = -1.0;
  try {
    result.memory.reserve(sums.touched());
    sums.take([&](uint32_t ci, double m) {
      if (m <= 0.0) return;
      result.memory.push_back({classIdOf(ci), m});
      if (m > best) {
        best = m;
        result.classId = classIdOf(ci);
      }
    });
  } catch (...) {
    sums.clear();  // the next read on this thread starts from no sums
    throw;
  }
  result.slots = std::move(slots);
  return result;
}

void AttentionRead::weigh(std::span<SlotRead> slots, std::span<const double> counts,
                          double temperature) {
  // α_i ∝ c_i · exp(−(d_i − d_min)/T): shifting by d_min keeps T → 0 finite.
  const double dMin = slots.front().distance;
  double z = 0.0;
  for (size_t i = 0; i < slots.size(); ++i) {
    slots[i].attention = counts[i] * std::exp(-(slots[i].distance - dMin) / temperature);
    z += slots[i].attention;
  }
  for (SlotRead& slot : slots) slot.attention /= z;
}

std::vector<double> AttentionRead::classProbabilities(std::span<const SlotRead> slots,
                                                      uint32_t classId,
                                                      std::span<const double> temperatures) const {
  std::vector<double> probabilities(temperatures.size(), 0.0);
  if (slots.empty()) return probabilities;
  std::vector<double> counts(slots.size(), 0.0), classCounts(slots.size(), 0.0);
  for (size_t i = 0; i < slots.size(); ++i) {
    for (const ClassCount& c : slotDistribution(slots[i].slot)) {
      counts[i] += c.count;
      if (classIdOf(c.classIndex) == classId) classCounts[i] += c.count;
    }
  }
  std::vector<SlotRead> weighed(slots.begin(), slots.end());
  for (size_t t = 0; t < temperatures.size(); ++t) {
    weigh(weighed, counts, temperatures[t]);
    for (size_t i = 0; i < slots.size(); ++i) {
      if (classCounts[i] > 0.0)
        probabilities[t] += weighed[i].attention * classCounts[i] / counts[i];
    }
  }
  return probabilities;
}

Prediction AttentionRead::predict(std::span<const uint32_t> query,
                                  const PredictOptions& options) const {
  VectorRead r = read(query);
  Prediction p;
  p.classId = r.classId;
  p.distance = r.slots.empty() ? 0.0 : r.slots.front().distance;
  if (options.distributions) p.distribution = std::move(r.memory);
  for (const SlotRead& s : r.slots) {
    uint64_t count = 0;
    for (const ClassCount& c : slotDistribution(s.slot)) count += c.count;
    p.instances += count;
    if (options.neighbours)
      p.neighbours.push_back({s.distance, s.attention / static_cast<double>(count), {s.slot}});
  }
  return p;
}

}  // namespace memlens
