#include "memlens/instance_builder.h"

#include <algorithm>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "base/release_if_cancelled.h"

namespace memlens {

namespace {

constexpr size_t kPollEveryInstances = 1 << 16;

// A stream's tokens, preceded by the tail of the block open before it when the stream is a part
// of a longer one: position q is tail[q] below tail.size(), ids[q - tail.size()] from there.
struct PartTokens {
  std::span<const uint32_t> tail;
  std::span<const uint32_t> ids;

  size_t offset() const { return tail.size(); }
  uint32_t at(size_t q) const { return q < tail.size() ? tail[q] : ids[q - tail.size()]; }
};

// A block starting at `begin` whose targets are [from, targetEnd) (positions of PartTokens).
struct Block {
  size_t begin;
  size_t from;
  size_t targetEnd;
};

// Appends one instance per target in [from, to) to `out`, for a block starting at `begin`.
// Appending (into reserved space) touches memory as it goes, where a resize would zero
// gigabytes up front without a chance to cancel.
void windowBlock(const PartTokens& t, size_t begin, size_t from, size_t to, uint32_t paddingId,
                 int width, InstanceSet& out) {
  const auto w = static_cast<size_t>(width);
  const size_t offset = t.offset();
  for (size_t p = from; p < to; ++p) {
    const size_t available = std::min(p - begin, w);  // real context tokens before p
    const size_t start = p - available;
    out.features.insert(out.features.end(), w - available, paddingId);
    if (start >= offset) {
      out.features.insert(out.features.end(),
                          t.ids.begin() + static_cast<std::ptrdiff_t>(start - offset),
                          t.ids.begin() + static_cast<std::ptrdiff_t>(p - offset));
    } else {
      for (size_t q = start; q < p; ++q) out.features.push_back(t.at(q));
    }
    out.classes.push_back(t.ids[p - offset]);
    out.sources.push_back(p - offset);
  }
}

// The block open while walking OLIFANT blocks; [begin, end) in PartTokens positions.
struct Pending {
  uint64_t tokens = 0;  // including those of the parts before
  uint32_t document = 0;
  size_t begin = 0;
  size_t end = 0;
};

// OLIFANT: consecutive non-empty lines of one document form a block; its last token is no target.
// As olifant-continuous-windowing (which empties its token list only after writing an
// instance), a one-token block yields nothing and its token opens the next block of the
// document instead (it stays open over empty lines). Empty lines hold no tokens, so a block is
// a contiguous range. Calls close(begin, targetEnd) for every block of two tokens or more that
// ends within `tokens`, the block open before them (`before`, whose tail the positions start
// with) included; returns the block still open at their end.
template <typename Close>
Pending walkOlifantBlocks(const TokenStream& tokens, const OpenBlock& before, Close close) {
  const size_t offset = before.tail.size();
  Pending open{before.tokens, before.document, 0, offset};
  const auto closeOpen = [&] {
    if (open.tokens >= 2) close(open.begin, open.end - 1);
    open.tokens = 0;
  };
  for (size_t l = 0; l < tokens.lineCount(); ++l) {
    const size_t first = tokens.line(l).firstToken + offset;
    const size_t end = tokens.lineEnd(l) + offset;
    if (first == end) {
      if (open.tokens >= 2) closeOpen();
      continue;
    }
    const uint32_t doc = tokens.line(l).document;
    if (open.tokens > 0 && open.document != doc) closeOpen();
    if (open.tokens == 0) open = Pending{0, doc, first, first};
    open.tokens += end - first;
    open.end = end;
  }
  return open;
}

// The blocks of `tokens` (after `before`); with `lastContinues`, the block open at the end goes
// on after them, so its last token is a target too.
std::vector<Block> blocksOf(const TokenStream& tokens, BlockMode mode, const OpenBlock& before,
                            bool lastContinues) {
  std::vector<Block> blocks;
  if (mode == BlockMode::kLine) {
    blocks.reserve(tokens.lineCount());
    for (size_t l = 0; l < tokens.lineCount(); ++l) {
      if (tokens.lineEnd(l) > tokens.line(l).firstToken) {
        blocks.push_back({tokens.line(l).firstToken, tokens.line(l).firstToken, tokens.lineEnd(l)});
      }
    }
    return blocks;
  }
  // Only the part's own tokens are targets: a block that ends within the tail has none here.
  const size_t offset = before.tail.size();
  const auto add = [&](size_t begin, size_t targetEnd) {
    const size_t from = std::max(begin, offset);
    if (from < targetEnd) blocks.push_back({begin, from, targetEnd});
  };
  const Pending open = walkOlifantBlocks(tokens, before, add);
  if (lastContinues && open.tokens > 0)
    add(open.begin, open.end);
  else if (open.tokens >= 2)
    add(open.begin, open.end - 1);
  return blocks;
}

Status checkWidth(int width) {
  if (width < 1 || width > InstanceSet::kMaxWidth) {
    return Status::invalidArgument("context width must be between 1 and " +
                                   std::to_string(InstanceSet::kMaxWidth) + ", got " +
                                   std::to_string(width));
  }
  return Status::ok();
}

Result<InstanceSet> windowBlocks(const PartTokens& t, const std::vector<Block>& blocks,
                                 uint32_t paddingId, int width, JobControl* job) {
  size_t total = 0;
  for (const Block& b : blocks) total += b.targetEnd - b.from;
  InstanceSet set;
  ReleaseIfCancelled release(job, set);
  set.width = width;
  set.features.reserve(total * static_cast<size_t>(width));
  set.classes.reserve(total);
  set.sources.reserve(total);

  // A block may be a whole document (OLIFANT blocks of a file without empty lines), so blocks
  // are written in pieces with a poll between.
  size_t nextPoll = kPollEveryInstances;
  for (const Block& b : blocks) {
    for (size_t from = b.from; from < b.targetEnd; from += kPollEveryInstances) {
      const size_t to = std::min(b.targetEnd, from + kPollEveryInstances);
      windowBlock(t, b.begin, from, to, paddingId, width, set);
      const size_t at = set.size();
      if (at >= nextPoll) {
        nextPoll = at + kPollEveryInstances;
        if (cancelRequested(job)) return Status::cancelled();
        reportProgress(job, static_cast<double>(at) / static_cast<double>(total),
                       "building instances");
      }
    }
  }
  reportProgress(job, 1.0, "instances built");
  return set;
}

}  // namespace

Result<InstanceSet> buildInstances(const TokenStream& tokens, uint32_t paddingId,
                                   const WindowOptions& options, JobControl* job) {
  if (Status st = checkWidth(options.width); !st) return st;
  auto set = windowBlocks({{}, tokens.ids().span()}, blocksOf(tokens, options.blocks, {}, false),
                          paddingId, options.width, job);
  if (set && set->size() == 0) return Status::invalidArgument("the corpus yields no instances");
  return set;
}

OpenBlock openBlockAfter(const TokenStream& tokens, const OpenBlock& before, int width) {
  const Pending open = walkOlifantBlocks(tokens, before, [](size_t, size_t) {});
  OpenBlock after;
  if (open.tokens == 0) return after;
  after.tokens = open.tokens;
  after.document = open.document;
  const PartTokens t{before.tail, tokens.ids().span()};
  const size_t keep = std::min<size_t>(open.tokens, static_cast<size_t>(width));
  for (size_t q = open.end - keep; q < open.end; ++q) after.tail.push_back(t.at(q));
  return after;
}

Result<InstanceSet> buildPartInstances(const TokenStream& tokens, uint32_t paddingId, int width,
                                       const OpenBlock& before, bool lastContinues,
                                       JobControl* job) {
  if (Status st = checkWidth(width); !st) return st;
  return windowBlocks({before.tail, tokens.ids().span()},
                      blocksOf(tokens, BlockMode::kOlifant, before, lastContinues), paddingId,
                      width, job);
}

}  // namespace memlens
