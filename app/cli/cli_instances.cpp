#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "memlens/columns_file.h"
#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::cli {

int runInstances(const std::vector<std::string>& args) {
  auto values = kTokeniserValueOptions;
  values.insert({"--width", "--blocks", "-o", "--output"});
  ArgParser parser(values, kTokeniserFlags);
  if (Status s = parser.parse(args); !s) return reportError(s);
  const std::string output = parser.value("-o", parser.value("--output"));
  if (parser.positional().empty() || output.empty()) {
    return reportError(Status::invalidArgument(
        "usage: memlens-cli instances --width N [--blocks line|olifant] [--tokeniser word|gpt2 "
        "--vocab FILE --merges FILE] [--lowercase] PATH... -o FILE"));
  }
  auto width = parser.intValue("--width", 4, 1, 32);
  if (!width) return reportError(width.status());
  WindowOptions window;
  window.width = *width;
  const std::string blocks = parser.value("--blocks", "line");
  if (blocks == "olifant") {
    window.blocks = BlockMode::kOlifant;
  } else if (blocks != "line") {
    return reportError(
        Status::invalidArgument("--blocks must be line or olifant, got '" + blocks + "'"));
  }
  auto tokeniser = tokeniserOptionsFrom(parser);
  if (!tokeniser) return reportError(tokeniser.status());

  auto job = makeTerminalProgress();
  auto loaded = TokenisedCorpus::load(parser.positional(), *tokeniser, {}, job.get());
  if (!loaded) return reportError(loaded.status());
  auto& corpus = **loaded;
  auto instances = buildInstances(corpus.tokens, corpus.paddingId, window, job.get());
  if (!instances) return reportError(instances.status());
  if (Status s = writeColumnsFile(output, *instances, corpus.vocab, job.get()); !s) {
    return reportError(s);
  }
  std::fprintf(stderr, "wrote %zu instances of width %d to %s\n", instances->size(), window.width,
               output.c_str());
  return 0;
}

}  // namespace memlens::cli
