#include "distributed/corpus_block.h"

#include <algorithm>
#include <string_view>

#include "distributed/block_edges.h"
#include "distributed/message.h"
#include "distributed/token_ids.h"

namespace memlens {
namespace {

using TextPosition = TokenStream::TextPosition;

// The first line that starts at or after byte `at` of the files' concatenation (BOMs included,
// as Document::sizeBytes counts them): {documentCount, 0} past the last line.
TextPosition lineStartFrom(const Corpus& corpus, uint64_t at) {
  for (size_t d = 0; d < corpus.documentCount(); ++d) {
    const Document& doc = corpus.document(d);
    if (at >= doc.sizeBytes) {
      at -= doc.sizeBytes;
      continue;
    }
    const std::string_view text = doc.text;
    const uint64_t offset = at > doc.bomBytes ? at - doc.bomBytes : 0;
    if (offset == 0) return {d, 0};
    const size_t newline = text.find('\n', offset - 1);
    if (newline == std::string_view::npos || newline + 1 >= text.size()) return {d + 1, 0};
    return {d, newline + 1};
  }
  return {corpus.documentCount(), 0};
}

// Checks the part [begin, end) of `corpus` as Corpus::open checks a whole file, and gives the
// newlines of each document it touches as (document, newlines) pairs.
Result<std::vector<uint64_t>> checkPart(const Corpus& corpus, TextPosition begin, TextPosition end,
                                        JobControl* job) {
  std::vector<uint64_t> out;
  for (size_t d = begin.document; d <= end.document && d < corpus.documentCount(); ++d) {
    const size_t from = d == begin.document ? begin.offset : 0;
    const size_t to = d == end.document ? end.offset : corpus.document(d).text.size();
    auto newlines = corpus.checkPart(d, from, std::max(from, to), job);
    if (!newlines) return newlines.status();
    out.push_back(d);
    out.push_back(*newlines);
  }
  return out;
}

}  // namespace

Result<CorpusBlock> loadCorpusBlock(Communicator& comm, const std::vector<std::string>& paths,
                                    const TokeniserOptions& tokeniserOptions, JobControl* job) {
  auto tokeniser = createTokeniser(tokeniserOptions);
  if (!tokeniser) return comm.agree(tokeniser.status());
  // Each rank reads only its share of the text, so it checks only that (below). A file missing
  // or empty fails before any text is checked, and one process would report a bad byte in an
  // earlier file first: then every rank opens the corpus as one process does, for its error.
  CorpusOptions unread;
  unread.checkText = false;
  auto opened = Corpus::open(paths, unread, job);
  if (Status st = comm.agree(opened ? Status::ok() : opened.status()); !st) {
    auto whole = Corpus::open(paths, {}, job);
    return comm.agree(whole ? st : whole.status());
  }
  Corpus& corpus = **opened;

  // This rank's share of the bytes, from the first line starting in it to the next rank's.
  const uint64_t total = corpus.totalBytes();
  const auto r = static_cast<uint64_t>(comm.rank());
  const auto ranks = static_cast<uint64_t>(comm.size());
  const TextPosition begin = lineStartFrom(corpus, total * r / ranks);
  const TextPosition end = lineStartFrom(corpus, total * (r + 1) / ranks);

  // The parts partition the text and the lowest failing rank's error is reported, so the error
  // is the first in the corpus: one process's.
  auto checked = checkPart(corpus, begin, end, job);
  if (Status st = comm.agree(checked ? Status::ok() : checked.status()); !st) return st;

  // The block's first line number: the newlines of its first document in the blocks before it;
  // each document's line count: its newlines in every block.
  Message newlines;
  newlines.putSpan<uint64_t>(*checked);
  auto counted = comm.allGather(newlines.bytes());
  if (!counted) return counted.status();
  uint64_t firstLine = 1;
  std::vector<uint64_t> newlinesOf(corpus.documentCount(), 0);
  for (uint64_t q = 0; q < ranks; ++q) {
    Message m(std::move((*counted)[q]));
    const auto pairs = m.getVector<uint64_t>();
    if (!m.ok()) return Status::internal("malformed line counts from rank " + std::to_string(q));
    for (size_t i = 0; i + 1 < pairs.size(); i += 2) {
      if (pairs[i] >= newlinesOf.size())
        return Status::internal("line counts of an unknown document from rank " +
                                std::to_string(q));
      newlinesOf[pairs[i]] += pairs[i + 1];
      if (q < r && pairs[i] == begin.document) firstLine += pairs[i + 1];
    }
  }
  corpus.setNewlines(newlinesOf);

  Vocabulary local = (*tokeniser)->makeVocabulary();
  auto tokens = TokenStream::tokeniseBlock(corpus, **tokeniser, local, begin, end, firstLine, job);
  if (Status st = comm.agree(tokens ? Status::ok() : tokens.status()); !st) return st;

  auto block = std::make_shared<TokenisedCorpus>();
  block->tokeniserOptions = tokeniserOptions;
  block->tokeniserName = (*tokeniser)->name();
  if (comm.rank() == 0) block->vocab = (*tokeniser)->makeVocabulary();
  auto ids = agreeTokenIds(comm, local, block->vocab);
  if (!ids) return ids.status();
  tokens->renumber(*ids);

  // Where the block's tokens start, and whether the corpus has any.
  Message count;
  count.put<uint64_t>(tokens->size());
  auto counts = comm.allGather(count.bytes());
  if (!counts) return counts.status();
  CorpusBlock out;
  uint64_t allTokens = 0;
  for (uint64_t q = 0; q < ranks; ++q) {
    Message m(std::move((*counts)[q]));
    const auto n = m.get<uint64_t>();
    if (q == r) out.firstToken = allTokens;
    allTokens += n;
  }
  if (allTokens == 0) return Status::corrupt("the corpus holds no tokens, only white space");

  // One process interns the padding after every token (unless the text has "_"): so does rank
  // 0, which alone has the whole vocabulary, and tells the others its id and the size.
  const uint64_t padding = comm.rank() == 0 ? block->vocab.paddingId() : 0;
  const uint64_t size = comm.rank() == 0 ? block->vocab.size() : 0;
  auto paddingId = comm.sum(padding);
  if (!paddingId) return paddingId.status();
  auto vocabularySize = comm.sum(size);
  if (!vocabularySize) return vocabularySize.status();
  block->paddingId = static_cast<uint32_t>(*paddingId);
  block->tokens = std::move(*tokens);
  block->corpus = std::move(*opened);
  out.corpus = std::move(block);
  out.vocabularySize = static_cast<uint32_t>(*vocabularySize);
  reportProgress(job, 1.0, "tokenised");
  return out;
}

Result<InstanceSet> windowCorpusBlock(Communicator& comm, const CorpusBlock& block,
                                      const WindowOptions& window, JobControl* job) {
  const TokenisedCorpus& c = *block.corpus;
  Result<InstanceSet> set = InstanceSet{};
  set->width = window.width;
  if (window.blocks == BlockMode::kLine) {
    if (c.tokens.size() > 0) set = buildInstances(c.tokens, c.paddingId, window, job);
  } else {
    auto edges = agreeBlockEdges(comm, c.tokens, window.width);
    if (!edges) return edges.status();
    set = buildPartInstances(c.tokens, c.paddingId, window.width, edges->before,
                             edges->lastContinues, job);
  }
  if (Status st = comm.agree(set ? Status::ok() : set.status()); !st) return st;
  auto instances = comm.sum(set->size());
  if (!instances) return instances.status();
  if (*instances == 0) return Status::invalidArgument("the corpus yields no instances");
  return set;
}

}  // namespace memlens
