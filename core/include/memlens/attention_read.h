#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "memlens/instance_base.h"
#include "memlens/job_control.h"
#include "memlens/prediction.h"

namespace memlens {

// One slot read by a query.
struct SlotRead {
  uint32_t slot = 0;       // the slot's id in the memory that read it
  double distance = 0.0;   // Σ_j w_j·‖e(x_j) − e(s_j)‖²
  double attention = 0.0;  // α: count · exp(−d/T), normalised over the slots read
};

struct VectorRead {
  std::vector<SlotRead> slots;              // nearest first
  std::vector<ClassVote> memory;            // p_mem(y) = Σ α_i · P_i(y), by class id, sums to 1
  uint32_t classId = Prediction::kNoClass;  // argmax p_mem (ties: earlier class index)
};

// The attention read of docs/spec/vector-memory.md over whatever finds a query's nearest slots:
// the vector memory's own search (VectorMemory), or the slots a sharded memory's ranks found,
// merged on rank 0. A slot's class counts are given by class index (order of first appearance
// in training), which decides ties and the order of the distribution.
// Thread-safety: const calls may run concurrently when the implementation's are.
class AttentionRead {
 public:
  virtual ~AttentionRead() = default;

  // The top-k slots nearest to `query`, nearest first, with their distances (no attention yet).
  // They do not depend on T, so a temperature can be tuned from one search per query.
  virtual std::vector<SlotRead> nearest(std::span<const uint32_t> query) const = 0;
  // Readies the reads of queries made of `values` (at any position), doing together the work
  // each would do on a value's first use: a hint, after which reads are faster, never different.
  // None by default; may stop early when `job` is cancelled.
  virtual void prepare(std::span<const uint32_t> /*values*/, JobControl* /*job*/) const {}
  virtual const std::vector<double>& weights() const = 0;  // per context position
  virtual double temperature() const = 0;                  // T of read() and predict()

  VectorRead read(std::span<const uint32_t> query) const {
    return attend(nearest(query), temperature());
  }
  // The attention read over `slots` (from nearest()) at temperature T.
  VectorRead attend(std::vector<SlotRead> slots, double temperature) const;
  // p_mem(classId) of attend(slots, T) for each T of `temperatures`, from one look at the slots'
  // counts (what tuning T asks for many temperatures; the same bits as attend()'s: both add a
  // class's shares in slot order).
  std::vector<double> classProbabilities(std::span<const SlotRead> slots, uint32_t classId,
                                         std::span<const double> temperatures) const;
  // As a Prediction: distribution = p_mem (weights sum to 1), distance = the nearest slot's;
  // with options.neighbours one bucket per slot read, whose weight α_i / c_i re-adds the slot's
  // class counts to p_mem.
  Prediction predict(std::span<const uint32_t> query, const PredictOptions& options = {}) const;

 protected:
  // A slot's class counts, by class index.
  virtual std::span<const ClassCount> slotDistribution(uint32_t slot) const = 0;
  virtual uint32_t classIdOf(uint32_t classIndex) const = 0;

 private:
  // α_i of `slots` (nearest first) at T into their attention, for counts c_i = `counts`.
  static void weigh(std::span<SlotRead> slots, std::span<const double> counts, double temperature);
};

}  // namespace memlens
