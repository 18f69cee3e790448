#pragma once

#include "memlens/attention_read.h"
#include "memlens/classifier.h"

namespace memlens {

// A classifier whose predictions are attention reads at a temperature tuned after training: the
// vector memory in one process, or the answers a sharded one gathered on rank 0. Tuning asks the
// read for its slots once per token and weighs them at every temperature of its grid.
class AttentionClassifier : public Classifier {
 public:
  // Null before training.
  virtual const AttentionRead* attentionRead() const = 0;
  // The softmax temperature T of later reads; counts as a change like add().
  virtual void setTemperature(double temperature) = 0;
};

}  // namespace memlens
