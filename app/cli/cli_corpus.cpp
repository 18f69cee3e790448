#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "memlens/corpus_stats.h"
#include "memlens/tokenised_corpus.h"

namespace memlens::cli {

namespace {

void printText(const CorpusStats& s) {
  std::printf("documents   %llu\n", static_cast<unsigned long long>(s.documents));
  std::printf("bytes       %llu\n", static_cast<unsigned long long>(s.bytes));
  std::printf("lines       %llu (%llu without tokens)\n", static_cast<unsigned long long>(s.lines),
              static_cast<unsigned long long>(s.emptyLines));
  std::printf("tokens      %llu\n", static_cast<unsigned long long>(s.tokens));
  std::printf("types       %llu\n", static_cast<unsigned long long>(s.types));
  std::printf("hapaxes     %llu\n", static_cast<unsigned long long>(s.hapaxes));
  std::printf("type/token  %.4f\n",
              s.tokens ? static_cast<double>(s.types) / static_cast<double>(s.tokens) : 0.0);
  std::printf("\n%-10s %-10s %-10s %-10s %s\n", "bytes", "lines", "tokens", "types", "document");
  for (const DocumentStats& d : s.perDocument) {
    std::printf("%-10llu %-10llu %-10llu %-10llu %s\n", static_cast<unsigned long long>(d.bytes),
                static_cast<unsigned long long>(d.lines), static_cast<unsigned long long>(d.tokens),
                static_cast<unsigned long long>(d.types), d.path.c_str());
  }
  std::printf("\nmost frequent:");
  for (size_t i = 0; i < s.topTypes.size() && i < 10; ++i) {
    std::printf(" %s (%llu)", s.topTypes[i].first.c_str(),
                static_cast<unsigned long long>(s.topTypes[i].second));
  }
  std::printf("\n");
}

struct StatsArgs {
  CorpusArgs corpus;
  bool json = false;
};

int runStats(const StatsArgs& args) {
  auto job = makeTerminalProgress();
  auto loaded = args.corpus.load(job.get());
  if (!loaded) return reportError(loaded.status());
  const TokenisedCorpus& c = **loaded;
  const CorpusStats stats = CorpusStats::compute(*c.corpus, c.tokens, c.vocab);
  if (args.json) {
    std::printf("%s\n", stats.toJson().c_str());
  } else {
    printText(stats);
  }
  return 0;
}

}  // namespace

void addCorpusCommand(CLI::App& app, CommandRuns& runs) {
  CLI::App* corpus = app.add_subcommand("corpus", "Corpus statistics");
  CLI::App* stats = corpus->add_subcommand(
      "stats", "Check and tokenise text files or folders; print documents, lines, tokens, types");
  auto args = std::make_shared<StatsArgs>();
  args->corpus.addTo(*stats);
  stats->add_flag("--json", args->json, "print the statistics as JSON");
  runs[stats] = [args] { return runStats(*args); };
}

}  // namespace memlens::cli
