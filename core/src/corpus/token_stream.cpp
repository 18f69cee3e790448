#include "memlens/token_stream.h"

#include <algorithm>

#include "base/release_if_cancelled.h"
#include "corpus/token_stream_file_checks.h"

namespace memlens {

namespace {
constexpr size_t kPollEveryLines = 4096;
}

Result<TokenStream> TokenStream::tokenise(const Corpus& corpus, const Tokeniser& tokeniser,
                                          Vocabulary& vocab, JobControl* job) {
  auto stream = tokeniseBlock(corpus, tokeniser, vocab, {}, {corpus.documentCount(), 0}, 1, job);
  if (stream && stream->ids_.empty())
    return Status::corrupt("the corpus holds no tokens, only white space");
  if (stream) reportProgress(job, 1.0, "tokenised");
  return stream;
}

Result<TokenStream> TokenStream::tokeniseBlock(const Corpus& corpus, const Tokeniser& tokeniser,
                                               Vocabulary& vocab, TextPosition begin,
                                               TextPosition end, uint64_t firstLine,
                                               JobControl* job) {
  TokenStream stream;
  ReleaseIfCancelled release(job, stream);
  uint64_t blockBytes = 0;
  for (size_t d = begin.document; d <= end.document && d < corpus.documentCount(); ++d) {
    blockBytes += d == end.document ? end.offset : corpus.document(d).sizeBytes;
    if (d == begin.document) blockBytes -= begin.offset;
  }
  // Reserving touches no pages, so a generous guess (real text averages 4-6 bytes per token)
  // costs nothing resident and saves the copies of repeated growth.
  const size_t guess = blockBytes / 3 + 16;
  stream.ids_.reserve(guess);
  stream.offsetInLine_.reserve(guess);
  stream.lengths_.reserve(guess);
  const double totalBytes = std::max<double>(1.0, static_cast<double>(blockBytes));
  uint64_t bytesBefore = 0;
  std::vector<TokenSpan> spans;
  size_t linesSincePoll = 0;

  for (size_t d = begin.document; d <= end.document && d < corpus.documentCount(); ++d) {
    const Document& doc = corpus.document(d);
    const std::string_view text =
        doc.text.substr(0, d == end.document ? end.offset : doc.text.size());
    uint64_t lineNo = d == begin.document ? firstLine - 1 : 0;
    size_t pos = d == begin.document ? begin.offset : 0;
    while (pos < text.size()) {
      size_t lineEnd = text.find('\n', pos);
      if (lineEnd == std::string_view::npos) lineEnd = text.size();
      std::string_view line = text.substr(pos, lineEnd - pos);
      if (line.ends_with('\r')) line.remove_suffix(1);

      stream.lines_.push_back(
          {static_cast<uint32_t>(d), ++lineNo, doc.bomBytes + pos, stream.ids_.size()});
      spans.clear();
      tokeniser.tokenise(line, vocab, spans);
      for (const TokenSpan& t : spans) {
        stream.ids_.push_back(t.id);
        stream.offsetInLine_.push_back(t.begin);
        stream.lengths_.push_back(t.length);
        vocab.addCount(t.id);
      }
      pos = lineEnd + 1;

      if (++linesSincePoll == kPollEveryLines) {
        linesSincePoll = 0;
        if (cancelRequested(job)) return Status::cancelled();
        reportProgress(job, static_cast<double>(bytesBefore + pos) / totalBytes,
                       "tokenising " + doc.path);
      }
    }
    bytesBefore += doc.sizeBytes;
  }
  return stream;
}

void TokenStream::renumber(std::span<const uint32_t> map) {
  for (uint32_t& id : ids_.mutate()) id = map[id];
}

size_t TokenStream::lineOf(size_t token) const {
  auto it = std::upper_bound(lines_.begin(), lines_.end(), static_cast<uint64_t>(token),
                             [](uint64_t t, const Line& l) { return t < l.firstToken; });
  return static_cast<size_t>(it - lines_.begin()) - 1;
}

TokenPosition TokenStream::position(size_t token) const {
  const Line l = line(lineOf(token));
  uint64_t offset = offsetInLine_[token];
  uint32_t length = lengths_[token];
  if (checks_) {
    // Kept inside the document, so that provenance never reads past its text.
    const uint64_t room = checks_->documentBytes[l.document] - l.byteOffset;
    offset = std::min(offset, room);
    length = static_cast<uint32_t>(std::min<uint64_t>(length, room - offset));
  }
  return {l.document, l.number, l.byteOffset + offset, length};
}

}  // namespace memlens
