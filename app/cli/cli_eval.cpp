#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "memlens/experiment.h"
#include "memlens/json_writer.h"

namespace memlens::cli {

namespace {

void printMetricsRow(const char* label, const Metrics& m) {
  std::printf("%-12s %8llu %9.4f %9.4f %9.4f %10.3f %11.2f\n", label,
              static_cast<unsigned long long>(m.tokens), m.accuracy(), m.top5(),
              m.meanReciprocalRank(), m.crossEntropyBits(), m.perplexity());
}

void printText(const RunRecord& r, const std::vector<LearningCurvePoint>& curve) {
  std::printf("model %s, k=%d, weighting %s, width %d; %llu train instances in %u stored vectors\n",
              algorithmName(r.options.classifier.algorithm), r.options.classifier.k,
              weightingName(r.options.classifier.weighting), r.options.window.width,
              static_cast<unsigned long long>(r.trainInstances), r.storedVectors);
  std::printf("smoothing: %s (tuned on %llu validation tokens)\n", r.smoothing.c_str(),
              static_cast<unsigned long long>(r.validationInstances));
  std::printf("train %.2f s, evaluate %.2f s\n\n", r.trainSeconds, r.evaluateSeconds);
  std::printf("%-12s %8s %9s %9s %9s %10s %11s\n", "test", "tokens", "accuracy", "top-5", "MRR",
              "bits/tok", "perplexity");
  printMetricsRow("all", r.test);
  for (const FrequencyBand& b : r.bands) {
    if (b.metrics.tokens) printMetricsRow(("freq " + b.label).c_str(), b.metrics);
  }
  if (!curve.empty()) {
    std::printf("\nlearning curve (same test set)\n%-12s %8s %9s %11s\n", "train", "vectors",
                "accuracy", "perplexity");
    for (const LearningCurvePoint& p : curve) {
      std::printf("%-12llu %8u %9.4f %11.2f\n", static_cast<unsigned long long>(p.trainInstances),
                  p.storedVectors, p.metrics.accuracy(), p.metrics.perplexity());
    }
  }
}

std::string curveJson(const std::vector<LearningCurvePoint>& curve) {
  JsonWriter json;
  json.beginArray();
  for (const LearningCurvePoint& p : curve) {
    json.beginObject()
        .field("trainInstances", p.trainInstances)
        .field("storedVectors", p.storedVectors)
        .field("beta", p.smoothingBeta)
        .field("accuracy", p.metrics.accuracy())
        .field("perplexity", p.metrics.perplexity())
        .endObject();
  }
  return json.endArray().str();
}

}  // namespace

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
  } else {
    return Status::invalidArgument("--model must be ib1, igtree or tribl2, got '" + model + "'");
  }
  auto k = args.intValue("-k", 1, 1, 1000);
  if (!k) return k.status();
  o.classifier.k = *k;
  const std::string weighting = args.value("--weighting", "gr");
  const std::pair<const char*, FeatureWeighting> weightings[] = {
      {"none", FeatureWeighting::kNone},        {"gr", FeatureWeighting::kGainRatio},
      {"ig", FeatureWeighting::kInfoGain},      {"x2", FeatureWeighting::kChiSquare},
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

int runEval(const std::vector<std::string>& args) {
  auto values = kTokeniserValueOptions;
  values.insert({"--width", "--blocks", "--model", "-k", "--weighting", "--distance-weighting",
                 "--order", "--train", "--validation", "--seed", "--max-test"});
  auto flags = kTokeniserFlags;
  flags.insert({"--json", "--curve"});
  ArgParser parser(values, flags);
  if (Status s = parser.parse(args); !s) return reportError(s);
  if (parser.positional().empty()) {
    return reportError(Status::invalidArgument("eval: give at least one corpus file or folder"));
  }
  auto options = experimentOptionsFrom(parser);
  if (!options) return reportError(options.status());
  auto tokeniser = tokeniserOptionsFrom(parser);
  if (!tokeniser) return reportError(tokeniser.status());

  auto job = makeTerminalProgress();
  auto corpus = TokenisedCorpus::load(parser.positional(), *tokeniser, {}, job.get());
  if (!corpus) return reportError(corpus.status());
  auto experiment = Experiment::run(std::move(*corpus), *options, job.get());
  if (!experiment) return reportError(experiment.status());
  std::vector<LearningCurvePoint> curve;
  if (parser.has("--curve")) {
    auto points = learningCurve(**experiment, job.get());
    if (!points) return reportError(points.status());
    curve = std::move(*points);
  }
  const RunRecord& record = (*experiment)->record();
  if (parser.has("--json")) {
    std::string json = record.toJson();
    if (!curve.empty()) json.insert(json.size() - 1, ",\"learningCurve\":" + curveJson(curve));
    std::printf("%s\n", json.c_str());
  } else {
    printText(record, curve);
  }
  return 0;
}

}  // namespace memlens::cli
