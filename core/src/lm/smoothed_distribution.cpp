#include "memlens/smoothed_distribution.h"

#include <algorithm>
#include <cmath>

#include "memlens/kneser_ney_model.h"

namespace memlens {

namespace {

// Merges two outcome-sorted lists, combining values with the three cases' functions.
template <typename B, typename Both, typename LeftOnly, typename RightOnly>
void mergeSorted(const std::vector<std::pair<uint32_t, double>>& left, const B& right,
                 std::vector<std::pair<uint32_t, double>>& out, Both both, LeftOnly leftOnly,
                 RightOnly rightOnly) {
  out.clear();
  size_t i = 0, j = 0;
  while (i < left.size() || j < right.size()) {
    if (j == right.size() || (i < left.size() && left[i].first < right[j].first)) {
      out.emplace_back(left[i].first, leftOnly(left[i]));
      ++i;
    } else if (i == left.size() || right[j].first < left[i].first) {
      out.emplace_back(right[j].first, rightOnly(right[j]));
      ++j;
    } else {
      out.emplace_back(left[i].first, both(left[i], right[j]));
      ++i;
      ++j;
    }
  }
}

}  // namespace

SmoothedDistribution::SmoothedDistribution(const KneserNeyModel* model)
    : model_(model), unigram_(model ? model->unigram().data() : nullptr) {}

void SmoothedDistribution::reset(const KneserNeyModel* model) {
  model_ = model;
  unigram_ = model ? model->unigram().data() : nullptr;
  scale_ = 1.0;
  touched_.clear();
}

double SmoothedDistribution::probability(uint32_t outcome) const {
  auto it = std::lower_bound(touched_.begin(), touched_.end(), outcome,
                             [](const auto& e, uint32_t o) { return e.first < o; });
  return it != touched_.end() && it->first == outcome ? it->second : untouched(outcome);
}

uint64_t SmoothedDistribution::countAbove(double p) const {
  return countAbove(p, scale_ > 0.0 ? p / scale_ : 0.0);
}

uint64_t SmoothedDistribution::countAboveOutcome(uint32_t outcome) const {
  auto it = std::lower_bound(touched_.begin(), touched_.end(), outcome,
                             [](const auto& e, uint32_t o) { return e.first < o; });
  if (it != touched_.end() && it->first == outcome) return countAbove(it->second);
  return countAbove(untouched(outcome), unigram_[outcome]);
}

uint64_t SmoothedDistribution::countAbove(double p, double threshold) const {
  uint64_t above = 0;
  for (const auto& [outcome, value] : touched_) above += value > p;
  if (scale_ <= 0.0) return above;
  // Untouched outcomes above p: all outcomes whose unigram exceeds p / scale, minus the touched.
  const std::vector<double>& sorted = model_->sortedUnigram();
  uint64_t untouchedAbove = static_cast<uint64_t>(
      sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), threshold));
  for (const auto& [outcome, value] : touched_) {
    untouchedAbove -= unigram_[outcome] > threshold;
  }
  return above + untouchedAbove;
}

double SmoothedDistribution::entropyBits() const {
  // Σ over untouched of s·u·log2(s·u) = s·log2(s)·Σu + s·Σ u·log2(u), from whole-vocabulary sums.
  double massU = model_->unigramMass(), plogpU = model_->unigramPlogp();
  const double* plogps = model_->unigramPlogps().data();
  double h = 0.0;
  for (const auto& [outcome, value] : touched_) {
    massU -= unigram_[outcome];
    plogpU -= plogps[outcome];
    if (value > 0.0) h -= value * std::log2(value);
  }
  if (scale_ > 0.0) h -= scale_ * std::log2(scale_) * massU + scale_ * plogpU;
  return h;
}

void SmoothedDistribution::toDense(std::vector<double>& out) const {
  const std::vector<double>& u = model_->unigram();
  out.resize(u.size());
  for (size_t w = 0; w < u.size(); ++w) out[w] = scale_ * u[w];
  for (const auto& [outcome, value] : touched_) out[outcome] = value;
}

void SmoothedDistribution::mergeVotes(const std::vector<std::pair<uint32_t, double>>& votes,
                                      double lambda,
                                      std::vector<std::pair<uint32_t, double>>& merged) const {
  const double keep = 1.0 - lambda;
  mergeSorted(
      touched_, votes, merged,
      [&](const auto& t, const auto& v) { return keep * t.second + lambda * v.second; },
      [&](const auto& t) { return keep * t.second; },
      [&](const auto& v) { return keep * untouched(v.first) + lambda * v.second; });
}

void SmoothedDistribution::mix(const std::vector<std::pair<uint32_t, double>>& votes,
                               double lambda) {
  mergeVotes(votes, lambda, merged_);
  touched_.swap(merged_);
  scale_ *= 1.0 - lambda;
}

void SmoothedDistribution::mixed(const std::vector<std::pair<uint32_t, double>>& votes,
                                 double lambda, SmoothedDistribution& out) const {
  mergeVotes(votes, lambda, out.touched_);
  out.model_ = model_;
  out.unigram_ = unigram_;
  out.scale_ = scale_ * (1.0 - lambda);
}

void SmoothedDistribution::interpolate(std::span<const uint32_t> outcomes,
                                       std::span<const double> values, double gamma) {
  // The two arrays read as one list of (outcome, value) pairs.
  struct Direct {
    std::span<const uint32_t> outcomes;
    std::span<const double> values;
    size_t size() const { return outcomes.size(); }
    std::pair<uint32_t, double> operator[](size_t i) const { return {outcomes[i], values[i]}; }
  };
  mergeSorted(
      touched_, Direct{outcomes, values}, merged_,
      [&](const auto& t, const auto& d) { return gamma * t.second + d.second; },
      [&](const auto& t) { return gamma * t.second; },
      [&](const auto& d) { return gamma * untouched(d.first) + d.second; });
  touched_.swap(merged_);
  scale_ *= gamma;
}

}  // namespace memlens
