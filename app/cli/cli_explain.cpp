#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>

#include "cli_common.h"
#include "cli_explain_vector.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/option_names.h"
#include "memlens/trace.h"
#include "memlens/trace_json.h"
#include "memory_file_args.h"

namespace memlens::cli {

namespace {

// Per bucket or tree node in the text view; --json has a bucket's first 100 and a node's 50.
constexpr size_t kNeighboursShown = 8;

std::string answerText(const TreePath& path, int width) {
  const TreeStep& last = path.steps.back();
  switch (path.answer) {
    case TreePath::Answer::kRootMajority:
      return "no match on the first feature tested: the root's majority class answers";
    case TreePath::Answer::kDeepestDefault:
      return "the default of the deepest matched node (depth " + std::to_string(path.depth) +
             ") answers";
    case TreePath::Answer::kExactMatch:
      return "every feature matched: the stored vector's own distribution answers";
    case TreePath::Answer::kIb1Fallback:
      return "fallback to IB1 at depth " + std::to_string(path.depth) + " over the " +
             std::to_string(last.storedVectors) + " stored vectors below that node, on the " +
             std::to_string(width - path.depth) + " features not matched";
    case TreePath::Answer::kNone:
      break;
  }
  return {};
}

// Features are named f1..fN as in TiMBL (f1 = farthest context position).
void printPath(const TreePath& path, const Vocabulary& vocab, int width, bool countsVectors) {
  std::printf("\ntree path: %s\n", answerText(path, width).c_str());
  std::printf(
      "  depth  test  value            match  node default     classes  instances    vectors\n");
  for (const TreeStep& s : path.steps) {
    // The last node of a walk that ran out of features or children tests nothing.
    const std::string test =
        s.tested ? std::string("f").append(std::to_string(s.feature + 1)) : "-";
    const std::string value = s.tested ? tokenText(vocab, s.value) : "-";
    const char* match = !s.tested ? "leaf" : s.matched ? "yes" : "no";
    const std::string vectors = countsVectors ? std::to_string(s.storedVectors) : "-";
    std::printf("  %-6d %-5s %-16s %-6s %-16s %7u %10llu %10s\n", s.depth, test.c_str(),
                value.c_str(), match, tokenText(vocab, s.defaultClass).c_str(), s.classes,
                static_cast<unsigned long long>(s.instances), vectors.c_str());
  }
}

// A stored vector's values with a match mark per position, its counts and its corpus lines.
void printNeighbour(const NeighbourTrace& n, const Vocabulary& vocab) {
  std::printf("  #%-8u", n.storedVector);
  for (size_t j = 0; j < n.values.size(); ++j) {
    std::printf(" %s%-11s", n.matches[j] ? "=" : "x", tokenText(vocab, n.values[j]).c_str());
  }
  std::printf(" ->");
  for (const ClassVote& c : n.counts)
    std::printf(" %s x%.0f", tokenText(vocab, c.classId).c_str(), c.weight);
  std::printf("\n");
  for (const ProvenanceRef& p : n.provenance) {
    std::printf("      %s:%llu  %s\n", p.path.c_str(), static_cast<unsigned long long>(p.line),
                p.snippet.c_str());
  }
  if (n.instanceCount > n.provenance.size()) {
    std::printf("      … %llu more instances\n",
                static_cast<unsigned long long>(n.instanceCount - n.provenance.size()));
  }
}

void printText(const Trace& t, const Experiment& e) {
  const Vocabulary& vocab = e.corpus().vocab;
  std::printf("context   ");
  for (uint32_t id : t.context) std::printf(" %-12s", tokenText(vocab, id).c_str());
  std::printf("\nweights   ");
  for (double w : t.featureWeights) std::printf(" %-12.4f", w);
  std::printf("\n\nprediction: %s   (%s, distance %.4f%s%s)\n",
              tokenText(vocab, t.prediction.classId).c_str(),
              std::string(optionLabel(e.record().options.classifier.algorithm)).c_str(),
              t.prediction.distance, t.prediction.tie ? ", tie resolved" : "",
              e.record().options.classifier.algorithm == Algorithm::kIb1
                  ? ""
                  : (", matched " + std::to_string(t.prediction.matchDepth) + " features").c_str());
  std::printf("memory vote:");
  for (const ClassVote& v : t.prediction.distribution)
    std::printf(" %s %.4g", tokenText(vocab, v.classId).c_str(), v.weight);
  std::printf("\nprobability (vote weight λ = %.3f with Kneser-Ney, entropy %.2f bits):\n",
              t.memoryWeight, t.entropyBits);
  for (const auto& [id, p] : t.top) std::printf("  %-16s %.4f\n", tokenText(vocab, id).c_str(), p);
  if (!t.path.steps.empty()) {
    printPath(t.path, vocab, static_cast<int>(t.context.size()),
              e.record().options.classifier.algorithm == Algorithm::kTribl2);
  }

  for (size_t b = 0; b < t.buckets.size(); ++b) {
    const BucketTrace& bucket = t.buckets[b];
    const uint64_t vectors = bucket.neighbours.size() + bucket.unlistedVectors;
    std::printf("\nbucket %zu: distance %.4f, vote weight %.4g, %llu stored vectors\n", b + 1,
                bucket.distance, bucket.weight, static_cast<unsigned long long>(vectors));
    for (size_t i = 0; i < bucket.neighbours.size() && i < kNeighboursShown; ++i)
      printNeighbour(bucket.neighbours[i], vocab);
    if (vectors > kNeighboursShown) {
      std::printf("  … %llu more stored vectors at this distance\n",
                  static_cast<unsigned long long>(vectors - kNeighboursShown));
    }
  }
  if (t.evidence.storedVectors > 0 && t.buckets.empty()) {  // TRIBL2's exact match is bucket 1
    const size_t shown = std::min(t.evidence.shown.size(), kNeighboursShown);
    std::printf(
        "\nstored vectors under the answering node: %u (%llu instances), the %zu most frequent:\n",
        t.evidence.storedVectors, static_cast<unsigned long long>(t.evidence.instances), shown);
    for (size_t i = 0; i < shown; ++i) printNeighbour(t.evidence.shown[i], vocab);
  }
}

struct ExplainArgs {
  CorpusArgs corpus;
  ExperimentOptions options;
  MemoryFileArgs files;
  std::string context;
  bool sequence = false;
  bool json = false;
};

Status checkSequence(const ExplainArgs& args, Algorithm algorithm) {
  if (args.sequence && algorithm != Algorithm::kVectorMemory)
    return Status::invalidArgument("--sequence needs --model vector");
  return Status::ok();
}

// `provenance`: whether the memory knows where its instances came from (a sharded run's rank 0
// holds no token stream, yet its trace has the provenance the ranks sent).
int printTrace(const Trace& trace, const Experiment& experiment, bool json, bool provenance) {
  if (json) {
    std::printf("%s\n", traceToJson(trace, experiment).c_str());
    return 0;
  }
  printText(trace, experiment);
  const TokenisedCorpus& corpus = experiment.corpus();
  const ExperimentOptions& options = experiment.record().options;
  // A memory file opened without (some of) its corpus: say why snippets are missing.
  for (size_t d = 0; d < corpus.corpus->documentCount(); ++d)
    if (!corpus.corpus->document(d).textAvailable)
      std::printf("note: %s\n", corpus.corpus->document(d).textMissing.c_str());
  if (!provenance)
    std::printf("note: no provenance: this memory was read from a TiMBL instance base %s\n",
                options.classifier.algorithm == Algorithm::kIgTree
                    ? "(an IGTree base keeps its pruned tree, not the instances it was trained on)"
                    : "without the text it was trained on (give it with --attach TEXT to see "
                      "where each stored vector came from)");
  return 0;
}

// The context window of args.context, encoded with the experiment's corpus (with --sequence:
// all of its tokens).
ContextOf contextOf(const ExplainArgs& args) {
  return [&args](const Experiment& e) -> Result<std::vector<uint32_t>> {
    auto ids = e.corpus().encode(args.context);
    if (!ids || args.sequence) return ids;
    return contextWindow(*ids, e.record().options.window.width, e.corpus().paddingId);
  };
}

// A trace made over a sharded memory (or in one process on the corpus): its provenance is the
// ranks' (or the corpus's).
int printTraced(const Result<TracedContext>& traced, const ExplainArgs& args) {
  if (!traced) return reportError(traced.status());
  if (!traced->experiment) return 0;  // served a sharded run
  if (const auto* vector = std::get_if<VectorTrace>(&traced->trace))
    return printVectorTrace(*vector, *traced->experiment, args.json);
  if (const auto* map = std::get_if<SequenceAttention>(&traced->trace))
    return printVectorSequence(*map, *traced->experiment, args.json);
  return printTrace(std::get<Trace>(traced->trace), *traced->experiment, args.json, true);
}

// A memory trained here on the corpus (sharded under memlens-cli-mpi), traced.
int explainOnCorpus(const CLI::App& command, const ExplainArgs& args,
                    const ExperimentOptions& trainOptions, JobControl* job) {
  if (Status s = args.files.checkTrainable(command, args.corpus); !s) return reportError(s);
  return printTraced(traceOnCorpus(args.corpus, trainOptions, contextOf(args), args.sequence, job),
                     args);
}

int runExplain(const CLI::App& command, const ExplainArgs& args) {
  // Before training, when training is what the options ask for.
  if (args.files.memory.empty()) {
    if (Status s = checkSequence(args, args.options.classifier.algorithm); !s)
      return reportError(s);
  }
  ExperimentOptions trainOptions = args.options;
  if (trainOptions.maxTestTokens == 0)
    trainOptions.maxTestTokens = 1000;  // explaining needs no full evaluation
  auto job = makeTerminalProgress();
  if (args.files.memory.empty()) return explainOnCorpus(command, args, trainOptions, job.get());
  if (!args.sequence) {
    if (Status s = args.files.checkMemoryAlone(command); !s) return reportError(s);
    auto sharded = traceFromShards(args.files.memory, contextOf(args), job.get());
    if (!sharded) return reportError(sharded.status());
    if (*sharded) return printTraced(std::move(**sharded), args);
  }
  auto experiment = args.files.experiment(command, args.corpus, trainOptions, job.get());
  if (!experiment) return reportError(experiment.status());
  if (!*experiment) return 0;  // served a sharded run
  const ExperimentOptions& options = (*experiment)->record().options;
  const bool vector = options.classifier.algorithm == Algorithm::kVectorMemory;
  if (Status s = checkSequence(args, options.classifier.algorithm); !s) return reportError(s);
  const TokenisedCorpus& corpus = (*experiment)->corpus();
  auto ids = corpus.encode(args.context);
  if (!ids) return reportError(ids.status());
  if (args.sequence) return explainVectorSequence(**experiment, *ids, args.json);
  const auto query = contextWindow(*ids, options.window.width, corpus.paddingId);
  if (vector) return explainVectorMemory(**experiment, query, args.json);
  return printTrace(traceContext(**experiment, query), **experiment, args.json,
                    (*experiment)->hasProvenance());
}

}  // namespace

Result<TracedContext> traceOnCorpusInOneProcess(const CorpusArgs& corpus,
                                                const ExperimentOptions& options,
                                                const ContextOf& contextOf, bool sequence,
                                                JobControl* job) {
  auto experiment = runExperimentInOneProcess(corpus, options, job);
  if (!experiment) return experiment.status();
  auto context = contextOf(**experiment);
  if (!context) return context.status();
  TracedContext traced;
  if (sequence) {
    auto map = traceVectorSequence(**experiment, *context);
    if (!map) return map.status();
    traced.trace = std::move(*map);
  } else if ((*experiment)->vectorMemory()) {
    auto trace = traceVectorMemory(**experiment, *context);
    if (!trace) return trace.status();
    traced.trace = std::move(*trace);
  } else {
    traced.trace = traceContext(**experiment, *context);
  }
  traced.experiment = std::move(*experiment);
  return traced;
}

void addExplainCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* command =
      app.add_subcommand("explain", "Show why the memory predicts the next token after a context");
  command->footer(
      "Trains as eval does, then shows the votes, probabilities, neighbour buckets with match\n"
      "masks and provenance (and the tree path of IGTree and TRIBL2); for vector: the slots\n"
      "read, p_mem vs p_base, and the attention map.");
  auto args = std::make_shared<ExplainArgs>();
  args->corpus.addTo(*command, false);
  addExperimentOptions(*command, args->options);
  args->files.addMemoryOption(*command);
  command->add_option("--context", args->context, "the text whose next token is explained")
      ->required();
  command->add_flag("--sequence", args->sequence,
                    "vector only: the tokens x slots map over every token of the context");
  command->add_flag("--json", args->json, "print everything as JSON");
  runs[command] = [command, args] { return runExplain(*command, *args); };
}

}  // namespace memlens::cli
