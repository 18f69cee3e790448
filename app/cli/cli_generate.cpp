#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/generation.h"
#include "memlens/json_writer.h"

namespace memlens::cli {

namespace {

size_t neighbourCount(const Prediction& p) {
  size_t n = 0;
  for (const NeighbourBucket& b : p.neighbours) n += b.storedVectors.size();
  return n;
}

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

void printJson(const std::vector<GeneratedToken>& tokens, std::span<const uint32_t> prompt,
               const Vocabulary& vocab) {
  JsonWriter json;
  json.beginObject().key("prompt").beginArray();
  for (uint32_t id : prompt) json.value(tokenText(vocab, id));
  json.endArray().key("tokens").beginArray();
  for (const GeneratedToken& g : tokens) {
    json.beginObject()
        .field("token", tokenText(vocab, g.id))
        .field("probability", g.probability)
        .field("prediction", tokenText(vocab, g.prediction.classId))
        .field("matchDepth", g.prediction.matchDepth)
        .field("distance", g.prediction.distance)
        .field("neighbours", static_cast<uint64_t>(neighbourCount(g.prediction)))
        .endObject();
  }
  json.endArray().endObject();
  std::printf("%s\n", json.str().c_str());
}

}  // namespace

int runGenerate(const std::vector<std::string>& args) {
  auto values = kTokeniserValueOptions;
  values.insert(kExperimentValueOptions.begin(), kExperimentValueOptions.end());
  // --seed is the split's (eval option): sampling has its own.
  values.insert({"--prompt", "--tokens", "--top-k", "--sample-seed"});
  auto flags = kTokeniserFlags;
  flags.insert("--json");
  ArgParser parser(values, flags);
  if (Status s = parser.parse(args); !s) return reportError(s);
  if (parser.positional().empty() || !parser.has("--prompt")) {
    return reportError(Status::invalidArgument(
        "usage: memlens-cli generate [eval options] [--tokens N] [--top-k K --sample-seed S] "
        "[--json] CORPUS... --prompt \"text\""));
  }
  auto options = experimentOptionsFrom(parser);
  if (!options) return reportError(options.status());
  if (options->maxTestTokens == 0)
    options->maxTestTokens = 1000;  // generating needs no full evaluation
  GenerationOptions generation;
  auto count = parser.intValue("--tokens", 20, 1, 100000);
  if (!count) return reportError(count.status());
  auto topK = parser.intValue("--top-k", 0, 0, 1000000);
  if (!topK) return reportError(topK.status());
  auto seed = parser.intValue("--sample-seed", 1, 0, 1 << 30);
  if (!seed) return reportError(seed.status());
  generation.tokens = static_cast<size_t>(*count);
  generation.topK = *topK;
  generation.seed = static_cast<uint64_t>(*seed);

  auto job = makeTerminalProgress();
  auto experiment = runExperimentFrom(parser, *options, job.get());
  if (!experiment) return reportError(experiment.status());
  const Vocabulary& vocab = (*experiment)->corpus().vocab;
  auto prompt = (*experiment)->corpus().encode(parser.value("--prompt"));
  if (!prompt) return reportError(prompt.status());
  auto tokens = generate(**experiment, *prompt, generation, job.get());
  if (!tokens) return reportError(tokens.status());
  if (parser.has("--json")) {
    printJson(*tokens, *prompt, vocab);
  } else {
    printText(*tokens, *prompt, vocab);
  }
  return 0;
}

}  // namespace memlens::cli
