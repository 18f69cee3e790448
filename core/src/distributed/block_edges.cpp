#include "distributed/block_edges.h"

#include <string>
#include <vector>

#include "distributed/message.h"

namespace memlens {
namespace {

// What decides whether a block open before a rank's lines goes on in them.
struct Head {
  uint8_t hasLines = 0;
  uint8_t firstLineEmpty = 0;
  uint8_t hasNonEmpty = 0;
  uint32_t firstLineDocument = 0;
  uint32_t firstNonEmptyDocument = 0;
};

Head headOf(const TokenStream& tokens) {
  Head h;
  if (tokens.lineCount() == 0) return h;
  h.hasLines = 1;
  h.firstLineDocument = tokens.line(0).document;
  h.firstLineEmpty = tokens.lineEnd(0) == tokens.line(0).firstToken ? 1 : 0;
  for (size_t l = 0; l < tokens.lineCount(); ++l) {
    if (tokens.lineEnd(l) > tokens.line(l).firstToken) {
      h.hasNonEmpty = 1;
      h.firstNonEmptyDocument = tokens.line(l).document;
      break;
    }
  }
  return h;
}

// Whether `open`, open after rank r's lines, goes on in the ranks after r (heads in rank order):
// a block of two tokens or more continues only into the next line, if it is a non-empty line of
// its document; a one-token block is carried over empty lines to the next non-empty line.
bool continues(const OpenBlock& open, const std::vector<Head>& heads, size_t r) {
  if (open.tokens == 0) return false;
  for (size_t q = r + 1; q < heads.size(); ++q) {
    const Head& h = heads[q];
    if (open.tokens >= 2 && h.hasLines)
      return !h.firstLineEmpty && h.firstLineDocument == open.document;
    if (open.tokens == 1 && h.hasNonEmpty) return h.firstNonEmptyDocument == open.document;
  }
  return false;
}

}  // namespace

Result<BlockEdges> agreeBlockEdges(Communicator& comm, const TokenStream& tokens, int width) {
  const auto ranks = static_cast<size_t>(comm.size());
  const auto rank = static_cast<size_t>(comm.rank());
  Message head;
  head.put(headOf(tokens));
  auto gathered = comm.allGather(head.bytes());
  if (!gathered) return gathered.status();
  std::vector<Head> heads(ranks);
  Status malformed = Status::ok();
  for (size_t q = 0; q < ranks; ++q) {
    Message m(std::move((*gathered)[q]));
    heads[q] = m.get<Head>();
    if (!m.ok())
      malformed = Status::internal("malformed line heads from rank " + std::to_string(q));
  }
  if (Status st = comm.agree(malformed); !st) return st;

  // A chain over the ranks: the block open after rank q depends on the one open before it, which
  // may come from any rank before (ranks without lines, or with empty lines only, pass a block
  // on). Rank q computes its own when it has the one before, and tells every rank.
  BlockEdges edges;
  OpenBlock open;
  for (size_t q = 0; q < ranks; ++q) {
    Message mine;
    if (q == rank) {
      edges.before = open;
      const OpenBlock after = openBlockAfter(tokens, open, width);
      mine.put<uint64_t>(after.tokens);
      mine.put<uint32_t>(after.document);
      mine.putSpan<uint32_t>(after.tail);
    }
    auto sent = comm.allGather(mine.bytes());
    if (!sent) return sent.status();
    Message m(std::move((*sent)[q]));
    open.tokens = m.get<uint64_t>();
    open.document = m.get<uint32_t>();
    open.tail = m.getVector<uint32_t>();
    if (Status st = comm.agree(
            m.ok() ? Status::ok()
                   : Status::internal("malformed open block from rank " + std::to_string(q)));
        !st)
      return st;
    if (q == rank) edges.lastContinues = continues(open, heads, rank);
  }
  return edges;
}

}  // namespace memlens
