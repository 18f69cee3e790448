#include <cstdio>

#include "cli_common.h"
#include "commands.h"
#include "memlens/corpus_stats.h"
#include "memlens/json_writer.h"
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
  JsonWriter json;
  json.beginObject()
      .field("documents", s.documents)
      .field("bytes", s.bytes)
      .field("lines", s.lines)
      .field("emptyLines", s.emptyLines)
      .field("tokens", s.tokens)
      .field("types", s.types)
      .field("hapaxes", s.hapaxes);
  json.key("perDocument").beginArray();
  for (const DocumentStats& d : s.perDocument) {
    json.beginObject()
        .field("path", d.path)
        .field("bytes", d.bytes)
        .field("lines", d.lines)
        .field("tokens", d.tokens)
        .field("types", d.types)
        .endObject();
  }
  json.endArray().key("typeTokenCurve").beginArray();
  for (const auto& [tokens, types] : s.typeTokenCurve) {
    json.beginArray().value(tokens).value(types).endArray();
  }
  json.endArray().key("topTypes").beginArray();
  for (const auto& [type, count] : s.topTypes)
    json.beginArray().value(type).value(count).endArray();
  json.endArray().endObject();
  std::printf("%s\n", json.str().c_str());
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
