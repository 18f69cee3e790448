#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "memlens/instance_base.h"
#include "memlens/prediction.h"
#include "memlens/word_vectors.h"

namespace memlens {

class SlotIndex;
class WordDistances;

struct VectorMemoryOptions {
  int topK = 128;            // slots read per query
  double temperature = 1.0;  // T of the softmax over -distance / T
  // Approximate search: candidates are the slots whose value at each of the `indexedPositions`
  // highest-weight positions is one of the `candidateWords` words nearest the query's value
  // there. 0 indexed positions = exhaustive (every slot).
  int indexedPositions = 2;
  int candidateWords = 16;
  // Bounds a read's work: near words are added at a position only while its candidates number
  // fewer than this (the query's own word always counts).
  int candidateSlots = 16384;
};

// One slot read by a query.
struct SlotRead {
  uint32_t slot = 0;       // stored-vector id in the InstanceBase
  double distance = 0.0;   // Σ_j w_j·‖e(x_j) − e(s_j)‖²
  double attention = 0.0;  // α: count · exp(−d/T), normalised over the slots read
};

struct VectorRead {
  std::vector<SlotRead> slots;              // nearest first
  std::vector<ClassVote> memory;            // p_mem(y) = Σ α_i · P_i(y), by class id, sums to 1
  uint32_t classId = Prediction::kNoClass;  // argmax p_mem (ties: earlier class index)
};

// The attention read over a memory's stored vectors (docs/spec/vector-memory.md): the
// kNN-LM read, a single modern-Hopfield step. Slots are the InstanceBase's stored vectors, so an
// edit to the memory changes both families. Keys are never stored per slot: a slot's distance is
// Σ_j w_j·‖e(x_j) − e(s_j)‖², from word-pair distances computed when a read first needs them (or
// looked up in the query word's column, kept for the words most frequent in the slots).
// The read is the exact top-k of its candidates (a plain scan's slots, distances and order), but
// it skips groups of slots whose bound from their known positions exceeds the k-th distance so
// far. With no word vectors, words are one-hot (‖·‖² = 2·[a ≠ b]), and with T → 0 and exhaustive
// search the read equals IB1's nearest bucket.
// Holds references: the memory, weights and vectors must outlive it and not change while it is
// used. Immutable after construction but for setTemperature(): read() may run on many threads at
// once.
class VectorMemory {
 public:
  VectorMemory(const InstanceBase& memory, std::vector<double> weights, const WordVectors* vectors,
               VectorMemoryOptions options);
  ~VectorMemory();
  VectorMemory(const VectorMemory&) = delete;
  VectorMemory& operator=(const VectorMemory&) = delete;

  const VectorMemoryOptions& options() const { return options_; }
  const std::vector<double>& weights() const { return weights_; }  // per context position
  // T for later reads. Only attend() uses it, so nothing built from the memory changes; not while
  // reads run.
  void setTemperature(double temperature) { options_.temperature = temperature; }
  VectorRead read(std::span<const uint32_t> query) const {
    return attend(nearest(query), options_.temperature);
  }
  // The top-k slots nearest to `query`, nearest first, with their distances (no attention yet).
  // They do not depend on T, so a temperature can be tuned from one search per query.
  std::vector<SlotRead> nearest(std::span<const uint32_t> query) const;
  // The attention read over `slots` (from nearest()) at temperature T.
  VectorRead attend(std::vector<SlotRead> slots, double temperature) const;
  // p_mem(classId) of attend(slots, T) for each T of `temperatures`, from one look at the slots'
  // counts (what tuning T asks for many temperatures; equal to attend()'s up to the order its
  // sum adds the slots in).
  std::vector<double> classProbabilities(std::span<const SlotRead> slots, uint32_t classId,
                                         std::span<const double> temperatures) const;
  // As a Prediction: distribution = p_mem (weights sum to 1), distance = the nearest slot's;
  // with options.neighbours one bucket per slot read, whose weight α_i / c_i re-adds the slot's
  // class counts to p_mem.
  Prediction predict(std::span<const uint32_t> query, const PredictOptions& options = {}) const;

  // The slots × positions map of distance terms w_j·‖e(x_j) − e(s_j)‖² / T for `slots`.
  std::vector<std::vector<double>> attentionTerms(std::span<const uint32_t> query,
                                                  std::span<const SlotRead> slots) const;

 private:
  // α_i of `slots` (nearest first) at T into their attention, for counts c_i = `counts`.
  static void weigh(std::span<SlotRead> slots, std::span<const double> counts, double temperature);

  const InstanceBase& memory_;
  uint64_t id_;  // unique to this object: a thread's read tables are kept for it by this id
  std::vector<double> weights_;
  VectorMemoryOptions options_;
  bool weightsBound_;  // every weight >= 0, so a partial sum of terms bounds a distance
  std::unique_ptr<const WordDistances> distances_;
  // One per indexed position, highest weight first; with none (exhaustive search) one over the
  // highest-weight position, every word of which is a candidate.
  std::vector<SlotIndex> levels_;
  uint32_t largestGroupCount_ = 0;
  uint32_t valueCount_ = 0;  // the largest word id in a slot + 1
};

}  // namespace memlens
