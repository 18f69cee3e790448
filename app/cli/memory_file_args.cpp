#include "memory_file_args.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "cli_common.h"
#include "experiment_args.h"
#include "memlens/memory_file.h"

namespace memlens::cli {

namespace {

// An option that shapes the memory, given on the command line, or null.
const CLI::Option* memoryShapingOption(const CLI::App& command) {
  for (const CLI::Option* o : command.get_options()) {
    const bool shapes = o->get_group() == kCorpusOptions || o->get_group() == kEvalOptions ||
                        o->get_name() == "PATH";
    if (shapes && o->count() > 0) return o;
  }
  return nullptr;
}

}  // namespace

void MemoryFileArgs::addMemoryOption(CLI::App& command) {
  command.add_option("--memory", memory,
                     "use the memory saved in FILE (memlens-cli ... --save) instead of training");
}

void MemoryFileArgs::addSaveOption(CLI::App& command) {
  command.add_option("--save", save, "write the trained memory to FILE (a MemLens memory file)");
}

Status MemoryFileArgs::checkMemoryAlone(const CLI::App& command) const {
  if (memory.empty()) return Status::ok();
  if (const CLI::Option* o = memoryShapingOption(command)) {
    const std::string name = o->get_name() == "PATH" ? "a corpus PATH" : o->get_name();
    return Status::invalidArgument(name + " cannot be given with --memory: the memory file " +
                                   "fixes the corpus and every option that shapes the memory");
  }
  return Status::ok();
}

Result<std::shared_ptr<const Experiment>> MemoryFileArgs::experiment(
    const CLI::App& command, const CorpusArgs& corpus, const ExperimentOptions& options,
    JobControl* job) const {
  if (!memory.empty()) {
    if (Status s = checkMemoryAlone(command); !s) return s;
    return openMemory(memory, {}, job);
  }
  if (corpus.paths.empty())
    return Status::invalidArgument("give the corpus PATH... to train on, or --memory FILE");
  auto trained = runExperiment(corpus, options, job);
  if (!trained) return trained.status();
  std::shared_ptr<const Experiment> e = std::move(*trained);
  if (!save.empty()) {
    const auto start = std::chrono::steady_clock::now();
    if (Status s = saveMemory(*e, save, job); !s) return s;
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(save, ec);
    std::fprintf(stderr, "saved the memory to %s (%.1f MB) in %.2f s\n", save.c_str(),
                 ec ? 0.0 : static_cast<double>(bytes) / 1e6,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return e;
}

}  // namespace memlens::cli
