#include "memlens/tokenised_corpus.h"

namespace memlens {

Result<std::shared_ptr<TokenisedCorpus>> TokenisedCorpus::load(
    const std::vector<std::string>& paths, const TokeniserOptions& tokeniserOptions,
    const CorpusOptions& options, JobControl* job) {
  auto tokeniser = createTokeniser(tokeniserOptions);
  if (!tokeniser) return tokeniser.status();
  auto corpus = Corpus::open(paths, options, job);
  if (!corpus) return corpus.status();

  auto result = std::make_shared<TokenisedCorpus>();
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
  // A scratch vocabulary takes whatever new words the text has; the corpus's stays untouched.
  Vocabulary scratch = (*tokeniser)->makeVocabulary();
  std::vector<TokenSpan> spans;
  (*tokeniser)->tokenise(text, scratch, spans);
  std::vector<uint32_t> ids;
  ids.reserve(spans.size());
  for (const TokenSpan& t : spans) ids.push_back(vocab.lookup(scratch.text(t.id)));
  return ids;
}

}  // namespace memlens
