#pragma once

#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "distributed/answers_only.h"
#include "distributed/sharded_classifier.h"
#include "memlens/classifier.h"
#include "memlens/instance_base.h"

namespace memlens {

// A sharded memory's answers to the queries of a few instance sets, as a Classifier on rank 0.
// Tuning and evaluation classify token by token on many threads (predictOne), which a
// collective cannot serve; so every distinct query is classified once beforehand, in batches,
// by the collective ShardedClassifier::predict, and predictOne() looks its answer up. The
// answers carry distributions, as tuning and evaluation ask; each distinct distribution is kept
// once (IGTree and TRIBL2 answer many queries from one node, whose distribution near the root
// holds thousands of classes).
// A query it was not given gets an empty Prediction. It holds no memory: memory() is empty,
// train() and add() fail.
// Immutable after answer(): const calls may run concurrently.
class AnsweredClassifier final : public AnswersOnly<Classifier> {
 public:
  // Collective: rank 0 passes its query sets (the other ranks' are not read). Rank 0 gets the
  // classifier that answers them (null when it has no query), the other ranks null.
  static Result<std::unique_ptr<Classifier>> answer(ShardedClassifier& sharded,
                                                    std::span<const InstanceSet* const> queries,
                                                    JobControl* job = nullptr);

  Prediction predictOne(std::span<const uint32_t> features,
                        const PredictOptions& options = {}) const override;
  const ClassifierOptions& options() const override { return options_; }
  const InstanceBase& memory() const override { return empty_; }
  const std::vector<double>& weights() const override { return weights_; }

 private:
  // A prediction without its distribution, and the index of that in distributions_.
  struct Answer {
    Prediction prediction;
    uint32_t distribution = 0;
  };

  explicit AnsweredClassifier(const ShardedClassifier& sharded);

  ClassifierOptions options_;
  std::vector<double> weights_;
  InstanceBase empty_;
  std::vector<Answer> answers_;
  std::vector<std::vector<ClassVote>> distributions_;
  std::unordered_map<std::string, uint32_t> index_;  // a query's bytes -> its answer
};

}  // namespace memlens
