#pragma once

#include <QString>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "memlens/experiment.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/usage_census.h"
#include "memlens/vector_token_index.h"

namespace memlens::views {

// Which stored vectors a filter token picks: those with it in their context, among their
// targets, or either.
enum class MemoryFilterScope { kContext, kTargets, kEither };

// The order of the Memory table's rows.
enum class MemoryOrder { kIdAscending, kIdDescending, kMostInstances, kFewestInstances };

// The stored vectors of one memory, as the Memory tab shows them: an immutable view read by the
// table model row by row. Making one costs nothing in the memory's size (a 100M-instance memory
// opened from a file has millions of stored vectors): every cell is computed from the memory when
// it is shown, and the only per-vector arrays, the instance-count order, the token index and a
// filter's rows, are made on a worker (ahead, or by select() when a sort or a filter asks for
// them). It holds the experiment, so the memory, the vocabulary and the corpus stay alive with it.
// Thread-safe.
struct MemorySnapshot {
  std::shared_ptr<const Experiment> experiment;
  // The usage census (usageCensus()) per stored vector over the first `usageTokens` validation
  // tokens; empty where the memory has no neighbours to count (IGTree) or it was not taken.
  std::vector<SlotUsage> usage;
  uint64_t usageTokens = 0;

  static MemorySnapshot of(std::shared_ptr<const Experiment> experiment,
                           std::vector<SlotUsage> usage = {}, uint64_t usageTokens = 0);
  // The same memory with the usage census taken since.
  MemorySnapshot withUsage(std::vector<SlotUsage> census, uint64_t tokens) const;

  const InstanceBase& memory() const { return experiment->classifier().memory(); }
  uint32_t vectorCount() const { return memory().vectorCount(); }
  // Instances merged into the vector (its distribution's total).
  uint32_t instanceCount(uint32_t id) const;
  // The source of its first instance in training order.
  uint64_t firstSource(uint32_t id) const { return memory().firstSource(id); }
  QString tokenText(uint32_t id) const;
  // The vector's context tokens, farthest first, separated by spaces.
  QString contextText(uint32_t id) const;
  // Its targets by count, "Moses ×82, Aaron ×3" (the `limit` largest; 0 = all).
  QString targetsText(uint32_t id, size_t limit) const;
  // "kjv.txt:1666" for a corpus position; "inserted" for an instance without one.
  QString sourceText(uint64_t source) const;

  // Vector ids, most instances first, ties by id (vectorsByInstances()): made on the first call
  // (which the others wait for) and kept, so that a sort by instances shows it as it is; a
  // cancelled one is left to the next.
  Result<std::shared_ptr<const std::vector<uint32_t>>> byCount(JobControl* job = nullptr) const;
  // That order if it is made, else null: never waits.
  std::shared_ptr<const std::vector<uint32_t>> byCountIfMade() const;
  // Which vectors hold each token, in their context or targets: two passes over the memory, made
  // on the first call (which the others wait for) and kept; a cancelled one is left to the next.
  Result<const VectorTokenIndex*> tokenIndex(JobControl* job = nullptr) const;
  // Whether `token` (trimmed; empty picks every vector) is a vocabulary token a filter can pick.
  bool knows(const QString& token) const;
  // The ids of the vectors that `token` (one vocabulary token, exact) picks in `scope`, in
  // `order`; every vector when `token` is empty, none when it is not in the vocabulary. A lookup
  // in tokenIndex() (plus, for an instance order, a pass over byCount()): run it on a worker
  // unless the memory is small; it honours `job`'s cancel.
  Result<std::vector<uint32_t>> select(const QString& token, MemoryFilterScope scope,
                                       MemoryOrder order, JobControl* job = nullptr) const;

 private:
  // Shared by the copies withUsage() makes: they are the memory's, not the census'.
  struct Lookups {
    std::mutex ordering;
    std::shared_ptr<const std::vector<uint32_t>> byCount;  // set once, under `ordering`
    std::atomic<bool> ordered = false;                     // byCount is set
    std::mutex indexing;
    std::unique_ptr<const VectorTokenIndex> index;
  };
  std::shared_ptr<Lookups> lookups_ = std::make_shared<Lookups>();
};

}  // namespace memlens::views
