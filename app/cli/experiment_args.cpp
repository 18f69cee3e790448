#include "experiment_args.h"

namespace memlens::cli {

Result<ExperimentOptions> experimentOptionsFrom(const ArgParser& args) {
  ExperimentOptions o;
  auto width = args.intValue("--width", 4, 1, 32);
  if (!width) return width.status();
  o.window.width = *width;
  const std::string blocks = args.value("--blocks", "line");
  if (blocks != "line" && blocks != "olifant") {
    return Status::invalidArgument("--blocks must be line or olifant, got '" + blocks + "'");
  }
  o.window.blocks = blocks == "line" ? BlockMode::kLine : BlockMode::kOlifant;

  const std::string model = args.value("--model", "igtree");
  if (model == "ib1") {
    o.classifier.algorithm = Algorithm::kIb1;
  } else if (model == "igtree") {
    o.classifier.algorithm = Algorithm::kIgTree;
  } else if (model == "tribl2") {
    o.classifier.algorithm = Algorithm::kTribl2;
  } else if (model == "vector") {
    o.classifier.algorithm = Algorithm::kVectorMemory;
  } else {
    return Status::invalidArgument("--model must be ib1, igtree, tribl2 or vector, got '" + model +
                                   "'");
  }
  auto dims = args.intValue("--dims", o.classifier.wordVectors.dimensions, 0, 1024);
  if (!dims) return dims.status();
  o.classifier.wordVectors.dimensions = *dims;
  auto slots = args.intValue("--top-k-slots", o.classifier.vectorMemory.topK, 1, 1 << 20);
  if (!slots) return slots.status();
  o.classifier.vectorMemory.topK = *slots;
  if (args.has("--temperature")) {
    auto t = args.doubleValue("--temperature", 1.0, 1e-9, 1e9);
    if (!t) return t.status();
    o.memoryTemperature = *t;
  }
  if (args.has("--lambda")) {
    auto l = args.doubleValue("--lambda", 0.5, 0.0, 0.999);
    if (!l) return l.status();
    o.memoryLambda = *l;
  }
  auto k = args.intValue("-k", 1, 1, 1000);
  if (!k) return k.status();
  o.classifier.k = *k;
  const std::string weighting = args.value("--weighting", "gr");
  const std::pair<const char*, FeatureWeighting> weightings[] = {
      {"none", FeatureWeighting::kNone},
      {"gr", FeatureWeighting::kGainRatio},
      {"ig", FeatureWeighting::kInfoGain},
      {"x2", FeatureWeighting::kChiSquare},
      {"sv", FeatureWeighting::kSharedVariance}};
  bool found = false;
  for (const auto& [name, w] : weightings) {
    if (weighting == name) {
      o.classifier.weighting = w;
      found = true;
    }
  }
  if (!found) return Status::invalidArgument("--weighting must be none, gr, ig, x2 or sv");
  const std::string dw = args.value("--distance-weighting", "Z");
  const std::pair<const char*, DistanceWeighting> dws[] = {
      {"Z", DistanceWeighting::kZero},
      {"IL", DistanceWeighting::kInverseLinear},
      {"ID", DistanceWeighting::kInverseDistance},
      {"ED", DistanceWeighting::kExponentialDecay}};
  found = false;
  for (const auto& [name, d] : dws) {
    if (dw == name) {
      o.classifier.distanceWeighting = d;
      found = true;
    }
  }
  if (!found) return Status::invalidArgument("--distance-weighting must be Z, IL, ID or ED");

  auto order = args.intValue("--order", 3, 1, 6);
  if (!order) return order.status();
  o.ngramOrder = *order;
  auto train = args.doubleValue("--train", 0.8, 0.0, 1.0);
  if (!train) return train.status();
  auto validation = args.doubleValue("--validation", 0.1, 0.0, 1.0);
  if (!validation) return validation.status();
  auto seed = args.intValue("--seed", 1, 0, 1 << 30);
  if (!seed) return seed.status();
  auto maxTest = args.intValue("--max-test", 0, 0, 1 << 30);
  if (!maxTest) return maxTest.status();
  o.split.trainFraction = *train;
  o.split.validationFraction = *validation;
  o.split.seed = static_cast<uint64_t>(*seed);
  o.maxTestTokens = static_cast<uint64_t>(*maxTest);
  return o;
}

}  // namespace memlens::cli
