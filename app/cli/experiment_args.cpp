#include "experiment_args.h"

#include <CLI/CLI.hpp>

#include "corpus_args.h"
#include "enum_option.h"
#include "memlens/instance_set.h"
#include "number_range.h"

namespace memlens::cli {
namespace {

constexpr int kMaxWhole = 1 << 30;  // the bound of seeds and token counts

}  // namespace

void addWindowOptions(CLI::App& command, WindowOptions& window) {
  command.add_option("--width", window.width, "context tokens before each target")
      ->check(CLI::Range(1, InstanceSet::kMaxWidth))
      ->group(kCorpusOptions);
  addEnumOption(command, "--blocks", window.blocks,
                "line: each line a block; olifant: an empty line starts a block")
      ->group(kCorpusOptions);
}

void addExperimentOptions(CLI::App& command, ExperimentOptions& options) {
  // The command line's model is IGTree, quick on any corpus (the library's default is IB1).
  options.classifier.algorithm = Algorithm::kIgTree;
  addWindowOptions(command, options.window);
  ClassifierOptions& c = options.classifier;
  addEnumOption(command, "--model", c.algorithm,
                "the memory: TiMBL's IB1, IGTree or TRIBL2, or the vector memory")
      ->group(kEvalOptions);
  command.add_option("-k", c.k, "nearest distances voting (IB1, TRIBL2)")
      ->check(CLI::Range(1, 1000))
      ->group(kEvalOptions);
  addEnumOption(command, "--weighting", c.weighting,
                "feature weights: none, gain ratio, info gain, chi-square, shared variance")
      ->group(kEvalOptions);
  addEnumOption(command, "--distance-weighting", c.distanceWeighting,
                "votes by distance: equal, inverse linear, inverse distance, exp. decay")
      ->group(kEvalOptions);
  command.add_option("--order", options.ngramOrder, "order of the Kneser-Ney base model")
      ->check(CLI::Range(1, 6))
      ->group(kEvalOptions);
  command.add_option("--train", options.split.trainFraction, "share of the lines trained on")
      ->check(numberRange(0.0, 1.0))
      ->group(kEvalOptions);
  command
      .add_option("--validation", options.split.validationFraction,
                  "share of the lines smoothing is tuned on (the rest is test)")
      ->check(numberRange(0.0, 1.0))
      ->group(kEvalOptions);
  command.add_option("--seed", options.split.seed, "seed of the split")
      ->check(CLI::Range(0, kMaxWhole))
      ->group(kEvalOptions);
  command.add_option("--max-test", options.maxTestTokens, "test on the first N tokens (0: all)")
      ->check(CLI::Range(0, kMaxWhole))
      ->group(kEvalOptions);
  command
      .add_option("--dims", c.wordVectors.dimensions,
                  "vector memory: word vector dimensions (0: one-hot words)")
      ->check(CLI::Range(0, 1024))
      ->group(kEvalOptions);
  command.add_option("--top-k-slots", c.vectorMemory.topK, "vector memory: nearest slots read")
      ->check(CLI::Range(1, 1 << 20))
      ->group(kEvalOptions);
  command
      .add_option_function<double>(
          "--temperature", [&options](double t) { options.memoryTemperature = t; },
          "vector memory: attention temperature T (default: tuned)")
      ->check(numberRange(1e-9, 1e9))
      ->group(kEvalOptions);
  command
      .add_option_function<double>(
          "--lambda", [&options](double l) { options.memoryLambda = l; },
          "vector memory: fixed memory weight λ (default: tuned)")
      ->check(numberRange(0.0, 0.999))
      ->group(kEvalOptions);
}

}  // namespace memlens::cli
