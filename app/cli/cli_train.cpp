// memlens-cli train / predict: a memory trained on all of a corpus's text (no split), described,
// or asked for the next token after contexts.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/classifier.h"
#include "memlens/instance_builder.h"
#include "memlens/json_writer.h"
#include "memlens/trace.h"

namespace memlens::cli {
namespace {

struct TrainedMemory {
  std::shared_ptr<TokenisedCorpus> corpus;
  ExperimentOptions options;
  std::unique_ptr<Classifier> classifier;
  double seconds = 0.0;
};

// Parses the corpus and model options of `command`, loads PATH... and trains on every token.
Result<TrainedMemory> trainOnCorpus(const char* command, const std::vector<std::string>& args,
                                    const std::set<std::string>& extraValues,
                                    const std::set<std::string>& extraFlags, ArgParser& parser) {
  auto values = kTokeniserValueOptions;
  values.insert(kExperimentValueOptions.begin(), kExperimentValueOptions.end());
  values.insert(extraValues.begin(), extraValues.end());
  auto flags = kTokeniserFlags;
  flags.insert(extraFlags.begin(), extraFlags.end());
  parser = ArgParser(values, flags);
  if (Status s = parser.parse(args); !s) return s;
  if (parser.positional().empty())
    return Status::invalidArgument(std::string(command) +
                                   ": give at least one corpus file or folder");
  auto options = experimentOptionsFrom(parser);
  if (!options) return options.status();
  auto tokeniser = tokeniserOptionsFrom(parser);
  if (!tokeniser) return tokeniser.status();

  TrainedMemory m;
  m.options = *options;
  auto job = makeTerminalProgress();
  auto corpus = TokenisedCorpus::load(parser.positional(), *tokeniser, {}, job.get());
  if (!corpus) return corpus.status();
  m.corpus = std::move(*corpus);
  const auto t0 = std::chrono::steady_clock::now();
  auto instances =
      buildInstances(m.corpus->tokens, m.corpus->paddingId, m.options.window, job.get());
  if (!instances) return instances.status();
  if (instances->size() == 0) return Status::invalidArgument("the corpus yields no instances");
  auto classifier = createClassifier(m.options.classifier);
  if (!classifier) return classifier.status();
  if (Status s = (*classifier)->train(*instances, job.get()); !s) return s;
  m.classifier = std::move(*classifier);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return m;
}

// Context positions as TiMBL names its features: f1 is the farthest from the target.
void printSummary(const TrainedMemory& m) {
  const InstanceBase& base = m.classifier->memory();
  const ClassifierOptions& o = m.options.classifier;
  std::printf("model %s, k=%d, weighting %s, width %d\n", algorithmName(o.algorithm), o.k,
              weightingName(o.weighting), m.options.window.width);
  std::printf(
      "%llu instances from %zu documents in %u stored vectors, %u classes; %.2f s, %.1f MB\n",
      static_cast<unsigned long long>(base.instanceCount()), m.corpus->corpus->documentCount(),
      base.vectorCount(), base.classCount(), m.seconds,
      static_cast<double>(base.memoryBytes()) / 1e6);
  std::printf("feature weights:");
  const auto& w = m.classifier->weights();
  for (size_t i = 0; i < w.size(); ++i) std::printf("  f%zu %.4f", i + 1, w[i]);
  std::printf("\n");
}

std::string summaryJson(const TrainedMemory& m) {
  const InstanceBase& base = m.classifier->memory();
  JsonWriter json;
  json.beginObject()
      .field("model", algorithmName(m.options.classifier.algorithm))
      .field("k", m.options.classifier.k)
      .field("weighting", weightingName(m.options.classifier.weighting))
      .field("width", m.options.window.width)
      .field("instances", base.instanceCount())
      .field("storedVectors", base.vectorCount())
      .field("classes", base.classCount())
      .field("memoryBytes", static_cast<uint64_t>(base.memoryBytes()))
      .field("trainSeconds", m.seconds);
  json.key("featureWeights").beginArray();
  for (double w : m.classifier->weights()) json.value(w);
  json.endArray();
  return json.endObject().str();
}

}  // namespace

int runTrain(const std::vector<std::string>& args) {
  ArgParser parser({}, {});
  auto m = trainOnCorpus("train", args, {}, {"--json"}, parser);
  if (!m) return reportError(m.status());
  if (parser.has("--json"))
    std::printf("%s\n", summaryJson(*m).c_str());
  else
    printSummary(*m);
  return 0;
}

int runPredict(const std::vector<std::string>& args) {
  ArgParser parser({}, {});
  auto m = trainOnCorpus("predict", args, {"--context", "--top"}, {"--stdin"}, parser);
  if (!m) return reportError(m.status());
  auto top = parser.intValue("--top", 5, 1, 1000);
  if (!top) return reportError(top.status());
  std::vector<std::string> contexts;
  if (parser.has("--context")) contexts.push_back(parser.value("--context"));
  if (parser.has("--stdin"))
    for (std::string line; std::getline(std::cin, line);) contexts.push_back(line);
  if (contexts.empty())
    return reportError(Status::invalidArgument("predict: give --context \"text\" or --stdin"));

  const Vocabulary& vocab = m->corpus->vocab;
  // One line per context: the context, the predicted token, then the strongest votes.
  for (const std::string& text : contexts) {
    auto tokens = m->corpus->encode(text);
    if (!tokens) return reportError(tokens.status());
    const auto query = contextWindow(*tokens, m->options.window.width, m->corpus->paddingId);
    Prediction p = m->classifier->predictOne(query);
    std::sort(p.distribution.begin(), p.distribution.end(),
              [](const ClassVote& a, const ClassVote& b) { return a.weight > b.weight; });
    std::printf("%s\t%s\t", text.c_str(), tokenText(vocab, p.classId).c_str());
    for (size_t i = 0; i < p.distribution.size() && i < static_cast<size_t>(*top); ++i)
      std::printf("%s%s %.4g", i ? ", " : "", tokenText(vocab, p.distribution[i].classId).c_str(),
                  p.distribution[i].weight);
    std::printf("\n");
  }
  return 0;
}

}  // namespace memlens::cli
