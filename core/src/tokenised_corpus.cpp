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

}  // namespace memlens
