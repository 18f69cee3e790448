#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/experiment.h"
#include "memlens/json_writer.h"
#include "memlens/option_names.h"
#include "memory_file_args.h"

namespace memlens::cli {

namespace {

void printMetricsRow(const char* label, const Metrics& m) {
  std::printf("%-12s %8llu %9.4f %9.4f %9.4f %10.3f %11.2f\n", label,
              static_cast<unsigned long long>(m.tokens), m.accuracy(), m.top5(),
              m.meanReciprocalRank(), m.crossEntropyBits(), m.perplexity());
}

void printText(const RunRecord& r, const std::vector<LearningCurvePoint>& curve) {
  std::printf(
      "model %s, k=%d, weighting %s, width %d; %llu train instances in %u stored vectors\n",
      std::string(optionLabel(r.options.classifier.algorithm)).c_str(), r.options.classifier.k,
      std::string(optionLabel(r.options.classifier.weighting)).c_str(), r.options.window.width,
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

struct EvalArgs {
  CorpusArgs corpus;
  ExperimentOptions options;
  MemoryFileArgs files;
  bool curve = false;
  bool json = false;
};

int runEval(const CLI::App& command, const EvalArgs& args) {
  auto job = makeTerminalProgress();
  auto experiment = args.files.experiment(command, args.corpus, args.options, job.get());
  if (!experiment) return reportError(experiment.status());
  if (!*experiment) return 0;  // this rank served a sharded run: rank 0 reports
  // A memory file's experiment is trained but not evaluated: evaluate it as the run did.
  RunRecord record = (*experiment)->record();
  if ((*experiment)->test().size() == 0)
    return reportError(Status::invalidArgument(
        args.files.memory +
        " holds no test set (a TiMBL instance base is a memory only): give eval one with "
        "--test TEXT or --test-instances FILE"));
  if (!args.files.memory.empty()) {
    auto evaluated = Experiment::evaluated(*experiment, {}, {}, job.get());
    if (!evaluated) return reportError(evaluated.status());
    if (!(*evaluated)->report().complete) return reportError(Status::cancelled());
    record = (*evaluated)->record();
  }
  std::vector<LearningCurvePoint> curve;
  if (args.curve) {
    auto points = learningCurve(**experiment, job.get());
    if (!points) return reportError(points.status());
    curve = std::move(*points);
  }
  if (args.json) {
    std::string json = record.toJson();
    if (!curve.empty()) json.insert(json.size() - 1, ",\"learningCurve\":" + curveJson(curve));
    std::printf("%s\n", json.c_str());
  } else {
    printText(record, curve);
  }
  return 0;
}

}  // namespace

void addEvalCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* command =
      app.add_subcommand("eval", "Train, tune and test on a split of the corpus; print the scores");
  command->footer(
      "Splits the corpus by lines, trains on train, tunes smoothing on validation, and reports\n"
      "accuracy, top-5, MRR, cross-entropy and perplexity on test (and a learning curve), next\n"
      "to the Kneser-Ney base alone. vector: an attention read with word vectors of --dims\n"
      "dimensions (0: one-hot); T and the fixed lambda are tuned on validation unless given.");
  auto args = std::make_shared<EvalArgs>();
  args->corpus.addTo(*command, false);
  addExperimentOptions(*command, args->options);
  args->files.addMemoryOption(*command);
  args->files.addTestOptions(*command);
  args->files.addSaveOption(*command);
  command->add_flag("--curve", args->curve, "also a learning curve at 10^3, 10^4, ... instances");
  command->add_flag("--json", args->json, "print the full run record as JSON");
  runs[command] = [command, args] { return runEval(*command, *args); };
}

}  // namespace memlens::cli
