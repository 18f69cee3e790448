#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "experiment_args.h"
#include "memlens/columns_file.h"
#include "memlens/instance_builder.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::cli {
namespace {

struct InstancesArgs {
  CorpusArgs corpus;
  WindowOptions window;
  std::string output;
};

int runInstances(const InstancesArgs& args) {
  auto job = makeTerminalProgress();
  auto loaded = args.corpus.load(job.get());
  if (!loaded) return reportError(loaded.status());
  auto& corpus = **loaded;
  auto instances = buildInstances(corpus.tokens, corpus.paddingId, args.window, job.get());
  if (!instances) return reportError(instances.status());
  if (Status s = writeColumnsFile(args.output, *instances, corpus.vocab, job.get()); !s) {
    return reportError(s);
  }
  std::fprintf(stderr, "wrote %zu instances of width %d to %s\n", instances->size(),
               args.window.width, args.output.c_str());
  return 0;
}

}  // namespace

void addInstancesCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* command = app.add_subcommand(
      "instances", "Write TiMBL Columns instances: N context tokens (_ pads) and the target");
  auto args = std::make_shared<InstancesArgs>();
  args->corpus.addTo(*command);
  addWindowOptions(*command, args->window);
  command->add_option("-o,--output", args->output, "the instances file to write")->required();
  runs[command] = [args] { return runInstances(*args); };
}

}  // namespace memlens::cli
