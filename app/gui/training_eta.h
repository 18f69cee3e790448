#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace memlens::gui {

// Estimates how far a training job has got and how long it has left. The job is a sequence of
// steps: the run itself (train, tune, evaluate), then one step per learning-curve point. Their
// relative costs are guessed up front (evaluating the fixed test set costs the same at every
// point; training grows with the prefix); once the first step is done, its duration puts seconds
// on those weights, and every later step corrects them.
// Until then there is no time estimate and progress within the step follows the core's stage
// fraction, unless the step says when it expects to end (a progressive evaluation estimates its
// own time left within seconds): that projection scales the plan until the step is done. Plain
// arithmetic on the times it is given: GUI-thread only, no clock of its own.
class TrainingEta {
 public:
  // Plans a run on `trainInstances` training instances, started at `now` (seconds).
  void start(uint64_t trainInstances, double now);
  // Moves to step `step` (0 = the run, 1.. = curve points) at `now`.
  void beginStep(int step, double now);
  // The current step is expected to end at `at` (seconds); replaces any earlier projection.
  void projectStepEnd(double at) { projectedStepEnd_ = at; }
  // Overall fraction done, in [0, 1]; `stageFraction` is the core's report for the current stage.
  double fraction(double now, double stageFraction) const;
  // Seconds left; none before the first step has finished.
  std::optional<double> secondsLeft(double now) const;
  int step() const { return step_; }
  int stepCount() const { return static_cast<int>(weights_.size()); }

 private:
  double doneWeight() const;
  double totalWeight() const;
  // Seconds per unit of weight, measured on the steps done so far.
  std::optional<double> secondsPerWeight() const;

  std::vector<double> weights_;
  int step_ = 0;
  double startedAt_ = 0.0;
  double stepStartedAt_ = 0.0;
  std::optional<double> projectedStepEnd_;
};

}  // namespace memlens::gui
