#pragma once

#include <string>

#include "memlens/tokeniser.h"

namespace memlens {

// Words and punctuation. A word is a maximal run of letters, marks and digits; an apostrophe
// (' or U+2019) or hyphen-minus between two word characters stays inside it ("don't",
// "Beer-sheba"). Every other code point that is not white space (JavaScript's \s) is a token of
// its own, together with the combining marks that follow it: a mark belongs to its base, so
// "❤️" (heart + variation selector) stays one token. With `lowercase`, the vocabulary key is
// the simple lowercase mapping of the token, while spans still point at the original bytes. One
// thread at a time per object (a scratch buffer is reused across calls).
class WordTokeniser final : public Tokeniser {
 public:
  explicit WordTokeniser(bool lowercase) : lowercase_(lowercase) {}

  std::string name() const override { return lowercase_ ? "word-lowercase" : "word"; }
  Vocabulary makeVocabulary() const override { return Vocabulary(); }
  void tokenise(std::string_view text, Vocabulary& vocab,
                std::vector<TokenSpan>& out) const override;

 private:
  uint32_t intern(std::string_view token, Vocabulary& vocab) const;

  bool lowercase_;
  mutable std::string lowered_;
};

}  // namespace memlens
