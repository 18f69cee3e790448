#pragma once

#include <cstdint>
#include <vector>

#include "memlens/instance_set.h"
#include "memlens/job_control.h"
#include "memlens/result.h"
#include "memlens/token_stream.h"

namespace memlens {

// How the token stream is cut into blocks before windowing (docs/spec/engine.md).
enum class BlockMode {
  kLine,  // every line is its own block; every token is a target
  // olifant-continuous-windowing: lines joined; an empty line starts a new block; a block's last
  // token is no target; a one-token block's token opens the next block of its document.
  kOlifant,
};

struct WindowOptions {
  int width = 4;  // 1..32 context tokens
  BlockMode blocks = BlockMode::kLine;
};

// Left-context windows: one instance per target token, context padded with `paddingId` ("_")
// at the start of each block. Fails on a width outside 1..32; honours cancel.
Result<InstanceSet> buildInstances(const TokenStream& tokens, uint32_t paddingId,
                                   const WindowOptions& options, JobControl* job = nullptr);

// The OLIFANT block still open where a part of a longer token stream ends (a rank's lines in a
// sharded run: docs/spec/distributed.md): the next part's lines may continue it.
struct OpenBlock {
  uint64_t tokens = 0;  // its length so far; 0: no block is open; 1: a one-token block, carried
  uint32_t document = 0;
  std::vector<uint32_t> tail;  // its last min(tokens, width) token ids, oldest first
};

// The block open after `tokens`, a part of a longer stream that `before` was open before.
OpenBlock openBlockAfter(const TokenStream& tokens, const OpenBlock& before, int width);

// The instances whose targets are in `tokens`, a part of a longer stream, as buildInstances()
// of the whole stream windows them (OLIFANT blocks): `before` is the block open before the part
// (openBlockAfter() of the parts before it) and `lastContinues` says whether the part's last
// open block goes on after it (its last token is then a target). Sources index `tokens`. A part
// may yield no instances.
Result<InstanceSet> buildPartInstances(const TokenStream& tokens, uint32_t paddingId, int width,
                                       const OpenBlock& before, bool lastContinues,
                                       JobControl* job = nullptr);

}  // namespace memlens
