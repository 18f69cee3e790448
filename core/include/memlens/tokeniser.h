#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "memlens/result.h"
#include "memlens/vocabulary.h"

namespace memlens {

// One token: its vocabulary id and the bytes of the input it came from.
struct TokenSpan {
  uint32_t id;
  uint32_t begin;   // byte offset in the text passed to tokenise()
  uint32_t length;  // bytes
};

// kSpaces: text already tokenised (OLIFANT's GPT-2 token strings), split on white space only.
enum class TokeniserKind { kWord, kGpt2, kSpaces };

struct TokeniserOptions {
  TokeniserKind kind = TokeniserKind::kWord;
  bool lowercase = false;  // word tokeniser only: Unicode simple lowercase mapping
  // GPT-2 byte-level BPE: encoder.json + vocab.bpe, or Hugging Face vocab.json + merges.txt.
  std::string vocabPath;
  std::string mergesPath;
};

// Splits text (valid UTF-8) into tokens. Implementations: the word tokeniser (words and
// punctuation, Unicode-aware), GPT-2 byte-level BPE, and white space only (pre-tokenised text).
// One thread at a time per Tokeniser object (implementations keep caches); create one per thread.
class Tokeniser {
 public:
  virtual ~Tokeniser() = default;

  // "word", "word-lowercase", "gpt2", "spaces".
  virtual std::string name() const = 0;

  // The vocabulary to tokenise with: empty for the word tokeniser (it grows as text is seen),
  // GPT-2's entries in id order for BPE (so vocabulary ids are GPT-2 ids).
  virtual Vocabulary makeVocabulary() const = 0;

  // Appends the tokens of `text` to `out`. The word tokeniser interns new words into `vocab`;
  // BPE only reads it. `text` may hold newlines; corpus code passes one line at a time.
  virtual void tokenise(std::string_view text, Vocabulary& vocab,
                        std::vector<TokenSpan>& out) const = 0;
};

// Loads files as needed: an unreadable or malformed encoder.json / vocab.bpe gives an error
// naming the file and line.
Result<std::unique_ptr<Tokeniser>> createTokeniser(const TokeniserOptions& options);

}  // namespace memlens
