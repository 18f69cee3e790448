#include "memlens/instance_builder.h"

#include <string>

namespace memlens {

namespace {

constexpr size_t kPollEveryInstances = 1 << 16;

// Appends one instance per target in [begin, targetEnd); the block starts at `begin`.
void windowBlock(const std::vector<uint32_t>& ids, size_t begin, size_t targetEnd,
                 uint32_t paddingId, int width, InstanceSet& out) {
  for (size_t p = begin; p < targetEnd; ++p) {
    for (int f = width; f >= 1; --f) {
      const size_t back = static_cast<size_t>(f);
      out.features.push_back(p - begin >= back ? ids[p - back] : paddingId);
    }
    out.classes.push_back(ids[p]);
    out.sources.push_back(p);
  }
}

}  // namespace

Result<InstanceSet> buildInstances(const TokenStream& tokens, uint32_t paddingId,
                                   const WindowOptions& options, JobControl* job) {
  if (options.width < 1 || options.width > 32) {
    return Status::invalidArgument("context width must be between 1 and 32, got " +
                                   std::to_string(options.width));
  }
  InstanceSet set;
  set.width = options.width;
  set.reserve(tokens.size());
  const std::vector<uint32_t>& ids = tokens.ids();
  size_t nextPoll = kPollEveryInstances;

  auto poll = [&]() -> bool {
    if (set.size() < nextPoll) return true;
    nextPoll = set.size() + kPollEveryInstances;
    reportProgress(job, static_cast<double>(set.size()) / static_cast<double>(tokens.size()),
                   "building instances");
    return !cancelRequested(job);
  };

  if (options.blocks == BlockMode::kLine) {
    for (size_t l = 0; l < tokens.lineCount(); ++l) {
      const size_t begin = tokens.line(l).firstToken, end = tokens.lineEnd(l);
      windowBlock(ids, begin, end, paddingId, options.width, set);
      if (!poll()) return Status::cancelled();
    }
  } else {
    // OLIFANT: consecutive non-empty lines of one document form a block.
    size_t l = 0;
    while (l < tokens.lineCount()) {
      if (tokens.lineEnd(l) == tokens.line(l).firstToken) {
        ++l;
        continue;
      }
      const uint32_t doc = tokens.line(l).document;
      const size_t begin = tokens.line(l).firstToken;
      size_t last = l;
      while (last + 1 < tokens.lineCount() && tokens.line(last + 1).document == doc &&
             tokens.lineEnd(last + 1) > tokens.line(last + 1).firstToken) {
        ++last;
      }
      const size_t end = tokens.lineEnd(last);
      windowBlock(ids, begin, end - 1, paddingId, options.width, set);
      if (!poll()) return Status::cancelled();
      l = last + 1;
    }
  }
  if (set.size() == 0) return Status::invalidArgument("the corpus yields no instances");
  reportProgress(job, 1.0, "instances built");
  return set;
}

}  // namespace memlens
