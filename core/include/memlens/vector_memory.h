#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "memlens/attention_read.h"
#include "memlens/instance_base.h"
#include "memlens/word_vectors.h"

namespace memlens {

class SlotIndex;
class WordClusters;
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

// The attention read over a memory's stored vectors (docs/spec/vector-memory.md): the
// kNN-LM read, a single modern-Hopfield step. Slots are the InstanceBase's stored vectors, so an
// edit to the memory changes both families. Keys are never stored per slot: a slot's distance is
// Σ_j w_j·‖e(x_j) − e(s_j)‖², from word-pair distances computed when a read first needs them (or
// looked up in the query word's column, kept for the words most frequent in the slots).
// The read is the exact top-k of its candidates (a plain scan's slots, distances and order), but
// it skips a group of slots whose known term exceeds the k-th distance so far, and a slot whose
// terms rounded down to bytes do. With no word vectors, words are one-hot
// (‖·‖² = 2·[a ≠ b]), and with T → 0 and exhaustive search the read equals IB1's nearest bucket.
// Holds references: the memory, weights and vectors must outlive it and not change while it is
// used. Immutable after construction but for setTemperature(): read() may run on many threads at
// once.
class VectorMemory final : public AttentionRead {
 public:
  VectorMemory(const InstanceBase& memory, std::vector<double> weights, const WordVectors* vectors,
               VectorMemoryOptions options);
  ~VectorMemory() override;
  VectorMemory(const VectorMemory&) = delete;
  VectorMemory& operator=(const VectorMemory&) = delete;

  const VectorMemoryOptions& options() const { return options_; }
  const std::vector<double>& weights() const override { return weights_; }
  double temperature() const override { return options_.temperature; }
  // T for later reads. Only attend() uses it, so nothing built from the memory changes; not while
  // reads run.
  void setTemperature(double temperature) { options_.temperature = temperature; }
  std::vector<SlotRead> nearest(std::span<const uint32_t> query) const override;
  // The values' distances to every word, near words and cluster floors, eight words at a time
  // (WordDistances::prepare()).
  void prepare(std::span<const uint32_t> values, JobControl* job) const override;

  // The approximate search in steps, for a memory sharded over processes (each holding some of
  // the slots), whose candidate words must follow the slot counts of every shard. A read's
  // candidate words at each indexed level r are a prefix of levelWords(query, r, g) (g: the
  // words at that level's position, over every shard): words in order while the new slots of
  // the words before number fewer than candidateSlots (chosenCount()). newSlotCounts() is what
  // this memory adds to those counts; nearest(query, candidates) is the exact top-k of this
  // memory's slots among the candidates.
  using CandidateWords = std::vector<std::vector<uint32_t>>;  // per indexed level
  // Indexed levels of the search (0: exhaustive).
  size_t candidateLevels() const;
  // Words 0 .. groupCount(r) − 1 may be at level r's position in this memory.
  uint32_t groupCount(size_t level) const;
  // The words level `level` considers for `query`, in order: its position's near words below
  // `groups`.
  std::vector<uint32_t> levelWords(std::span<const uint32_t> query, size_t level,
                                   uint32_t groups) const;
  // For each of `words`: the slots of this memory a read would add at `level` for it, given the
  // candidate words of the levels before (`earlier`).
  std::vector<uint64_t> newSlotCounts(size_t level, const CandidateWords& earlier,
                                      std::span<const uint32_t> words) const;
  // How many of `words` (levelWords(query, level, …)) are candidates, given their new slots
  // `counts` over every shard.
  size_t chosenCount(std::span<const uint32_t> query, size_t level, std::span<const uint32_t> words,
                     std::span<const uint64_t> counts) const;
  std::vector<SlotRead> nearest(std::span<const uint32_t> query,
                                const CandidateWords& candidates) const;

  // The slots × positions map of distance terms w_j·‖e(x_j) − e(s_j)‖² / T for `slots` at
  // temperature T (a sharded memory's ranks are given the T rank 0 tuned).
  std::vector<std::vector<double>> attentionTerms(std::span<const uint32_t> query,
                                                  std::span<const SlotRead> slots,
                                                  double temperature) const;

 protected:
  std::span<const ClassCount> slotDistribution(uint32_t slot) const override {
    return memory_.distribution(slot);
  }
  uint32_t classIdOf(uint32_t classIndex) const override { return memory_.classId(classIndex); }

 private:
  // The top-k over the candidates `given` (null: chosen from this memory's counts).
  std::vector<SlotRead> search(std::span<const uint32_t> query, const CandidateWords* given) const;
  // The words nearest query[j] (itself alone when it has no vector).
  std::span<const uint32_t> nearWordsAt(std::span<const uint32_t> query, size_t j) const;

  const InstanceBase& memory_;
  uint64_t id_;  // unique to this object: a thread's read tables are kept for it by this id
  std::vector<double> weights_;
  VectorMemoryOptions options_;
  bool weightsBound_;          // every weight >= 0, so a partial sum of terms bounds a distance
  double quantumScale_ = 0.0;  // quanta (byte bounds) per unit of a term, see quantise()
  // Word vectors and weights all finite: an entry's byte bounds plus a quantum a term bound it
  // from above too, so its exact distance (which may need distances computed) can wait.
  bool exactCanWait_ = false;
  std::unique_ptr<const WordClusters> clusters_;
  std::unique_ptr<const WordDistances> distances_;
  // One per indexed position, highest weight first; with none (exhaustive search) one over the
  // highest-weight position, every word of which is a candidate.
  std::vector<SlotIndex> levels_;
  uint32_t largestGroupCount_ = 0;
  uint32_t valueCount_ = 0;  // the largest word id in a slot + 1
};

}  // namespace memlens
