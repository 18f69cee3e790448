#pragma once

#include <span>
#include <string>
#include <vector>

#include "memlens/kneser_ney_model.h"
#include "memlens/prediction.h"

namespace memlens {

// Turns a memory's vote into a probability distribution that never gives a token zero:
//   p(w) = λ · votes(w) / T + (1 − λ) · p_KN(w | context),   λ = N / (N + β · U)
// where T is the total vote weight, N the number of training instances behind the vote and U the
// number of classes voted for (Witten-Bell style: a vote resting on few instances, or spread
// thinly over many classes, is trusted less). N rather than T, because distance weighting (ID:
// 1/d, ~1e15 for an exact match) puts T on an arbitrary scale; with Z weighting N = T.
// β is tuned on the validation split.
// For the vector memory, whose vote p_mem is already a distribution, λ is instead one fixed
// value (fixedWeight), tuned on validation too; a memory that read nothing still gets λ = 0.
// Raw vote shares are never reported as probabilities on their own.
// Immutable: safe to use from many threads.
class MemorySmoother {
 public:
  MemorySmoother(const KneserNeyModel& base, double beta) : base_(base), beta_(beta) {}
  static MemorySmoother fixedWeight(const KneserNeyModel& base, double lambda) {
    return MemorySmoother(base, 0.0, lambda);
  }

  double beta() const { return beta_; }
  const KneserNeyModel& base() const { return base_; }
  // The weight λ given to the memory's vote.
  double memoryWeight(const Prediction& prediction) const;

  double probability(const Prediction& prediction, std::span<const uint32_t> context,
                     uint32_t token) const;
  // The whole smoothed distribution, sparse (see SmoothedDistribution).
  void smoothed(const Prediction& prediction, std::span<const uint32_t> context,
                SmoothedDistribution& out) const;
  // The same from `base`, base().smoothed() of the context, which stays as it is (an evaluation
  // scores the base model alone from it too).
  void smoothed(const Prediction& prediction, const SmoothedDistribution& base,
                SmoothedDistribution& out) const;
  // The same, dense: out[id] for every vocabulary id, out[vocabSize] = unknown; sums to 1.
  void distribution(const Prediction& prediction, std::span<const uint32_t> context,
                    std::vector<double>& out) const;

  // For run records.
  std::string describe() const;

 private:
  MemorySmoother(const KneserNeyModel& base, double beta, double fixedLambda)
      : base_(base), beta_(beta), fixedLambda_(fixedLambda) {}

  const KneserNeyModel& base_;
  double beta_;
  double fixedLambda_ = -1.0;  // < 0: λ from β
};

}  // namespace memlens
