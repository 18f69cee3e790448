// TokenStream::save() and load(): the memory-file form of a token stream.
#include <string>

#include "base/first_where.h"
#include "memfile/byte_reader.h"
#include "memfile/byte_writer.h"
#include "memlens/token_stream.h"

namespace memlens {

void TokenStream::save(ByteWriter& out) const {
  out.putArray(ids_);
  out.putArray(offsetInLine_);
  out.putArray(lengths_);
  out.putArray(lines_);
}

Result<TokenStream> TokenStream::load(ByteReader& in, const Corpus& corpus, uint32_t vocabSize) {
  TokenStream s;
  in.getArray(s.ids_);
  in.getArray(s.offsetInLine_);
  in.getArray(s.lengths_);
  in.getArray(s.lines_);
  const size_t n = s.ids_.size();
  if (in.ok() && (s.offsetInLine_.size() != n || s.lengths_.size() != n))
    in.fail("token offsets or lengths do not match the " + std::to_string(n) + " tokens");
  if (in.ok() && (n == 0 || s.lines_.empty() || s.lines_.front().firstToken != 0))
    in.fail("no tokens, or tokens before the first line");
  if (const size_t t =
          firstWhere(s.ids_.span(), [&](uint32_t id, size_t) { return id >= vocabSize; });
      in.ok() && t < n)
    in.fail("token " + std::to_string(t) + " is id " + std::to_string(s.ids_[t]) +
            ", past the vocabulary (" + std::to_string(vocabSize) + " tokens)");
  // Token ranges first: lineEnd(l) reads the next line's first token.
  for (size_t l = 0; in.ok() && l < s.lines_.size(); ++l) {
    const Line& line = s.lines_[l];
    if (line.firstToken > n || (l > 0 && line.firstToken < s.lines_[l - 1].firstToken))
      in.fail("line " + std::to_string(l) + " starts outside the token range");
    else if (line.document >= corpus.documentCount())
      in.fail("line " + std::to_string(l) + " is in document " + std::to_string(line.document) +
              " of " + std::to_string(corpus.documentCount()));
  }
  for (size_t l = 0; in.ok() && l < s.lines_.size(); ++l) {
    const Line& line = s.lines_[l];
    const Document& doc = corpus.document(line.document);
    if (line.byteOffset < doc.bomBytes || line.byteOffset > doc.sizeBytes) {
      in.fail("line " + std::to_string(l) + " lies outside its document");
      break;
    }
    // Every token inside its document, so provenance never reads past the text.
    const uint64_t room = doc.sizeBytes - line.byteOffset;
    const uint64_t first = line.firstToken;
    const auto offsets = s.offsetInLine_.span().subspan(first, s.lineEnd(l) - first);
    const uint32_t* lengths = s.lengths_.data() + first;
    if (const size_t t = firstWhere(
            offsets, [&](uint32_t at, size_t i) { return at + uint64_t{lengths[i]} > room; });
        t < offsets.size())
      in.fail("token " + std::to_string(first + t) + " lies past the end of " + doc.path);
  }
  if (!in.ok()) return Status::corrupt(in.error());
  return s;
}

}  // namespace memlens
