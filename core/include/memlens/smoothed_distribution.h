#pragma once

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace memlens {

class KneserNeyModel;

// A smoothed next-token distribution over vocabSize + 1 outcomes (the last = unknown), stored
// sparsely: the few outcomes a context's n-grams or a memory vote touched carry explicit values;
// every other outcome w has scale · unigram(w). Entropy and ranks then cost O(touched + log V)
// instead of O(V). Built by KneserNeyModel::smoothed() and MemorySmoother::smoothed().
// Valid while its model lives; a plain value otherwise.
class SmoothedDistribution {
 public:
  explicit SmoothedDistribution(const KneserNeyModel* model = nullptr);

  double probability(uint32_t outcome) const;
  // How many outcomes have probability strictly above p.
  uint64_t countAbove(double p) const;
  // How many outcomes are strictly more probable than `outcome`. Exact for ties among untouched
  // outcomes (all unseen tokens share one value), which a threshold in probability space is not.
  uint64_t countAboveOutcome(uint32_t outcome) const;
  double entropyBits() const;
  // All vocabSize + 1 probabilities.
  void toDense(std::vector<double>& out) const;

  // (outcome, probability), sorted by outcome; every other outcome is scale() · unigram.
  const std::vector<std::pair<uint32_t, double>>& touched() const { return touched_; }
  double scale() const { return scale_; }

  // Mixes in `votes` (sorted by outcome, shares summing to 1) with weight lambda:
  // p = (1 - lambda) · p + lambda · vote.
  void mix(const std::vector<std::pair<uint32_t, double>>& votes, double lambda);
  // mix() into `out` (not this one), without copying this one first.
  void mixed(const std::vector<std::pair<uint32_t, double>>& votes, double lambda,
             SmoothedDistribution& out) const;
  // One Kneser-Ney order: p = direct + gamma · p, direct given as outcomes (ascending, below the
  // model's vocabulary size) and their values.
  void interpolate(std::span<const uint32_t> outcomes, std::span<const double> values,
                   double gamma);
  void reset(const KneserNeyModel* model);

 private:
  double untouched(uint32_t outcome) const { return scale_ * unigram_[outcome]; }
  // Outcomes above p, where untouched ones are compared by unigram > unigramThreshold.
  uint64_t countAbove(double p, double unigramThreshold) const;
  // touched_ with `votes` mixed in, into `merged` (not touched_).
  void mergeVotes(const std::vector<std::pair<uint32_t, double>>& votes, double lambda,
                  std::vector<std::pair<uint32_t, double>>& merged) const;

  const KneserNeyModel* model_;
  const double* unigram_;  // the model's unigram(), looked up once: read for every outcome
  double scale_ = 1.0;
  std::vector<std::pair<uint32_t, double>> touched_;
  std::vector<std::pair<uint32_t, double>> merged_;  // scratch, kept to avoid reallocations
};

}  // namespace memlens
