#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memlens/corpus.h"
#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/token_stream.h"
#include "memlens/tokeniser.h"
#include "memlens/vocabulary.h"

namespace memlens {

// The first stage of the pipeline in one value: files opened and checked, tokenised, with the
// vocabulary they were tokenised into. Immutable once load() returns: share it as
// std::shared_ptr<const TokenisedCorpus> between threads and views.
struct TokenisedCorpus {
  std::unique_ptr<Corpus> corpus;
  TokeniserOptions tokeniserOptions;
  std::string tokeniserName;
  Vocabulary vocab;
  uint32_t paddingId = 0;  // "_" in vocab, interned at load time
  TokenStream tokens;

  // Tokenises `text` (a typed context or prompt) with this corpus's tokeniser, mapping tokens to
  // the corpus vocabulary without growing it: tokens the corpus never had are kUnknown.
  Result<std::vector<uint32_t>> encode(std::string_view text) const;
  // The same with a tokeniser made once by createTokeniser(tokeniserOptions): many texts then cost
  // no tokeniser set-up each (GPT-2's loads its files). One thread at a time per `tokeniser`.
  std::vector<uint32_t> encode(std::string_view text, const Tokeniser& tokeniser) const;
  // A probe set of the user's own sentences: `text` encoded as above, each line its own block
  // (context padded at its start) and every token a target, `width` context tokens each.
  // Sources are the text's 1-based line numbers. Blank lines give nothing.
  Result<InstanceSet> instancesOf(std::string_view text, int width) const;

  static Result<std::shared_ptr<TokenisedCorpus>> load(const std::vector<std::string>& paths,
                                                       const TokeniserOptions& tokeniser,
                                                       const CorpusOptions& options = {},
                                                       JobControl* job = nullptr);
};

}  // namespace memlens
