#include "distributed/answered_classifier.h"

namespace memlens {
namespace {

std::string keyOf(std::span<const uint32_t> features) {
  return {reinterpret_cast<const char*>(features.data()), features.size_bytes()};
}

}  // namespace

AnsweredClassifier::AnsweredClassifier(const ShardedClassifier& sharded,
                                       std::vector<Prediction> answers,
                                       std::unordered_map<std::string, uint32_t> index)
    : options_(sharded.options()),
      weights_(sharded.statistics().weights()),
      empty_(sharded.width()),
      answers_(std::move(answers)),
      index_(std::move(index)) {}

Result<std::unique_ptr<Classifier>> AnsweredClassifier::answer(
    ShardedClassifier& sharded, std::span<const InstanceSet* const> queries, JobControl* job) {
  // Rank 0: each distinct query once, in order of first appearance.
  InstanceSet distinct;
  distinct.width = sharded.width();
  std::unordered_map<std::string, uint32_t> index;
  for (const InstanceSet* set : queries) {
    for (size_t i = 0; i < set->size(); ++i) {
      const auto features = set->instance(i);
      if (!index.try_emplace(keyOf(features), static_cast<uint32_t>(distinct.size())).second)
        continue;
      distinct.features.insert(distinct.features.end(), features.begin(), features.end());
      distinct.classes.push_back(0);
    }
  }
  PredictOptions options;
  options.distributions = true;
  auto answers = sharded.predict(distinct, options, job);
  if (!answers) return answers.status();
  if (index.empty()) return std::unique_ptr<Classifier>();
  return std::unique_ptr<Classifier>(
      new AnsweredClassifier(sharded, std::move(answers).value(), std::move(index)));
}

Status AnsweredClassifier::train(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("the answers of a sharded memory cannot be trained");
}

Status AnsweredClassifier::add(const InstanceSet&, JobControl*) {
  return Status::invalidArgument("the answers of a sharded memory cannot be trained");
}

Result<std::vector<Prediction>> AnsweredClassifier::predict(const InstanceSet& queries,
                                                            const PredictOptions& options,
                                                            JobControl*) const {
  std::vector<Prediction> out;
  out.reserve(queries.size());
  for (size_t i = 0; i < queries.size(); ++i)
    out.push_back(predictOne(queries.instance(i), options));
  return out;
}

Prediction AnsweredClassifier::predictOne(std::span<const uint32_t> features,
                                          const PredictOptions& options) const {
  const auto it = index_.find(keyOf(features));
  if (it == index_.end()) return {};
  Prediction p = answers_[it->second];
  if (!options.distributions) p.distribution.clear();
  return p;
}

}  // namespace memlens
