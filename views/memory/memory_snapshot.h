#pragma once

#include <QString>
#include <cstdint>
#include <memory>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/usage_census.h"

namespace memlens::views {

// Which stored vectors a filter token picks: those with it in their context, among their
// targets, or either.
enum class MemoryFilterScope { kContext, kTargets, kEither };

// The order of the Memory table's rows.
enum class MemoryOrder { kIdAscending, kIdDescending, kMostInstances, kFewestInstances };

// The stored vectors of one memory, as the Memory tab shows them: an immutable snapshot made on
// a worker (of() is O(n log n) in stored vectors) and read by the table model row by row. It
// holds the experiment, so the memory, the vocabulary and the corpus stay alive with it.
struct MemorySnapshot {
  std::shared_ptr<const Experiment> experiment;
  std::vector<uint32_t> instanceCounts;  // per stored vector
  std::vector<uint64_t> firstSources;    // per stored vector: its first instance's source
  std::vector<uint32_t> byCount;         // vector ids, most instances first, ties by id
  // The usage census (usageCensus()) per stored vector over the first `usageTokens` validation
  // tokens; empty where the memory has no neighbours to count (IGTree) or it was not taken.
  std::vector<SlotUsage> usage;
  uint64_t usageTokens = 0;

  static MemorySnapshot of(std::shared_ptr<const Experiment> experiment,
                           std::vector<SlotUsage> usage = {}, uint64_t usageTokens = 0);

  const InstanceBase& memory() const { return experiment->classifier().memory(); }
  uint32_t vectorCount() const { return static_cast<uint32_t>(instanceCounts.size()); }
  QString tokenText(uint32_t id) const;
  // The vector's context tokens, farthest first, separated by spaces.
  QString contextText(uint32_t id) const;
  // Its targets by count, "Moses ×82, Aaron ×3" (the `limit` largest; 0 = all).
  QString targetsText(uint32_t id, size_t limit) const;
  // "kjv.txt:1666" for a corpus position; "inserted" for an instance without one.
  QString sourceText(uint64_t source) const;

  // The ids of the vectors that `token` (one vocabulary token, exact) picks in `scope`, in
  // `order`; every vector when `token` is empty. `known` says whether the token is in the
  // vocabulary (an unknown one picks nothing). A linear scan, fast enough for the GUI thread:
  // 3-33 ms over the 482,019 vectors of the KJV (IGTree, width 4).
  std::vector<uint32_t> select(const QString& token, MemoryFilterScope scope, MemoryOrder order,
                               bool* known = nullptr) const;
};

}  // namespace memlens::views
