#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "memlens/classifier.h"

namespace memlens {

// An edited memory's classes, in the order a memory trained on its live instances gives them
// (first appearance), with their training totals: what ties are broken by.
struct ClassOrder {
  std::vector<uint32_t> ids;        // by class index
  std::vector<uint64_t> totals;     // by class index
  std::vector<uint32_t> indexOfId;  // by class id (InstanceBase::kNone: no live instance)

  // The class index of `id`, kNone when no live instance has it.
  uint32_t indexOf(uint32_t id) const {
    return id < indexOfId.size() ? indexOfId[id] : 0xFFFFFFFFu;
  }
};

// The classes whose training totals a vote's tie was broken by (BucketVote: most frequent, then
// first seen): the top classes of its distribution when several; kNoClass when the vote fell
// below DBL_EPSILON and the nearest bucket's plain counts were compared instead.
std::vector<uint32_t> tiedClasses(const Prediction& p);

// A memory edited without retraining: a classifier trained on the unedited (or last compacted)
// instances, `base`, plus what the edits changed, answering as one trained on the edited
// instances under `options` (fixed weights). What the engines share: the class order, the
// refusal to train, neighbour lists and traces from a memory trained on `instances` when first
// asked for (not per edit), and what a preview needs to re-predict only the probe tokens an edit
// can change (answer()'s Bound).
// Thread-safety as Classifier; train() and add() are refused (the edited memory is a view).
class IncrementalClassifier : public Classifier {
 public:
  // What bounds the edits that can change an answer: an edited stored vector that agrees with
  // the query on every feature of `required` (a bit mask over feature positions) within `reach`
  // (weighted overlap distance; negative: none), one that agrees with it on every feature of
  // `deeper` (0: none; TRIBL2's walk would go deeper), or a tie broken by one of `tiedOn`'s
  // classes (tiedClasses()) whose total or order moves.
  struct Bound {
    double reach = -1.0;
    uint32_t required = 0, deeper = 0;
    std::vector<uint32_t> tiedOn;
  };

  // `weights`: the edited memory's feature weights when recomputed from its counts (empty: the
  // base's, which fixed weights keep).
  IncrementalClassifier(const ClassifierOptions& options, std::shared_ptr<const Classifier> base,
                        ClassOrder classes, std::function<const InstanceSet&()> instances,
                        std::vector<double> weights = {});

  Status train(const InstanceSet& instances, JobControl* job) override;
  Status add(const InstanceSet& instances, JobControl* job) override;
  Result<std::vector<Prediction>> predict(const InstanceSet& queries, const PredictOptions& options,
                                          JobControl* job) const override;
  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options) const override;
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override;
  const std::vector<double>& weights() const override { return weights_; }

  // One query of width() values (neighbour lists aside), with its bound.
  virtual void answer(const uint32_t* query, const PredictOptions& options, Prediction& out,
                      Bound& bound) const = 0;
  // The weighted overlap distance of two vectors, summed as the base's search sums it.
  double distance(const uint32_t* a, const uint32_t* b) const;
  const ClassOrder& classes() const { return classes_; }
  const std::shared_ptr<const Classifier>& base() const { return base_; }

 protected:
  // A classifier trained on the edited instances: for what the engine does not answer itself.
  const Classifier& full() const;
  int width() const { return width_; }

  ClassifierOptions options_;
  std::shared_ptr<const Classifier> base_;
  ClassOrder classes_;

 private:
  std::vector<double> weights_;
  std::vector<int> byWeight_;
  int width_;
  std::function<const InstanceSet&()> instances_;
  mutable std::once_flag fullOnce_, memoryOnce_;
  mutable std::unique_ptr<Classifier> full_;
  mutable InstanceBase memoryBuilt_;
};

}  // namespace memlens
