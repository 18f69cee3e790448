#include "memlens/memory_smoother.h"

#include <algorithm>
#include <cstdio>

namespace memlens {

namespace {

double totalWeight(const Prediction& p) {
  double total = 0.0;
  for (const ClassVote& v : p.distribution) total += v.weight;
  return total;
}

// The vote as shares of its total by outcome, sorted, one entry per outcome (unknown ids all
// fall on `unknown`).
std::vector<std::pair<uint32_t, double>> voteShares(const Prediction& prediction,
                                                    uint32_t unknown) {
  const double total = totalWeight(prediction);
  std::vector<std::pair<uint32_t, double>> votes;
  votes.reserve(prediction.distribution.size());
  for (const ClassVote& v : prediction.distribution) {
    if (v.weight > 0.0) votes.emplace_back(std::min(v.classId, unknown), v.weight / total);
  }
  std::sort(votes.begin(), votes.end());
  size_t kept = 0;
  for (size_t i = 0; i < votes.size(); ++i) {
    if (kept > 0 && votes[kept - 1].first == votes[i].first) {
      votes[kept - 1].second += votes[i].second;
    } else {
      votes[kept++] = votes[i];
    }
  }
  votes.resize(kept);
  return votes;
}

}  // namespace

double MemorySmoother::memoryWeight(const Prediction& prediction) const {
  if (totalWeight(prediction) <= 0.0) return 0.0;
  if (fixedLambda_ >= 0.0) return fixedLambda_;
  size_t voted = 0;
  for (const ClassVote& v : prediction.distribution) voted += v.weight > 0.0;
  const auto n = static_cast<double>(prediction.instances);
  return n / (n + beta_ * static_cast<double>(voted));
}

double MemorySmoother::probability(const Prediction& prediction, std::span<const uint32_t> context,
                                   uint32_t token) const {
  const double lambda = memoryWeight(prediction);
  double vote = 0.0;
  if (lambda > 0.0) {
    for (const ClassVote& v : prediction.distribution) {
      if (v.classId == token) vote += v.weight;
    }
    vote /= totalWeight(prediction);
  }
  return lambda * vote + (1.0 - lambda) * base_.probability(context, token);
}

void MemorySmoother::smoothed(const Prediction& prediction, std::span<const uint32_t> context,
                              SmoothedDistribution& out) const {
  base_.smoothed(context, out);
  const double lambda = memoryWeight(prediction);
  if (lambda <= 0.0) return;
  out.mix(voteShares(prediction, base_.vocabSize()), lambda);
}

void MemorySmoother::smoothed(const Prediction& prediction, const SmoothedDistribution& base,
                              SmoothedDistribution& out) const {
  const double lambda = memoryWeight(prediction);
  if (lambda <= 0.0) {
    out = base;
    return;
  }
  base.mixed(voteShares(prediction, base_.vocabSize()), lambda, out);
}

void MemorySmoother::distribution(const Prediction& prediction, std::span<const uint32_t> context,
                                  std::vector<double>& out) const {
  SmoothedDistribution d;
  smoothed(prediction, context, d);
  d.toDense(out);
}

std::string MemorySmoother::describe() const {
  char buf[256];
  if (fixedLambda_ >= 0.0) {
    std::snprintf(buf, sizeof buf,
                  "vector memory's attention distribution interpolated with an interpolated "
                  "Kneser-Ney %d-gram, fixed lambda = %.3g",
                  base_.order(), fixedLambda_);
    return buf;
  }
  std::snprintf(buf, sizeof buf,
                "memory vote interpolated with an interpolated Kneser-Ney %d-gram, "
                "lambda = N/(N + %.3g * classes voted), N the instances behind the vote",
                base_.order(), beta_);
  return buf;
}

}  // namespace memlens
