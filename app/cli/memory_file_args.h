#pragma once

#include <memory>
#include <string>
#include <vector>

#include "corpus_args.h"
#include "memlens/experiment.h"
#include "memlens/job_control.h"
#include "memlens/result.h"

namespace CLI {
class App;
}

namespace memlens::cli {

// --memory FILE and --save FILE: commands that work on a trained experiment read it from a
// memory file instead of training, or write the one they trained.
struct MemoryFileArgs {
  std::string memory;
  std::string save;
  // With a TiMBL instance base (.ibase) as --memory: its weights file, its training text or
  // windowed instance file, and (eval) a test set as text or as a windowed instance file.
  std::string weights;
  std::vector<std::string> attach;
  std::string attachInstances;
  std::vector<std::string> testText;
  std::string testInstances;

  // --memory (with --weights and --attach for .ibase files): the corpus PATH becomes optional
  // (CorpusArgs::addTo with pathsRequired false).
  void addMemoryOption(CLI::App& command);
  // --test and --test-instances: what eval measures an .ibase memory on.
  void addTestOptions(CLI::App& command);
  void addSaveOption(CLI::App& command);

  // With --memory: an error when `command` was also given a corpus option, PATH or an option
  // that shapes the memory (the memory file fixes them all). An .ibase takes the tokeniser and
  // --blocks (for --attach text and contexts), and --model ib1|tribl2, -k and
  // --distance-weighting (how a complete base answers).
  Status checkMemoryAlone(const CLI::App& command) const;
  // Without --memory: checkMemoryAlone(), and that `corpus` names a PATH to train on.
  Status checkTrainable(const CLI::App& command, const CorpusArgs& corpus) const;
  // The experiment `command` works on: the memory file when --memory was given (then no corpus
  // option, PATH or eval option may be given: the file fixes them all; an .ibase takes what
  // checkMemoryAlone() lets through), else `corpus` trained and evaluated as `options` say.
  // Written to --save when that was given. Null on a rank that served a sharded run (see
  // runExperiment()).
  Result<std::shared_ptr<const Experiment>> experiment(const CLI::App& command,
                                                       const CorpusArgs& corpus,
                                                       const ExperimentOptions& options,
                                                       JobControl* job) const;
};

}  // namespace memlens::cli
