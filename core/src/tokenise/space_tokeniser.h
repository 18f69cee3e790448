#pragma once

#include <string>

#include "memlens/tokeniser.h"

namespace memlens {

// Text that is already tokenised, such as OLIFANT's (olifant-tok writes GPT-2 tokens as strings,
// "ĠThe", space-separated, one line per input line): tokens are the runs between white space,
// kept byte for byte. White space is what Python's str.split() splits on, so that windowing
// these tokens gives what olifant-continuous-windowing gives. Stateless: safe to share.
class SpaceTokeniser final : public Tokeniser {
 public:
  std::string name() const override { return "spaces"; }
  Vocabulary makeVocabulary() const override { return Vocabulary(); }
  void tokenise(std::string_view text, Vocabulary& vocab,
                std::vector<TokenSpan>& out) const override;
};

}  // namespace memlens
