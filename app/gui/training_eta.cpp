#include "training_eta.h"

#include "memlens/experiment.h"

#include <algorithm>
#include <numeric>

namespace memlens::gui {

namespace {

// A curve step retrains on a prefix and evaluates the whole test set again: a fixed part plus a
// part that grows with the prefix. The run itself is the full-size case plus tuning, weight 1.
constexpr double kFixedShare = 0.3;
// Within a step only time can say how far it has got; stop short of its end so an overrun shows
// as a pause, not as a finished bar.
constexpr double kMaxInStep = 0.95;

}  // namespace

void TrainingEta::start(uint64_t trainInstances, double now) {
  weights_ = {1.0};
  const double total = static_cast<double>(std::max<uint64_t>(trainInstances, 1));
  for (uint64_t prefix : learningCurvePrefixes(trainInstances)) {
    weights_.push_back(kFixedShare + (1.0 - kFixedShare) * static_cast<double>(prefix) / total);
  }
  step_ = 0;
  startedAt_ = now;
  stepStartedAt_ = now;
  projectedStepEnd_.reset();
}

void TrainingEta::beginStep(int step, double now) {
  step_ = std::clamp(step, 0, stepCount() - 1);
  stepStartedAt_ = now;
  projectedStepEnd_.reset();
}

double TrainingEta::doneWeight() const {
  return std::accumulate(weights_.begin(), weights_.begin() + step_, 0.0);
}

double TrainingEta::totalWeight() const {
  return std::accumulate(weights_.begin(), weights_.end(), 0.0);
}

std::optional<double> TrainingEta::secondsPerWeight() const {
  if (projectedStepEnd_) {
    const double weight = weights_.empty() ? 0.0 : doneWeight() + weights_[size_t(step_)];
    if (weight > 0.0) return (*projectedStepEnd_ - startedAt_) / weight;
  }
  if (step_ == 0) return std::nullopt;
  return (stepStartedAt_ - startedAt_) / doneWeight();
}

double TrainingEta::fraction(double now, double stageFraction) const {
  if (weights_.empty()) return 0.0;
  const double weight = weights_[static_cast<size_t>(step_)];
  double inStep = std::clamp(stageFraction, 0.0, 1.0);
  if (const auto scale = secondsPerWeight(); scale && *scale > 0.0) {
    inStep = std::min(kMaxInStep, (now - stepStartedAt_) / (*scale * weight));
  }
  return std::clamp((doneWeight() + inStep * weight) / totalWeight(), 0.0, 1.0);
}

std::optional<double> TrainingEta::secondsLeft(double now) const {
  const auto scale = secondsPerWeight();
  if (!scale) return std::nullopt;
  const double left = *scale * (totalWeight() - doneWeight()) - (now - stepStartedAt_);
  return std::max(left, 0.0);
}

}  // namespace memlens::gui
