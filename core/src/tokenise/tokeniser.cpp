#include "memlens/tokeniser.h"

#include "tokenise/bpe_tokeniser.h"
#include "tokenise/space_tokeniser.h"
#include "tokenise/word_tokeniser.h"

namespace memlens {

Result<std::unique_ptr<Tokeniser>> createTokeniser(const TokeniserOptions& options) {
  switch (options.kind) {
    case TokeniserKind::kWord:
      return std::unique_ptr<Tokeniser>(std::make_unique<WordTokeniser>(options.lowercase));
    case TokeniserKind::kSpaces:
      return std::unique_ptr<Tokeniser>(std::make_unique<SpaceTokeniser>());
    case TokeniserKind::kGpt2: {
      if (options.vocabPath.empty() || options.mergesPath.empty()) {
        return Status::invalidArgument(
            "the GPT-2 tokeniser needs its two files: the vocabulary (encoder.json or "
            "vocab.json) and the merges (vocab.bpe or merges.txt)");
      }
      auto bpe = BpeTokeniser::load(options.vocabPath, options.mergesPath);
      if (!bpe) return bpe.status();
      return std::unique_ptr<Tokeniser>(std::move(bpe).value());
    }
  }
  return Status::invalidArgument("unknown tokeniser kind");
}

}  // namespace memlens
