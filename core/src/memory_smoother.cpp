#include "memlens/memory_smoother.h"

#include <cstdio>

namespace memlens {

namespace {

double totalWeight(const Prediction& p) {
  double total = 0.0;
  for (const ClassVote& v : p.distribution) total += v.weight;
  return total;
}

}  // namespace

double MemorySmoother::memoryWeight(const Prediction& prediction) const {
  const double total = totalWeight(prediction);
  if (total <= 0.0) return 0.0;
  size_t voted = 0;
  for (const ClassVote& v : prediction.distribution) voted += v.weight > 0.0;
  return total / (total + beta_ * static_cast<double>(voted));
}

double MemorySmoother::probability(const Prediction& prediction,
                                   std::span<const uint32_t> context, uint32_t token) const {
  const double lambda = memoryWeight(prediction);
  double vote = 0.0;
  if (lambda > 0.0) {
    for (const ClassVote& v : prediction.distribution) {
      if (v.classId == token) vote = v.weight;
    }
    vote /= totalWeight(prediction);
  }
  return lambda * vote + (1.0 - lambda) * base_.probability(context, token);
}

void MemorySmoother::distribution(const Prediction& prediction, std::span<const uint32_t> context,
                                  std::vector<double>& out) const {
  base_.distribution(context, out);
  const double lambda = memoryWeight(prediction);
  if (lambda <= 0.0) return;
  for (double& p : out) p *= 1.0 - lambda;
  const double total = totalWeight(prediction);
  const uint32_t unknown = base_.vocabSize();
  for (const ClassVote& v : prediction.distribution) {
    out[v.classId < unknown ? v.classId : unknown] += lambda * v.weight / total;
  }
}

std::string MemorySmoother::describe() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "memory vote interpolated with an interpolated Kneser-Ney %d-gram, "
                "lambda = T/(T + %.3g * classes voted)",
                base_.order(), beta_);
  return buf;
}

}  // namespace memlens
