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

void printJson(const CorpusStats& s) {
  auto u = [](uint64_t v) { return std::to_string(v); };
  std::string out = "{\"documents\":" + u(s.documents) + ",\"bytes\":" + u(s.bytes) +
                    ",\"lines\":" + u(s.lines) + ",\"emptyLines\":" + u(s.emptyLines) +
                    ",\"tokens\":" + u(s.tokens) + ",\"types\":" + u(s.types) +
                    ",\"hapaxes\":" + u(s.hapaxes) + ",\"perDocument\":[";
  for (size_t i = 0; i < s.perDocument.size(); ++i) {
    const DocumentStats& d = s.perDocument[i];
    out += (i ? "," : "") + std::string("{\"path\":") + jsonString(d.path) + ",\"bytes\":" +
           u(d.bytes) + ",\"lines\":" + u(d.lines) + ",\"tokens\":" + u(d.tokens) +
           ",\"types\":" + u(d.types) + "}";
  }
  out += "],\"typeTokenCurve\":[";
  for (size_t i = 0; i < s.typeTokenCurve.size(); ++i) {
    out += (i ? ",[" : "[") + u(s.typeTokenCurve[i].first) + "," +
           u(s.typeTokenCurve[i].second) + "]";
  }
  out += "],\"topTypes\":[";
  for (size_t i = 0; i < s.topTypes.size(); ++i) {
    out += (i ? ",[" : "[") + jsonString(s.topTypes[i].first) + "," + u(s.topTypes[i].second) +
           "]";
  }
  std::printf("%s]}\n", out.c_str());
}

}  // namespace

int runCorpus(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "stats") {
    return reportError(Status::invalidArgument(
        "usage: memlens-cli corpus stats [--tokeniser word|gpt2] [--lowercase] [--json] PATH..."));
  }
  auto flags = kTokeniserFlags;
  flags.insert("--json");
  ArgParser parser(kTokeniserValueOptions, flags);
  if (Status s = parser.parse({args.begin() + 1, args.end()}); !s) return reportError(s);
  if (parser.positional().empty()) {
    return reportError(Status::invalidArgument("corpus stats: give at least one file or folder"));
  }
  auto tokeniser = tokeniserOptionsFrom(parser);
  if (!tokeniser) return reportError(tokeniser.status());

  auto job = makeTerminalProgress();
  auto loaded = TokenisedCorpus::load(parser.positional(), *tokeniser, {}, job.get());
  if (!loaded) return reportError(loaded.status());
  const TokenisedCorpus& c = **loaded;
  const CorpusStats stats = CorpusStats::compute(*c.corpus, c.tokens, c.vocab);
  if (parser.has("--json")) {
    printJson(stats);
  } else {
    printText(stats);
  }
  return 0;
}

}  // namespace memlens::cli
