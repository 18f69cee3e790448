#include "cli_common.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "memlens/memory_file.h"

namespace memlens::cli {

Result<std::unique_ptr<Experiment>> runExperimentInOneProcess(const CorpusArgs& corpus,
                                                              const ExperimentOptions& options,
                                                              JobControl* job) {
  auto loaded = corpus.load(job);
  if (!loaded) return loaded.status();
  return Experiment::run(std::move(*loaded), options, job);
}

void reportSaved(const std::string& path, uint64_t bytes, double seconds) {
  std::fprintf(stderr, "saved the memory to %s (%.1f MB) in %.2f s\n", path.c_str(),
               static_cast<double>(bytes) / 1e6, seconds);
}

Result<std::unique_ptr<Experiment>> runExperimentAndSaveInOneProcess(
    const CorpusArgs& corpus, const ExperimentOptions& options, const std::string& save,
    JobControl* job) {
  auto e = runExperimentInOneProcess(corpus, options, job);
  if (!e) return e;
  const auto start = std::chrono::steady_clock::now();
  if (Status s = saveMemory(**e, save, job); !s) return s;
  std::error_code ec;
  const auto bytes = std::filesystem::file_size(save, ec);
  reportSaved(save, ec ? 0 : static_cast<uint64_t>(bytes),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return e;
}

std::unique_ptr<JobControl> makeTerminalProgress() {
  if (!::isatty(STDERR_FILENO)) return std::make_unique<JobControl>();
  return std::make_unique<JobControl>([](double fraction, const std::string& stage) {
    std::fprintf(stderr, "\r\033[K%3d%% %s", static_cast<int>(fraction * 100.0), stage.c_str());
    if (fraction >= 1.0) std::fputc('\n', stderr);
    std::fflush(stderr);
  });
}

std::string tokenText(const Vocabulary& vocab, uint32_t id) {
  return std::string(vocab.displayText(id));
}

const char* programName() { return program_invocation_short_name; }

int reportError(const Status& status) {
  std::fprintf(stderr, "%s: %s\n", programName(), status.toString().c_str());
  return status.code() == Status::Code::kInvalidArgument ? 2 : 1;
}

}  // namespace memlens::cli
