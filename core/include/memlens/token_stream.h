#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "memlens/corpus.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/storage.h"
#include "memlens/tokeniser.h"
#include "memlens/vocabulary.h"

namespace memlens {

class ByteReader;
class ByteWriter;

// Where a token came from.
struct TokenPosition {
  uint32_t document = 0;
  uint64_t line = 0;        // 1-based
  uint64_t byteOffset = 0;  // in the file, BOM included
  uint32_t length = 0;      // bytes
};

// A tokenised corpus: token ids in corpus order plus enough to recover each token's provenance.
// Every line is kept, empty ones too (they delimit OLIFANT blocks). 12 bytes per token.
// Immutable after tokenise(); safe to read from many threads. Opened from a memory file, it views
// its arrays in the file.
class TokenStream {
 public:
  struct Line {
    uint32_t document;
    uint64_t number;      // 1-based
    uint64_t byteOffset;  // of the line's first byte in the file
    uint64_t firstToken;  // index of its first token; tokens run to the next line's firstToken
  };

  // A place in the corpus text: a document index and a byte offset in its text (BOM excluded).
  struct TextPosition {
    size_t document = 0;
    size_t offset = 0;
  };

  // Tokenises every line of every document; the word tokeniser grows `vocab`, whose counts are
  // incremented for every token.
  static Result<TokenStream> tokenise(const Corpus& corpus, const Tokeniser& tokeniser,
                                      Vocabulary& vocab, JobControl* job = nullptr);
  // The same for the lines from `begin` (a line start) up to `end` (a line start, or
  // {documentCount, 0}): a block of the corpus in a sharded run (docs/spec/distributed.md).
  // Lines keep the corpus's document indices; the first document's lines are numbered from
  // `firstLine` (the line `begin` starts). A block without tokens is no error here: the blocks
  // together must hold some, which only their caller can know.
  static Result<TokenStream> tokeniseBlock(const Corpus& corpus, const Tokeniser& tokeniser,
                                           Vocabulary& vocab, TextPosition begin, TextPosition end,
                                           uint64_t firstLine, JobControl* job = nullptr);

  // Replaces every token id by map[id]: a block's ids interned locally become the ids the ranks
  // agreed on (agreeTokenIds). Every id must be below map.size().
  void renumber(std::span<const uint32_t> map);

  size_t size() const { return ids_.size(); }
  uint32_t id(size_t token) const { return checks_ ? checkedId(token) : ids_[token]; }
  const Storage<uint32_t>& ids() const { return checks_ ? checkedIds() : ids_; }

  size_t lineCount() const { return lines_.size(); }
  Line line(size_t i) const { return checks_ ? checkedLine(i) : lines_[i]; }
  uint64_t lineEnd(size_t i) const {
    const uint64_t end = i + 1 < lines_.size() ? line(i + 1).firstToken : ids_.size();
    return checks_ ? std::max(end, line(i).firstToken) : end;
  }
  // The line holding token `token` (binary search).
  size_t lineOf(size_t token) const;

  TokenPosition position(size_t token) const;

  // For memory files: the arrays as they are. The token ids (below `vocabSize`) are checked a
  // chunk at a time as they are first read; a line is kept inside the token range and its
  // document (`corpus`) and ends no earlier than it starts when it is read, and a token's position
  // inside its document, so that opening reads none of the per-token or per-line arrays
  // (token_stream_file.cpp). checkAll() makes every deferred check now (verifyMemory()),
  // lines ascending included: the first failure, or ok.
  void save(ByteWriter& out) const;
  static Result<TokenStream> load(ByteReader& in, const Corpus& corpus, uint32_t vocabSize);
  Status checkAll() const;

 private:
  struct FileChecks;
  uint32_t checkedId(size_t token) const;
  Line checkedLine(size_t i) const;
  const Storage<uint32_t>& checkedIds() const;

  Storage<uint32_t> ids_;
  Storage<uint32_t> offsetInLine_;
  Storage<uint32_t> lengths_;
  Storage<Line> lines_;
  std::shared_ptr<const FileChecks> checks_;  // null unless read from a file
};

}  // namespace memlens
