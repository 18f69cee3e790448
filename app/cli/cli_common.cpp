#include "cli_common.h"

#include <unistd.h>

#include <cstdio>

namespace memlens::cli {

Result<TokeniserOptions> tokeniserOptionsFrom(const ArgParser& args) {
  TokeniserOptions options;
  const std::string kind = args.value("--tokeniser", "word");
  if (kind == "word") {
    options.kind = TokeniserKind::kWord;
  } else if (kind == "gpt2") {
    options.kind = TokeniserKind::kGpt2;
  } else {
    return Status::invalidArgument("--tokeniser must be word or gpt2, got '" + kind + "'");
  }
  options.lowercase = args.has("--lowercase");
  options.vocabPath = args.value("--vocab");
  options.mergesPath = args.value("--merges");
  if (options.kind == TokeniserKind::kGpt2 &&
      (options.vocabPath.empty() || options.mergesPath.empty())) {
    return Status::invalidArgument(
        "--tokeniser gpt2 needs --vocab encoder.json|vocab.json and --merges vocab.bpe|merges.txt");
  }
  return options;
}

Result<std::unique_ptr<Experiment>> runExperimentFrom(const ArgParser& args,
                                                      const ExperimentOptions& options,
                                                      JobControl* job) {
  auto tokeniser = tokeniserOptionsFrom(args);
  if (!tokeniser) return tokeniser.status();
  auto corpus = TokenisedCorpus::load(args.positional(), *tokeniser, {}, job);
  if (!corpus) return corpus.status();
  return Experiment::run(std::move(*corpus), options, job);
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

int reportError(const Status& status) {
  std::fprintf(stderr, "memlens-cli: %s\n", status.toString().c_str());
  return status.code() == Status::Code::kInvalidArgument ? 2 : 1;
}

}  // namespace memlens::cli
