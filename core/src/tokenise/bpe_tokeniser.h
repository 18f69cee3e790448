#pragma once

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "memlens/tokeniser.h"

namespace memlens {

// GPT-2's byte-level BPE, id for id: the pre-tokeniser regex of GPT-2 (matched by hand over
// code points), bytes mapped to symbols, merges applied by rank, ids from the encoder.
// Vocabulary entries are the encoder's strings ("Ġthe"), not decoded bytes: they are valid
// UTF-8 and hold no white space, so they survive TiMBL's space-separated instance files.
// One thread at a time per object: tokenise() fills a cache of pieces already merged.
class BpeTokeniser final : public Tokeniser {
 public:
  // encoder.json / vocab.json and vocab.bpe / merges.txt; errors name the file and line.
  static Result<std::unique_ptr<BpeTokeniser>> load(const std::string& vocabPath,
                                                    const std::string& mergesPath);

  std::string name() const override { return "gpt2"; }
  Vocabulary makeVocabulary() const override;
  void tokenise(std::string_view text, Vocabulary& vocab,
                std::vector<TokenSpan>& out) const override;

 private:
  struct Merge {
    uint32_t rank;
    uint32_t id;  // of the merged symbol
  };
  struct PieceHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  BpeTokeniser() = default;
  Status loadEncoder(const std::string& path);
  Status loadMerges(const std::string& path);
  const std::vector<uint32_t>& encodePiece(std::string_view piece) const;

  std::vector<std::string> tokens_;   // encoder strings by id
  std::vector<uint32_t> tokenBytes_;  // bytes of input each id stands for
  std::unordered_map<std::string, uint32_t> ids_;
  uint32_t byteIds_[256] = {};
  std::unordered_map<uint64_t, Merge> merges_;  // key: left id << 32 | right id
  mutable std::unordered_map<std::string, std::vector<uint32_t>, PieceHash, std::equal_to<>> cache_;
};

}  // namespace memlens
