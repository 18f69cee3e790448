#include "memory_file_args.h"

#include <CLI/CLI.hpp>
#include <set>

#include "cli_common.h"
#include "experiment_args.h"
#include "memlens/timbl_memory.h"

namespace memlens::cli {

namespace {

// Options a TiMBL instance base leaves open: how its text is tokenised and windowed, and how
// a complete base answers.
bool openWithTimblBase(const CLI::Option& o) {
  static const std::set<std::string> kOpen = {
      "--tokeniser", "--vocab", "--merges", "--lowercase",
      "--blocks",    "--model", "-k",       "--distance-weighting"};
  return kOpen.count(o.get_name()) > 0;
}

// An option that shapes the memory, given on the command line, or null.
const CLI::Option* memoryShapingOption(const CLI::App& command, bool timblBase) {
  for (const CLI::Option* o : command.get_options()) {
    const bool shapes = o->get_group() == kCorpusOptions || o->get_group() == kEvalOptions ||
                        o->get_name() == "PATH";
    if (shapes && o->count() > 0 && !(timblBase && openWithTimblBase(*o))) return o;
  }
  return nullptr;
}

bool given(const CLI::App& command, const std::string& name) {
  const CLI::Option* o = command.get_option_no_throw(name);
  return o != nullptr && o->count() > 0;
}

Result<std::shared_ptr<const Experiment>> openTimblBaseArgs(const CLI::App& command,
                                                            const MemoryFileArgs& files,
                                                            const CorpusArgs& corpus,
                                                            const ExperimentOptions& options,
                                                            JobControl* job) {
  if (Status s = corpus.check(); !s) return s;
  TimblMemoryOptions o;
  o.classifier = options.classifier;
  // The command line's default model is IGTree; a complete base is IB1 unless told otherwise
  // (a pruned one is IGTree whatever is asked).
  if (!given(command, "--model")) o.classifier.algorithm = Algorithm::kIb1;
  o.weightsPath = files.weights;
  o.trainingText = files.attach;
  o.trainingInstances = files.attachInstances;
  o.testText = files.testText;
  o.testInstances = files.testInstances;
  if (given(command, "--tokeniser")) o.tokeniser = corpus.tokeniser;
  o.blocks = options.window.blocks;
  return openTimblBase(files.memory, o, job);
}

}  // namespace

void MemoryFileArgs::addMemoryOption(CLI::App& command) {
  command.add_option("--memory", memory,
                     "use the memory saved in FILE (memlens-cli ... --save) or a TiMBL instance "
                     "base (timbl -I) instead of training; memlens-cli-mpi on N ranks: the "
                     "shard files FILE.r-of-N saved by as many ranks");
  command.add_option("--weights", weights,
                     "with a TiMBL base: its weights file (timbl -W; gain ratio is read)");
  command.add_option("--attach", attach,
                     "with a TiMBL base: the text it was trained on (tokenised by --tokeniser, "
                     "spaces by default, windowed by --blocks), for provenance");
  command.add_option("--attach-instances", attachInstances,
                     "with a TiMBL base: the windowed instance file it was trained on (one "
                     "instance per line, values then class), for provenance by its lines");
}

void MemoryFileArgs::addTestOptions(CLI::App& command) {
  command.add_option("--test", testText,
                     "with a TiMBL base: test text, tokenised and windowed as --attach text");
  command.add_option("--test-instances", testInstances,
                     "with a TiMBL base: a windowed test instance file of the base's width");
}

void MemoryFileArgs::addSaveOption(CLI::App& command) {
  command.add_option("--save", save,
                     "write the trained memory to FILE (a MemLens memory file; memlens-cli-mpi "
                     "on N ranks: one shard file per rank, FILE.r-of-N)");
}

Status MemoryFileArgs::checkMemoryAlone(const CLI::App& command) const {
  const bool timblOnly = !weights.empty() || !attach.empty() || !attachInstances.empty() ||
                         !testText.empty() || !testInstances.empty();
  const char* timblOptions = "--weights, --attach, --attach-instances, --test and --test-instances";
  if (memory.empty()) {
    if (timblOnly)
      return Status::invalidArgument(std::string(timblOptions) + " go with --memory BASE.ibase");
    return Status::ok();
  }
  const bool timblBase = isTimblInstanceBase(memory);
  if (!timblBase && timblOnly)
    return Status::invalidArgument(std::string(timblOptions) + " go with a TiMBL instance base; " +
                                   memory + " is not one");
  if (const CLI::Option* o = memoryShapingOption(command, timblBase)) {
    const std::string name = o->get_name() == "PATH" ? "a corpus PATH" : o->get_name();
    return Status::invalidArgument(name + " cannot be given with --memory: the memory file " +
                                   "fixes the corpus and every option that shapes the memory");
  }
  return Status::ok();
}

Status MemoryFileArgs::checkTrainable(const CLI::App& command, const CorpusArgs& corpus) const {
  if (Status s = checkMemoryAlone(command); !s) return s;
  if (corpus.paths.empty())
    return Status::invalidArgument("give the corpus PATH... to train on, or --memory FILE");
  return Status::ok();
}

Result<std::shared_ptr<const Experiment>> MemoryFileArgs::experiment(
    const CLI::App& command, const CorpusArgs& corpus, const ExperimentOptions& options,
    JobControl* job) const {
  if (!memory.empty()) {
    if (Status s = checkMemoryAlone(command); !s) return s;
    if (isTimblInstanceBase(memory)) return openTimblBaseArgs(command, *this, corpus, options, job);
    return openExperiment(memory, job);
  }
  if (Status s = checkTrainable(command, corpus); !s) return s;
  auto trained = save.empty() ? runExperiment(corpus, options, job)
                              : runExperimentAndSave(corpus, options, save, job);
  if (!trained) return trained.status();
  return std::shared_ptr<const Experiment>(std::move(*trained));  // null: served a sharded run
}

}  // namespace memlens::cli
