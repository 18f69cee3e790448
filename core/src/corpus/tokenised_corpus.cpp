#include "memlens/tokenised_corpus.h"

#include "base/release_if_cancelled.h"

namespace memlens {

Result<std::shared_ptr<TokenisedCorpus>> TokenisedCorpus::load(
    const std::vector<std::string>& paths, const TokeniserOptions& tokeniserOptions,
    const CorpusOptions& options, JobControl* job) {
  auto tokeniser = createTokeniser(tokeniserOptions);
  if (!tokeniser) return tokeniser.status();
  auto corpus = Corpus::open(paths, options, job);
  if (!corpus) return corpus.status();

  auto result = std::make_shared<TokenisedCorpus>();
  ReleaseIfCancelled release(job, *corpus, result);
  result->tokeniserOptions = tokeniserOptions;
  result->tokeniserName = (*tokeniser)->name();
  result->vocab = (*tokeniser)->makeVocabulary();
  auto tokens = TokenStream::tokenise(**corpus, **tokeniser, result->vocab, job);
  if (!tokens) return tokens.status();
  result->tokens = std::move(*tokens);
  result->paddingId = result->vocab.paddingId();
  result->corpus = std::move(*corpus);
  return result;
}

Result<std::vector<uint32_t>> TokenisedCorpus::encode(std::string_view text) const {
  auto tokeniser = createTokeniser(tokeniserOptions);
  if (!tokeniser) return tokeniser.status();
  return encode(text, **tokeniser);
}

std::vector<uint32_t> TokenisedCorpus::encode(std::string_view text,
                                              const Tokeniser& tokeniser) const {
  // A scratch vocabulary takes whatever new words the text has; the corpus's stays untouched.
  Vocabulary scratch = tokeniser.makeVocabulary();
  std::vector<TokenSpan> spans;
  tokeniser.tokenise(text, scratch, spans);
  std::vector<uint32_t> ids;
  ids.reserve(spans.size());
  for (const TokenSpan& t : spans) ids.push_back(vocab.lookup(scratch.text(t.id)));
  return ids;
}

Result<InstanceSet> TokenisedCorpus::instancesOf(std::string_view text, int width) const {
  if (width < 1 || width > 32) return Status::invalidArgument("the width must be 1 to 32 tokens");
  InstanceSet out;
  out.width = width;
  uint64_t line = 0;
  while (!text.empty()) {
    ++line;
    const size_t end = text.find('\n');
    auto ids = encode(text.substr(0, end));
    if (!ids) return ids.status();
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    std::vector<uint32_t> window(static_cast<size_t>(width), paddingId);
    for (uint32_t id : *ids) {
      out.features.insert(out.features.end(), window.begin(), window.end());
      out.classes.push_back(id);
      out.sources.push_back(line);
      window.erase(window.begin());
      window.push_back(id);
    }
  }
  return out;
}

}  // namespace memlens
