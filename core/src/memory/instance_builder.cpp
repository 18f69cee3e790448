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

// Appends one instance per target in [from, to) to `out`, for a block starting at `begin`.
// Appending (into reserved space) touches memory as it goes, where a resize would zero
// gigabytes up front without a chance to cancel.
void windowBlock(std::span<const uint32_t> ids, size_t begin, size_t from, size_t to,
                 uint32_t paddingId, int width, InstanceSet& out) {
  const auto w = static_cast<size_t>(width);
  for (size_t p = from; p < to; ++p) {
    const size_t available = std::min(p - begin, w);  // real context tokens before p
    out.features.insert(out.features.end(), w - available, paddingId);
    out.features.insert(out.features.end(),
                        ids.begin() + static_cast<std::ptrdiff_t>(p - available),
                        ids.begin() + static_cast<std::ptrdiff_t>(p));
    out.classes.push_back(ids[p]);
    out.sources.push_back(p);
  }
}

// The blocks as [begin, targetEnd) token ranges.
std::vector<std::pair<size_t, size_t>> blocksOf(const TokenStream& tokens, BlockMode mode) {
  std::vector<std::pair<size_t, size_t>> blocks;
  if (mode == BlockMode::kLine) {
    blocks.reserve(tokens.lineCount());
    for (size_t l = 0; l < tokens.lineCount(); ++l) {
      if (tokens.lineEnd(l) > tokens.line(l).firstToken) {
        blocks.emplace_back(tokens.line(l).firstToken, tokens.lineEnd(l));
      }
    }
    return blocks;
  }
  // OLIFANT: consecutive non-empty lines of one document form a block; its last token is no target.
  // As olifant-continuous-windowing (which empties its token list only after writing an
  // instance), a one-token block yields nothing and its token opens the next block of the
  // document instead. Empty lines hold no tokens, so that block stays a contiguous range.
  size_t l = 0;
  size_t carried = SIZE_MAX;  // first token of a carried one-token block
  uint32_t carriedDoc = 0;
  while (l < tokens.lineCount()) {
    if (tokens.lineEnd(l) == tokens.line(l).firstToken) {
      ++l;
      continue;
    }
    const uint32_t doc = tokens.line(l).document;
    size_t last = l;
    while (last + 1 < tokens.lineCount() && tokens.line(last + 1).document == doc &&
           tokens.lineEnd(last + 1) > tokens.line(last + 1).firstToken) {
      ++last;
    }
    if (carried != SIZE_MAX && carriedDoc != doc) carried = SIZE_MAX;
    const size_t begin = carried != SIZE_MAX ? carried : tokens.line(l).firstToken;
    if (tokens.lineEnd(last) - begin == 1) {
      carried = begin;
      carriedDoc = doc;
    } else {
      blocks.emplace_back(begin, tokens.lineEnd(last) - 1);
      carried = SIZE_MAX;
    }
    l = last + 1;
  }
  return blocks;
}

}  // namespace

Result<InstanceSet> buildInstances(const TokenStream& tokens, uint32_t paddingId,
                                   const WindowOptions& options, JobControl* job) {
  if (options.width < 1 || options.width > InstanceSet::kMaxWidth) {
    return Status::invalidArgument("context width must be between 1 and " +
                                   std::to_string(InstanceSet::kMaxWidth) + ", got " +
                                   std::to_string(options.width));
  }
  const auto blocks = blocksOf(tokens, options.blocks);
  size_t total = 0;
  for (const auto& [begin, targetEnd] : blocks) total += targetEnd - begin;
  InstanceSet set;
  ReleaseIfCancelled release(job, set);
  set.width = options.width;
  set.features.reserve(total * static_cast<size_t>(options.width));
  set.classes.reserve(total);
  set.sources.reserve(total);

  // A block may be a whole document (OLIFANT blocks of a file without empty lines), so blocks
  // are written in pieces with a poll between.
  size_t nextPoll = kPollEveryInstances;
  for (const auto& [begin, targetEnd] : blocks) {
    for (size_t from = begin; from < targetEnd; from += kPollEveryInstances) {
      const size_t to = std::min(targetEnd, from + kPollEveryInstances);
      windowBlock(tokens.ids(), begin, from, to, paddingId, options.width, set);
      const size_t at = set.size();
      if (at >= nextPoll) {
        nextPoll = at + kPollEveryInstances;
        if (cancelRequested(job)) return Status::cancelled();
        reportProgress(job, static_cast<double>(at) / static_cast<double>(total),
                       "building instances");
      }
    }
  }
  if (set.size() == 0) return Status::invalidArgument("the corpus yields no instances");
  reportProgress(job, 1.0, "instances built");
  return set;
}

}  // namespace memlens
