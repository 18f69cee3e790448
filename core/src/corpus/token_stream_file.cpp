// TokenStream::save() and load(): the memory-file form of a token stream.
#include <algorithm>
#include <string>

#include "base/first_where.h"
#include "corpus/token_stream_file_checks.h"
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
  // No lines and no tokens: a memory saved without its text (a sharded memory's rank 0). Else
  // readers of the lines need a document to keep them in, and lineOf() a first line at token 0.
  const bool textless = n == 0 && s.lines_.empty();
  if (in.ok() && !textless && (n == 0 || s.lines_.empty() || s.lines_.front().firstToken != 0))
    in.fail("no tokens, or tokens before the first line");
  if (in.ok() && !textless && corpus.documentCount() == 0) in.fail("lines but no documents");
  if (!in.ok()) return Status::corrupt(in.error());
  auto checks = std::make_shared<FileChecks>();
  for (size_t d = 0; d < corpus.documentCount(); ++d) {
    checks->documentBytes.push_back(corpus.document(d).sizeBytes);
    checks->documentBoms.push_back(corpus.document(d).bomBytes);
    checks->documentPaths.push_back(corpus.document(d).path);
  }
  checks->ids = LazyCheckedArray<uint32_t>(
      s.ids_.span(), [vocabSize](uint32_t id, size_t) { return id >= vocabSize; },
      [](uint32_t, size_t) { return 0u; },
      [ids = s.ids_.span(), vocabSize](size_t t) {
        return "token " + std::to_string(t) + " is id " + std::to_string(ids[t]) +
               ", past the vocabulary (" + std::to_string(vocabSize) + " tokens)";
      });
  s.checks_ = std::move(checks);
  return s;
}

uint32_t TokenStream::checkedId(size_t token) const {
  return checks_->ids.checked(ids_.data(), token, token + 1)[token];
}

const Storage<uint32_t>& TokenStream::checkedIds() const {
  const uint32_t* all = checks_->ids.checked(ids_.data(), 0, ids_.size());
  if (all == ids_.data()) return ids_;
  std::call_once(checks_->repairOnce,
                 [&] { checks_->repaired = std::vector<uint32_t>(all, all + ids_.size()); });
  return checks_->repaired;
}

TokenStream::Line TokenStream::checkedLine(size_t i) const {
  Line line = lines_[i];
  if (line.document >= checks_->documentBytes.size()) line.document = 0;
  line.byteOffset = std::clamp<uint64_t>(line.byteOffset, checks_->documentBoms[line.document],
                                         checks_->documentBytes[line.document]);
  line.firstToken = std::min<uint64_t>(line.firstToken, ids_.size());
  return line;
}

Status TokenStream::checkAll() const {
  if (!checks_) return Status::ok();
  (void)checkedIds();
  if (std::string damage = checks_->ids.damage(); !damage.empty()) return Status::corrupt(damage);
  const size_t n = ids_.size();
  for (size_t l = 0; l < lines_.size(); ++l) {
    const Line& line = lines_[l];
    const std::string where = "line " + std::to_string(l);
    if (line.firstToken > n || (l > 0 && line.firstToken < lines_[l - 1].firstToken))
      return Status::corrupt(where + " starts outside the token range");
    if (line.document >= checks_->documentBytes.size())
      return Status::corrupt(where + " is in document " + std::to_string(line.document) + " of " +
                             std::to_string(checks_->documentBytes.size()));
    if (line.byteOffset < checks_->documentBoms[line.document] ||
        line.byteOffset > checks_->documentBytes[line.document])
      return Status::corrupt(where + " lies outside its document");
  }
  // Every token inside its document, as position() keeps it.
  for (size_t l = 0; l < lines_.size(); ++l) {
    const Line& line = lines_[l];
    const uint64_t room = checks_->documentBytes[line.document] - line.byteOffset;
    const uint64_t first = line.firstToken;
    const auto offsets = offsetInLine_.span().subspan(first, lineEnd(l) - first);
    const uint32_t* lengths = lengths_.data() + first;
    if (const size_t t = firstWhere(
            offsets, [&](uint32_t at, size_t i) { return at + uint64_t{lengths[i]} > room; });
        t < offsets.size())
      return Status::corrupt("token " + std::to_string(first + t) + " lies past the end of " +
                             checks_->documentPaths[line.document]);
  }
  return Status::ok();
}

}  // namespace memlens
