#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/generation.h"
#include "memory_file_args.h"

namespace memlens::cli {

namespace {

std::string joined(const Vocabulary& vocab, std::span<const uint32_t> ids) {
  std::string text;
  for (uint32_t id : ids) {
    if (!text.empty()) text += ' ';
    text += tokenText(vocab, id);
  }
  return text;
}

void printText(const std::vector<GeneratedToken>& tokens, std::span<const uint32_t> prompt,
               const Vocabulary& vocab) {
  std::vector<uint32_t> continuation;
  for (const GeneratedToken& g : tokens) continuation.push_back(g.id);
  std::printf("prompt:       %s\ncontinuation: %s\n\n", joined(vocab, prompt).c_str(),
              joined(vocab, continuation).c_str());
  // One line per token: what was emitted, the memory's own answer and how it was reached.
  std::printf("%5s  %-16s %8s  %-16s %5s %9s %10s\n", "step", "token", "p", "memory", "depth",
              "distance", "neighbours");
  for (size_t i = 0; i < tokens.size(); ++i) {
    const GeneratedToken& g = tokens[i];
    std::printf("%5zu  %-16s %8.4f  %-16s %5d %9.4f %10zu\n", i + 1, tokenText(vocab, g.id).c_str(),
                g.probability, tokenText(vocab, g.prediction.classId).c_str(),
                g.prediction.matchDepth, g.prediction.distance, neighbourCount(g.prediction));
  }
}

struct GenerateArgs {
  CorpusArgs corpus;
  ExperimentOptions options;
  MemoryFileArgs files;
  GenerationOptions generation;
  std::string prompt;
  bool json = false;
};

int runGenerate(const CLI::App& command, const GenerateArgs& args) {
  ExperimentOptions options = args.options;
  if (options.maxTestTokens == 0)
    options.maxTestTokens = 1000;  // generating needs no full evaluation
  auto job = makeTerminalProgress();
  auto experiment = args.files.experiment(command, args.corpus, options, job.get());
  if (!experiment) return reportError(experiment.status());
  const Vocabulary& vocab = (*experiment)->corpus().vocab;
  auto prompt = (*experiment)->corpus().encode(args.prompt);
  if (!prompt) return reportError(prompt.status());
  auto tokens = generate(**experiment, *prompt, args.generation, job.get());
  if (!tokens) return reportError(tokens.status());
  if (args.json) {
    std::printf("%s\n", generationToJson(*tokens, *prompt, vocab).c_str());
  } else {
    printText(*tokens, *prompt, vocab);
  }
  return 0;
}

}  // namespace

void addGenerateCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* command = app.add_subcommand("generate", "Continue a prompt, one traced line a token");
  command->footer(
      "Trains as eval does and continues the prompt, greedily or sampling among the K most\n"
      "probable tokens; one line per token: probability, match depth, distance, neighbours.");
  auto args = std::make_shared<GenerateArgs>();
  args->corpus.addTo(*command, false);
  addExperimentOptions(*command, args->options);
  args->files.addMemoryOption(*command);
  command->add_option("--prompt", args->prompt, "the text to continue")->required();
  command->add_option("--tokens", args->generation.tokens, "tokens to generate")
      ->check(CLI::Range(1, 100000));
  command
      ->add_option("--top-k", args->generation.topK, "sample among the K most probable (0: greedy)")
      ->check(CLI::Range(0, 1000000));
  // --seed is the split's (an eval option): sampling has its own.
  command->add_option("--sample-seed", args->generation.seed, "seed of the sampling")
      ->check(CLI::Range(0, 1 << 30));
  command->add_flag("--json", args->json, "print the tokens as JSON");
  runs[command] = [command, args] { return runGenerate(*command, *args); };
}

}  // namespace memlens::cli
