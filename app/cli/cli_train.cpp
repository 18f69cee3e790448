// memlens-cli train / predict: a memory trained on all of a corpus's text (no split), described,
// or asked for the next token after contexts.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/classifier.h"
#include "memlens/instance_builder.h"
#include "memlens/json_writer.h"
#include "memlens/option_names.h"
#include "memlens/trace.h"
#include "memory_file_args.h"

namespace memlens::cli {
namespace {

// A memory and the corpus it was trained on; with a memory file, parts of its experiment. Its
// size is its own, or the record's when it is sharded over ranks (the classifier then only
// answers, and memoryBytes is none: the ranks hold the memory).
struct TrainedMemory : TrainingSummary {
  std::shared_ptr<const Classifier> classifier;
};

// The size and weights of a memory held whole by `m.classifier`.
void countMemory(TrainedMemory& m) {
  const InstanceBase& base = m.classifier->memory();
  m.instances = base.instanceCount();
  m.storedVectors = base.vectorCount();
  m.classes = base.classCount();
  m.memoryBytes = base.memoryBytes();
  m.weights = m.classifier->weights();
}

// The options of both commands: the corpus and how to train on it, or a memory file.
struct MemoryArgs {
  CorpusArgs corpus;
  ExperimentOptions options;
  MemoryFileArgs files;
};

struct TrainArgs : MemoryArgs {
  bool json = false;
};

struct PredictArgs : MemoryArgs {
  std::optional<std::string> context;
  bool stdinContexts = false;
  int top = 5;
};

CLI::App* addTrainingCommand(CLI::App& app, const std::string& name, const std::string& description,
                             MemoryArgs& args) {
  CLI::App* command = app.add_subcommand(name, description);
  args.corpus.addTo(*command, false);
  addExperimentOptions(*command, args.options);
  return command;
}

// The train part of an experiment's split: what a memory file holds (with --memory), or what
// --save writes (trained, tuned and evaluated as eval does, so the file can be evaluated again).
Result<TrainedMemory> memoryOf(Result<std::shared_ptr<const Experiment>> e) {
  if (!e) return e.status();
  TrainedMemory m;
  if (!*e) return m;  // served a sharded run
  const RunRecord& r = (*e)->record();
  m.corpus = std::shared_ptr<const TokenisedCorpus>(*e, &(*e)->corpus());
  m.options = r.options;
  m.classifier = std::shared_ptr<const Classifier>(*e, &(*e)->classifier());
  m.seconds = r.trainSeconds;
  m.instances = r.trainInstances;
  m.storedVectors = r.storedVectors;
  for (uint64_t count : (*e)->trainClassCounts()) m.classes += count > 0 ? 1 : 0;
  if (m.classifier->memory().instanceCount() == m.instances)
    m.memoryBytes = m.classifier->memory().memoryBytes();
  m.weights = m.classifier->weights();
  return m;
}

Result<TrainedMemory> experimentMemory(const CLI::App& command, const MemoryArgs& args) {
  auto job = makeTerminalProgress();
  return memoryOf(args.files.experiment(command, args.corpus, args.options, job.get()));
}

Status checkCorpusGiven(const CorpusArgs& corpus) {
  if (corpus.paths.empty())
    return Status::invalidArgument("give the corpus PATH... to train on, or --memory FILE");
  return Status::ok();
}

// Loads the corpus `corpus` names and trains on every token.
Result<TrainedMemory> trainOnEveryToken(const CorpusArgs& corpus, const ExperimentOptions& options,
                                        JobControl* job) {
  if (Status s = checkCorpusGiven(corpus); !s) return s;
  TrainedMemory m;
  m.options = options;
  auto loaded = corpus.load(job);
  if (!loaded) return loaded.status();
  m.corpus = std::move(*loaded);
  const auto t0 = std::chrono::steady_clock::now();
  auto instances = buildInstances(m.corpus->tokens, m.corpus->paddingId, m.options.window, job);
  if (!instances) return instances.status();
  if (instances->size() == 0) return Status::invalidArgument("the corpus yields no instances");
  auto classifier = createClassifier(m.options.classifier);
  if (!classifier) return classifier.status();
  if (Status s = (*classifier)->train(*instances, job); !s) return s;
  m.classifier = std::move(*classifier);
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  countMemory(m);
  return m;
}

// The memory's answers to `queries`, one query at a time.
CorpusPredictions predictionsOf(const TrainedMemory& m, const InstanceSet& queries) {
  CorpusPredictions out{m.corpus, {}};
  for (size_t i = 0; i < queries.size(); ++i)
    out.predictions.push_back(m.classifier->predictOne(queries.instance(i)));
  return out;
}

// Context positions as TiMBL names its features: f1 is the farthest from the target.
void printSummary(const TrainingSummary& m) {
  const ClassifierOptions& o = m.options.classifier;
  std::printf("model %s, k=%d, weighting %s, width %d\n",
              std::string(optionLabel(o.algorithm)).c_str(), o.k,
              std::string(optionLabel(o.weighting)).c_str(), m.options.window.width);
  char size[64] = "sharded over the ranks";
  if (m.memoryBytes)
    std::snprintf(size, sizeof size, "%.1f MB", static_cast<double>(*m.memoryBytes) / 1e6);
  std::printf("%llu instances from %zu documents in %llu stored vectors, %u classes; %.2f s, %s\n",
              static_cast<unsigned long long>(m.instances), m.corpus->corpus->documentCount(),
              static_cast<unsigned long long>(m.storedVectors), m.classes, m.seconds, size);
  std::printf("feature weights:");
  for (size_t i = 0; i < m.weights.size(); ++i) std::printf("  f%zu %.4f", i + 1, m.weights[i]);
  std::printf("\n");
}

std::string summaryJson(const TrainingSummary& m) {
  JsonWriter json;
  json.beginObject()
      .field("model", optionLabel(m.options.classifier.algorithm))
      .field("k", m.options.classifier.k)
      .field("weighting", optionLabel(m.options.classifier.weighting))
      .field("width", m.options.window.width)
      .field("instances", m.instances)
      .field("storedVectors", m.storedVectors)
      .field("classes", m.classes);
  if (m.memoryBytes) json.field("memoryBytes", *m.memoryBytes);
  json.field("trainSeconds", m.seconds);
  json.key("featureWeights").beginArray();
  for (double w : m.weights) json.value(w);
  json.endArray();
  return json.endObject().str();
}

// The memory of `args`: trained on every token, or eval's run with memory files.
Result<TrainingSummary> describeMemory(const CLI::App& command, const TrainArgs& args) {
  if (!args.files.memory.empty() || !args.files.save.empty()) {
    auto m = experimentMemory(command, args);
    if (!m) return m.status();
    return TrainingSummary(std::move(*m));
  }
  if (Status s = checkCorpusGiven(args.corpus); !s) return s;
  auto job = makeTerminalProgress();
  return describeTraining(args.corpus, args.options, job.get());
}

int runTrain(const CLI::App& command, const TrainArgs& args) {
  auto m = describeMemory(command, args);
  if (!m) return reportError(m.status());
  if (!m->corpus) return 0;  // served a sharded run
  if (args.json)
    std::printf("%s\n", summaryJson(*m).c_str());
  else
    printSummary(*m);
  return 0;
}

int runPredict(const CLI::App& command, const PredictArgs& args) {
  if (!args.context && !args.stdinContexts)
    return reportError(Status::invalidArgument("predict: give --context \"text\" or --stdin"));
  // The contexts as queries, up to the first the corpus's tokeniser refuses: the lines before it
  // are printed, then the error.
  std::vector<std::string> texts;
  Status encoded = Status::ok();
  const QueriesOf queriesOf = [&](const TokenisedCorpus& corpus, int width) {
    if (args.context) texts.push_back(*args.context);
    if (args.stdinContexts)
      for (std::string line; std::getline(std::cin, line);) texts.push_back(line);
    InstanceSet queries;
    queries.width = width;
    for (size_t i = 0; i < texts.size(); ++i) {
      auto tokens = corpus.encode(texts[i]);
      if (!tokens) {
        encoded = tokens.status();
        texts.resize(i);
        break;
      }
      const auto query = contextWindow(*tokens, width, corpus.paddingId);
      queries.features.insert(queries.features.end(), query.begin(), query.end());
      queries.classes.push_back(0);
      queries.sources.push_back(0);
    }
    return queries;
  };
  Result<CorpusPredictions> answered = Status::ok();
  if (!args.files.memory.empty()) {
    if (Status s = args.files.checkMemoryAlone(command); !s) return reportError(s);
    auto job = makeTerminalProgress();
    answered = predictFromMemory(
        args.files.memory,
        [&] { return args.files.experiment(command, args.corpus, args.options, job.get()); },
        queriesOf, job.get());
  } else {
    if (Status s = checkCorpusGiven(args.corpus); !s) return reportError(s);
    auto job = makeTerminalProgress();
    answered = predictOnCorpus(args.corpus, args.options, queriesOf, job.get());
  }
  if (!answered) return reportError(answered.status());
  if (!answered->corpus) return 0;  // served a sharded run

  const Vocabulary& vocab = answered->corpus->vocab;
  // One line per context: the context, the predicted token, then the strongest votes.
  for (size_t q = 0; q < texts.size(); ++q) {
    Prediction& p = answered->predictions[q];
    std::sort(p.distribution.begin(), p.distribution.end(),
              [](const ClassVote& a, const ClassVote& b) { return a.weight > b.weight; });
    std::printf("%s\t%s\t", texts[q].c_str(), tokenText(vocab, p.classId).c_str());
    for (size_t i = 0; i < p.distribution.size() && i < static_cast<size_t>(args.top); ++i)
      std::printf("%s%s %.4g", i ? ", " : "", tokenText(vocab, p.distribution[i].classId).c_str(),
                  p.distribution[i].weight);
    std::printf("\n");
  }
  return encoded ? 0 : reportError(encoded);
}

}  // namespace

Result<TrainingSummary> describeTrainingInOneProcess(const CorpusArgs& corpus,
                                                     const ExperimentOptions& options,
                                                     JobControl* job) {
  auto m = trainOnEveryToken(corpus, options, job);
  if (!m) return m.status();
  return TrainingSummary(std::move(*m));
}

Result<CorpusPredictions> predictOnCorpusInOneProcess(const CorpusArgs& corpus,
                                                      const ExperimentOptions& options,
                                                      const QueriesOf& queriesOf, JobControl* job) {
  auto m = trainOnEveryToken(corpus, options, job);
  if (!m) return m.status();
  return predictionsOf(*m, queriesOf(*m->corpus, m->options.window.width));
}

Result<CorpusPredictions> predictFromMemoryInOneProcess(const OpenInOneProcess& openInOneProcess,
                                                        const QueriesOf& queriesOf) {
  auto m = memoryOf(openInOneProcess());
  if (!m) return m.status();
  return predictionsOf(*m, queriesOf(*m->corpus, m->options.window.width));
}

void addTrainCommand(CLI::App& app, CommandRuns& runs) {
  auto args = std::make_shared<TrainArgs>();
  CLI::App* command = addTrainingCommand(
      app, "train",
      "Train on all of the text (no split); print the memory's size and feature weights", *args);
  command->add_flag("--json", args->json, "print the summary as JSON");
  command
      ->add_option("--save", args->files.save,
                   "train as eval does (train part of the split, tuned, tested) and write that "
                   "memory to FILE (memlens-cli-mpi on N ranks: FILE.r-of-N, one per rank)")
      ->type_name("FILE");
  runs[command] = [command, args] { return runTrain(*command, *args); };
}

void addPredictCommand(CLI::App& app, CommandRuns& runs) {
  auto args = std::make_shared<PredictArgs>();
  CLI::App* command = addTrainingCommand(
      app, "predict", "Train on all of the text; predict the next token after contexts", *args);
  command->footer(
      "One line per context: the context, the predicted next token and the --top strongest\n"
      "votes, tab-separated.");
  command->add_option("--context", args->context, "a context to predict the next token of");
  command->add_flag("--stdin", args->stdinContexts, "read contexts from stdin, one a line");
  command->add_option("--top", args->top, "votes printed")->check(CLI::Range(1, 1000));
  args->files.addMemoryOption(*command);
  runs[command] = [command, args] { return runPredict(*command, *args); };
}

}  // namespace memlens::cli
