#include <cstdio>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
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
  const ClassifierOptions& c = r.options.classifier;
  const bool vector = c.algorithm == Algorithm::kVectorMemory;
  if (vector) {
    const std::string keys = c.wordVectors.dimensions
                                 ? std::to_string(c.wordVectors.dimensions) + "-d PPMI-SVD"
                                 : "one-hot";
    std::printf("vector memory: %s keys, top-k %d slots, T = %g (%s)\n", keys.c_str(),
                c.vectorMemory.topK, r.memoryTemperature,
                r.options.memoryTemperature ? "given" : "tuned");
  }
  const std::string tuned =
      vector && r.options.memoryLambda
          ? "given"
          : "tuned on " + std::to_string(vector ? r.tuningTokens : r.validationInstances) +
                " validation tokens";
  std::printf("smoothing: %s (%s)\n", r.smoothing.c_str(), tuned.c_str());
  std::printf("train %.2f s, evaluate %.2f s\n\n", r.trainSeconds, r.evaluateSeconds);
  std::printf("%-12s %8s %9s %9s %9s %10s %11s\n", "test", "tokens", "accuracy", "top-5", "MRR",
              "bits/tok", "perplexity");
  printMetricsRow("base alone", r.baseTest);
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

int runEval(const std::vector<std::string>& args) {
  auto values = kTokeniserValueOptions;
  values.insert(kExperimentValueOptions.begin(), kExperimentValueOptions.end());
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
