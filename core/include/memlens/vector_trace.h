#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/attention_read.h"
#include "memlens/experiment.h"
#include "memlens/memory_smoother.h"
#include "memlens/result.h"
#include "memlens/trace.h"

namespace memlens {

// One slot the vector memory read for a query.
struct VectorSlotTrace {
  uint32_t slot = 0;  // stored-vector id in the InstanceBase
  std::vector<uint32_t> values;
  double distance = 0.0;
  double attention = 0.0;         // α
  std::vector<ClassVote> counts;  // the slot's class counts, by class id
  // Its row of the attention map: per context position w_j·‖e(x_j) − e(s_j)‖² / T, which add
  // up to distance / T (α ∝ count · exp(−Σ row)).
  std::vector<double> terms;
  uint64_t instanceCount = 0;             // instances merged into the slot
  std::vector<ProvenanceRef> provenance;  // the first TraceOptions::maxProvenance of them
};

// An outcome's probability under the memory, the base model and their interpolation.
struct VectorOutcome {
  uint32_t token = 0;
  double memory = 0.0;        // p_mem
  double base = 0.0;          // p_base (Kneser-Ney)
  double interpolated = 0.0;  // λ·p_mem + (1 − λ)·p_base
};

// Why the vector memory predicted what it did for one context.
struct VectorTrace {
  std::vector<uint32_t> context;
  std::vector<double> featureWeights;
  double temperature = 0.0;
  double lambda = 0.0;  // the weight the memory got (0 when it read no slot)
  uint32_t memoryPrediction = Prediction::kNoClass;  // argmax p_mem
  std::vector<VectorSlotTrace> slots;                // every slot read, nearest first
  std::vector<VectorOutcome> top;  // the most probable outcomes after interpolation
};

// Traces `context` (width ids, nearest last) through the experiment's vector memory. Fails
// unless the experiment's algorithm is kVectorMemory.
Result<VectorTrace> traceVectorMemory(const Experiment& experiment,
                                      std::span<const uint32_t> context, size_t topOutcomes = 10);

// What a vector trace shows of the read `r` of t.context beyond its slots: the memory's
// prediction, λ, and the `topOutcomes` most probable outcomes after the interpolation with the
// experiment's base model (`smoother`). A sharded trace fills it on rank 0 from the merged read.
void addVectorOutcomes(const MemorySmoother& smoother, const VectorRead& r, size_t topOutcomes,
                       VectorTrace& t);

// The query-tokens × slots attention map over a token sequence: row t is the read for the context
// before token t (padded as at a block start); the columns are the `maxSlots` slots with the
// most attention summed over all rows, most attended first.
struct SequenceAttention {
  std::vector<uint32_t> tokens;
  std::vector<uint32_t> predictions;           // argmax p_mem per row
  std::vector<uint32_t> slots;                 // stored-vector ids of the columns
  std::vector<std::vector<uint32_t>> values;   // per column: the slot's stored vector
  std::vector<std::vector<ClassVote>> counts;  // per column: its class counts, by class id
  std::vector<std::vector<double>> attention;  // [row][column] α; 0 where the slot was not read
};

// Fails unless the experiment's algorithm is kVectorMemory or `tokens` is empty.
Result<SequenceAttention> traceVectorSequence(const Experiment& experiment,
                                              std::span<const uint32_t> tokens,
                                              size_t maxSlots = 10);

// The map's rows, predictions and columns from the reads of `tokens` (reads[t]: the read of the
// context before tokens[t]), whose slot ids order the slots as the memory does (ties of summed
// attention go to the lower id); no values or counts. A sharded trace makes it on rank 0 from the
// merged reads.
SequenceAttention sequenceAttention(std::span<const uint32_t> tokens,
                                    std::span<const VectorRead> reads, size_t maxSlots);

}  // namespace memlens
